//! Sync and ingest benchmarks; prints (and with `--write FILE` replaces) the
//! "## Sync and ingest" section of docs/benchmarks.md.
//!
//! Build and run in release:
//!   cargo run --release -p checkin-e2e --bin sync-bench -- --write docs/benchmarks.md
//! With PostgreSQL (scripts/with-postgres.sh sets CHECKIN_TEST_POSTGRES_URL):
//!   scripts/with-postgres.sh cargo run --release -p checkin-e2e --bin sync-bench -- --write docs/benchmarks.md
//!
//! Server and client run in one process on separate runtimes and talk HTTP
//! over 127.0.0.1. The station's store lives on tmpfs (/dev/shm) so its
//! per-record fsync does not dominate the set-up; server stores live on disk.

use anyhow::{bail, Context, Result};
use checkin_core::{CheckIn, DeviceId, Direction, Policy, Record, Source, VenueCategory, VenueId};
use checkin_server::admin::{self, NewVenue, TokenTarget};
use checkin_server::{AppState, RateLimiter};
use checkin_server_db::{Database, IncomingRecord, IngestBatch};
use checkin_store::{OutboxItem, Store};
use checkin_sync::client::{self, Client, SyncOptions, SyncReport};
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct Opts {
    backlog: usize,
    wire: usize,
    devices: usize,
    per_device: usize,
    device_batch: usize,
    repeat: usize,
    write: Option<PathBuf>,
}

fn parse_args() -> Result<Opts> {
    let mut o = Opts {
        backlog: 100_000,
        wire: 1_000,
        devices: 200,
        per_device: 250,
        device_batch: 50,
        repeat: 3,
        write: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().context("missing value");
        match a.as_str() {
            "--backlog" => o.backlog = val()?.parse()?,
            "--wire" => o.wire = val()?.parse()?,
            "--devices" => o.devices = val()?.parse()?,
            "--per-device" => o.per_device = val()?.parse()?,
            "--device-batch" => o.device_batch = val()?.parse()?,
            "--repeat" => o.repeat = val()?.parse::<usize>()?.max(1),
            "--write" => o.write = Some(PathBuf::from(val()?)),
            other => bail!("unknown argument {other}"),
        }
    }
    Ok(o)
}

/// Where server databases are made: SQLite files on disk, or fresh
/// PostgreSQL databases.
#[derive(Clone)]
enum Backend {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Backend {
    fn name(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "SQLite",
            Self::Postgres(_) => "PostgreSQL",
        }
    }

    fn fresh_url(&self, tag: &str) -> String {
        match self {
            Self::Sqlite(dir) => format!("sqlite://{}", dir.join(format!("{tag}.db")).display()),
            Self::Postgres(base) => checkin_e2e::fresh_postgres_db(base),
        }
    }
}

/// A server on its own runtime (2 workers), on a loopback port.
struct Running {
    addr: SocketAddr,
    _rt: tokio::runtime::Runtime,
}

fn start_server(db: Arc<dyn Database>) -> Result<Running> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let addr = listener.local_addr()?;
    let mut state = AppState::new(db);
    state.limiter = Arc::new(RateLimiter::new(1e9, 1e9));
    rt.spawn(checkin_server::serve(
        listener,
        state,
        std::future::pending::<()>(),
    ));
    Ok(Running { addr, _rt: rt })
}

async fn venue(db: &dyn Database) -> Result<VenueId> {
    Ok(admin::add_venue(
        db,
        NewVenue {
            name: "Chợ Quan Sơn".into(),
            category: VenueCategory::Market,
            commune_code: "14995".into(),
            address: "Thị trấn Sơn Lư".into(),
            province_code: Some("38".into()),
        },
    )
    .await?
    .id)
}

/// A check-in of a random person (varied data, or compression flatters us).
fn checkin(venue: &VenueId, device: DeviceId) -> CheckIn {
    CheckIn::from_code(
        &checkin_e2e::random_cccd(&mut rand::thread_rng()),
        venue.clone(),
        Direction::In,
        Source::Qr,
        device,
        chrono::Local::now().fixed_offset(),
        &Policy::default(),
    )
    .expect("check-in")
}

