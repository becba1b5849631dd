//! `checkin sync`: drain the outbox to the server, once or continuously.

use crate::exit::{fail, open_station};
use anyhow::Result;
use checkin_station::sync::{self, PassOutcome, SyncControl, SyncSettings, WatchMode};
use checkin_station::SyncPhase;
use checkin_sync::client::{SyncError, SyncOptions};
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
    /// them; older ones are deleted after each successful sync (0: all).
    #[arg(long, default_value_t = checkin_store::DEFAULT_RETENTION_DAYS,
          value_parser = clap::value_parser!(u32).range(0..=3650))]
    retention_days: u32,
    /// Simulate a wrong device clock: seconds added to the clock sent (tests).
    #[arg(long, hide = true, allow_hyphen_values = true)]
    clock_offset: Option<i64>,
}

fn settings(args: &Args) -> SyncSettings {
    SyncSettings {
        options: SyncOptions {
            batch_records: args.batch,
            max_attempts: args.attempts.max(1),
            clock_offset: chrono::Duration::seconds(args.clock_offset.unwrap_or(0)),
            ..SyncOptions::default()
        },
        server: args.server.clone(),
        retention_days: args.retention_days,
        interval: Duration::from_secs(args.interval.max(1)),
    }
}

fn summary(o: &PassOutcome) -> String {
    let r = &o.report;
    format!(
        "sent {} records in {} batches: {} accepted, {} duplicate, {} rejected, {} conflict; {} pending",
        r.sent, r.batches, r.accepted, r.duplicate, r.rejected, r.conflict, o.pending
    )
}

pub fn run(data_dir: &Path, args: Args) -> Result<()> {
    let mut st = open_station(data_dir)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let settings = settings(&args);
    if args.watch {
        let control = SyncControl::new();
        let mode = WatchMode {
            stop_on_fatal: true,
            poll: Some(Duration::from_secs(1)),
            gather: Duration::ZERO,
        };
        let result = rt.block_on(sync::watch(&mut st, &settings, &control, mode, |state, outcome| {
            match (state.phase, outcome) {
                (SyncPhase::Idle, Some(o)) => {
                    if o.purged > 0 {
                        eprintln!("checkin: removed {} records the server holds, past the retention period", o.purged);
                    }
                    if o.report.sent > 0 {
                        eprintln!("checkin: {}", summary(o));
                    }
                }
                (SyncPhase::Offline, _) => eprintln!(
                    "checkin: {} pending; server not reachable ({}); next try at {}",
                    state.total,
                    state.message.as_deref().unwrap_or("?"),
                    state.next_try_at.map(|t| t.format("%H:%M:%S").to_string()).unwrap_or_default()
                ),
                _ => {}
            }
        }));
        let pending = st.store().status().map(|s| s.pending).unwrap_or(0);
        return result.map_err(|e| stopped(pending, &e));
    }
    let result = rt.block_on(sync::sync_once(&mut st, &settings));
    let pending = st.store().status()?.pending;
    match result {
        Ok(outcome) => {
            if outcome.purged > 0 {
                eprintln!(
                    "checkin: removed {} records older than {} days that the server holds",
                    outcome.purged, args.retention_days
                );
            }
            if args.json {
                println!("{}", serde_json::to_string(&outcome.report)?);
            } else {
                println!("{}", summary(&outcome));
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
        Err(e) => Err(stopped(pending, &e)),
    }
}

/// Why the run stopped with `pending` records left, and what to do. When
/// the server refuses the device itself, waiting or retrying never helps:
/// the person at the station must get a new enrollment code.
fn stopped(pending: u64, e: &SyncError) -> anyhow::Error {
    let kept = format!(
        "the {pending} queued records are kept on this device and will be sent after it is enrolled again"
    );
    let message = match checkin_station::sync_code(e) {
        "device_revoked" => format!(
            "an administrator revoked this device on the server, which no longer accepts anything from it. \
             Ask for a new enrollment code and enroll again (`checkin enroll --token CODE`); {kept} (device_revoked)"
        ),
        "credential_refused" => format!(
            "the server no longer accepts this device's credential (revoked, or replaced by another enrollment). \
             Ask for a new enrollment code and enroll again (`checkin enroll --token CODE`); {kept} ({e})"
        ),
        _ => format!("{pending} records still pending, nothing lost: {e}"),
    };
    fail(NOT_DRAINED, message)
}
