//! The embedded store: one SQLite file in WAL mode.
//!
//! SQLite takes one writer at a time, so one connection behind a mutex, used
//! from blocking threads, is as fast as a pool and never sees `SQLITE_BUSY`
//! from itself. `synchronous=FULL`: a batch the server acknowledged must
//! survive a power cut, or the device would drop records the server lost.

mod accounts;
mod devices;
mod imports;
mod ingest;
mod reports;
mod retention;
mod trace;
mod trust_list;
mod units;
mod venues;

use crate::ingest::Communes;
use crate::units::{Commune, Units};
use crate::{
    check_label, scope_from_parts, scope_parts, sorted_keys, stored_instant, Database, DbError,
    Device, DeviceInfo, ImportCounts, IngestBatch, Ingested, NewDevice, Stats, StoredRecord,
    TokenGrant, TokenProblem, UnitFilter,
};
use async_trait::async_trait;
use checkin_core::{AdminUnit, DeviceId, Venue, VenueId};
use checkin_sync::protocol::{RecordStatus, Scope};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::{params, Connection, ErrorCode, OptionalExtension, TransactionBehavior};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        include_str!("../../../../migrations/server/sqlite/0001_init.sql"),
    ),
    (
        2,
        include_str!("../../../../migrations/server/sqlite/0002_passes_quarantine_units.sql"),
    ),
    (
        3,
        include_str!("../../../../migrations/server/sqlite/0003_device_keys_utc_revocation.sql"),
    ),
    (
        4,
        include_str!("../../../../migrations/server/sqlite/0004_report_facts.sql"),
    ),
    (
        5,
        include_str!("../../../../migrations/server/sqlite/0005_accounts.sql"),
    ),
    (
        6,
        include_str!("../../../../migrations/server/sqlite/0006_tracing_audit.sql"),
    ),
    (
        7,
        include_str!(
            "../../../../migrations/server/sqlite/0007_coverage_roster_reconciliation.sql"
        ),
    ),
    (
        8,
        include_str!("../../../../migrations/server/sqlite/0008_commune_counts.sql"),
    ),
    (
        9,
        include_str!("../../../../migrations/server/sqlite/0009_reconciliation_index.sql"),
    ),
    (
        10,
        include_str!("../../../../migrations/server/sqlite/0010_declarant_days.sql"),
    ),
    (
        11,
        include_str!("../../../../migrations/server/sqlite/0011_server_keys.sql"),
    ),
    (
        12,
        include_str!("../../../../migrations/server/sqlite/0012_trust_list.sql"),
    ),
    (
        13,
        include_str!("../../../../migrations/server/sqlite/0013_records_rowid.sql"),
    ),
    (
        14,
        include_str!("../../../../migrations/server/sqlite/0014_venue_weeks.sql"),
    ),
];

/// How long a statement waits for another process's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// How long readiness waits for the write lock: a probe must answer fast.
const READY_BUSY_TIMEOUT: Duration = Duration::from_secs(1);

/// The SQLite implementation of [`Database`].
#[derive(Clone)]
pub struct SqliteDb {
    conn: Arc<Mutex<Connection>>,
    /// A read-only connection for the lookup every device request makes
    /// (its credential): in WAL mode it reads beside a batch being written
    /// instead of queueing behind it on `conn`. `None` in memory, where a
    /// second connection would be another database.
    reader: Option<Arc<Mutex<Connection>>>,
}

impl std::fmt::Debug for SqliteDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SqliteDb")
    }
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn parse_ts(s: &str) -> Result<DateTime<Utc>, DbError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| DbError::Invalid(format!("stored time {s:?}: {e}")))
}

/// A stored local date; `what` names it in the error.
fn parse_date(s: &str, what: &str) -> Result<NaiveDate, DbError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| DbError::Invalid(format!("stored {what} {s:?}: {e}")))
}

fn parse_opt_ts(s: Option<String>) -> Result<Option<DateTime<Utc>>, DbError> {
    s.as_deref().map(parse_ts).transpose()
}

/// A record's `device_time` column: `YYYY-MM-DDTHH:MM:SS.ffffffZ`, one
/// width for years 0 to 9999, so text order is time order.
fn record_ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn parse_device_id(s: &str) -> Result<DeviceId, DbError> {
    s.parse()
        .map_err(|e| DbError::Invalid(format!("stored device id: {e}")))
}