/// What the server stores for a record body (as ingest prepares it).
fn incoming(body: &str) -> IncomingRecord {
    let record: Record = serde_json::from_str(body).expect("record");
    let hash = checkin_server::secrets::hash_hex(body.as_bytes());
    IncomingRecord::of(&record, body.to_string(), hash)
}

fn batch_of(device: DeviceId, records: Vec<IncomingRecord>) -> IngestBatch {
    IngestBatch {
        device_id: device,
        province_code: "38".into(),
        received_at: chrono::Utc::now(),
        clock_skew_ms: 0,
        records,
    }
}

/// A station on tmpfs, enrolled to a fresh server, with `n` pending records.
async fn station(
    rt_db: &dyn Database,
    url: &str,
    venue: &VenueId,
    n: usize,
) -> Result<(tempfile::TempDir, Store)> {
    let dir = tempfile::Builder::new()
        .prefix("checkin-bench-station")
        .tempdir_in("/dev/shm")
        .or_else(|_| tempfile::tempdir())?;
    let mut store = Store::open(dir.path())?;
    let token = admin::enrollment_token(
        rt_db,
        TokenTarget::Venue(venue.clone()),
        chrono::Duration::hours(1),
    )
    .await?;
    client::enroll(&mut store, url, &token, None, None).await?;
    for _ in 0..n {
        let mut c = checkin(venue, store.device_id());
        store.record_checkin(&mut c)?;
    }
    Ok((dir, store))
}

struct Drain {
    records: usize,
    drain: Duration,
    bulk: Duration,
    report: SyncReport,
}

/// (a) a backlog drained over loopback vs the store's own batch insert.
fn bench_drain(backend: &Backend, n: usize) -> Result<Drain> {
    let crt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let db = crt.block_on(checkin_server_db::open(&backend.fresh_url("drain")))?;
    let venue_id = crt.block_on(venue(db.as_ref()))?;
    let server = start_server(db.clone())?;
    let url = format!("http://{}", server.addr);
    let (_dir, mut store) = crt.block_on(station(db.as_ref(), &url, &venue_id, n))?;
    let opts = SyncOptions {
        batch_records: 1000,
        batch_bytes: 1 << 20,
        ..SyncOptions::default()
    };
    let t = Instant::now();
    let report = crt.block_on(client::sync(&mut store, None, &opts))?;
    let drain = t.elapsed();
    if report.accepted as usize != n {
        bail!("drain stored {} of {n}", report.accepted);
    }
    // The same rows, prepared as the server would, inserted in batches of
    // 1000 straight into a fresh store: no HTTP, no parsing, no auth.
    let bodies: Vec<String> = store
        .list(checkin_store::ListFilter::default())?
        .into_iter()
        .map(|r| serde_json::to_string(&r.record))
        .collect::<Result<_, _>>()?;
    let rows: Vec<IncomingRecord> = bodies.iter().map(|b| incoming(b)).collect();
    let bulk_db = crt.block_on(checkin_server_db::open(&backend.fresh_url("bulk")))?;
    crt.block_on(venue(bulk_db.as_ref()))?;
    let device = store.device_id();
    let batches: Vec<IngestBatch> = rows
        .chunks(1000)
        .map(|c| batch_of(device, c.to_vec()))
        .collect();
    let t = Instant::now();
    for b in &batches {
        crt.block_on(bulk_db.ingest(b))?;
    }
    let bulk = t.elapsed();
    Ok(Drain {
        records: n,
        drain,
        bulk,
        report,
    })
}

