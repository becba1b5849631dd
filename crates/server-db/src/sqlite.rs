//! The embedded store: one SQLite file in WAL mode.
//!
//! SQLite takes one writer at a time, so one connection behind a mutex, used
//! from blocking threads, is as fast as a pool and never sees `SQLITE_BUSY`
//! from itself. `synchronous=FULL`: a batch the server acknowledged must
//! survive a power cut, or the device would drop records the server lost.

use crate::units::{Commune, Units};
use crate::{
    check_label, scope_from_parts, scope_parts, sorted_keys, stored_instant, Database, DbError,
    Device, DeviceFilter, DeviceInfo, ImportCounts, IngestBatch, Ingested, NewDevice, Stats,
    StoredRecord, TokenGrant, TokenProblem,
};
use async_trait::async_trait;
use checkin_core::{AdminUnit, DeviceId, Venue, VenueId};
use checkin_sync::protocol::{RecordStatus, Scope};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::{params, Connection, ErrorCode, OptionalExtension, TransactionBehavior};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        include_str!("../../../migrations/server/sqlite/0001_init.sql"),
    ),
    (
        2,
        include_str!("../../../migrations/server/sqlite/0002_passes_quarantine_units.sql"),
    ),
    (
        3,
        include_str!("../../../migrations/server/sqlite/0003_device_keys_utc_revocation.sql"),
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
            Self::setup(conn, true)
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
        })
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

    async fn import_units(&self, units: &Units) -> Result<ImportCounts, DbError> {
        let units = units.clone();
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            {
                let mut p = tx.prepare(
                    "INSERT INTO provinces (code, name, kind) VALUES (?1, ?2, ?3)
                     ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind",
                )?;
                for x in &units.provinces {
                    p.execute(params![x.code, x.name, x.kind])?;
                }
                let mut d = tx.prepare(
                    "INSERT INTO districts (province_code, code, name, kind) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (province_code, code) DO UPDATE SET name = excluded.name, kind = excluded.kind",
                )?;
                for x in &units.districts {
                    d.execute(params![x.province_code, x.code, x.name, x.kind])?;
                }
                let mut m = tx.prepare(
                    "INSERT INTO communes (province_code, district_code, code, name, kind) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (province_code, code) DO UPDATE SET district_code = excluded.district_code,
                         name = excluded.name, kind = excluded.kind",
                )?;
                for x in &units.communes {
                    m.execute(params![x.province_code, x.district_code, x.code, x.name, x.kind])?;
                }
            }
            tx.execute("UPDATE units_version SET version = version + 1", [])?;
            tx.commit()?;
            Ok(ImportCounts {
                provinces: units.provinces.len() as u64,
                districts: units.districts.len() as u64,
                communes: units.communes.len() as u64,
            })
        })
        .await
    }

    async fn units(&self) -> Result<Vec<AdminUnit>, DbError> {
        self.run(|c| {
            let mut out = Vec::new();
            for sql in [
                "SELECT code, NULL, name, kind FROM provinces ORDER BY code",
                "SELECT code, province_code, name, kind FROM districts ORDER BY code",
                "SELECT code, district_code, name, kind FROM communes ORDER BY code",
            ] {
                let mut stmt = c.prepare_cached(sql)?;
                let rows = stmt.query_map([], |r| {
                    Ok(AdminUnit {
                        code: r.get(0)?,
                        parent: r.get(1)?,
                        name: r.get(2)?,
                        kind: r.get(3)?,
                    })
                })?;
                for row in rows {
                    out.push(row?);
                }
            }
            Ok(out)
        })
        .await
    }

    async fn units_version(&self) -> Result<i64, DbError> {
        self.run(|c| {
            Ok(c.query_row(
                "SELECT COALESCE(MAX(version), 0) FROM units_version",
                [],
                |r| r.get(0),
            )?)
        })
        .await
    }

    async fn commune(&self, code: &str) -> Result<Option<Commune>, DbError> {
        let code = code.to_string();
        self.run(move |c| {
            Ok(c.query_row(
                "SELECT province_code, district_code, code, name, kind FROM communes WHERE code = ?1",
                [code],
                |r| {
                    Ok(Commune {
                        province_code: r.get(0)?,
                        district_code: r.get(1)?,
                        code: r.get(2)?,
                        name: r.get(3)?,
                        kind: r.get(4)?,
                    })
                },
            )
            .optional()?)
        })
        .await
    }

    async fn add_venue(&self, venue: &Venue, province_code: &str) -> Result<(), DbError> {
        let v = venue.clone();
        let p = province_code.to_string();
        self.run(move |c| {
            let n = c.execute(
                "INSERT INTO venues (province_code, id, name, category, commune_code, address, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
                params![p, v.id.as_str(), v.name, v.category.as_str(), v.commune_code, v.address, ts(Utc::now())],
            )?;
            if n == 0 {
                return Err(DbError::Duplicate(format!("venue {}", v.id)));
            }
            Ok(())
        })
        .await
    }

    async fn venue(&self, id: &VenueId) -> Result<Option<Venue>, DbError> {
        let id = id.clone();
        self.run(move |c| {
            let row = c
                .query_row(
                    "SELECT id, name, category, commune_code, address FROM venues WHERE id = ?1",
                    [id.as_str()],
                    venue_from_row,
                )
                .optional()?;
            row.map(to_venue).transpose()
        })
        .await
    }

    async fn venues_in_scope(
        &self,
        scope: &Scope,
        province_code: &str,
    ) -> Result<Vec<Venue>, DbError> {
        let scope = scope.clone();
        let p = province_code.to_string();
        self.run(move |c| {
            let (venue, commune) = scope_parts(&scope);
            let mut stmt = c.prepare_cached(
                "SELECT id, name, category, commune_code, address FROM venues
                 WHERE province_code = ?1 AND (id = ?2 OR commune_code = ?3) ORDER BY id",
            )?;
            let rows = stmt.query_map(params![p, venue, commune], venue_from_row)?;
            let mut out = Vec::new();
            for row in rows {
                out.push(to_venue(row?)?);
            }
            Ok(out)
        })
        .await
    }

    async fn add_enrollment_token(&self, grant: &TokenGrant) -> Result<(), DbError> {
        let g = grant.clone();
        self.run(move |c| {
            let (venue, commune) = scope_parts(&g.scope);
            c.execute(
                "INSERT INTO enrollment_tokens (province_code, token_hash, venue_id, commune_code, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![g.province_code, g.token_hash, venue, commune, ts(g.created_at), ts(g.expires_at)],
            )?;
            Ok(())
        })
        .await
    }

    async fn enroll(
        &self,
        token_hash: &str,
        device: &NewDevice,
        now: DateTime<Utc>,
    ) -> Result<Result<Device, TokenProblem>, DbError> {
        check_label(device.label.as_deref())?;
        let token_hash = token_hash.to_string();
        let device = device.clone();
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let row = tx
                .query_row(
                    "SELECT province_code, venue_id, commune_code, expires_at, used_at
                     FROM enrollment_tokens WHERE token_hash = ?1",
                    [&token_hash],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, Option<String>>(1)?,
                            r.get::<_, Option<String>>(2)?,
                            r.get::<_, String>(3)?,
                            r.get::<_, Option<String>>(4)?,
                        ))
                    },
                )
                .optional()?;
            let Some((province, venue, commune, expires, used)) = row else {
                return Ok(Err(TokenProblem::Unknown));
            };
            if used.is_some() {
                return Ok(Err(TokenProblem::Used));
            }
            if parse_ts(&expires)? <= now {
                return Ok(Err(TokenProblem::Expired));
            }
            let current: Option<(String, Option<String>)> = tx
                .query_row(
                    "SELECT credential_hash, revoked_at FROM devices WHERE id = ?1",
                    [device.id.to_string()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((credential, None)) = &current {
                if Some(credential) != device.proof_hash.as_ref() {
                    return Ok(Err(TokenProblem::DeviceTaken));
                }
            }
            tx.execute(
                "UPDATE enrollment_tokens SET used_at = ?3, used_by = ?4
                 WHERE province_code = ?1 AND token_hash = ?2",
                params![province, token_hash, ts(now), device.id.to_string()],
            )?;
            // Re-enrolling replaces the device's earlier credential and scope,
            // and lifts a revocation.
            tx.execute("DELETE FROM devices WHERE id = ?1", [device.id.to_string()])?;
            tx.execute(
                "INSERT INTO devices (province_code, id, credential_hash, venue_id, commune_code, label,
                     enrolled_at, pass_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![province, device.id.to_string(), device.credential_hash, venue, commune,
                    device.label, ts(now), device.pass_key],
            )?;
            tx.commit()?;
            Ok(Ok(Device {
                id: device.id,
                scope: scope_from_parts(venue, commune)?,
                province_code: province,
                label: device.label,
                revoked_at: None,
            }))
        })
        .await
    }

    async fn pass_keys(&self, province_code: &str, limit: usize) -> Result<Vec<String>, DbError> {
        let p = province_code.to_string();
        self.run(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT pass_key FROM devices
                 WHERE province_code = ?1 AND pass_key IS NOT NULL AND revoked_at IS NULL
                 ORDER BY enrolled_at DESC, id DESC LIMIT ?2",
            )?;
            let rows = stmt
                .query_map(params![p, i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
                    r.get(0)
                })?;
            Ok(sorted_keys(rows.collect::<Result<Vec<String>, _>>()?))
        })
        .await
    }

    async fn device_by_credential(&self, credential_hash: &str) -> Result<Option<Device>, DbError> {
        let h = credential_hash.to_string();
        self.run(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT id, province_code, venue_id, commune_code, label, revoked_at
                 FROM devices WHERE credential_hash = ?1",
            )?;
            let row = stmt
                .query_row([h], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, Option<String>>(5)?,
                    ))
                })
                .optional()?;
            let Some((id, province_code, venue, commune, label, revoked)) = row else {
                return Ok(None);
            };
            Ok(Some(Device {
                id: parse_device_id(&id)?,
                scope: scope_from_parts(venue, commune)?,
                province_code,
                label,
                revoked_at: parse_opt_ts(revoked)?,
            }))
        })
        .await
    }

    async fn devices(&self, filter: &DeviceFilter) -> Result<Vec<DeviceInfo>, DbError> {
        let filter = filter.clone();
        self.run(move |c| {
            let mut stmt = c.prepare(
                "SELECT d.id, d.label, d.venue_id, d.commune_code, d.province_code, d.enrolled_at,
                        d.last_seen_at, d.last_skew_ms, d.revoked_at
                 FROM devices d
                 LEFT JOIN venues v ON v.province_code = d.province_code AND v.id = d.venue_id
                 LEFT JOIN communes m ON m.province_code = d.province_code
                     AND m.code = COALESCE(d.commune_code, v.commune_code)
                 WHERE (?1 IS NULL OR d.province_code = ?1)
                   AND (?2 IS NULL OR m.district_code = ?2)
                   AND (?3 IS NULL OR COALESCE(d.commune_code, v.commune_code) = ?3)
                   AND (?4 IS NULL OR d.venue_id = ?4)
                 ORDER BY d.province_code, d.enrolled_at, d.id",
            )?;
            let rows = stmt.query_map(rusqlite::params_from_iter(filter.parts()), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<i64>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                ))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (id, label, venue, commune, province_code, enrolled, seen, skew, revoked) =
                    row?;
                out.push(DeviceInfo {
                    id: parse_device_id(&id)?,
                    label,
                    scope: scope_from_parts(venue, commune)?,
                    province_code,
                    enrolled_at: parse_ts(&enrolled)?,
                    last_seen_at: parse_opt_ts(seen)?,
                    last_skew_ms: skew,
                    revoked_at: parse_opt_ts(revoked)?,
                });
            }
            Ok(out)
        })
        .await
    }

    async fn revoke_device(&self, id: &DeviceId, at: DateTime<Utc>) -> Result<bool, DbError> {
        let id = id.to_string();
        self.run(move |c| {
            let n = c.execute(
                "UPDATE devices SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                params![id, ts(at)],
            )?;
            if n > 0 {
                return Ok(true);
            }
            let known = c
                .query_row("SELECT 1 FROM devices WHERE id = ?1", [&id], |_| Ok(()))
                .optional()?;
            match known {
                Some(()) => Ok(false),
                None => Err(DbError::NotFound(format!("device {id}"))),
            }
        })
        .await
    }

    async fn ingest(&self, batch: &IngestBatch) -> Result<Vec<Ingested>, DbError> {
        let b = batch.clone();
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut out = Vec::with_capacity(b.records.len());
            {
                let received = ts(b.received_at);
                let device = b.device_id.to_string();
                let mut insert = tx.prepare_cached(
                    "INSERT INTO records (province_code, id, kind, device_id, venue_id, device_time,
                         local_date, received_at, clock_skew_ms, content_hash, body)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT DO NOTHING",
                )?;
                let mut existing = tx.prepare_cached(
                    "SELECT content_hash FROM records
                     WHERE province_code = ?1 AND device_id = ?2 AND id = ?3",
                )?;
                for r in &b.records {
                    let id = r.id.to_string();
                    // A statement that fails on its data is undone alone (SQLite
                    // aborts the statement, not the transaction): the record is
                    // refused and the rest of the batch goes on.
                    let n = match insert.execute(params![
                        b.province_code,
                        id,
                        r.kind.as_str(),
                        device,
                        r.venue_id.as_ref().map(|v| v.as_str()),
                        record_ts(stored_instant(&r.device_time)),
                        r.device_time.date_naive().format("%Y-%m-%d").to_string(),
                        received,
                        b.clock_skew_ms,
                        r.content_hash,
                        r.body,
                    ]) {
                        Ok(n) => n,
                        Err(e) => match refused_data(&e) {
                            Some(what) => {
                                tracing::warn!(device = %b.device_id, record = %r.id, error = %e,
                                    "the database refused a record; the rest of its batch is stored");
                                out.push(Ingested::refused(what));
                                continue;
                            }
                            None => return Err(e.into()),
                        },
                    };
                    let status = if n == 1 {
                        RecordStatus::Accepted
                    } else {
                        let hash: String = existing
                            .query_row(params![b.province_code, device, id], |row| row.get(0))?;
                        if hash == r.content_hash {
                            RecordStatus::Duplicate
                        } else {
                            RecordStatus::Conflict
                        }
                    };
                    out.push(status.into());
                }
                tx.execute(
                    "UPDATE devices SET last_seen_at = ?3, last_skew_ms = ?4 WHERE province_code = ?1 AND id = ?2",
                    params![b.province_code, device, received, b.clock_skew_ms],
                )?;
            }
            tx.commit()?;
            Ok(out)
        })
        .await
    }

    async fn stats(&self) -> Result<Stats, DbError> {
        self.run(|c| {
            let count = |sql: &str| -> Result<u64, DbError> {
                Ok(c.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
            };
            let mut stats = Stats {
                venues: count("SELECT COUNT(*) FROM venues")?,
                devices: count("SELECT COUNT(*) FROM devices")?,
                communes: count("SELECT COUNT(*) FROM communes")?,
                enrollment_tokens: count("SELECT COUNT(*) FROM enrollment_tokens")?,
                ..Stats::default()
            };
            let mut stmt = c.prepare("SELECT kind, COUNT(*) FROM records GROUP BY kind")?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
            for row in rows {
                let (kind, n) = row?;
                stats.add_records(&kind, n as u64);
            }
            Ok(stats)
        })
        .await
    }

    async fn stored_records(&self) -> Result<Vec<StoredRecord>, DbError> {
        self.run(|c| {
            let mut stmt = c.prepare(
                "SELECT id, province_code, device_id, content_hash, device_time, local_date,
                        received_at, clock_skew_ms
                 FROM records ORDER BY id, device_id",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, i64>(7)?,
                ))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (id, province_code, device, content_hash, time, date, received, skew) = row?;
                out.push(StoredRecord {
                    id: id
                        .parse()
                        .map_err(|e| DbError::Invalid(format!("stored record id: {e}")))?,
                    province_code,
                    device_id: parse_device_id(&device)?,
                    content_hash,
                    device_time: parse_ts(&time)?,
                    local_date: date
                        .map(|d| {
                            NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|e| {
                                DbError::Invalid(format!("stored local date {d:?}: {e}"))
                            })
                        })
                        .transpose()?,
                    received_at: parse_ts(&received)?,
                    clock_skew_ms: skew,
                });
            }
            Ok(out)
        })
        .await
    }
}
