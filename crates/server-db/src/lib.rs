//! Storage of the central server: one [`Database`] trait, one implementation
//! per backend (SQLite, the embedded default; PostgreSQL for production),
//! chosen at start-up from the database URL, as atuin does.
//!
//! Every large table carries the province code and includes it in its
//! primary key, so the PostgreSQL schema can be distributed by province
//! (Citus) without rework. A record's province is its device's province:
//! a device is enrolled inside one province, so a resend of the same id
//! always lands on the same key and is seen as a duplicate. Record ids are
//! keys per device (province, device, id): ids are not secret, and a device
//! that sends another's id first must not block or alter that record.
//!
//! Both stores keep a record's `device_time` as the UTC instant to the
//! microsecond (SQLite as fixed-width text that sorts) and its `local_date`,
//! the date on the device's own clock, so reports read the same from either.

mod postgres;
mod sqlite;
pub mod units;

pub use postgres::PostgresDb;
pub use sqlite::SqliteDb;
pub use units::{Commune, District, Province, Units};

use async_trait::async_trait;
use checkin_core::{AdminUnit, DeviceId, RecordId, RecordKind, Venue, VenueId};
use checkin_sync::protocol::{RecordStatus, Scope};
use chrono::{DateTime, FixedOffset, NaiveDate, SubsecRound, Utc};
use serde::Serialize;
use std::sync::Arc;
use thiserror::Error;

/// What went wrong in a store. Messages are for operators' logs, never
/// for API clients.
#[derive(Debug, Error)]
pub enum DbError {
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://…")]
    BadUrl(String),
    #[error("cannot open database: {0}")]
    Open(String),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error(
        "database schema {found} is newer than this server knows ({supported}); update the server"
    )]
    NewerSchema { found: i64, supported: i64 },
    #[error("already exists: {0}")]
    Duplicate(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("invalid data: {0}")]
    Invalid(String),
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("postgres: {}", postgres::describe(.0))]
    Postgres(#[from] tokio_postgres::Error),
    #[error("postgres pool: {0}")]
    Pool(String),
    #[error("storage task failed: {0}")]
    Task(String),
}

/// An enrollment token as stored: only its hash, its scope and its expiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenGrant {
    pub token_hash: String,
    pub scope: Scope,
    pub province_code: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Why an enrollment token cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    Unknown,
    Expired,
    Used,
    /// The device id is enrolled already and the caller did not prove it
    /// holds that device's current credential.
    DeviceTaken,
}

/// A device being enrolled.
#[derive(Clone, PartialEq, Eq)]
pub struct NewDevice {
    pub id: DeviceId,
    pub credential_hash: String,
    pub label: Option<String>,
    /// Hash of the credential the caller presented, if any: re-enrolling an
    /// existing device id needs its current credential, so a token holder
    /// cannot take over another station's id (ids are not secret).
    pub proof_hash: Option<String>,
    /// The device's Ed25519 key for visitor passes, in its canonical text
    /// form (standard base64 of 32 bytes); replaced on every enrollment.
    pub pass_key: Option<String>,
}

/// An enrolled device and what it may write for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub id: DeviceId,
    pub scope: Scope,
    pub province_code: String,
    pub label: Option<String>,
    /// When an administrator revoked it: its credential is then refused
    /// (kept, so the server can say why) until it is enrolled again.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A device as `admin device list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceInfo {
    pub id: DeviceId,
    pub label: Option<String>,
    pub scope: Scope,
    pub province_code: String,
    pub enrolled_at: DateTime<Utc>,
    pub last_seen_at: Option<DateTime<Utc>>,
    /// Server clock minus device clock at its last batch, in milliseconds.
    pub last_skew_ms: Option<i64>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Which devices [`Database::devices`] lists: those whose scope lies inside
/// a unit or is one venue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceFilter {
    All,
    Province(String),
    /// Devices of the communes of this district (from the imported units).
    District(String),
    /// Devices of this commune and of its venues.
    Commune(String),
    Venue(VenueId),
}