/// A loopback proxy that counts bytes both ways and, when `bytes_per_sec`
/// is set, paces each direction to that rate (a 64 kbit/s link is 8000).
async fn counting_proxy(
    upstream: SocketAddr,
    bytes_per_sec: Option<u64>,
    counter: Arc<AtomicU64>,
) -> Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    // One pacer per direction, shared by all connections: the link is one
    // pipe however many connections the client opens.
    let pacers = [
        Arc::new(tokio::sync::Mutex::new(tokio::time::Instant::now())),
        Arc::new(tokio::sync::Mutex::new(tokio::time::Instant::now())),
    ];
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let Ok(server) = tokio::net::TcpStream::connect(upstream).await else {
                continue;
            };
            let (cr, cw) = client.into_split();
            let (sr, sw) = server.into_split();
            for ((mut r, mut w), pacer) in [
                (
                    Box::new(cr) as Box<dyn tokio::io::AsyncRead + Unpin + Send>,
                    Box::new(sw) as Box<dyn tokio::io::AsyncWrite + Unpin + Send>,
                ),
                (Box::new(sr) as _, Box::new(cw) as _),
            ]
            .into_iter()
            .zip(pacers.clone())
            {
                let counter = counter.clone();
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 1400];
                    loop {
                        let n = match r.read(&mut buf).await {
                            Ok(0) | Err(_) => break,
                            Ok(n) => n,
                        };
                        counter.fetch_add(n as u64, Ordering::Relaxed);
                        if let Some(rate) = bytes_per_sec {
                            let done = {
                                let mut next = pacer.lock().await;
                                let start = (*next).max(tokio::time::Instant::now());
                                *next = start + Duration::from_secs_f64(n as f64 / rate as f64);
                                *next
                            };
                            tokio::time::sleep_until(done).await;
                        }
                        if w.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                    }
                    let _ = w.shutdown().await;
                });
            }
        }
    });
    Ok(addr)
}

struct Wire {
    records: usize,
    bytes: u64,
    throttled: Duration,
}

/// (b) bytes on the wire per record (HTTP headers and bodies, both ways),
/// and the time to send them through a 64 kbit/s paced link.
fn bench_wire(backend: &Backend, n: usize) -> Result<Wire> {
    let crt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let measure = |paced: Option<u64>| -> Result<(u64, Duration)> {
        let db = crt.block_on(checkin_server_db::open(&backend.fresh_url("wire")))?;
        let venue_id = crt.block_on(venue(db.as_ref()))?;
        let server = start_server(db.clone())?;
        let direct = format!("http://{}", server.addr);
        let (_dir, mut store) = crt.block_on(station(db.as_ref(), &direct, &venue_id, n))?;
        let counter = Arc::new(AtomicU64::new(0));
        let proxy = crt.block_on(counting_proxy(server.addr, paced, counter.clone()))?;
        let via = format!("http://{proxy}");
        let t = Instant::now();
        let report = crt.block_on(client::sync(
            &mut store,
            Some(&via),
            &SyncOptions::default(),
        ))?;
        let took = t.elapsed();
        if report.accepted as usize != n {
            bail!("wire run stored {} of {n}", report.accepted);
        }
        Ok((counter.load(Ordering::Relaxed), took))
    };
    let (bytes, _) = measure(None)?;
    let (_, throttled) = measure(Some(8000))?;
    Ok(Wire {
        records: n,
        bytes,
        throttled,
    })
}

struct Fleet {
    devices: usize,
    records: usize,
    batch: usize,
    http: Duration,
    raw: Duration,
}

