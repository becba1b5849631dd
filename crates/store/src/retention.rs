//! Retention: personal data leaves the device once the server holds it and
//! the retention period has passed.

use crate::error::StoreError;
use crate::Store;
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::TransactionBehavior;

/// Days a device keeps records the server has acknowledged: the epidemic
/// tracing window of the Ministry of Health's 2021 guidance (2 × 14 days).
pub const DEFAULT_RETENTION_DAYS: u32 = 28;

/// Which acknowledged records a purge removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retention {
    /// Every record the server acknowledged, whenever (a retention of 0 days).
    All,
    /// Records acknowledged at or before this instant.
    SettledBy(DateTime<Utc>),
}

impl Retention {
    /// Records acknowledged more than `days` days before `now`; 0 days is
    /// [`Retention::All`], so the answer never depends on how many
    /// milliseconds passed between the acknowledgement and the purge.
    pub fn days_before(now: DateTime<Utc>, days: u32) -> Self {
        if days == 0 {
            Self::All
        } else {
            Self::SettledBy(now - chrono::Duration::days(i64::from(days)))
        }
    }
}

impl Store {
    /// Deletes the records the server acknowledged that `retention` names,
    /// with their typed rows, in one transaction; returns how many went.
    /// Pending, rejected and conflicting records are never purged: they are
    /// not on the server yet, and deleting them would lose them. The device
    /// sequence is not reused afterwards.
    pub fn purge_acknowledged(&mut self, retention: Retention) -> Result<u64, StoreError> {
        // Stamps are UTC with milliseconds (see `write::stamp`): text order is
        // time order, and "at or before" includes the cutoff's own millisecond.
        let cutoff = match retention {
            Retention::All => "9999-12-31T23:59:59.999Z".to_string(),
            Retention::SettledBy(t) => t.to_rfc3339_opts(SecondsFormat::Millis, true),
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let doomed =
            "SELECT record_id FROM outbox WHERE state = 'acknowledged' AND settled_at <= ?1";
        tx.execute(
            &format!("DELETE FROM checkins WHERE record_id IN ({doomed})"),
            [&cutoff],
        )?;
        tx.execute(
            &format!("DELETE FROM declarations WHERE record_id IN ({doomed})"),
            [&cutoff],
        )?;
        let n = tx.execute(
            "DELETE FROM outbox WHERE state = 'acknowledged' AND settled_at <= ?1",
            [&cutoff],
        )?;
        tx.commit()?;
        Ok(n as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_days_is_everything_and_other_days_count_back_from_now() {
        let now = "2021-08-01T02:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(Retention::days_before(now, 0), Retention::All);
        assert_eq!(
            Retention::days_before(now, 28),
            Retention::SettledBy("2021-07-04T02:00:00Z".parse().unwrap())
        );
    }
}