impl DeviceFilter {
    /// Reads a unit code by its length, as GSO codes are: 2 digits a
    /// province, 3 a district, 5 a commune (other digit strings are
    /// mistyped codes); anything else a venue id.
    pub fn from_code(code: &str) -> Result<Self, DbError> {
        let code = code.trim();
        let digits = !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit());
        Ok(match code.len() {
            2 if digits => Self::Province(code.into()),
            3 if digits => Self::District(code.into()),
            5 if digits => Self::Commune(code.into()),
            _ if digits => {
                return Err(DbError::Invalid(format!(
                    "unit code {code:?}: a province has 2 digits, a district 3, a commune 5"
                )))
            }
            _ => Self::Venue(code.parse().map_err(|e| {
                DbError::Invalid(format!(
                    "{code:?} is neither a province (2 digits), district (3), commune (5) code nor a venue id: {e}"
                ))
            })?),
        })
    }

    /// (province, district, commune, venue): the one that applies is set.
    pub(crate) fn parts(&self) -> [Option<&str>; 4] {
        match self {
            Self::All => [None; 4],
            Self::Province(p) => [Some(p), None, None, None],
            Self::District(d) => [None, Some(d), None, None],
            Self::Commune(c) => [None, None, Some(c), None],
            Self::Venue(v) => [None, None, None, Some(v.as_str())],
        }
    }
}

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

/// Counts for `admin stats`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub venues: u64,
    pub devices: u64,
    pub checkins: u64,
    pub declarations: u64,
    pub quarantines: u64,
    pub health_updates: u64,
    pub communes: u64,
    pub enrollment_tokens: u64,
}

/// Most pass keys a sync config lists: a province with more enrolled
/// devices lists those enrolled most recently.
pub const MAX_PASS_KEYS: usize = 5000;

/// Counts of an administrative-units import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    pub provinces: u64,
    pub districts: u64,
    pub communes: u64,
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

/// The server's storage. Implementations are safe to share between tasks.
#[async_trait]
pub trait Database: Send + Sync + std::fmt::Debug {
    /// Checks the store answers and can be written now (readiness): takes
    /// the write lock and lets it go, failing within about a second when
    /// another process holds it or the server is read-only.
    async fn ping(&self) -> Result<(), DbError>;
    /// Inserts or updates provinces, districts and communes.
    async fn import_units(&self, units: &Units) -> Result<ImportCounts, DbError>;
    /// Every imported unit, flattened: provinces (no parent), districts
    /// (parent: their province), communes (parent: their district), each
    /// level ordered by code.
    async fn units(&self) -> Result<Vec<AdminUnit>, DbError>;
    /// A stamp that changes with every [`Database::import_units`], so a
    /// cached [`Database::units`] list can be kept until the next import.
    async fn units_version(&self) -> Result<i64, DbError>;
    /// Looks up one commune by its 5-digit code.
    async fn commune(&self, code: &str) -> Result<Option<Commune>, DbError>;
    /// Stores a new venue; `Duplicate` when the id is taken.
    async fn add_venue(&self, venue: &Venue, province_code: &str) -> Result<(), DbError>;
    /// Reads one venue.
    async fn venue(&self, id: &VenueId) -> Result<Option<Venue>, DbError>;
    /// Venues a device with this scope may write for, ordered by id.
    async fn venues_in_scope(
        &self,
        scope: &Scope,
        province_code: &str,
    ) -> Result<Vec<Venue>, DbError>;
    /// Stores a new enrollment token (hashed).
    async fn add_enrollment_token(&self, grant: &TokenGrant) -> Result<(), DbError>;
    /// Uses up a token and enrolls (or re-enrolls) the device, atomically.
    /// Re-enrolling an enrolled device id needs its current credential
    /// (`proof_hash`); a revoked one needs only the new token, as its
    /// credential is what was lost. A label with control characters is
    /// `Invalid` and spends no token.
    async fn enroll(
        &self,
        token_hash: &str,
        device: &NewDevice,
        now: DateTime<Utc>,
    ) -> Result<Result<Device, TokenProblem>, DbError>;
    /// The distinct pass keys of the enrolled devices of a province, sorted
    /// (a stable list gives a stable sync-config ETag); of at most `limit`
    /// devices (the server uses [`MAX_PASS_KEYS`]), those enrolled most
    /// recently when there are more. Revoked devices' keys are not listed:
    /// a stolen station must not be able to sign passes others accept.
    async fn pass_keys(&self, province_code: &str, limit: usize) -> Result<Vec<String>, DbError>;
    /// Finds the device holding this credential (by its hash), revoked or
    /// not: the caller refuses a revoked one and can say why.
    async fn device_by_credential(&self, credential_hash: &str) -> Result<Option<Device>, DbError>;
    /// Enrolled devices the filter selects, by province, then enrollment.
    async fn devices(&self, filter: &DeviceFilter) -> Result<Vec<DeviceInfo>, DbError>;
    /// Revokes a device at `at`: `Ok(true)` when revoked now, `Ok(false)`
    /// when it already was, `NotFound` for an unknown id.
    async fn revoke_device(&self, id: &DeviceId, at: DateTime<Utc>) -> Result<bool, DbError>;
    /// Stores a batch in one transaction, each record at most once per
    /// device; returns per record, in order, `Accepted`, `Duplicate`,
    /// `Conflict`, or `Rejected` with a reason when the database refused
    /// that record's data. Other failures (connection, I/O, locks) fail the
    /// whole batch, which the device sends again.
    async fn ingest(&self, batch: &IngestBatch) -> Result<Vec<Ingested>, DbError>;
    /// Counts for `admin stats`.
    async fn stats(&self) -> Result<Stats, DbError>;
    /// Reads every stored record id with its metadata (tests, audits).
    async fn stored_records(&self) -> Result<Vec<StoredRecord>, DbError>;
}

