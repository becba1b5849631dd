//! Records as devices send them, and as stored.

use crate::DbError;
use async_trait::async_trait;
use checkin_core::{DeviceId, RecordId, RecordKind, VenueId};
use checkin_sync::protocol::RecordStatus;
use chrono::{DateTime, FixedOffset, NaiveDate, SubsecRound, Utc};

/// One record of a batch, checked and ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingRecord {
    pub id: RecordId,
    pub kind: RecordKind,
    pub venue_id: Option<VenueId>,
    pub device_time: DateTime<FixedOffset>,
    /// Canonical JSON of the record (what the server re-serialised).
    pub body: String,
    /// Hex SHA-256 of `body`: equal hashes mean a resend, different a conflict.
    pub content_hash: String,
}

/// What the store did with one record of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ingested {
    /// `Accepted`, `Duplicate`, `Conflict`, or `Rejected` when the database
    /// refused the record's data (the rest of the batch is stored).
    pub status: RecordStatus,
    /// Why it was rejected (`storage_rejected: …`): never personal data.
    pub reason: Option<String>,
}

impl From<RecordStatus> for Ingested {
    fn from(status: RecordStatus) -> Self {
        Self {
            status,
            reason: None,
        }
    }
}

impl Ingested {
    /// A record the database refused; `what` names the error class only.
    pub(crate) fn refused(what: &str) -> Self {
        Self {
            status: RecordStatus::Rejected,
            reason: Some(format!(
                "storage_rejected: the database cannot store this record ({what})"
            )),
        }
    }
}

/// A batch from one device, stored in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestBatch {
    pub device_id: DeviceId,
    pub province_code: String,
    pub received_at: DateTime<Utc>,
    /// Server clock minus device clock when the batch arrived, in milliseconds.
    pub clock_skew_ms: i64,
    pub records: Vec<IncomingRecord>,
}

/// A stored record, as read back by tests and reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    pub id: RecordId,
    pub province_code: String,
    pub device_id: DeviceId,
    pub content_hash: String,
    /// The device's clock at the record, as a UTC instant to the microsecond.
    pub device_time: DateTime<Utc>,
    /// The date on the device's clock (in its own UTC offset) at the record;
    /// `None` only for rows older than schema 3 whose time could not be read.
    pub local_date: Option<NaiveDate>,
    pub received_at: DateTime<Utc>,
    pub clock_skew_ms: i64,
}

/// Records as devices send them.
#[async_trait]
pub trait IngestStore: Send + Sync {
    /// Stores a batch in one transaction, each record at most once per
    /// device; returns per record, in order, `Accepted`, `Duplicate`,
    /// `Conflict`, or `Rejected` with a reason when the database refused
    /// that record's data. Other failures (connection, I/O, locks) fail the
    /// whole batch, which the device sends again.
    async fn ingest(&self, batch: &IngestBatch) -> Result<Vec<Ingested>, DbError>;
    /// Reads every stored record id with its metadata (tests, audits).
    async fn stored_records(&self) -> Result<Vec<StoredRecord>, DbError>;
}

/// A record's time as both stores keep it: the UTC instant, cut to the
/// microsecond (PostgreSQL's precision) so both read back the same.
pub(crate) fn stored_instant(t: &DateTime<FixedOffset>) -> DateTime<Utc> {
    t.with_timezone(&Utc).trunc_subsecs(6)
}
