//! The server under heavy batches: 3 enrolled devices send 60 batches at
//! once (20 each), every one a small gzip body that inflates to about 8 MB
//! of records the server must parse and refuse. Measures the server
//! process's peak RSS (VmHWM) and `/healthz` latency meanwhile; prints (and
//! with `--write FILE` replaces) the "## Server under heavy batches"
//! section of docs/benchmarks.md.
//!
//!   cargo build --release -p checkin-server -p checkin-e2e
//!   target/release/abuse-bench --write docs/benchmarks.md   (--seconds N, default 20)
//!
//! The server is the real `checkin-server` binary next to this one (its
//! own process, so its memory is its own), on SQLite in a temporary folder.
//! `--reference PATH` also measures another build of it (the server before
//! issue 8, say) in the same run, for a side-by-side table.

use anyhow::{bail, Context, Result};
use checkin_core::{CheckIn, DeviceId, Direction, Policy, Record, Source, VenueId};
use checkin_e2e::{admin_with, bin, first_line, Server, CCCD};
use flate2::write::GzEncoder;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Opts {
    devices: usize,
    per_device: usize,
    seconds: u64,
    reference: Option<PathBuf>,
    reference_name: String,
    write: Option<PathBuf>,
}

fn parse_args() -> Result<Opts> {
    let mut o = Opts {
        devices: 3,
        per_device: 20,
        seconds: 20,
        reference: None,
        reference_name: "the reference build".into(),
        write: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().context("missing value");
        match a.as_str() {
            "--devices" => o.devices = val()?.parse()?,
            "--per-device" => o.per_device = val()?.parse()?,
            "--seconds" => o.seconds = val()?.parse::<u64>()?.max(1),
            "--reference" => o.reference = Some(PathBuf::from(val()?)),
            "--reference-name" => o.reference_name = val()?,
            "--write" => o.write = Some(PathBuf::from(val()?)),
            other => bail!("unknown argument {other}"),
        }
    }
    Ok(o)
}

/// One HTTP/1.1 exchange on a new connection: the status and body.
fn http(addr: SocketAddr, head: &str, body: &[u8]) -> Result<(u16, Vec<u8>)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(120)))?;
    s.write_all(head.as_bytes())?;
    s.write_all(body)?;
    let mut out = Vec::new();
    s.read_to_end(&mut out)?;
    let text = String::from_utf8_lossy(&out);
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .context("no status line")?;
    let body = match out.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(i) => out[i + 4..].to_vec(),
        None => Vec::new(),
    };
    Ok((status, body))
}

fn enroll(addr: SocketAddr, token: &str) -> Result<(DeviceId, String)> {
    let device = DeviceId::new();
    let body = serde_json::json!({"token": token, "device_id": device}).to_string();
    let head = format!(
        "POST /api/v1/enroll HTTP/1.1\r\nHost: b\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let (status, resp) = http(addr, &head, body.as_bytes())?;
    if status != 200 {
        bail!("enroll: {status} {}", String::from_utf8_lossy(&resp));
    }
    let v: serde_json::Value = serde_json::from_slice(&resp)?;
    Ok((
        device,
        v["credential"].as_str().context("credential")?.into(),
    ))
}

/// A gzip body inflating to just under 8 MiB: 1,000 check-ins of this
/// device, each padded to about 8 KB and dated 1500 (so each is parsed,
/// checked and refused, and none fills the disk).
fn heavy_batch(venue: &VenueId, device: DeviceId) -> Result<(Vec<u8>, usize)> {
    let mut c = CheckIn::from_code(
        CCCD,
        venue.clone(),
        Direction::In,
        Source::Qr,
        device,
        chrono::Utc::now().fixed_offset(),
        &Policy::default(),
    )?;
    c.device_time = "1500-01-01T00:00:00+07:00".parse()?;
    let mut record = serde_json::to_value(Record::Checkin(c))?;
    record["pad"] = "x".repeat(7_900).into();
    let mut json = Vec::with_capacity(8_400_000);
    json.extend_from_slice(b"{\"records\":[");
    for i in 0..1000 {
        if i > 0 {
            json.push(b',');
        }
        record["id"] = serde_json::to_value(checkin_core::RecordId::new())?;
        serde_json::to_writer(&mut json, &record)?;
    }
    json.extend_from_slice(b"]}");
    let inflated = json.len();
    let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&json)?;
    Ok((gz.finish()?, inflated))
}

