//! The retention limit on personal data: `admin purge` and the schedule
//! `serve` runs it on. Counts survive (see
//! [`checkin_server_db::RetentionStore`]).

use crate::{Clock, ServerError};
use checkin_server_db::{Database, Purged};
use std::sync::Arc;
use std::time::Duration;

/// How long personal data is kept after the visit, unless configured.
pub const DEFAULT_RETENTION_DAYS: u32 = 28;
/// How often `serve` purges.
pub const PURGE_EVERY: Duration = Duration::from_secs(6 * 3600);

/// Checks a retention period: 1 day to 10 years.
pub fn check_days(days: u32) -> Result<(), ServerError> {
    if (1..=3650).contains(&days) {
        Ok(())
    } else {
        Err(ServerError::Invalid(format!(
            "retention of {days} days: give 1 to 3650"
        )))
    }
}

/// Clears the personal data of visits more than `days` before `now`.
pub async fn purge(
    db: &dyn Database,
    days: u32,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Purged, ServerError> {
    check_days(days)?;
    let before = now - chrono::Duration::days(i64::from(days));
    Ok(db.purge(before, now).await?)
}

/// Purges now and every [`PURGE_EVERY`] while the server runs. Several
/// instances may each run it: a purge only clears what is still there.
pub fn spawn_purger(db: Arc<dyn Database>, days: u32, clock: Clock) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(PURGE_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match purge(db.as_ref(), days, clock.now()).await {
                Ok(p) => tracing::info!(
                    records = p.records,
                    sessions = p.sessions,
                    retention_days = days,
                    "personal data purged"
                ),
                Err(e) => tracing::error!(error = %e, "purge failed; retrying at the next run"),
            }
        }
    })
}