/// (c) `devices` concurrent simulated devices over HTTP vs the same batches
/// inserted straight into the store with the same concurrency.
fn bench_fleet(
    backend: &Backend,
    devices: usize,
    per_device: usize,
    batch: usize,
) -> Result<Fleet> {
    let crt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let db = crt.block_on(checkin_server_db::open(&backend.fresh_url("fleet")))?;
    let venue_id = crt.block_on(venue(db.as_ref()))?;
    let server = start_server(db.clone())?;
    let url = format!("http://{}", server.addr);
    let http = Client::new(&url)?;
    // Enroll every simulated device and make its records up front.
    let mut fleet = Vec::with_capacity(devices);
    for _ in 0..devices {
        let token = crt.block_on(admin::enrollment_token(
            db.as_ref(),
            TokenTarget::Venue(venue_id.clone()),
            chrono::Duration::hours(1),
        ))?;
        let id = DeviceId::new();
        let cred = crt
            .block_on(http.enroll(&token, id, None, None, None))?
            .credential;
        let items: Vec<OutboxItem> = (0..per_device)
            .map(|i| {
                let mut c = checkin(&venue_id, id);
                c.device_seq = i as u64 + 1;
                let body = serde_json::to_string(&Record::Checkin(c.clone())).expect("json");
                OutboxItem {
                    seq: i as u64 + 1,
                    record_id: c.id,
                    kind: checkin_core::RecordKind::Checkin,
                    body,
                    attempts: 0,
                }
            })
            .collect();
        fleet.push((id, cred, items));
    }
    let fleet = Arc::new(fleet);
    let t = Instant::now();
    crt.block_on(async {
        let mut tasks = Vec::new();
        for d in 0..devices {
            let fleet = fleet.clone();
            let http = http.clone();
            tasks.push(tokio::spawn(async move {
                let (_, cred, items) = &fleet[d];
                let mut report = SyncReport::default();
                for chunk in items.chunks(batch) {
                    loop {
                        let now = chrono::Local::now().fixed_offset();
                        match http
                            .send_batch(cred, chunk, now, client::Encoding::Zstd, &mut report)
                            .await
                        {
                            Ok(r) if r.accepted as usize == chunk.len() => break,
                            Ok(r) => panic!("unexpected answer {r:?}"),
                            Err(e) if e.is_transient() => {
                                tokio::time::sleep(Duration::from_millis(50)).await
                            }
                            Err(e) => panic!("{e}"),
                        }
                    }
                }
            }));
        }
        for t in tasks {
            t.await.expect("device task");
        }
    });
    let http_took = t.elapsed();
    // The same batches straight into a fresh store, same concurrency.
    let raw_db = crt.block_on(checkin_server_db::open(&backend.fresh_url("fleet-raw")))?;
    crt.block_on(venue(raw_db.as_ref()))?;
    let batches: Vec<Vec<IngestBatch>> = fleet
        .iter()
        .map(|(id, _, items)| {
            items
                .chunks(batch)
                .map(|c| batch_of(*id, c.iter().map(|i| incoming(&i.body)).collect()))
                .collect()
        })
        .collect();
    let t = Instant::now();
    crt.block_on(async {
        let mut tasks = Vec::new();
        for device_batches in batches {
            let db = raw_db.clone();
            tasks.push(tokio::spawn(async move {
                for b in &device_batches {
                    db.ingest(b).await.expect("ingest");
                }
            }));
        }
        for t in tasks {
            t.await.expect("raw task");
        }
    });
    let raw = t.elapsed();
    Ok(Fleet {
        devices,
        records: devices * per_device,
        batch,
        http: http_took,
        raw,
    })
}

fn rate(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64()
}

