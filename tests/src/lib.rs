//! Harness for end-to-end tests: real `checkin` and `checkin-server`
//! processes on loopback, a misbehaving TCP proxy between them, and checks
//! that every record made on a station is on the server exactly once.

use checkin_core::{CheckIn, Direction, Policy, RecordId, Source, VenueId};
use checkin_store::{ListFilter, RecordState, Store};
use rand::{Rng, SeedableRng};
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A CCCD code that parses (a check-in with an identity).
pub const CCCD: &str = "001098012345|012345678|NGUYỄN VĂN A|15081998|Nam|Hà Nội|25052021";

/// Path of a workspace binary next to this executable: beside it (the
/// bench binaries in `<target>/release/`) or one folder up (test binaries
/// in `<target>/debug/deps/`).
pub fn bin(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    let here = exe.parent().expect("exe dir");
    let path = [here, here.parent().unwrap_or(here)]
        .iter()
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "{name} not found beside {}: run `cargo build -p checkin-cli -p checkin-server` first",
                exe.display()
            )
        });
    path
}

fn check(out: Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed ({}): {}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 stdout")
}

/// Runs `checkin-server admin --database DB ARGS…` and returns its stdout.
pub fn admin(db_url: &str, args: &[&str]) -> String {
    admin_with(&bin("checkin-server"), db_url, args)
}

/// `admin` with another build of the server.
pub fn admin_with(server_bin: &Path, db_url: &str, args: &[&str]) -> String {
    let out = Command::new(server_bin)
        .arg("admin")
        .arg("--database")
        .arg(db_url)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("spawn checkin-server admin");
    check(out, &format!("admin {args:?}"))
}

/// The first line of a command's stdout.
pub fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").trim().to_string()
}

/// A running `checkin-server serve`.
pub struct Server {
    child: Option<Child>,
    pub url: String,
    pub addr: SocketAddr,
    pub db_url: String,
    extra: Vec<String>,
}

impl Server {
    /// Starts a server on a free loopback port.
    pub fn start(db_url: &str, extra: &[&str]) -> Self {
        Self::start_on("127.0.0.1:0", db_url, extra)
    }

    /// Starts another build of the server (a path to its binary).
    pub fn start_with(server_bin: &Path, db_url: &str, extra: &[&str]) -> Self {
        Self::start_bin(server_bin, "127.0.0.1:0", db_url, extra)
    }

    /// Starts a server on `listen` (used to restart on the same port).
    pub fn start_on(listen: &str, db_url: &str, extra: &[&str]) -> Self {
        Self::start_bin(&bin("checkin-server"), listen, db_url, extra)
    }

    fn start_bin(server_bin: &Path, listen: &str, db_url: &str, extra: &[&str]) -> Self {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let mut child = Command::new(server_bin)
                .args(["serve", "--listen", listen, "--database", db_url])
                .args(extra)
                .env("RUST_LOG", "warn")
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("spawn checkin-server");
            let mut line = String::new();
            let stdout = child.stdout.take().expect("stdout");
            let _ = BufReader::new(stdout).read_line(&mut line);
            if let Some(url) = line.trim().strip_prefix("listening on ") {
                let addr = url.trim_start_matches("http://").parse().expect("addr");
                return Self {
                    child: Some(child),
                    url: url.to_string(),
                    addr,
                    db_url: db_url.to_string(),
                    extra: extra.iter().map(|s| s.to_string()).collect(),
                };
            }
            let _ = child.kill();
            let _ = child.wait();
            // The old process may still hold the port for a moment.
            assert!(
                Instant::now() < deadline,
                "server did not start on {listen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The server's process id (for reading its memory in /proc).
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// `kill -9` the server.
    pub fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Kills the server and starts it again on the same port and database.
    pub fn restart(&mut self) {
        self.kill9();
        let extra: Vec<&str> = self.extra.iter().map(String::as_str).collect();
        let mut fresh = Self::start_on(&self.addr.to_string(), &self.db_url, &extra);
        self.child = fresh.child.take();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// A station: a data directory used by the `checkin` binary.
pub struct Station {
    pub dir: PathBuf,
}

impl Station {
    /// A station with its data in `dir`.
    pub fn new(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
        }
    }

    /// `checkin --data-dir DIR ARGS…`, as a command to run or spawn.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(bin("checkin"));
        c.arg("--data-dir").arg(&self.dir).args(args);
        c
    }

    /// Runs a command and returns its output, whatever the exit status.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("spawn checkin")
    }

    /// Runs a command that must succeed; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        check(self.run(args), &format!("checkin {args:?}"))
    }