/// Opens the store named by `url` (`sqlite://PATH`, `sqlite::memory:`,
/// `postgres://…`) and applies pending migrations.
pub async fn open(url: &str) -> Result<Arc<dyn Database>, DbError> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        Ok(Arc::new(SqliteDb::open(path.as_ref()).await?))
    } else if url == "sqlite::memory:" {
        Ok(Arc::new(SqliteDb::open_in_memory().await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PostgresDb::connect(url).await?))
    } else {
        Err(DbError::BadUrl(redact_url(url)))
    }
}

/// The URL with any password replaced, safe to log. Query parameters are
/// dropped whole: libpq-style URLs may carry `password=` there.
pub fn redact_url(url: &str) -> String {
    let url = match url.split_once('?') {
        Some((base, _)) => format!("{base}?…"),
        None => url.to_string(),
    };
    let url = url.as_str();
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}://{}:***@{}", &url[..s], user, &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

impl Stats {
    /// Adds `n` stored records of `kind` (a name of [`RecordKind::as_str`]).
    pub(crate) fn add_records(&mut self, kind: &str, n: u64) {
        match RecordKind::parse(kind) {
            Some(RecordKind::Checkin) => self.checkins += n,
            Some(RecordKind::Declaration) => self.declarations += n,
            Some(RecordKind::Quarantine) => self.quarantines += n,
            Some(RecordKind::HealthUpdate) => self.health_updates += n,
            // The schema's CHECK admits no other kind.
            None => {}
        }
    }
}

/// Pass keys in the order the sync config lists them: byte order (the same
/// on every backend, whatever the database collation), each once.
pub(crate) fn sorted_keys(mut keys: Vec<String>) -> Vec<String> {
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Refuses a device label with control characters (NUL, escapes, line
/// breaks): PostgreSQL cannot store NUL, and labels reach terminals.
pub(crate) fn check_label(label: Option<&str>) -> Result<(), DbError> {
    if label.is_some_and(|l| l.chars().any(char::is_control)) {
        return Err(DbError::Invalid(
            "the device label contains control characters".into(),
        ));
    }
    Ok(())
}

/// A record's time as both stores keep it: the UTC instant, cut to the
/// microsecond (PostgreSQL's precision) so both read back the same.
pub(crate) fn stored_instant(t: &DateTime<FixedOffset>) -> DateTime<Utc> {
    t.with_timezone(&Utc).trunc_subsecs(6)
}

pub(crate) fn scope_parts(scope: &Scope) -> (Option<&str>, Option<&str>) {
    match scope {
        Scope::Venue { venue_id } => (Some(venue_id.as_str()), None),
        Scope::Commune { commune_code } => (None, Some(commune_code.as_str())),
    }
}

pub(crate) fn scope_from_parts(
    venue_id: Option<String>,
    commune_code: Option<String>,
) -> Result<Scope, DbError> {
    match (venue_id, commune_code) {
        (Some(v), _) => Ok(Scope::Venue {
            venue_id: v
                .parse()
                .map_err(|e| DbError::Invalid(format!("stored venue id {v:?}: {e}")))?,
        }),
        (None, Some(c)) => Ok(Scope::Commune { commune_code: c }),
        (None, None) => Err(DbError::Invalid("stored scope is empty".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_redacted() {
        assert_eq!(
            redact_url("postgres://u:secret@127.0.0.1:5432/db"),
            "postgres://u:***@127.0.0.1:5432/db"
        );
        assert_eq!(redact_url("sqlite://x.db"), "sqlite://x.db");
        assert_eq!(
            redact_url("postgres://u@h/db?password=s3cret"),
            "postgres://u:***@h/db?…"
        );
    }
}
