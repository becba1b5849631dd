//! Benchmark: durable insert latency of a check-in against the raw `fsync`
//! latency of the same disk, measured in the same run, interleaved in rounds
//! so that disk noise hits both alike.
//!
//! `cargo run --release -p checkin-store --example insert_latency -- DIR [N]`
//! prints one JSON object with p50/p99 of both, in microseconds.

use checkin_core::{CheckIn, DeviceId, Direction, Policy, Source};
use checkin_store::Store;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: insert_latency DIR [N]"));
    let n: usize = args
        .next()
        .map_or(2000, |s| s.parse().expect("N must be a number"));
    std::fs::create_dir_all(&dir).unwrap();
    let _ = std::fs::remove_file(dir.join(checkin_store::DB_FILE));
    let mut store = Store::open(&dir).unwrap();
    let fsync_path = dir.join("fsync-probe.bin");
    let mut probe = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .open(&fsync_path)
        .unwrap();

    let venue: checkin_core::VenueId = "01-00001-BENCH1".parse().unwrap();
    let make = |i: usize| {
        let code = format!(
            "0010980{:05}||NGUYỄN VĂN {i}|01012000|Nam|Hà Nội|01012022",
            i % 100_000
        );
        CheckIn::from_code(
            &code,
            venue.clone(),
            Direction::In,
            Source::Qr,
            DeviceId::new(),
            chrono::Local::now().fixed_offset(),
            &Policy::default(),
        )
        .unwrap()
    };
    // The reference writes what one commit writes: measure the WAL bytes per
    // commit on a warm-up run first.
    let wal = dir.join(format!("{}-wal", checkin_store::DB_FILE));
    let before = std::fs::metadata(&wal).map_or(0, |m| m.len());
    for i in 0..50 {
        store.record_checkin(&mut make(i)).unwrap();
    }
    let per_commit =
        ((std::fs::metadata(&wal).map_or(0, |m| m.len()) - before) / 50).max(512) as usize;
    let block = vec![0x5au8; per_commit];

    let mut inserts = Vec::with_capacity(n);
    let mut fsyncs = Vec::with_capacity(n);
    for i in 0..n {
        // Alternate one insert and one raw write+fsync so that disk noise from
        // anything else on the machine hits both series alike.
        let mut c = make(i);
        let t = Instant::now();
        store.record_checkin(&mut c).unwrap();
        inserts.push(t.elapsed().as_secs_f64() * 1e6);

        let t = Instant::now();
        probe.write_all(&block).unwrap();
        probe.sync_data().unwrap();
        fsyncs.push(t.elapsed().as_secs_f64() * 1e6);

        if i % 100 == 99 {
            // The station is idle between visitors: that is when it checkpoints.
            store.checkpoint().unwrap();
        }
    }
    let _ = std::fs::remove_file(&fsync_path);
    let (ip50, ip99) = (pct(&mut inserts, 50.0), pct(&mut inserts, 99.0));
    let (fp50, fp99) = (pct(&mut fsyncs, 50.0), pct(&mut fsyncs, 99.0));
    println!(
        "{{\"n\":{n},\"bytes_per_commit\":{per_commit},\"insert_p50_us\":{ip50:.1},\"insert_p99_us\":{ip99:.1},\"fsync_p50_us\":{fp50:.1},\"fsync_p99_us\":{fp99:.1},\"p99_ratio\":{:.2},\"p50_ratio\":{:.2}}}",
        ip99 / fp99,
        ip50 / fp50
    );
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    let idx = ((p / 100.0) * (v.len() - 1) as f64).round() as usize;
    v[idx]
}
