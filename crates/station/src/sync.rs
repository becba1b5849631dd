//! Keeping a station in sync: one pass (drain the queue, then retention, a
//! checkpoint and a fresh sync config), and the loop that repeats it as
//! records arrive and as the link comes and goes, telling the screen where
//! it stands. Runs on its own store connection.

use crate::{Result, Station, SyncPhase, SyncState};
use checkin_store::Retention;
use checkin_sync::client::{self, Progress, SyncError, SyncOptions, SyncReport};
use rand::Rng;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// How a station syncs.
#[derive(Debug, Clone)]
pub struct SyncSettings {
    pub options: SyncOptions,
    /// Server for this run instead of the enrolled one.
    pub server: Option<String>,
    /// Days acknowledged records stay on the device.
    pub retention_days: u32,
    /// Time between passes when nothing is pending.
    pub interval: Duration,
}

impl Default for SyncSettings {
    fn default() -> Self {
        Self {
            options: SyncOptions::default(),
            server: None,
            retention_days: checkin_store::DEFAULT_RETENTION_DAYS,
            interval: Duration::from_secs(60),
        }
    }
}

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct PassOutcome {
    pub report: SyncReport,
    /// Acknowledged records removed by retention.
    pub purged: u64,
    /// The sync config changed (venues, policy, pass keys): reload it.
    pub config_changed: bool,
    /// Records still pending after the pass (made while it ran).
    pub pending: u64,
}

/// Errors that waiting cannot fix: not enrolled, credential refused, bad URL.
pub fn is_fatal(e: &SyncError) -> bool {
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

/// One pass: closes past quarantine days, drains the queue, then (on
/// success) applies retention, checkpoints the WAL and refreshes the sync
/// config and units. Housekeeping failures are logged, never fatal: the
/// records are on the server.
pub async fn sync_once(
    station: &mut Station,
    settings: &SyncSettings,
) -> Result<PassOutcome, SyncError> {
    if let Err(e) = station.close_quarantine_days() {
        tracing::warn!(error = %e, "past quarantine days not closed this time");
    }
    let report = client::sync(
        station.store_mut(),
        settings.server.as_deref(),
        &settings.options,
    )
    .await?;
    let mut outcome = PassOutcome {
        report,
        ..PassOutcome::default()
    };
    let retention = Retention::days_before(station.clock.now_utc(), settings.retention_days);
    match station.store_mut().purge_acknowledged(retention) {
        Ok(n) => outcome.purged = n,
        Err(e) => tracing::warn!(error = %e, "retention skipped this time"),
    }
    if let Err(e) = station.store().checkpoint() {
        tracing::warn!(error = %e, "checkpoint skipped this time");
    }
    match refresh(station, settings).await {
        Ok(changed) => outcome.config_changed = changed,
        Err(e) => tracing::warn!(error = %e, "sync config not refreshed"),
    }
    outcome.pending = station.store().status().map(|s| s.pending).unwrap_or(0);
    Ok(outcome)
}

async fn refresh(station: &mut Station, settings: &SyncSettings) -> Result<bool, SyncError> {
    let (url, credential) = client::enrolled(station.store(), settings.server.as_deref())?;
    let c = client::Client::new(&url)?;
    let changed = client::refresh_config(station.store_mut(), &c, &credential).await?;
    if let Err(e) = client::refresh_units(station.store_mut(), &c, &credential).await {
        tracing::warn!(error = %e, "administrative units not refreshed");
    }
    if changed {
        if let Err(e) = station.reload_config() {
            tracing::warn!(error = %e, "new sync config not loaded");
        }
    }
    Ok(changed)
}

/// Wakes and stops a running [`watch`] loop from other tasks or threads.
#[derive(Debug, Default)]
pub struct SyncControl {
    wake: Notify,
    stop: AtomicBool,
}

impl SyncControl {
    /// A new control, shared with the loop.
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Syncs now (a new record, or "sync now" pressed).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Ends the loop after its current step.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        self.wake.notify_one();
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }
}

/// How the loop behaves between passes.
#[derive(Debug, Clone, Copy)]
pub struct WatchMode {
    /// Return on errors that waiting cannot fix (the CLI), or wait for a
    /// wake-up and try again (the app: staff re-enroll or fix the address).
    pub stop_on_fatal: bool,
    /// Also look at the queue every this often, for records written by
    /// other processes (the CLI beside a running watch).
    pub poll: Option<Duration>,
}

