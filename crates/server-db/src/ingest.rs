//! Records as devices send them, and as stored.

use crate::DbError;
use async_trait::async_trait;
use checkin_core::calendar::local_date;
use checkin_core::{DeviceId, Record, RecordId, RecordKind, ReportFacts, VenueId};
use checkin_sync::protocol::RecordStatus;
use chrono::{DateTime, FixedOffset, NaiveDate, SubsecRound, Utc};
use std::collections::{BTreeMap, HashMap};

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
    /// What reports count it by.
    pub facts: ReportFacts,
}

impl IncomingRecord {
    /// A parsed record with the body it came as and that body's hash.
    pub fn of(record: &Record, body: String, content_hash: String) -> Self {
        Self {
            id: record.id(),
            kind: record.kind(),
            venue_id: record.venue_id().cloned(),
            device_time: record.device_time(),
            body,
            content_hash,
            facts: record.report_facts(),
        }
    }
}

/// A record's report columns as both stores keep them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FactColumns {
    /// The venue's commune, else the device's.
    pub commune_code: Option<String>,
    pub source: &'static str,
    pub direction: Option<&'static str>,
    pub level: Option<&'static str>,
    pub visit_time: DateTime<Utc>,
    /// The date of `visit_time` in Asia/Ho_Chi_Minh.
    pub local_date: NaiveDate,
    pub person_key: Option<String>,
}

impl FactColumns {
    pub fn new(facts: &ReportFacts, commune_code: Option<String>) -> Self {
        Self {
            commune_code,
            source: facts.source.as_str(),
            direction: facts.direction.map(|d| match d {
                checkin_core::Direction::In => "in",
                checkin_core::Direction::Out => "out",
            }),
            level: facts.level.map(|l| l.as_str()),
            visit_time: stored_instant(&facts.visit_time),
            local_date: local_date(&facts.visit_time),
            person_key: facts.person_key.as_ref().map(ToString::to_string),
        }
    }
}

/// Where a batch's records are: each venue's commune, and the device's
/// commune for records with no venue (a commune's device, or a venue
/// device's venue).
#[derive(Debug, Clone, Default)]
pub(crate) struct Communes {
    pub of_venue: HashMap<String, String>,
    pub of_device: Option<String>,
}

impl Communes {
    pub fn of(&self, venue: Option<&str>) -> Option<String> {
        venue
            .and_then(|v| self.of_venue.get(v))
            .or(self.of_device.as_ref())
            .cloned()
    }
}

/// Where the rows stored before schema 4 belong, for its backfill: each
/// venue's commune and each device's, by (province, id).
#[derive(Debug, Default)]
pub(crate) struct Places {
    pub venues: HashMap<(String, String), String>,
    pub devices: HashMap<(String, String), Option<String>>,
}

impl Places {
    /// A stored body's record and report columns; `None` when the body is
    /// not a record this server reads.
    pub fn facts_of(
        &self,
        province: &str,
        device: &str,
        body: &str,
    ) -> Option<(Record, FactColumns)> {
        let record: Record = serde_json::from_str(body).ok()?;
        let key = |id: &str| (province.to_string(), id.to_string());
        let commune = record
            .venue_id()
            .and_then(|v| self.venues.get(&key(v.as_str())).cloned())
            .or_else(|| self.devices.get(&key(device)).cloned().flatten());
        let f = FactColumns::new(&record.report_facts(), commune);
        Some((record, f))
    }
}

/// One row of `daily_counts`: empty text stands for "none".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct CountKey {
    pub local_date: NaiveDate,
    pub commune_code: String,
    pub venue_id: String,
    pub kind: &'static str,
    pub source: &'static str,
    pub direction: &'static str,
}

/// Adds one stored record to the day counts of its batch.
pub(crate) fn tally(
    counts: &mut BTreeMap<CountKey, i64>,
    kind: RecordKind,
    venue: Option<&str>,
    f: &FactColumns,
) {
    let key = CountKey {
        local_date: f.local_date,
        commune_code: f.commune_code.clone().unwrap_or_default(),
        venue_id: venue.unwrap_or_default().to_string(),
        kind: kind.as_str(),
        source: f.source,
        direction: f.direction.unwrap_or_default(),
    };
    *counts.entry(key).or_default() += 1;
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
    /// The date of the visit in Asia/Ho_Chi_Minh; `None` only for rows
    /// stored before schema 4 whose body could not be read.
    pub local_date: Option<NaiveDate>,
    /// When the visit happened (the paper's time, else the device clock).
    pub visit_time: Option<DateTime<Utc>>,
    pub commune_code: Option<String>,
    pub source: Option<String>,
    pub person_key: Option<String>,
    /// The stored body's length: 0 once the purge cleared it.
    pub body_bytes: usize,
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