    /// `checkin status --json`.
    pub fn status(&self) -> serde_json::Value {
        serde_json::from_str(&self.ok(&["status", "--json"])).expect("status JSON")
    }

    /// Writes `n` check-ins straight into the store (fast: one process),
    /// with the device clock moved by `clock_offset`.
    pub fn record_many(
        &self,
        venue: &str,
        n: usize,
        clock_offset: chrono::Duration,
    ) -> Vec<RecordId> {
        let mut store = Store::open(&self.dir).expect("open store");
        let venue: VenueId = venue.parse().expect("venue id");
        (0..n)
            .map(|_| {
                let mut c = CheckIn::from_code(
                    CCCD,
                    venue.clone(),
                    Direction::In,
                    Source::Qr,
                    store.device_id(),
                    chrono::Local::now().fixed_offset() + clock_offset,
                    &Policy::default(),
                )
                .expect("check-in");
                store.record_checkin(&mut c).expect("record");
                c.id
            })
            .collect()
    }

    /// Every record on the station with its outbox state.
    pub fn states(&self) -> HashMap<RecordId, RecordState> {
        let store = Store::open(&self.dir).expect("open store");
        store
            .list(ListFilter::default())
            .expect("list")
            .into_iter()
            .map(|r| (r.record.id(), r.state))
            .collect()
    }

