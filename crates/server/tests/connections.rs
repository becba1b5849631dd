//! Slow, idle and too many connections, on a real socket: each is cut off
//! by the server's own limits while other clients are served.
//!
//! The limits are short here (half a second) so the tests are quick; the
//! waits below are deadlines for a condition (the socket closing, an
//! answer arriving), generous so a busy machine cannot fail them.

use checkin_server::{AppState, Limits};
use checkin_server_db::SqliteDb;
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
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let db = Arc::new(SqliteDb::open_in_memory().await.unwrap());
            let state = AppState::new(db).with_limits(limits);
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            addr_tx.send(listener.local_addr().unwrap()).unwrap();
            checkin_server::serve(listener, state, async {
                let _ = stop_rx.await;
            })
            .await
            .unwrap();
        });
    });
    Server {
        addr: addr_rx.recv().unwrap(),
        stop: Some(stop_tx),
        thread: Some(thread),
    }
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