/// Errors of one record's data (a constraint, a type, a size), which leave
/// the transaction open; anything else (I/O, full disk, lock) fails the batch.
/// SQLite could not take a lock in time.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

fn refused_data(e: &rusqlite::Error) -> Option<&'static str> {
    match e.sqlite_error_code()? {
        ErrorCode::ConstraintViolation => Some("SQLite constraint"),
        ErrorCode::TypeMismatch => Some("SQLite type mismatch"),
        ErrorCode::TooBig => Some("SQLite value too big"),
        _ => None,
    }
}

/// Makes the database file owner-only before SQLite opens it: SQLite gives
/// its -wal and -shm files the main file's mode. A file made readable by
/// others earlier (0644 before this) is tightened, with one warning.
#[cfg(unix)]
fn private_files(path: &Path) -> Result<(), DbError> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let io = |p: &Path, e: std::io::Error| DbError::Open(format!("{}: {e}", p.display()));
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(io(path, e)),
    }
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let p = Path::new(&name);
        let mode = match std::fs::metadata(p) {
            Ok(m) => m.permissions().mode(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io(p, e)),
        };
        if mode & 0o077 != 0 {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode & 0o700))
                .map_err(|e| io(p, e))?;
            tracing::warn!(file = %p.display(), was = format!("{:o}", mode & 0o777),
                "the database file was readable by other users; made it owner-only");
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn private_files(_path: &Path) -> Result<(), DbError> {
    Ok(())
}

fn migrate(conn: &mut Connection) -> Result<(), DbError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
    )?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let current: i64 = tx.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
        [],
        |r| r.get(0),
    )?;
    let supported = MIGRATIONS.last().map_or(0, |m| m.0);
    if current > supported {
        return Err(DbError::NewerSchema {
            found: current,
            supported,
        });
    }
    for (version, sql) in MIGRATIONS.iter().filter(|m| m.0 > current) {
        tx.execute_batch(sql)
            .map_err(|e| DbError::Migration(format!("sqlite migration {version}: {e}")))?;
        if *version == 4 {
            ingest::backfill_facts(&tx)
                .map_err(|e| DbError::Migration(format!("sqlite migration 4 backfill: {e}")))?;
        }
        if *version == 7 {
            ingest::backfill_declarants(&tx)
                .map_err(|e| DbError::Migration(format!("sqlite migration 7 backfill: {e}")))?;
        }
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
            params![version, ts(Utc::now())],
        )?;
    }
    tx.commit()?;
    Ok(())
}

impl SqliteDb {
    /// Opens (creating) the file at `path` and applies migrations.
    pub async fn open(path: &Path) -> Result<Self, DbError> {
        let path = path.to_path_buf();
        tokio::task::spawn_blocking(move || {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .map_err(|e| DbError::Open(format!("{}: {e}", dir.display())))?;
            }
            private_files(&path)?;
            let conn = Connection::open(&path)
                .map_err(|e| DbError::Open(format!("{}: {e}", path.display())))?;
            let mut db = Self::setup(conn, true)?;
            // Opened after the migrations, so it sees the whole schema.
            let reader = Connection::open_with_flags(
                &path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                    | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|e| DbError::Open(format!("{}: {e}", path.display())))?;
            reader.busy_timeout(BUSY_TIMEOUT)?;
            db.reader = Some(Arc::new(Mutex::new(reader)));
            Ok(db)
        })
        .await
        .map_err(|e| DbError::Task(e.to_string()))?
    }

    /// A private in-memory store (tests).
    pub async fn open_in_memory() -> Result<Self, DbError> {
        Self::setup(Connection::open_in_memory()?, false)
    }

    fn setup(mut conn: Connection, wal: bool) -> Result<Self, DbError> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        if wal {
            let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(DbError::Open(format!("journal_mode=WAL refused: {mode}")));
            }
        }
        conn.execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")?;
        migrate(&mut conn)?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
            reader: None,
        })
    }

    /// Runs a read on the read-only connection (the writer's when there is
    /// none). Reads see every committed write, from this process or another.
    async fn run_read<T, F>(&self, f: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, DbError> + Send + 'static,
    {
        let Some(reader) = self.reader.clone() else {
            return self.run(f).await;
        };
        tokio::task::spawn_blocking(move || {
            let mut guard = reader.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut guard)
        })
        .await
        .map_err(|e| DbError::Task(e.to_string()))?
    }

    /// A point read (one indexed row, microseconds) on the calling thread
    /// when the read connection is free: cheaper than the hop to the
    /// blocking pool and back that [`Self::run_read`] makes. A WAL reader
    /// does not wait for the writer; in the rare cases SQLite says busy
    /// (another process recovering the WAL, say) the read is not waited
    /// for here but made again on the blocking pool, which may wait.
    async fn run_point_read<T, F>(&self, f: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, DbError> + Clone + Send + 'static,
    {
        if let Some(reader) = &self.reader {
            if let Ok(mut guard) = reader.try_lock() {
                guard.busy_timeout(Duration::ZERO)?;
                let got = (f.clone())(&mut guard);
                guard.busy_timeout(BUSY_TIMEOUT)?;
                match got {
                    Err(DbError::Sqlite(e)) if is_busy(&e) => {}
                    done => return done,
                }
            }
        }
        self.run_read(f).await
    }

    async fn run<T, F>(&self, f: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, DbError> + Send + 'static,
    {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            // A panic while holding the lock poisons it; the connection itself
            // is still consistent (SQLite rolls back the open transaction).
            let mut guard = conn.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut guard)
        })
        .await
        .map_err(|e| DbError::Task(e.to_string()))?
    }
}