    /// Runs `checkin sync --json` until it exits 0 (at most `tries` runs);
    /// returns the number of runs and the last run's report.
    pub fn sync_until_drained(&self, extra: &[&str], tries: usize) -> (usize, String) {
        let mut args = vec!["sync", "--json"];
        args.extend_from_slice(extra);
        let mut last = None;
        for run in 1..=tries {
            let out = self.run(&args);
            if out.status.success() {
                return (run, String::from_utf8_lossy(&out.stdout).trim().to_string());
            }
            last = Some(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        panic!("sync did not drain after {tries} runs; last: {last:?}");
    }
}

/// Checks the end state after a scenario: nothing pending on any station;
/// every record a station has as acknowledged is on the server exactly once;
/// records expected to be refused are rejected on the station and absent on
/// the server; the server holds nothing else.
pub fn assert_exactly_once(db_url: &str, stations: &[&Station], refused: &HashSet<RecordId>) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let stored = rt.block_on(async {
        let db = checkin_server_db::open(db_url)
            .await
            .expect("open server db");
        db.stored_records().await.expect("stored records")
    });
    let mut on_server: HashMap<RecordId, usize> = HashMap::new();
    for r in &stored {
        *on_server.entry(r.id).or_default() += 1;
    }
    let doubled: Vec<_> = on_server.iter().filter(|(_, n)| **n > 1).collect();
    assert!(doubled.is_empty(), "records stored twice: {doubled:?}");
    let mut expected = 0usize;
    for s in stations {
        for (id, state) in s.states() {
            if refused.contains(&id) {
                assert_eq!(
                    state,
                    RecordState::Rejected,
                    "record {id} should be rejected on the station"
                );
                assert!(
                    !on_server.contains_key(&id),
                    "refused record {id} reached the server"
                );
            } else {
                assert_eq!(
                    state,
                    RecordState::Acknowledged,
                    "record {id} not acknowledged"
                );
                assert!(
                    on_server.contains_key(&id),
                    "acknowledged record {id} is not on the server"
                );
                expected += 1;
            }
        }
        let st = s.status();
        assert_eq!(st["pending"], 0, "station still has pending records: {st}");
    }
    assert_eq!(
        stored.len(),
        expected,
        "the server holds records no station made"
    );
}

/// Seeds for fault scenarios: `CHECKIN_FAULT_SEEDS=1,2,3` (default `1,2,3`).
pub fn seeds() -> Vec<u64> {
    std::env::var("CHECKIN_FAULT_SEEDS")
        .unwrap_or_else(|_| "1,2,3".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

/// A TCP proxy on loopback that misbehaves on purpose, driven by a seed:
/// per connection it passes, resets at once, cuts after a random number of
/// bytes in either direction, or delays chunks.
pub struct ChaosProxy {
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
}

#[derive(Debug, Clone, Copy)]
enum Plan {
    Pass,
    Reset,
    CutUp(usize),
    CutDown(usize),
    Slow(u64),
}

fn reset(s: &TcpStream) {
    // SO_LINGER 0 makes close() send RST instead of FIN.
    let _ = socket2::SockRef::from(s).set_linger(Some(Duration::ZERO));
    let _ = s.shutdown(std::net::Shutdown::Both);
}

/// Copies `from` to `to`. Cuts (RST both ways) after `cut_after` bytes if
/// set, and also at any chunk with probability `chunk_cut`, so faults hit
/// long-lived keep-alive connections mid-request too.
fn pump(
    mut from: TcpStream,
    mut to: TcpStream,
    cut_after: Option<usize>,
    delay_ms: u64,
    chunk_cut: f64,
    seed: u64,
) {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut buf = [0u8; 4096];
    let mut moved = 0usize;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let cut = match cut_after {
            Some(limit) if moved + n >= limit => Some(limit - moved),
            _ if rng.gen_bool(chunk_cut) => Some(rng.gen_range(0..n)),
            _ => None,
        };
        if let Some(keep) = cut {
            let _ = to.write_all(&buf[..keep]);
            reset(&to);
            reset(&from);
            return;
        }
        if delay_ms > 0 {
            std::thread::sleep(Duration::from_millis(delay_ms));
        }
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
        moved += n;
    }
    let _ = to.shutdown(std::net::Shutdown::Write);
}

impl ChaosProxy {
    /// Starts a proxy to `upstream`; `fault_rate` of connections misbehave.
    pub fn start(upstream: SocketAddr, seed: u64, fault_rate: f64) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        let addr = listener.local_addr().expect("proxy addr");
        listener.set_nonblocking(true).expect("nonblocking");
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        std::thread::spawn(move || {
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            while !stop2.load(Ordering::Relaxed) {
                let (client, _) = match listener.accept() {
                    Ok(c) => c,
                    Err(_) => {
                        std::thread::sleep(Duration::from_millis(5));
                        continue;
                    }
                };
                let _ = client.set_nonblocking(false);
                let plan = if rng.gen_bool(fault_rate) {
                    match rng.gen_range(0..4) {
                        0 => Plan::Reset,
                        1 => Plan::CutUp(rng.gen_range(1..4000)),
                        2 => Plan::CutDown(rng.gen_range(1..600)),
                        _ => Plan::Slow(rng.gen_range(1..30)),
                    }
                } else {
                    Plan::Pass
                };
                if let Plan::Reset = plan {
                    reset(&client);
                    continue;
                }
                let Ok(server) = TcpStream::connect(upstream) else {
                    reset(&client);
                    continue;
                };
                let (up_cut, down_cut, delay) = match plan {
                    Plan::CutUp(n) => (Some(n), None, 0),
                    Plan::CutDown(n) => (None, Some(n), 0),
                    Plan::Slow(ms) => (None, None, ms),
                    _ => (None, None, 0),
                };
                let (c2, s2) = match (client.try_clone(), server.try_clone()) {
                    (Ok(c), Ok(s)) => (c, s),
                    _ => continue,
                };
                let chunk_cut = fault_rate / 3.0;
                let (seed_up, seed_down) = (rng.gen(), rng.gen());
                std::thread::spawn(move || pump(client, server, up_cut, delay, chunk_cut, seed_up));
                std::thread::spawn(move || pump(s2, c2, down_cut, delay, chunk_cut, seed_down));
            }
        });
        Self { addr, stop }
    }

    /// The proxy's base URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for ChaosProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Creates an empty PostgreSQL database beside the one `base` names and
/// returns its URL (each test gets its own).
pub fn fresh_postgres_db(base: &str) -> String {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let name = format!("checkin_e2e_{}", RecordId::new().0.simple());
    rt.block_on(async {
        let (client, conn) = tokio_postgres::connect(base, tokio_postgres::NoTls)
            .await
            .expect("connect to CHECKIN_TEST_POSTGRES_URL");
        let task = tokio::spawn(conn);
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create database");
        drop(client);
        let _ = task.await;
    });
    let (head, tail) = base.rsplit_once('/').expect("URL ends in /DBNAME");
    let params = tail
        .split_once('?')
        .map(|(_, p)| format!("?{p}"))
        .unwrap_or_default();
    format!("{head}/{name}{params}")
}

/// A valid chip ID card code for a random person (benchmarks need varied
/// people, or compression flatters the wire size).
pub fn random_cccd(rng: &mut impl Rng) -> String {
    const FAMILY: &[&str] = &[
        "NGUYỄN", "TRẦN", "LÊ", "PHẠM", "HOÀNG", "HUỲNH", "PHAN", "VŨ", "VÕ", "ĐẶNG", "BÙI", "ĐỖ",
        "HỒ", "NGÔ", "DƯƠNG", "LÝ",
    ];
    const MIDDLE: &[&str] = &[
        "VĂN", "THỊ", "HỮU", "ĐỨC", "MINH", "NGỌC", "THANH", "QUANG", "XUÂN", "THU",
    ];
    const GIVEN: &[&str] = &[
        "AN", "BÌNH", "CƯỜNG", "DŨNG", "HÀ", "HẢI", "HẠNH", "HOA", "HÙNG", "HƯƠNG", "LAN", "LINH",
        "LONG", "MAI", "NAM", "NGA", "PHONG", "QUÂN", "SƠN", "THẢO", "TRANG", "TUẤN", "VÂN", "YẾN",
    ];
    let year: u32 = rng.gen_range(1940..2010);
    let female = rng.gen_bool(0.5);
    let century = if year >= 2000 { 2 } else { 0 } + u32::from(female);
    format!(
        "038{century}{:02}{:06}|{:09}|{} {} {}|{:02}{:02}{year}|{}|Quan Sơn, Thanh Hóa|{:02}{:02}2021",
        year % 100,
        rng.gen_range(0..1_000_000),
        rng.gen_range(0..1_000_000_000u32),
        FAMILY[rng.gen_range(0..FAMILY.len())],
        MIDDLE[rng.gen_range(0..MIDDLE.len())],
        GIVEN[rng.gen_range(0..GIVEN.len())],
        rng.gen_range(1..29),
        rng.gen_range(1..13),
        if female { "Nữ" } else { "Nam" },
        rng.gen_range(1..29),
        rng.gen_range(1..13),
    )
}

/// Replaces the section of a Markdown file that starts with the heading
/// `head` (up to the next `## ` heading) by `section`, or appends it.
pub fn replace_section(path: &Path, head: &str, section: &str) -> std::io::Result<()> {
    let old = std::fs::read_to_string(path).unwrap_or_default();
    let new = match old.find(head) {
        Some(start) => {
            let rest = &old[start + head.len()..];
            let end = rest
                .find("\n## ")
                .map(|i| start + head.len() + i + 1)
                .unwrap_or(old.len());
            format!("{}{}{}", &old[..start], section, &old[end..])
        }
        None => format!("{}\n{}", old.trim_end_matches('\n'), section),
    };
    std::fs::write(path, new)
}
