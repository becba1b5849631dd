//! Storage of the central server: one trait per concern (units, venues,
//! devices, ingest, reports, accounts), gathered by [`Database`], and one
//! implementation per backend (SQLite, the embedded default; PostgreSQL for
//! production) with a module per concern, chosen at start-up from the
//! database URL, as atuin does. A feature widens only its own trait.
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
//! microsecond (SQLite as fixed-width text that sorts), the visit's time
//! the same way, and its `local_date`, the visit's date in Asia/Ho_Chi_Minh,
//! so reports read the same from either. Ingest also keeps what reports
//! count by (commune, source, direction, verdict, identity key) and adds
//! each stored record to `daily_counts`, which reports read instead of
//! records and which survives the purge of personal data.
pub mod accounts;
mod devices;
pub mod imports;
mod ingest;
mod postgres;
mod reports;
pub mod retention;
mod sqlite;
pub mod tracing_store;
pub mod trust_list;
pub mod units;
mod venues;

pub use accounts::{AccountStore, NewSession, Role, User, UserChange};
pub use devices::{
    Device, DeviceInfo, DeviceStore, NewDevice, TokenGrant, TokenProblem, UnitFilter, MAX_PASS_KEYS,
};
pub use imports::{ImportStore, Population, ReportedFigure, RosterMember};
pub use ingest::{IncomingRecord, IngestBatch, IngestStore, Ingested, StoredRecord};
pub use postgres::PostgresDb;
pub use reports::{
    Area, By, CountQuery, CountRow, Reconciled, ReportStore, RowQuery, Stats, TableRow,
};
pub use retention::{Purged, RetentionStore};
pub use sqlite::SqliteDb;
pub use tracing_store::{AuditEntry, TraceStore, Visit, MAX_TRACE_ROWS};
pub use trust_list::{StoredTrustList, TrustListStore};
pub use units::{Commune, District, ImportCounts, Province, UnitStore, Units};
pub use venues::{VenueListing, VenueRegistration, VenueStore};

pub(crate) use devices::{check_label, scope_from_parts, scope_parts, sorted_keys};
pub(crate) use ingest::stored_instant;

use async_trait::async_trait;
use std::sync::Arc;
use thiserror::Error;

/// Every trait a caller may need, for `use checkin_server_db::prelude::*`.
pub mod prelude {
    pub use crate::{
        AccountStore, Database, DeviceStore, ImportStore, IngestStore, ReportStore, RetentionStore,
        TraceStore, TrustListStore, UnitStore, VenueStore,
    };
}

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

/// The server's storage: one store per concern, and readiness. Each
/// feature widens only its own trait; implementations are safe to share
/// between tasks.
#[async_trait]
pub trait Database:
    UnitStore
    + VenueStore
    + DeviceStore
    + IngestStore
    + ReportStore
    + AccountStore
    + RetentionStore
    + TraceStore
    + TrustListStore
    + ImportStore
    + std::fmt::Debug
{
    /// Checks the store answers and can be written now (readiness): takes
    /// the write lock and lets it go, failing within about a second when
    /// another process holds it or the server is read-only.
    async fn ping(&self) -> Result<(), DbError>;
    /// The secret named `name` that every instance shares (the venue-link
    /// key, the key that signs the server's visitor passes): `fresh` is
    /// stored when there is none yet, and every caller gets the stored one.
    async fn server_key(&self, name: &str, fresh: &[u8]) -> Result<Vec<u8>, DbError>;
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
