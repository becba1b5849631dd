//! Slow, idle and too many connections, on a real socket: each is cut off
//! by the server's own limits while other clients are served.
//!
//! The limits are short here (half a second) so the tests are quick; the
//! waits below are deadlines for a condition (the socket closing, an
//! answer arriving), generous so a busy machine cannot fail them.

use checkin_core::{CheckIn, DeviceId, Direction, Policy, Record, Source, VenueCategory, VenueId};
use checkin_server::admin::{self, NewVenue, TokenTarget};
use checkin_server::{AppState, Limits};
use checkin_server_db::{Database, SqliteDb};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Far beyond every limit used here: a socket still open after this was
/// never going to be closed.
const DEADLINE: Duration = Duration::from_secs(20);

struct Server {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A server on loopback with `limits`, on its own runtime thread so these
/// blocking clients cannot stall it.
fn start(limits: Limits) -> Server {
    start_seeded(limits, 0).0
}

/// [`start`] with a venue and `tokens` enrollment tokens for it.
fn start_seeded(limits: Limits, tokens: usize) -> (Server, VenueId, Vec<String>) {
    let (addr_tx, addr_rx) = std::sync::mpsc::channel::<(SocketAddr, VenueId, Vec<String>)>();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let db: Arc<dyn Database> = Arc::new(SqliteDb::open_in_memory().await.unwrap());
            let venue = admin::add_venue(
                db.as_ref(),
                NewVenue {
                    name: "Chợ Đông Ba".into(),
                    category: VenueCategory::Market,
                    commune_code: "19774".into(),
                    address: "Huế".into(),
                    province_code: Some("46".into()),
                },
            )
            .await
            .unwrap()
            .id;
            let mut list = Vec::new();
            for _ in 0..tokens {
                let target = TokenTarget::Venue(venue.clone());
                list.push(
                    admin::enrollment_token(db.as_ref(), target, chrono::Duration::hours(1))
                        .await
                        .unwrap(),
                );
            }
            let state = AppState::new(db).with_limits(limits);
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            addr_tx
                .send((listener.local_addr().unwrap(), venue, list))
                .unwrap();
            checkin_server::serve(listener, state, async {
                let _ = stop_rx.await;
            })
            .await
            .unwrap();
        });
    });
    let (addr, venue, tokens) = addr_rx.recv().unwrap();
    let server = Server {
        addr,
        stop: Some(stop_tx),
        thread: Some(thread),
    };
    (server, venue, tokens)
}

fn short() -> Limits {
    Limits {
        header_timeout: Duration::from_millis(500),
        body_stall: Duration::from_millis(500),
        body_total: Duration::from_secs(5),
        write_stall: Duration::from_millis(500),
        ..Limits::default()
    }
}

fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(DEADLINE)).unwrap();
    s
}

/// Reads until the server closes the socket; the bytes it sent before.
/// Fails if it is still open after the deadline.
fn until_closed(s: &mut TcpStream) -> (Vec<u8>, Duration) {
    let start = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return (got, start.elapsed()),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                return (got, start.elapsed())
            }
            Err(e) => panic!(
                "the server kept the connection open for {:?}: {e}",
                start.elapsed()
            ),
        }
    }
}

/// `GET /healthz` on a new connection: the status line.
fn healthz(addr: SocketAddr) -> String {
    let mut s = connect(addr);
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        .unwrap();
    let (got, _) = until_closed(&mut s);
    String::from_utf8_lossy(&got)
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
}

#[test]
fn half_sent_headers_are_cut_off_while_others_are_served() {
    let server = start(short());
    let mut slow = connect(server.addr);
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: ")
        .unwrap();
    assert_eq!(healthz(server.addr), "HTTP/1.1 200 OK");
    let (_, after) = until_closed(&mut slow);
    assert!(after < DEADLINE, "{after:?}");
}

#[test]
fn a_silent_connection_is_closed() {
    let server = start(short());
    let mut silent = connect(server.addr);
    until_closed(&mut silent);
}

#[test]
fn an_idle_kept_alive_connection_is_closed() {
    let server = start(short());
    let mut s = connect(server.addr);
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    let (got, _) = until_closed(&mut s);
    let text = String::from_utf8_lossy(&got);
    assert!(text.starts_with("HTTP/1.1 200 OK"), "{text}");
    assert!(text.contains("\"ok\""), "{text}");
}

#[test]
fn a_stalled_body_gets_408_and_the_connection_ends() {
    let server = start(short());
    let mut s = connect(server.addr);
    s.write_all(
        b"POST /api/v1/enroll HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"token\":",
    )
    .unwrap();
    let (got, _) = until_closed(&mut s);
    let text = String::from_utf8_lossy(&got);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("body_timeout"), "{text}");
}

#[test]
fn one_address_cannot_hold_more_than_its_share() {
    let server = start(Limits {
        max_connections_per_ip: 3,
        header_timeout: Duration::from_secs(60),
        ..Limits::default()
    });
    // Three idle connections are held (the server has seen each: a
    // request answered on it proves it was accepted).
    let held: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut s = connect(server.addr);
            s.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
                .unwrap();
            let mut buf = [0u8; 512];
            let n = s.read(&mut buf).unwrap();
            assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
            s
        })
        .collect();
    // The fourth is closed without an answer.
    let mut extra = connect(server.addr);
    let _ = extra.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
    let (got, _) = until_closed(&mut extra);
    assert!(got.is_empty(), "{}", String::from_utf8_lossy(&got));
    drop(held);
}

