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

/// Errors that waiting cannot fix: not enrolled, bad URL, the credential
/// refused or the device revoked.
pub fn is_fatal(e: &SyncError) -> bool {
    matches!(e, SyncError::NotEnrolled | SyncError::BadUrl(_)) || crate::credential_refused(e)
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
    // The gate keeps verifying with its last copy when this fails.
    let changed = match client::refresh_trust_list(station.store_mut(), &c, &credential).await {
        Ok(trust_changed) => changed || trust_changed,
        Err(e) => {
            tracing::warn!(error = %e, "trust list not refreshed");
            changed
        }
    };
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
    /// The last wake-up was "sync now": no gathering of more records first.
    urgent: AtomicBool,
    stop: AtomicBool,
}

impl SyncControl {
    /// A new control, shared with the loop.
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// A record was stored: sync soon, together with those that follow it
    /// within the loop's gathering time.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// "Sync now" pressed: sync at once.
    pub fn sync_now(&self) {
        self.urgent.store(true, Ordering::SeqCst);
        self.wake.notify_one();
    }

    /// Ends the loop after its current step.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        self.urgent.store(true, Ordering::SeqCst);
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
    /// After a new record wakes the loop, wait this long for more: a busy
    /// door then sends a batch every few seconds instead of a request per
    /// visitor ("sync now" does not wait).
    pub gather: Duration,
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
                wait_for_change(station, control, &mode).await;
                continue;
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
        wait_for_work(station, control, wait, &mode, failures == 0).await;
    }
    Ok(())
}

/// Sleeps until `wait` has passed, a wake-up comes, or (when polling and
/// the link is up) another process queued a record.
async fn wait_for_work(
    station: &Station,
    control: &SyncControl,
    wait: Duration,
    mode: &WatchMode,
    link_up: bool,
) {
    let poll = mode.poll;
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
            _ = control.wake.notified() => {
                if !control.urgent.swap(false, Ordering::SeqCst) && !mode.gather.is_zero() {
                    tokio::select! {
                        _ = tokio::time::sleep(mode.gather) => {}
                        _ = wait_urgent(control) => {}
                    }
                }
                return;
            }
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

/// After an error that waiting cannot fix: sleeps until "sync now", stop,
/// or a change of the enrollment by another connection (the CLI enrolling
/// beside the app). New records do not wake it: each would only meet the
/// same refusal, and a revoked device should fall silent.
async fn wait_for_change(station: &Station, control: &SyncControl, mode: &WatchMode) {
    let enrollment = |st: &Station| client::enrolled(st.store(), None).ok();
    let before = enrollment(station);
    let tick = mode.poll.unwrap_or(Duration::from_secs(3600));
    loop {
        tokio::select! {
            _ = wait_urgent(control) => return,
            _ = tokio::time::sleep(tick) => {}
        }
        if control.stopped() || enrollment(station) != before {
            return;
        }
    }
}

/// Resolves at the next "sync now" or stop (other wake-ups are gathered).
async fn wait_urgent(control: &SyncControl) {
    loop {
        control.wake.notified().await;
        if control.urgent.swap(false, Ordering::SeqCst) || control.stopped() {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(gather: u64) -> WatchMode {
        WatchMode {
            stop_on_fatal: false,
            poll: None,
            gather: Duration::from_secs(gather),
        }
    }

    /// How long (on tokio's paused clock) `wait_for_work` took after `poke`.
    async fn waited(gather: u64, poke: impl FnOnce(&SyncControl)) -> Duration {
        let dir = tempfile::tempdir().unwrap();
        let station = Station::open(dir.path()).unwrap();
        let control = SyncControl::default();
        poke(&control);
        let t0 = tokio::time::Instant::now();
        wait_for_work(
            &station,
            &control,
            Duration::from_secs(60),
            &mode(gather),
            true,
        )
        .await;
        t0.elapsed()
    }

    #[tokio::test(start_paused = true)]
    async fn a_new_record_waits_to_gather_more_and_sync_now_does_not() {
        assert_eq!(waited(2, SyncControl::wake).await, Duration::from_secs(2));
        assert_eq!(waited(2, SyncControl::sync_now).await, Duration::ZERO);
        assert_eq!(waited(0, SyncControl::wake).await, Duration::ZERO);
        assert_eq!(
            waited(2, |_| {}).await,
            Duration::from_secs(60),
            "nothing: the interval"
        );
        assert_eq!(waited(2, SyncControl::stop).await, Duration::ZERO);
    }

    /// How long (paused clock) `wait_for_change` waited after `poke`, with
    /// `later` run 12 s into the wait; `None` if still waiting after an hour.
    async fn waited_after_fatal(
        poke: impl FnOnce(&SyncControl),
        later: impl FnOnce(&mut checkin_store::Store),
    ) -> Option<Duration> {
        let dir = tempfile::tempdir().unwrap();
        let station = Station::open(dir.path()).unwrap();
        let mut other = checkin_store::Store::open(dir.path()).unwrap();
        let control = SyncControl::default();
        let mode = WatchMode {
            stop_on_fatal: false,
            poll: Some(Duration::from_secs(5)),
            gather: Duration::ZERO,
        };
        poke(&control);
        let t0 = tokio::time::Instant::now();
        let wait = async {
            tokio::time::timeout(
                Duration::from_secs(3600),
                wait_for_change(&station, &control, &mode),
            )
            .await
            .ok()
            .map(|()| t0.elapsed())
        };
        let change = async {
            tokio::time::sleep(Duration::from_secs(12)).await;
            later(&mut other);
        };
        tokio::join!(wait, change).0
    }

    #[tokio::test(start_paused = true)]
    async fn after_a_refusal_only_sync_now_stop_or_a_new_enrollment_try_again() {
        let nothing = |_: &mut checkin_store::Store| {};
        assert_eq!(
            waited_after_fatal(SyncControl::wake, nothing).await,
            None,
            "a new record would only meet the same refusal"
        );
        assert_eq!(
            waited_after_fatal(SyncControl::sync_now, nothing).await,
            Some(Duration::ZERO)
        );
        assert_eq!(
            waited_after_fatal(SyncControl::stop, nothing).await,
            Some(Duration::ZERO)
        );
        let enrolled_beside = |store: &mut checkin_store::Store| {
            store
                .set_settings(&[
                    (client::SERVER_URL_KEY, Some("http://127.0.0.1:9")),
                    (client::CREDENTIAL_KEY, Some("new")),
                ])
                .unwrap();
        };
        assert_eq!(
            waited_after_fatal(|_| {}, enrolled_beside).await,
            Some(Duration::from_secs(15)),
            "seen at the next look at the store (every 5 s)"
        );
    }
}