fn venue_from_row(
    r: &rusqlite::Row<'_>,
) -> rusqlite::Result<(String, String, String, String, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

fn to_venue(row: (String, String, String, String, String)) -> Result<Venue, DbError> {
    let (id, name, category, commune_code, address) = row;
    Ok(Venue {
        id: id
            .parse()
            .map_err(|e| DbError::Invalid(format!("stored venue id {id:?}: {e}")))?,
        name,
        category: category.parse().map_err(DbError::Invalid)?,
        commune_code,
        address,
    })
}

#[async_trait]
impl Database for SqliteDb {
    async fn server_key(&self, name: &str, fresh: &[u8]) -> Result<Vec<u8>, DbError> {
        let fresh = fresh.to_vec();
        let name = name.to_string();
        self.run(move |c| {
            c.execute(
                "INSERT INTO server_keys (name, secret, created_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT DO NOTHING",
                params![name, fresh, ts(Utc::now())],
            )?;
            Ok(c.query_row(
                "SELECT secret FROM server_keys WHERE name = ?1",
                params![name],
                |r| r.get(0),
            )?)
        })
        .await
    }

    async fn ping(&self) -> Result<(), DbError> {
        // `SELECT 1` never touches the file: only taking the write lock shows
        // that a batch could be stored now.
        self.run(|c| {
            c.busy_timeout(READY_BUSY_TIMEOUT)?;
            let began = c.execute_batch("BEGIN IMMEDIATE");
            let ended = if began.is_ok() {
                c.execute_batch("ROLLBACK")
            } else {
                Ok(())
            };
            c.busy_timeout(BUSY_TIMEOUT)?;
            began?;
            ended?;
            Ok(())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_busy_point_read_waits_on_the_blocking_pool_not_on_the_worker() {
        let dir = tempfile::tempdir().unwrap();
        let db = SqliteDb::open(&dir.path().join("s.db")).await.unwrap();
        // The writer takes the file for itself: every other connection,
        // the read connection too, is busy until it lets go.
        db.conn
            .lock()
            .unwrap()
            .execute_batch(
                "PRAGMA locking_mode = EXCLUSIVE;
                 CREATE TABLE probe (x INTEGER); INSERT INTO probe VALUES (7);",
            )
            .unwrap();
        let lookup = {
            let db = db.clone();
            tokio::spawn(async move {
                db.run_point_read(|c| Ok(c.query_row("SELECT x FROM probe", [], |r| r.get(0))?))
                    .await
            })
        };
        // On this single-threaded runtime, a read that waited out SQLite's
        // busy timeout on the worker would finish (failed) before this
        // task ran again, and the lock below would never be let go in time.
        tokio::task::yield_now().await;
        assert!(!lookup.is_finished(), "the file is locked: nobody can read");
        db.conn
            .lock()
            .unwrap()
            .execute_batch("PRAGMA locking_mode = NORMAL; SELECT x FROM probe;")
            .unwrap();
        let x: i64 = lookup.await.unwrap().unwrap();
        assert_eq!(x, 7);
    }
}