fn main() -> Result<()> {
    let o = parse_args()?;
    let disk = tempfile::Builder::new()
        .prefix("checkin-bench")
        .tempdir_in("/var/tmp")?;
    let mut backends = vec![Backend::Sqlite(disk.path().to_path_buf())];
    if let Ok(url) = std::env::var("CHECKIN_TEST_POSTGRES_URL") {
        backends.push(Backend::Postgres(url));
    }
    let mut md = String::new();
    writeln!(md, "## Sync and ingest\n")?;
    writeln!(
        md,
        "Measured by `sync-bench` (release; {} UTC, {} CPUs shared with other builds; \
         server and client in one process on separate runtimes, HTTP over 127.0.0.1; \
         station store on tmpfs, server SQLite on disk with WAL and synchronous=FULL; \
         PostgreSQL {}). Ratios are the median of {} runs; every run is listed.\n",
        chrono::Utc::now().format("%Y-%m-%d %H:%M"),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        if backends.len() > 1 {
            "15, throw-away cluster from scripts/with-postgres.sh (fsync off)"
        } else {
            "not measured in this run (set CHECKIN_TEST_POSTGRES_URL)"
        },
        o.repeat
    )?;
    writeln!(
        md,
        "### Backlog drained over loopback vs the store's own batch insert (goal ≤ 1.5×)\n"
    )?;
    writeln!(
        md,
        "| store | records | drain over HTTP | direct batch insert (1000/batch) | ratio | all runs |"
    )?;
    writeln!(md, "|---|---|---|---|---|---|")?;
    for b in &backends {
        let ratio = |d: &Drain| d.drain.as_secs_f64() / d.bulk.as_secs_f64();
        let mut runs = Vec::new();
        for _ in 0..o.repeat {
            let d = bench_drain(b, o.backlog)?;
            eprintln!(
                "drain {}: {:?} vs {:?} ({:?})",
                b.name(),
                d.drain,
                d.bulk,
                d.report
            );
            runs.push(d);
        }
        runs.sort_by(|x, y| ratio(x).total_cmp(&ratio(y)));
        let all: Vec<String> = runs.iter().map(|d| format!("{:.2}×", ratio(d))).collect();
        let d = &runs[runs.len() / 2];
        writeln!(
            md,
            "| {} | {} | {:.2} s ({:.0}/s, {} batches) | {:.2} s ({:.0}/s) | {:.2}× | {} |",
            b.name(),
            d.records,
            d.drain.as_secs_f64(),
            rate(d.records, d.drain),
            d.report.batches,
            d.bulk.as_secs_f64(),
            rate(d.records, d.bulk),
            ratio(d),
            all.join(", ")
        )?;
    }
    let w = bench_wire(&backends[0], o.wire)?;
    let per = w.bytes as f64 / w.records as f64;
    writeln!(
        md,
        "\n### Bytes on the wire (goal ≤ 80 bytes per record; 1,000 records over 64 kbit/s ≤ 10 s)\n"
    )?;
    writeln!(
        md,
        "| records | bytes both ways (HTTP headers + bodies) | per record | 64 kbit/s: computed | 64 kbit/s: measured through a paced proxy |"
    )?;
    writeln!(md, "|---|---|---|---|---|")?;
    writeln!(
        md,
        "| {} | {} | {:.1} B | {:.1} s | {:.1} s |",
        w.records,
        w.bytes,
        per,
        w.bytes as f64 * 8.0 / 64_000.0,
        w.throttled.as_secs_f64()
    )?;
    writeln!(
        md,
        "\nBytes are TCP payload counted by a loopback proxy (requests and answers, HTTP headers \
         included; TCP/IP framing not included). Check-ins of varied random people, batches of \
         up to 500 records, zstd level 9, `Prefer: return=minimal`; the paced proxy holds each \
         direction to 8,000 B/s across all connections.\n"
    )?;
    writeln!(
        md,
        "### Concurrent devices vs raw batch insert (goal ≥ 50%)\n"
    )?;
    writeln!(
        md,
        "| store | devices | records | batch | over HTTP | raw insert, same batches and concurrency | HTTP / raw | all runs |"
    )?;
    writeln!(md, "|---|---|---|---|---|---|---|---|")?;
    for b in &backends {
        let share = |f: &Fleet| 100.0 * f.raw.as_secs_f64() / f.http.as_secs_f64();
        let mut runs = Vec::new();
        for _ in 0..o.repeat {
            let f = bench_fleet(b, o.devices, o.per_device, o.device_batch)?;
            eprintln!("fleet {}: {:?} vs {:?}", b.name(), f.http, f.raw);
            runs.push(f);
        }
        runs.sort_by(|x, y| share(x).total_cmp(&share(y)));
        let all: Vec<String> = runs.iter().map(|f| format!("{:.0}%", share(f))).collect();
        let f = &runs[runs.len() / 2];
        writeln!(
            md,
            "| {} | {} | {} | {} | {:.2} s ({:.0}/s) | {:.2} s ({:.0}/s) | {:.0}% | {} |",
            b.name(),
            f.devices,
            f.records,
            f.batch,
            f.http.as_secs_f64(),
            rate(f.records, f.http),
            f.raw.as_secs_f64(),
            rate(f.records, f.raw),
            share(f),
            all.join(", ")
        )?;
    }
    writeln!(md)?;
    print!("{md}");
    if let Some(path) = o.write {
        checkin_e2e::replace_section(&path, "## Sync and ingest", &md)?;
        eprintln!("wrote section to {}", path.display());
    }
    Ok(())
}
