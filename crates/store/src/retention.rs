//! Retention: personal data leaves the device once the server holds it and
//! the retention period has passed.

use crate::error::StoreError;
use crate::Store;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::{params, TransactionBehavior};

/// Days a device keeps records the server has acknowledged: the epidemic
/// tracing window of the Ministry of Health's 2021 guidance (2 × 14 days).
pub const DEFAULT_RETENTION_DAYS: u32 = 28;

/// Which acknowledged records a purge removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// Records acknowledged at or before this instant go; `None`: all of them.
    settled_by: Option<DateTime<Utc>>,
    /// Quarantine cases are kept while they last: only those that ended
    /// before this day may go (their follow-up is still being recorded).
    cases_ended_before: NaiveDate,
}

impl Retention {
    /// Records acknowledged more than `days` days before `now`; 0 days is
    /// every acknowledged record, so the answer never depends on how many
    /// milliseconds passed between the acknowledgement and the purge.
    pub fn days_before(now: DateTime<Utc>, days: u32) -> Self {
        let cutoff = now - chrono::Duration::days(i64::from(days));
        Self {
            settled_by: (days > 0).then_some(cutoff),
            cases_ended_before: cutoff.date_naive(),
        }
    }

    /// Records acknowledged at or before `t` (and cases that ended before it).
    pub fn settled_by(t: DateTime<Utc>) -> Self {
        Self {
            settled_by: Some(t),
            cases_ended_before: t.date_naive(),
        }
    }
}

impl Store {
    /// Deletes the records the server acknowledged that `retention` names,
    /// with their typed rows, in one transaction; returns how many went.
    /// Pending, rejected and conflicting records are never purged: they are
    /// not on the server yet, and deleting them would lose them. Quarantine
    /// cases stay while they last. The device sequence is not reused.
    pub fn purge_acknowledged(&mut self, retention: Retention) -> Result<u64, StoreError> {
        // Stamps are UTC with milliseconds (see `write::stamp`): text order is
        // time order, and "at or before" includes the cutoff's own millisecond.
        let cutoff = match retention.settled_by {
            None => "9999-12-31T23:59:59.999Z".to_string(),
            Some(t) => t.to_rfc3339_opts(SecondsFormat::Millis, true),
        };
        let ended = retention.cases_ended_before.to_string();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS doomed (record_id TEXT PRIMARY KEY);
             DELETE FROM temp.doomed;",
        )?;
        tx.execute(
            "INSERT INTO temp.doomed
             SELECT o.record_id FROM outbox o
             LEFT JOIN quarantine_cases q ON q.record_id = o.record_id
             WHERE o.state = 'acknowledged' AND o.settled_at <= ?1
               AND (q.record_id IS NULL OR q.end_date < ?2)",
            params![cutoff, ended],
        )?;
        for table in [
            "checkins",
            "declarations",
            "quarantine_cases",
            "health_updates",
        ] {
            tx.execute(
                &format!(
                    "DELETE FROM {table} WHERE record_id IN (SELECT record_id FROM temp.doomed)"
                ),
                [],
            )?;
        }
        let n = tx.execute(
            "DELETE FROM outbox WHERE record_id IN (SELECT record_id FROM temp.doomed)",
            [],
        )?;
        tx.execute("DELETE FROM temp.doomed", [])?;
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
        let all = Retention::days_before(now, 0);
        assert_eq!(all.settled_by, None);
        assert_eq!(all.cases_ended_before.to_string(), "2021-08-01");
        assert_eq!(
            Retention::days_before(now, 28),
            Retention::settled_by("2021-07-04T02:00:00Z".parse().unwrap())
        );
    }
}