#[test]
fn a_flood_of_slow_sockets_does_not_starve_healthz() {
    // Three times the connection cap of half-sent requests: the cap keeps
    // descriptors free, the header timeout recycles the slots, and a
    // health check gets through.
    let cap = 50;
    let server = start(Limits {
        max_connections: cap,
        ..short()
    });
    let flood: Vec<TcpStream> = (0..3 * cap)
        .map(|_| {
            let mut s = connect(server.addr);
            let _ = s.write_all(b"POST /api/v1/sync HTTP/1.1\r\nHost: t\r\n");
            s
        })
        .collect();
    assert_eq!(healthz(server.addr), "HTTP/1.1 200 OK");
    drop(flood);
}

/// One exchange on a new connection: the status, the head and the body.
fn exchange(addr: SocketAddr, head: &str, body: &[u8]) -> (u16, String, Vec<u8>) {
    let mut s = connect(addr);
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let (got, _) = until_closed(&mut s);
    let split = got
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete answer");
    let head = String::from_utf8_lossy(&got[..split]).to_string();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head, got[split + 4..].to_vec())
}

/// A gzip batch of `n` check-ins of `device`, each padded to about 2 KB and
/// dated 1500: all parsed, checked and refused.
fn heavy_batch(venue: &VenueId, device: DeviceId, n: usize) -> Vec<u8> {
    use flate2::write::GzEncoder;
    let mut c = CheckIn::from_code(
        "001098012345|012345678|NGUYỄN VĂN A|15081998|Nam|Hà Nội|25052021",
        venue.clone(),
        Direction::In,
        Source::Qr,
        device,
        chrono::Utc::now().fixed_offset(),
        &Policy::default(),
    )
    .unwrap();
    c.device_time = "1500-01-01T00:00:00+07:00".parse().unwrap();
    let mut record = serde_json::to_value(Record::Checkin(c)).unwrap();
    record["pad"] = "x".repeat(2_000).into();
    let records: Vec<_> = (0..n)
        .map(|_| {
            record["id"] = serde_json::to_value(checkin_core::RecordId::new()).unwrap();
            record.clone()
        })
        .collect();
    let json = serde_json::to_vec(&serde_json::json!({ "records": records })).unwrap();
    let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&json).unwrap();
    gz.finish().unwrap()
}

fn kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}

/// 3 devices send 20 heavy batches each at once. Every answer is the
/// per-record result or a refusal the station honours (503 or 429 with
/// `Retry-After`), and `/healthz` answers throughout. Peak memory and
/// health latency are printed, not asserted (they are figures for
/// docs/benchmarks.md, measured by `abuse-bench` in release).
#[test]
fn heavy_batches_are_answered_or_shed_and_health_stays_up() {
    let (server, venue, tokens) = start_seeded(Limits::default(), 3);
    let devices: Vec<(DeviceId, String)> = tokens
        .iter()
        .map(|token| {
            let device = DeviceId::new();
            let body = serde_json::json!({"token": token, "device_id": device}).to_string();
            let head = format!(
                "POST /api/v1/enroll HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let (status, _, resp) = exchange(server.addr, &head, body.as_bytes());
            assert_eq!(status, 200, "{}", String::from_utf8_lossy(&resp));
            let v: serde_json::Value = serde_json::from_slice(&resp).unwrap();
            (device, v["credential"].as_str().unwrap().to_string())
        })
        .collect();
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let health = {
        let (done, addr) = (done.clone(), server.addr);
        std::thread::spawn(move || {
            let mut worst = Duration::ZERO;
            let mut n = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let t = Instant::now();
                assert_eq!(healthz(addr), "HTTP/1.1 200 OK");
                worst = worst.max(t.elapsed());
                n += 1;
                // Paced so the probe does not itself load the server.
                std::thread::sleep(Duration::from_millis(20));
            }
            (n, worst)
        })
    };
    let senders: Vec<_> = devices
        .iter()
        .flat_map(|(device, credential)| {
            let body = Arc::new(heavy_batch(&venue, *device, 500));
            (0..20).map(move |_| (body.clone(), credential.clone()))
        })
        .map(|(body, credential)| {
            let addr = server.addr;
            std::thread::spawn(move || {
                let head = format!(
                    "POST /api/v1/sync HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n\
                     Content-Encoding: gzip\r\nAuthorization: Bearer {credential}\r\n\
                     x-checkin-device-time: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    chrono::Utc::now().to_rfc3339(),
                    body.len()
                );
                let (status, head, resp) = exchange(addr, &head, &body);
                match status {
                    200 => {
                        let r: serde_json::Value = serde_json::from_slice(&resp).unwrap();
                        assert_eq!(r["rejected"], 500, "every record answered and refused");
                    }
                    429 | 503 => assert!(
                        head.to_ascii_lowercase().contains("retry-after:"),
                        "{status} without Retry-After: {head}"
                    ),
                    other => panic!("{other}: {head}"),
                }
                status
            })
        })
        .collect();
    let statuses: Vec<u16> = senders.into_iter().map(|s| s.join().unwrap()).collect();
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let (probes, worst) = health.join().unwrap();
    assert!(
        statuses.contains(&200),
        "some batches were stored: {statuses:?}"
    );
    assert!(probes > 0);
    eprintln!(
        "60 heavy batches: {} answered 200, {} shed; /healthz worst {:?} over {probes} probes; \
         peak RSS of this test process {} MB",
        statuses.iter().filter(|s| **s == 200).count(),
        statuses.iter().filter(|s| **s != 200).count(),
        worst,
        kib("VmHWM:") / 1024
    );
}
