//! Retention: personal data leaves the device once the server holds it and
//! the retention period has passed.

use crate::error::StoreError;
use crate::Store;
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::TransactionBehavior;

/// Days a device keeps records the server has acknowledged: the epidemic
/// tracing window of the Ministry of Health's 2021 guidance (2 × 14 days).
pub const DEFAULT_RETENTION_DAYS: u32 = 28;

impl Store {
    /// Deletes records acknowledged by the server before `settled_before`,
    /// with their typed rows, in one transaction; returns how many went.
    /// Pending, rejected and conflicting records are never purged: they are
    /// not on the server yet, and deleting them would lose them. The device
    /// sequence is not reused afterwards.
    pub fn purge_acknowledged(&mut self, settled_before: DateTime<Utc>) -> Result<u64, StoreError> {
        let cutoff = settled_before.to_rfc3339_opts(SecondsFormat::Millis, true);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let doomed =
            "SELECT record_id FROM outbox WHERE state = 'acknowledged' AND settled_at < ?1";
        tx.execute(
            &format!("DELETE FROM checkins WHERE record_id IN ({doomed})"),
            [&cutoff],
        )?;
        tx.execute(
            &format!("DELETE FROM declarations WHERE record_id IN ({doomed})"),
            [&cutoff],
        )?;
        let n = tx.execute(
            "DELETE FROM outbox WHERE state = 'acknowledged' AND settled_at < ?1",
            [&cutoff],
        )?;
        tx.commit()?;
        Ok(n as u64)
    }
}
