//! Fault scenarios with real processes on loopback, each over several seeds
//! (`CHECKIN_FAULT_SEEDS`, default 1,2,3). After every scenario: each record
//! made on a station is on the server exactly once, nothing is pending, and
//! records the server refused are still on the station, marked rejected.

use checkin_core::RecordId;
use checkin_e2e::{admin, assert_exactly_once, first_line, seeds, ChaosProxy, Server, Station};
use rand::{Rng, SeedableRng};
use std::collections::HashSet;
use std::time::Duration;

struct Setup {
    _tmp: tempfile::TempDir,
    db: String,
    server: Server,
    station: Station,
    venue: String,
    refused: HashSet<RecordId>,
}

/// A server, one enrolled station with `n` records for its venue and a few
/// for a venue outside its scope.
fn setup(n: usize, server_args: &[&str], clock: chrono::Duration) -> Setup {
    setup_on(None, n, server_args, clock)
}

/// [`setup`] on the database `db` (a fresh SQLite file when `None`).
fn setup_on(db: Option<String>, n: usize, server_args: &[&str], clock: chrono::Duration) -> Setup {
    let tmp = tempfile::tempdir().unwrap();
    let db = db.unwrap_or_else(|| format!("sqlite://{}", tmp.path().join("srv.db").display()));
    let add = |name: &str, commune: &str| {
        first_line(&admin(
            &db,
            &[
                "venue",
                "add",
                "--name",
                name,
                "--category",
                "market",
                "--commune",
                commune,
                "--province",
                "38",
            ],
        ))
    };
    let venue = add("Chợ A", "14995");
    let other = add("Chợ B", "14998");
    let mut args = vec!["--rate-limit", "1000"];
    args.extend_from_slice(server_args);
    let server = Server::start(&db, &args);
    let token = first_line(&admin(
        &db,
        &["enrollment-token", "--venue", &venue, "--no-qr"],
    ));
    let station = Station::new(&tmp.path().join("station"));
    station.ok(&["enroll", "--server", &server.url, "--token", &token]);
    station.record_many(&venue, n / 2, clock);
    let refused: HashSet<RecordId> = station.record_many(&other, 3, clock).into_iter().collect();
    station.record_many(&venue, n - n / 2, clock);
    Setup {
        _tmp: tmp,
        db,
        server,
        station,
        venue,
        refused,
    }
}

#[test]
fn kill9_client_mid_sync() {
    for seed in seeds() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let s = setup(1500, &[], chrono::Duration::zero());
        for _ in 0..4 {
            let mut child = s
                .station
                .cmd(&["sync", "--batch", "20"])
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(Duration::from_millis(rng.gen_range(30..250)));
            let _ = child.kill();
            let _ = child.wait();
        }
        let killed_at = s.station.status();
        let (runs, report) = s.station.sync_until_drained(&[], 5);
        assert_exactly_once(&s.db, &[&s.station], &s.refused);
        eprintln!(
            "seed {seed}: kill -9 client ok; after kills {killed_at}; {runs} runs, last {report}"
        );
    }
}

#[test]
fn kill9_server_mid_batch() {
    for seed in seeds() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let mut s = setup(600, &[], chrono::Duration::zero());
        let mut child = s
            .station
            .cmd(&["sync", "--batch", "25", "--attempts", "12"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        for _ in 0..3 {
            std::thread::sleep(Duration::from_millis(rng.gen_range(20..300)));
            s.server.restart();
        }
        let _ = child.wait();
        // New records made while the server was down also arrive.
        let more = s
            .station
            .record_many(&s.venue, 20, chrono::Duration::zero());
        assert_eq!(more.len(), 20);
        let (runs, report) = s.station.sync_until_drained(&[], 5);
        assert_exactly_once(&s.db, &[&s.station], &s.refused);
        eprintln!("seed {seed}: kill -9 server ok; {runs} runs, last {report}");
    }
}

#[test]
fn misbehaving_network() {
    for seed in seeds() {
        let s = setup(400, &[], chrono::Duration::zero());
        let proxy = ChaosProxy::start(s.server.addr, seed, 0.4);
        let url = proxy.url();
        let (runs, report) = s
            .station
            .sync_until_drained(&["--server", &url, "--batch", "20", "--attempts", "25"], 10);
        assert_exactly_once(&s.db, &[&s.station], &s.refused);
        eprintln!("seed {seed}: chaos proxy ok; {runs} runs, last {report}");
    }
}

#[test]
fn server_errors_and_retry_after() {
    for seed in seeds() {
        let spec = format!("{seed}:0.35");
        let s = setup(400, &["--inject-faults", &spec], chrono::Duration::zero());
        let (runs, report) = s
            .station
            .sync_until_drained(&["--batch", "40", "--attempts", "25"], 10);
        assert_exactly_once(&s.db, &[&s.station], &s.refused);
        eprintln!("seed {seed}: 500/503/429 ok; {runs} runs, last {report}");
    }
}

#[test]
fn device_clocks_two_days_off() {
    let two_days = 2 * 24 * 3600;
    for (seed, offset) in seeds()
        .into_iter()
        .zip([two_days, -two_days].into_iter().cycle())
    {
        let clock = chrono::Duration::seconds(offset);
        let s = setup(100, &[], clock);
        let proxy = ChaosProxy::start(s.server.addr, seed, 0.2);
        let url = proxy.url();
        let off = offset.to_string();
        s.station.sync_until_drained(
            &["--server", &url, "--attempts", "25", "--clock-offset", &off],
            10,
        );
        assert_exactly_once(&s.db, &[&s.station], &s.refused);
        // The server kept its own receive time and the device's skew.
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let stored = rt.block_on(async {
            let db = checkin_server_db::open(&s.db).await.unwrap();
            db.stored_records().await.unwrap()
        });
        for r in &stored {
            let want = -offset * 1000;
            assert!(
                (r.clock_skew_ms - want).abs() < 60_000,
                "skew {} vs {want}",
                r.clock_skew_ms
            );
            assert!((chrono::Utc::now() - r.received_at).num_minutes().abs() < 10);
        }
        eprintln!("seed {seed}: clock {offset:+}s ok");
    }
}

#[test]
fn faults_on_postgres_when_configured() {
    let Ok(base) = std::env::var("CHECKIN_TEST_POSTGRES_URL") else {
        eprintln!("CHECKIN_TEST_POSTGRES_URL not set: PostgreSQL fault scenarios skipped");
        return;
    };
    for seed in seeds() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        // Server errors and lost answers, a chaos link, and kill -9 of the server.
        let spec = format!("{seed}:0.25");
        let db = checkin_e2e::fresh_postgres_db(&base);
        let mut s = setup_on(
            Some(db),
            400,
            &["--inject-faults", &spec],
            chrono::Duration::zero(),
        );
        let proxy = ChaosProxy::start(s.server.addr, seed, 0.3);
        let url = proxy.url();
        let mut child = s
            .station
            .cmd(&[
                "sync",
                "--server",
                &url,
                "--batch",
                "20",
                "--attempts",
                "25",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        for _ in 0..2 {
            std::thread::sleep(Duration::from_millis(rng.gen_range(20..300)));
            s.server.restart();
        }
        let _ = child.wait();
        let (runs, report) = s
            .station
            .sync_until_drained(&["--server", &url, "--batch", "20", "--attempts", "25"], 10);
        assert_exactly_once(&s.db, &[&s.station], &s.refused);
        eprintln!("seed {seed}: PostgreSQL faults ok; {runs} runs, last {report}");
    }
}