fn kib(field: &str, pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// What one server build did under the load.
struct Measured {
    hwm_kib: u64,
    idle_kib: u64,
    after_kib: u64,
    health: Vec<Duration>,
    health_failed: usize,
    statuses: std::collections::BTreeMap<u16, usize>,
    compressed: usize,
    inflated: usize,
}

fn measure(o: &Opts, server_bin: &Path) -> Result<Measured> {
    let dir = tempfile::Builder::new()
        .prefix("checkin-abuse")
        .tempdir_in("/var/tmp")?;
    let db = format!("sqlite://{}", dir.path().join("server.db").display());
    let venue = first_line(&admin_with(
        server_bin,
        &db,
        &[
            "venue",
            "add",
            "--name",
            "Chợ Đông Ba",
            "--category",
            "market",
            "--commune",
            "19774",
            "--province",
            "46",
            "--address",
            "Huế",
        ],
    ));
    let venue_id: VenueId = venue.parse()?;
    let server = Server::start_with(server_bin, &db, &["--rate-limit", "1000"]);
    let pid = server.pid().context("server pid")?;
    let mut devices = Vec::new();
    for _ in 0..o.devices {
        let token = first_line(&admin_with(
            server_bin,
            &db,
            &["enrollment-token", "--venue", &venue, "--no-qr"],
        ));
        devices.push(enroll(server.addr, &token)?);
    }
    let idle_kib = kib("VmRSS:", pid).unwrap_or(0);
    let mut bodies = Vec::new();
    let mut inflated = 0;
    for (device, credential) in &devices {
        let (body, n) = heavy_batch(&venue_id, *device)?;
        inflated = n;
        bodies.push((Arc::new(body), credential.clone()));
    }
    let compressed = bodies[0].0.len();

    // /healthz every 50 ms while the batches run, each on a new connection.
    let done = Arc::new(AtomicBool::new(false));
    let health = {
        let (done, addr) = (done.clone(), server.addr);
        std::thread::spawn(move || {
            let mut lat = Vec::new();
            let mut failed = 0;
            while !done.load(Ordering::Relaxed) {
                let t = Instant::now();
                match http(
                    addr,
                    "GET /healthz HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n",
                    b"",
                ) {
                    Ok((200, _)) => lat.push(t.elapsed()),
                    _ => failed += 1,
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            (lat, failed)
        })
    };
    let statuses = Arc::new(Mutex::new(std::collections::BTreeMap::<u16, usize>::new()));
    let start = Instant::now();
    let until = start + Duration::from_secs(o.seconds);
    let senders: Vec<_> = bodies
        .iter()
        .flat_map(|(body, credential)| {
            (0..o.per_device).map(move |_| (body.clone(), credential.clone()))
        })
        .map(|(body, credential)| {
            let (statuses, addr) = (statuses.clone(), server.addr);
            std::thread::spawn(move || {
                // As an attacker would: send again at once, whatever the answer.
                while Instant::now() < until {
                    let head = format!(
                        "POST /api/v1/sync HTTP/1.1\r\nHost: b\r\nContent-Type: application/json\r\n\
                         Content-Encoding: gzip\r\nAuthorization: Bearer {credential}\r\n\
                         x-checkin-device-time: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        chrono::Utc::now().to_rfc3339(),
                        body.len()
                    );
                    let status = http(addr, &head, &body).map_or(0, |(s, _)| s);
                    *statuses.lock().unwrap().entry(status).or_insert(0) += 1;
                }
            })
        })
        .collect();
    for s in senders {
        let _ = s.join();
    }
    done.store(true, Ordering::Relaxed);
    let (mut health, health_failed) = health.join().expect("health thread");
    health.sort();
    let statuses = statuses.lock().unwrap().clone();
    Ok(Measured {
        hwm_kib: kib("VmHWM:", pid).unwrap_or(0),
        idle_kib,
        after_kib: kib("VmRSS:", pid).unwrap_or(0),
        health,
        health_failed,
        statuses,
        compressed,
        inflated,
    })
}

fn mb(kib: u64) -> String {
    format!("{:.0} MB", kib as f64 / 1024.0)
}

fn main() -> Result<()> {
    let o = parse_args()?;
    let this = measure(&o, &bin("checkin-server"))?;
    let before = match &o.reference {
        Some(path) => Some(measure(&o, path)?),
        None => None,
    };
    let mut md = String::new();
    writeln!(md, "## Server under heavy batches\n")?;
    writeln!(
        md,
        "Measured by `abuse-bench` (release; {} UTC, {} CPUs; the real `checkin-server` on SQLite, \
         its own process; clients on the same machine over 127.0.0.1). {} devices keep {} batches \
         in flight ({} each) for {} s, each sent again as soon as it is answered, as an attacker \
         would; each is a {} KB gzip body inflating to {:.1} MB (1,000 records padded to 8 KB, \
         dated 1500, which this build refuses one by one and older builds stored). `/healthz` is asked every 50 ms meanwhile on new connections. Peak RSS is \
         the kernel's high-water mark (VmHWM) of the server process.{}\n",
        chrono::Utc::now().format("%Y-%m-%d %H:%M"),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        o.devices,
        o.devices * o.per_device,
        o.per_device,
        o.seconds,
        this.compressed / 1024,
        this.inflated as f64 / 1e6,
        if before.is_some() {
            format!(
                " The reference column is {}, measured the same way in the same run.",
                o.reference_name
            )
        } else {
            String::new()
        }
    )?;
    let cells = |m: &Measured| {
        let answers = m
            .statuses
            .iter()
            .map(|(s, n)| format!("{s}: {n}"))
            .collect::<Vec<_>>()
            .join(", ");
        [
            format!(
                "{} (idle {}, after {})",
                mb(m.hwm_kib),
                mb(m.idle_kib),
                mb(m.after_kib)
            ),
            format!(
                "{} (p50 {}, p95 {}; {} answered, {} failed)",
                ms(m.health.last().copied().unwrap_or_default()),
                ms(percentile(&m.health, 0.5)),
                ms(percentile(&m.health, 0.95)),
                m.health.len(),
                m.health_failed
            ),
            answers,
        ]
    };
    let rows = [
        "peak server RSS (VmHWM)",
        "`/healthz` latency, max",
        "answers",
    ];
    let goals = ["≤ 256 MB", "≤ 1 s", "200, or 429/503 with Retry-After"];
    let now = cells(&this);
    match &before {
        Some(b) => {
            let then = cells(b);
            writeln!(
                md,
                "| | goal | this build | reference: before |\n|---|---|---|---|"
            )?;
            for i in 0..3 {
                writeln!(
                    md,
                    "| {} | {} | {} | {} |",
                    rows[i], goals[i], now[i], then[i]
                )?;
            }
        }
        None => {
            writeln!(md, "| | goal | this build |\n|---|---|---|")?;
            for i in 0..3 {
                writeln!(md, "| {} | {} | {} |", rows[i], goals[i], now[i])?;
            }
        }
    }
    writeln!(md)?;
    print!("{md}");
    if let Some(path) = o.write {
        checkin_e2e::replace_section(&path, "## Server under heavy batches", &md)?;
        eprintln!("wrote section to {}", path.display());
    }
    Ok(())
}
