//! `checkin sync`: drain the outbox to the server, once or continuously.

use crate::exit::{fail, open_store};
use anyhow::Result;
use checkin_store::Store;
use checkin_sync::client::{self, SyncError, SyncOptions, SyncReport};
use rand::Rng;
use std::path::Path;
use std::time::Duration;

/// Exit code when records are still pending after the run.
pub const NOT_DRAINED: u8 = 3;

#[derive(clap::Args)]
pub struct Args {
    /// Server base URL for this run (default: the one enrolled with).
    #[arg(long)]
    server: Option<String>,
    /// Keep running: sync as records arrive and as the link comes and goes.
    #[arg(long)]
    watch: bool,
    /// Seconds between passes in --watch mode when nothing is pending.
    #[arg(long, default_value_t = 30)]
    interval: u64,
    /// Print the run's report as JSON on stdout.
    #[arg(long)]
    json: bool,
    /// Tries per batch before giving up (backoff doubles from 0.5 s).
    #[arg(long, default_value_t = 6)]
    attempts: u32,
    /// Records per batch (at most 1000).
    #[arg(long, default_value_t = 500)]
    batch: usize,
    /// Days to keep records on this device after the server acknowledged
    /// them; older ones are deleted after each successful sync.
    #[arg(long, default_value_t = checkin_store::DEFAULT_RETENTION_DAYS,
          value_parser = clap::value_parser!(u32).range(0..=3650))]
    retention_days: u32,
    /// Simulate a wrong device clock: seconds added to the clock sent (tests).
    #[arg(long, hide = true, allow_hyphen_values = true)]
    clock_offset: Option<i64>,
}

fn options(args: &Args) -> SyncOptions {
    SyncOptions {
        batch_records: args.batch,
        max_attempts: args.attempts.max(1),
        clock_offset: chrono::Duration::seconds(args.clock_offset.unwrap_or(0)),
        ..SyncOptions::default()
    }
}

/// After a successful pass: drop acknowledged personal data past the
/// retention period and fold the WAL into the database, both off the path
/// of any scan.
fn tidy(store: &mut Store, args: &Args) -> Result<()> {
    let cutoff = checkin_store::Retention::days_before(
        checkin_core::Clock::now_utc(&**store.clock()),
        args.retention_days,
    );
    let purged = store.purge_acknowledged(cutoff)?;
    if purged > 0 {
        eprintln!(
            "checkin: removed {purged} records older than {} days that the server holds",
            args.retention_days
        );
    }
    store.checkpoint()?;
    Ok(())
}

fn summary(r: &SyncReport, pending: u64) -> String {
    format!(
        "sent {} records in {} batches: {} accepted, {} duplicate, {} rejected, {} conflict; {} pending",
        r.sent, r.batches, r.accepted, r.duplicate, r.rejected, r.conflict, pending
    )
}

pub fn run(data_dir: &Path, args: Args) -> Result<()> {
    let mut store = open_store(data_dir)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    if args.watch {
        return rt.block_on(watch(&mut store, &args));
    }
    let opts = options(&args);
    let result = rt.block_on(client::sync(&mut store, args.server.as_deref(), &opts));
    let pending = store.status()?.pending;
    match result {
        Ok(report) => {
            tidy(&mut store, &args)?;
            if args.json {
                println!("{}", serde_json::to_string(&report)?);
            } else {
                println!("{}", summary(&report, pending));
            }
            if pending > 0 {
                // Records written while this run drained the queue.
                return Err(fail(
                    NOT_DRAINED,
                    format!("{pending} records still pending (new records arrived during sync); run sync again"),
                ));
            }
            Ok(())
        }
        Err(e) => Err(fail(
            NOT_DRAINED,
            format!("{pending} records still pending, nothing lost: {e}"),
        )),
    }
}

async fn watch(store: &mut Store, args: &Args) -> Result<()> {
    let opts = options(args);
    let mut failures = 0u32;
    loop {
        let result = client::sync(store, args.server.as_deref(), &opts).await;
        // A store busy with a scan for longer than its timeout is no reason
        // to stop watching: warn and carry on.
        let pending = store.status().map(|st| st.pending).unwrap_or_else(|e| {
            eprintln!("checkin: warning: cannot read the queue now: {e}");
            0
        });
        let wait = match result {
            Ok(report) => {
                failures = 0;
                if let Err(e) = tidy(store, args) {
                    eprintln!("checkin: warning: retention and checkpoint skipped this time: {e}");
                }
                if report.sent > 0 {
                    eprintln!("checkin: {}", summary(&report, pending));
                }
                if let Ok((url, credential)) = client::enrolled(store, args.server.as_deref()) {
                    let refreshed = match client::Client::new(&url) {
                        Ok(c) => client::refresh_config(store, &c, &credential).await,
                        Err(e) => Err(e),
                    };
                    if let Err(e) = refreshed {
                        eprintln!("checkin: warning: sync config not refreshed: {e}");
                    }
                }
                Duration::from_secs(args.interval.max(1))
            }
            Err(e) if is_fatal(&e) => {
                return Err(fail(
                    NOT_DRAINED,
                    format!("{pending} records still pending, nothing lost: {e}"),
                ))
            }
            Err(e) => {
                failures += 1;
                let d = client::backoff_delay(
                    failures.min(10),
                    Duration::from_secs(1),
                    Duration::from_secs(300),
                    rand::thread_rng().gen(),
                    None,
                );
                eprintln!(
                    "checkin: {pending} pending; server not reachable ({e}); next try in {}s",
                    d.as_secs()
                );
                d
            }
        };
        // Wake early when new records arrive, so a busy door syncs promptly.
        let deadline = tokio::time::Instant::now() + wait;
        while tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_secs(1)).await;
            if failures == 0 && store.status().is_ok_and(|st| st.pending > 0) {
                break;
            }
        }
    }
}

/// Errors that waiting cannot fix: not enrolled, credential refused, bad URL.
fn is_fatal(e: &SyncError) -> bool {
    matches!(
        e,
        SyncError::NotEnrolled
            | SyncError::BadUrl(_)
            | SyncError::Refused {
                status: 401 | 403,
                ..
            }
    )
}