/// Syncs until stopped: a pass whenever records are pending or the
/// interval has passed, backing off with jitter while the server cannot be
/// reached. `on_state` hears every change of [`SyncState`] and the outcome
/// of each successful pass.
pub async fn watch(
    station: &mut Station,
    settings: &SyncSettings,
    control: &SyncControl,
    mode: WatchMode,
    mut on_state: impl FnMut(&SyncState, Option<&PassOutcome>),
) -> Result<(), SyncError> {
    let enrolled = client::enrolled(station.store(), settings.server.as_deref()).is_ok();
    let mut state = SyncState::initial(enrolled);
    on_state(&state, None);
    let mut failures = 0u32;
    while !control.stopped() {
        let pending = station.store().status().map(|s| s.pending).unwrap_or(0);
        let now = station.now();
        state.phase = SyncPhase::Syncing;
        state.last_attempt_at = Some(now);
        state.sent = 0;
        state.total = pending;
        state.next_try_at = None;
        on_state(&state, None);
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let mut pass_settings = settings.clone();
        pass_settings.options.progress = Progress::new(move |n| {
            let _ = tx.send(n);
        });
        let result = {
            let pass = sync_once(station, &pass_settings);
            tokio::pin!(pass);
            loop {
                tokio::select! {
                    r = &mut pass => break r,
                    Some(n) = rx.recv() => {
                        state.sent = n.min(state.total.max(n));
                        state.total = state.total.max(n);
                        on_state(&state, None);
                    }
                }
            }
        };
        let wait = match result {
            Ok(outcome) => {
                failures = 0;
                state.phase = SyncPhase::Idle;
                state.online = true;
                state.last_success_at = Some(station.now());
                state.sent = outcome.report.sent;
                state.total = state.total.max(outcome.report.sent);
                state.message = None;
                state.error_code = None;
                on_state(&state, Some(&outcome));
                if outcome.pending > 0 {
                    Duration::ZERO
                } else {
                    settings.interval
                }
            }
            Err(e) if is_fatal(&e) => {
                state.phase = if matches!(e, SyncError::NotEnrolled) {
                    SyncPhase::NotEnrolled
                } else {
                    SyncPhase::Error
                };
                state.online = !matches!(e, SyncError::NotEnrolled | SyncError::BadUrl(_));
                state.message = Some(e.to_string());
                state.error_code = Some(crate::error::sync_code(&e).to_string());
                on_state(&state, None);
                if mode.stop_on_fatal {
                    return Err(e);
                }
                Duration::MAX
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
                state.phase = SyncPhase::Offline;
                state.online = false;
                state.message = Some(e.to_string());
                state.error_code = Some(crate::error::sync_code(&e).to_string());
                state.next_try_at = chrono::Duration::from_std(d)
                    .ok()
                    .map(|d| station.now() + d);
                on_state(&state, None);
                d
            }
        };
        if wait.is_zero() {
            continue;
        }
        wait_for_work(station, control, wait, mode.poll, failures == 0).await;
    }
    Ok(())
}

/// Sleeps until `wait` has passed, a wake-up comes, or (when polling and
/// the link is up) another process queued a record.
async fn wait_for_work(
    station: &Station,
    control: &SyncControl,
    wait: Duration,
    poll: Option<Duration>,
    link_up: bool,
) {
    let deadline = tokio::time::Instant::now().checked_add(wait);
    loop {
        if control.stopped() {
            return;
        }
        let tick = match poll {
            Some(p) if link_up => p,
            _ => Duration::from_secs(3600),
        };
        let sleep_until = match deadline {
            Some(d) => d.min(tokio::time::Instant::now() + tick),
            None => tokio::time::Instant::now() + tick,
        };
        tokio::select! {
            _ = control.wake.notified() => return,
            _ = tokio::time::sleep_until(sleep_until) => {}
        }
        if deadline.is_some_and(|d| tokio::time::Instant::now() >= d) {
            return;
        }
        if link_up && poll.is_some() && station.store().status().is_ok_and(|s| s.pending > 0) {
            return;
        }
    }
}

impl Station {
    /// Enrolls this station (see [`crate::enroll::enroll`]) and loads the new
    /// sync config.
    pub async fn enroll(&mut self, input: &crate::EnrollInput) -> Result<crate::Enrollment> {
        let key = self.public_key();
        let e = crate::enroll::enroll(&mut self.store, input, key).await?;
        self.reload_config()?;
        Ok(e)
    }
}
