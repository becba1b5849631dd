//! The purge of personal data: what a record says about a person goes
//! after the retention period; what reports count stays.

use crate::DbError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Records read per transaction while purging: short transactions, so
/// ingest waits at most one chunk for the write lock.
pub(crate) const PURGE_CHUNK: usize = 2000;

/// What a purge removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Purged {
    /// Records whose body and identity key were cleared.
    pub records: u64,
    /// Declarant rows (one per person and commune) whose identity key was
    /// cleared: their last declaration there was before the limit.
    pub declarants: u64,
    /// Ended sessions deleted.
    pub sessions: u64,
}

/// The retention limit on personal data.
#[async_trait]
pub trait RetentionStore: Send + Sync {
    /// Clears the body and identity key of every record whose visit (its
    /// visit time, else its device time) is before `before`. The record's
    /// key and content hash stay, so a late resend is still a duplicate and
    /// is never counted twice; `daily_counts` and `device_days` are not
    /// touched. Clears the identity key of declarant rows whose last
    /// declaration was on a local date before `before`'s (the rows, and
    /// so coverage counts, stay; a person who declares again after that is
    /// counted again). Also deletes sessions ended by `now` and login failures
    /// older than a day. Safe to run from several instances at once.
    async fn purge(&self, before: DateTime<Utc>, now: DateTime<Utc>) -> Result<Purged, DbError>;
}
