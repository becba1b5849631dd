//! The production store: PostgreSQL through a connection pool.
//!
//! A batch is two statements in one transaction: an `unnest` insert with
//! `ON CONFLICT DO NOTHING RETURNING id`, and, only when some rows already
//! existed, one lookup of their content hashes to tell duplicates from
//! conflicts. Every key includes `province_code`, so on Citus the whole
//! transaction stays on the shard of the device's province. When the
//! database refuses the data of some record (SQLSTATE class 22 or 23), the
//! batch is tried again record by record, each under a savepoint, so only
//! that record is rejected; a normal batch pays nothing for this.

use crate::units::{Commune, Units};
use crate::{
    check_label, scope_from_parts, scope_parts, sorted_keys, stored_instant, Database, DbError,
    Device, DeviceFilter, DeviceInfo, ImportCounts, IncomingRecord, IngestBatch, Ingested,
    NewDevice, Stats, StoredRecord, TokenGrant, TokenProblem,
};
use async_trait::async_trait;
use checkin_core::{AdminUnit, DeviceId, RecordId, Venue, VenueId};
use checkin_sync::protocol::{RecordStatus, Scope};
use chrono::{DateTime, NaiveDate, Utc};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Transaction};
use std::collections::{HashMap, HashSet};
use tokio_postgres::NoTls;
use uuid::Uuid;

const MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        include_str!("../../../migrations/server/postgres/0001_init.sql"),
    ),
    (
        2,
        include_str!("../../../migrations/server/postgres/0002_passes_quarantine_units.sql"),
    ),
    (
        3,
        include_str!("../../../migrations/server/postgres/0003_device_keys_utc_revocation.sql"),
    ),
];

/// An arbitrary constant naming the advisory lock that serialises migrations
/// when several server processes start at once.
const MIGRATION_LOCK: i64 = 0x0063_6b69_6e6d_6967;

/// The PostgreSQL implementation of [`Database`].
#[derive(Clone)]
pub struct PostgresDb {
    pool: Pool,
}

impl std::fmt::Debug for PostgresDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PostgresDb")
    }
}

fn pool_err(e: impl std::fmt::Display) -> DbError {
    DbError::Pool(e.to_string())
}

/// A PostgreSQL error for the log: the server's message and SQLSTATE, never
/// its DETAIL (which can quote a whole row, personal data included).
pub(crate) fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
        None => match std::error::Error::source(e) {
            Some(cause) => format!("{e}: {cause}"),
            None => e.to_string(),
        },
    }
}

/// The SQLSTATE of an error about one record's data: class 22 (data
/// exception: a value out of range, bad text) or 23 (integrity constraint).
/// Anything else (connection, pool, locks, server) fails the whole batch.
fn refused_data(e: &tokio_postgres::Error) -> Option<&str> {
    let code = e.code()?.code();
    (code.starts_with("22") || code.starts_with("23")).then_some(code)
}

fn to_venue(r: &tokio_postgres::Row) -> Result<Venue, DbError> {
    let id: String = r.get(0);
    let category: String = r.get(2);
    Ok(Venue {
        id: id
            .parse()
            .map_err(|e| DbError::Invalid(format!("stored venue id {id:?}: {e}")))?,
        name: r.get(1),
        category: category.parse().map_err(DbError::Invalid)?,
        commune_code: r.get(3),
        address: r.get(4),
    })
}

impl PostgresDb {
    /// Connects a pool to `url` and applies pending migrations.
    pub async fn connect(url: &str) -> Result<Self, DbError> {
        let config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| DbError::Open(format!("bad PostgreSQL URL: {e}")))?;
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(16)
            .build()
            .map_err(pool_err)?;
        let db = Self { pool };
        db.migrate().await?;
        Ok(db)
    }

    async fn migrate(&self) -> Result<(), DbError> {
        let mut client = self.pool.get().await.map_err(pool_err)?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)",
        )
        .await?;
        let current: i64 = tx
            .query_one(
                "SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_migrations",
                &[],
            )
            .await?
            .get(0);
        let supported = MIGRATIONS.last().map_or(0, |m| m.0);
        if current > supported {
            return Err(DbError::NewerSchema {
                found: current,
                supported,
            });
        }
        for (version, sql) in MIGRATIONS.iter().filter(|m| m.0 > current) {
            tx.batch_execute(sql)
                .await
                .map_err(|e| DbError::Migration(format!("postgres migration {version}: {e}")))?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, now())",
                &[version],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

#[async_trait]
impl Database for PostgresDb {
    async fn ping(&self) -> Result<(), DbError> {
        // A write that touches no row: refused on a standby or a read-only
        // server (SQLSTATE 25006) before any row is read, and writes no WAL.
        let c = self.pool.get().await.map_err(pool_err)?;
        c.execute(
            "UPDATE units_version SET version = version WHERE false",
            &[],
        )
        .await?;
        Ok(())
    }

    async fn import_units(&self, units: &Units) -> Result<ImportCounts, DbError> {
        let mut c = self.pool.get().await.map_err(pool_err)?;
        let tx = c.transaction().await?;
        let col = |f: &dyn Fn(usize) -> String, n: usize| (0..n).map(f).collect::<Vec<_>>();
        let p = &units.provinces;
        tx.execute(
            "INSERT INTO provinces (code, name, kind) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind",
            &[
                &col(&|i| p[i].code.clone(), p.len()),
                &col(&|i| p[i].name.clone(), p.len()),
                &col(&|i| p[i].kind.clone(), p.len()),
            ],
        )
        .await?;
        let d = &units.districts;
        tx.execute(
            "INSERT INTO districts (province_code, code, name, kind)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
             ON CONFLICT (province_code, code) DO UPDATE SET name = excluded.name, kind = excluded.kind",
            &[
                &col(&|i| d[i].province_code.clone(), d.len()),
                &col(&|i| d[i].code.clone(), d.len()),
                &col(&|i| d[i].name.clone(), d.len()),
                &col(&|i| d[i].kind.clone(), d.len()),
            ],
        )
        .await?;
        let m = &units.communes;
        tx.execute(
            "INSERT INTO communes (province_code, district_code, code, name, kind)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
             ON CONFLICT (province_code, code) DO UPDATE SET district_code = excluded.district_code,
                 name = excluded.name, kind = excluded.kind",
            &[
                &col(&|i| m[i].province_code.clone(), m.len()),
                &col(&|i| m[i].district_code.clone(), m.len()),
                &col(&|i| m[i].code.clone(), m.len()),
                &col(&|i| m[i].name.clone(), m.len()),
                &col(&|i| m[i].kind.clone(), m.len()),
            ],
        )
        .await?;
        tx.execute("UPDATE units_version SET version = version + 1", &[])
            .await?;
        tx.commit().await?;
        Ok(ImportCounts {
            provinces: p.len() as u64,
            districts: d.len() as u64,
            communes: m.len() as u64,
        })
    }

    async fn units(&self) -> Result<Vec<AdminUnit>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let mut out = Vec::new();
        for sql in [
            "SELECT code, NULL::text, name, kind FROM provinces ORDER BY code",
            "SELECT code, province_code, name, kind FROM districts ORDER BY code",
            "SELECT code, district_code, name, kind FROM communes ORDER BY code",
        ] {
            out.extend(c.query(sql, &[]).await?.iter().map(|r| AdminUnit {
                code: r.get(0),
                parent: r.get(1),
                name: r.get(2),
                kind: r.get(3),
            }));
        }
        Ok(out)
    }

    async fn units_version(&self) -> Result<i64, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let stmt = c
            .prepare_cached("SELECT COALESCE(MAX(version), 0)::BIGINT FROM units_version")
            .await?;
        Ok(c.query_one(&stmt, &[]).await?.get(0))
    }

    async fn commune(&self, code: &str) -> Result<Option<Commune>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let row = c
            .query_opt(
                "SELECT province_code, district_code, code, name, kind FROM communes WHERE code = $1",
                &[&code],
            )
            .await?;
        Ok(row.map(|r| Commune {
            province_code: r.get(0),
            district_code: r.get(1),
            code: r.get(2),
            name: r.get(3),
            kind: r.get(4),
        }))
    }

    async fn add_venue(&self, venue: &Venue, province_code: &str) -> Result<(), DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let n = c
            .execute(
                "INSERT INTO venues (province_code, id, name, category, commune_code, address, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, now()) ON CONFLICT DO NOTHING",
                &[
                    &province_code,
                    &venue.id.as_str(),
                    &venue.name,
                    &venue.category.as_str(),
                    &venue.commune_code,
                    &venue.address,
                ],
            )
            .await?;
        if n == 0 {
            return Err(DbError::Duplicate(format!("venue {}", venue.id)));
        }
        Ok(())
    }

    async fn venue(&self, id: &VenueId) -> Result<Option<Venue>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        // Ids made by the server name their province: use it to stay on one shard.
        let row = match id.province_code() {
            Some(p) => {
                c.query_opt(
                    "SELECT id, name, category, commune_code, address FROM venues WHERE province_code = $1 AND id = $2",
                    &[&p, &id.as_str()],
                )
                .await?
            }
            None => {
                c.query_opt(
                    "SELECT id, name, category, commune_code, address FROM venues WHERE id = $1",
                    &[&id.as_str()],
                )
                .await?
            }
        };
        row.as_ref().map(to_venue).transpose()
    }

    async fn venues_in_scope(
        &self,
        scope: &Scope,
        province_code: &str,
    ) -> Result<Vec<Venue>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let (venue, commune) = scope_parts(scope);
        let rows = c
            .query(
                "SELECT id, name, category, commune_code, address FROM venues
                 WHERE province_code = $1 AND (id = $2 OR commune_code = $3) ORDER BY id",
                &[&province_code, &venue, &commune],
            )
            .await?;
        rows.iter().map(to_venue).collect()
    }

    async fn add_enrollment_token(&self, grant: &TokenGrant) -> Result<(), DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let (venue, commune) = scope_parts(&grant.scope);
        c.execute(
            "INSERT INTO enrollment_tokens (province_code, token_hash, venue_id, commune_code, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &grant.province_code,
                &grant.token_hash,
                &venue,
                &commune,
                &grant.created_at,
                &grant.expires_at,
            ],
        )
        .await?;
        Ok(())
    }

    async fn enroll(
        &self,
        token_hash: &str,
        device: &NewDevice,
        now: DateTime<Utc>,
    ) -> Result<Result<Device, TokenProblem>, DbError> {
        check_label(device.label.as_deref())?;
        let mut c = self.pool.get().await.map_err(pool_err)?;
        let tx = c.transaction().await?;
        // FOR UPDATE: two devices racing with one token cannot both win.
        let row = tx
            .query_opt(
                "SELECT province_code, venue_id, commune_code, expires_at, used_at
                 FROM enrollment_tokens WHERE token_hash = $1 FOR UPDATE",
                &[&token_hash],
            )
            .await?;
        let Some(row) = row else {
            return Ok(Err(TokenProblem::Unknown));
        };
        let province: String = row.get(0);
        let venue: Option<String> = row.get(1);
        let commune: Option<String> = row.get(2);
        let expires: DateTime<Utc> = row.get(3);
        let used: Option<DateTime<Utc>> = row.get(4);
        if used.is_some() {
            return Ok(Err(TokenProblem::Used));
        }
        if expires <= now {
            return Ok(Err(TokenProblem::Expired));
        }
        let device_id = device.id.to_string();
        let current: Option<(String, Option<DateTime<Utc>>)> = tx
            .query_opt(
                "SELECT credential_hash, revoked_at FROM devices WHERE id = $1 FOR UPDATE",
                &[&device_id],
            )
            .await?
            .map(|r| (r.get(0), r.get(1)));
        // A revoked device needs only the new token: its credential is what was lost.
        if let Some((credential, None)) = &current {
            if Some(credential) != device.proof_hash.as_ref() {
                return Ok(Err(TokenProblem::DeviceTaken));
            }
        }
        tx.execute(
            "UPDATE enrollment_tokens SET used_at = $3, used_by = $4 WHERE province_code = $1 AND token_hash = $2",
            &[&province, &token_hash, &now, &device_id],
        )
        .await?;
        // Re-enrolling replaces the credential and scope, and lifts a revocation.
        tx.execute("DELETE FROM devices WHERE id = $1", &[&device_id])
            .await?;
        tx.execute(
            "INSERT INTO devices (province_code, id, credential_hash, venue_id, commune_code, label,
                 enrolled_at, pass_key)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &province,
                &device_id,
                &device.credential_hash,
                &venue,
                &commune,
                &device.label,
                &now,
                &device.pass_key,
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(Device {
            id: device.id,
            scope: scope_from_parts(venue, commune)?,
            province_code: province,
            label: device.label.clone(),
            revoked_at: None,
        }))
    }

    async fn pass_keys(&self, province_code: &str, limit: usize) -> Result<Vec<String>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let stmt = c
            .prepare_cached(
                "SELECT pass_key FROM devices
                 WHERE province_code = $1 AND pass_key IS NOT NULL AND revoked_at IS NULL
                 ORDER BY enrolled_at DESC, id DESC LIMIT $2",
            )
            .await?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = c.query(&stmt, &[&province_code, &limit]).await?;
        Ok(sorted_keys(rows.iter().map(|r| r.get(0)).collect()))
    }

    async fn device_by_credential(&self, credential_hash: &str) -> Result<Option<Device>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let stmt = c
            .prepare_cached(
                "SELECT id, province_code, venue_id, commune_code, label, revoked_at
                 FROM devices WHERE credential_hash = $1",
            )
            .await?;
        let row = c.query_opt(&stmt, &[&credential_hash]).await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(Device {
            id: parse_device_id(r.get(0))?,
            province_code: r.get(1),
            scope: scope_from_parts(r.get(2), r.get(3))?,
            label: r.get(4),
            revoked_at: r.get(5),
        }))
    }

    async fn devices(&self, filter: &DeviceFilter) -> Result<Vec<DeviceInfo>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let [province, district, commune, venue] = filter.parts();
        let rows = c
            .query(
                "SELECT d.id, d.label, d.venue_id, d.commune_code, d.province_code, d.enrolled_at,
                        d.last_seen_at, d.last_skew_ms, d.revoked_at
                 FROM devices d
                 LEFT JOIN venues v ON v.province_code = d.province_code AND v.id = d.venue_id
                 LEFT JOIN communes m ON m.province_code = d.province_code
                     AND m.code = COALESCE(d.commune_code, v.commune_code)
                 WHERE ($1::text IS NULL OR d.province_code = $1)
                   AND ($2::text IS NULL OR m.district_code = $2)
                   AND ($3::text IS NULL OR COALESCE(d.commune_code, v.commune_code) = $3)
                   AND ($4::text IS NULL OR d.venue_id = $4)
                 ORDER BY d.province_code, d.enrolled_at, d.id",
                &[&province, &district, &commune, &venue],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(DeviceInfo {
                    id: parse_device_id(r.get(0))?,
                    label: r.get(1),
                    scope: scope_from_parts(r.get(2), r.get(3))?,
                    province_code: r.get(4),
                    enrolled_at: r.get(5),
                    last_seen_at: r.get(6),
                    last_skew_ms: r.get(7),
                    revoked_at: r.get(8),
                })
            })
            .collect()
    }

    async fn revoke_device(&self, id: &DeviceId, at: DateTime<Utc>) -> Result<bool, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let id = id.to_string();
        let n = c
            .execute(
                "UPDATE devices SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
                &[&id, &at],
            )
            .await?;
        if n > 0 {
            return Ok(true);
        }
        match c
            .query_opt("SELECT 1 FROM devices WHERE id = $1", &[&id])
            .await?
        {
            Some(_) => Ok(false),
            None => Err(DbError::NotFound(format!("device {id}"))),
        }
    }

    async fn ingest(&self, batch: &IngestBatch) -> Result<Vec<Ingested>, DbError> {
        let mut c = self.pool.get().await.map_err(pool_err)?;
        let tx = c.transaction().await?;
        let first = match insert_records(&tx, batch, &batch.records).await {
            Ok(statuses) => Some(statuses.into_iter().map(Ingested::from).collect()),
            Err(e) => match refused_data(&e) {
                Some(code) => {
                    tracing::warn!(device = %batch.device_id, sqlstate = code, error = %describe(&e),
                        "the database refused a record of a batch; storing it record by record");
                    None
                }
                None => return Err(e.into()),
            },
        };
        let (tx, out) = match first {
            Some(out) => (tx, out),
            None => {
                tx.rollback().await?;
                let mut tx = c.transaction().await?;
                let out = insert_one_by_one(&mut tx, batch).await?;
                (tx, out)
            }
        };
        let seen = tx
            .prepare_cached(
                "UPDATE devices SET last_seen_at = $3, last_skew_ms = $4 WHERE province_code = $1 AND id = $2",
            )
            .await?;
        tx.execute(
            &seen,
            &[
                &batch.province_code,
                &batch.device_id.to_string(),
                &batch.received_at,
                &batch.clock_skew_ms,
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn stats(&self) -> Result<Stats, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let r = c
            .query_one(
                "SELECT (SELECT COUNT(*) FROM venues), (SELECT COUNT(*) FROM devices),
                        (SELECT COUNT(*) FROM communes), (SELECT COUNT(*) FROM enrollment_tokens)",
                &[],
            )
            .await?;
        let g = |i: usize| r.get::<_, i64>(i) as u64;
        let mut stats = Stats {
            venues: g(0),
            devices: g(1),
            communes: g(2),
            enrollment_tokens: g(3),
            ..Stats::default()
        };
        for row in c
            .query("SELECT kind, COUNT(*) FROM records GROUP BY kind", &[])
            .await?
        {
            stats.add_records(row.get(0), row.get::<_, i64>(1) as u64);
        }
        Ok(stats)
    }

    async fn stored_records(&self) -> Result<Vec<StoredRecord>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let rows = c
            .query(
                "SELECT id, province_code, device_id, content_hash, device_time, local_date,
                        received_at, clock_skew_ms
                 FROM records ORDER BY id, device_id",
                &[],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| StoredRecord {
                id: RecordId(r.get(0)),
                province_code: r.get(1),
                device_id: DeviceId(r.get(2)),
                content_hash: r.get(3),
                device_time: r.get(4),
                local_date: r.get(5),
                received_at: r.get(6),
                clock_skew_ms: r.get(7),
            })
            .collect())
    }
}

fn parse_device_id(id: &str) -> Result<DeviceId, DbError> {
    id.parse()
        .map_err(|e| DbError::Invalid(format!("stored device id: {e}")))
}

/// Inserts `records` of `batch` in one statement; per record, in order,
/// `Accepted`, `Duplicate` or `Conflict`. An error leaves `tx` aborted.
async fn insert_records(
    tx: &Transaction<'_>,
    batch: &IngestBatch,
    records: &[IncomingRecord],
) -> Result<Vec<RecordStatus>, tokio_postgres::Error> {
    let n = records.len();
    let ids: Vec<Uuid> = records.iter().map(|r| r.id.0).collect();
    let kinds: Vec<&str> = records.iter().map(|r| r.kind.as_str()).collect();
    let venues: Vec<Option<&str>> = records
        .iter()
        .map(|r| r.venue_id.as_ref().map(|v| v.as_str()))
        .collect();
    let times: Vec<DateTime<Utc>> = records
        .iter()
        .map(|r| stored_instant(&r.device_time))
        .collect();
    let dates: Vec<NaiveDate> = records.iter().map(|r| r.device_time.date_naive()).collect();
    let hashes: Vec<&str> = records.iter().map(|r| r.content_hash.as_str()).collect();
    let bodies: Vec<&str> = records.iter().map(|r| r.body.as_str()).collect();
    // Cached per connection: a batch costs no statement preparation.
    let insert = tx
        .prepare_cached(
            "INSERT INTO records (province_code, id, kind, device_id, venue_id, device_time,
                 local_date, received_at, clock_skew_ms, content_hash, body)
             SELECT $1, u.id, u.kind, $2, u.venue_id, u.device_time, u.local_date, $3, $4,
                 u.content_hash, u.body
             FROM unnest($5::uuid[], $6::text[], $7::text[], $8::timestamptz[], $9::date[],
                         $10::text[], $11::text[])
                 AS u(id, kind, venue_id, device_time, local_date, content_hash, body)
             ON CONFLICT DO NOTHING RETURNING id",
        )
        .await?;
    let inserted: HashSet<Uuid> = tx
        .query(
            &insert,
            &[
                &batch.province_code,
                &batch.device_id.0,
                &batch.received_at,
                &batch.clock_skew_ms,
                &ids,
                &kinds,
                &venues,
                &times,
                &dates,
                &hashes,
                &bodies,
            ],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let stored: HashMap<Uuid, String> = if inserted.len() < n {
        let select = tx
            .prepare_cached(
                "SELECT id, content_hash FROM records
                 WHERE province_code = $1 AND device_id = $2 AND id = ANY($3)",
            )
            .await?;
        tx.query(&select, &[&batch.province_code, &batch.device_id.0, &ids])
            .await?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect()
    } else {
        HashMap::new()
    };
    // The same id twice in one batch: the first is the insert, later ones
    // compare with what was stored.
    let mut claimed = HashSet::new();
    Ok(records
        .iter()
        .map(|r| {
            if inserted.contains(&r.id.0) && claimed.insert(r.id.0) {
                RecordStatus::Accepted
            } else {
                let stored_hash = stored.get(&r.id.0).map(String::as_str);
                if stored_hash == Some(r.content_hash.as_str()) || stored_hash.is_none() {
                    RecordStatus::Duplicate
                } else {
                    RecordStatus::Conflict
                }
            }
        })
        .collect())
}

/// The slow path of a batch the database refused: each record under its
/// own savepoint, so a refused one is rolled back alone and rejected.
async fn insert_one_by_one(
    tx: &mut Transaction<'_>,
    batch: &IngestBatch,
) -> Result<Vec<Ingested>, DbError> {
    let mut out = Vec::with_capacity(batch.records.len());
    for record in batch.records.chunks(1) {
        let sp = tx.savepoint("record").await?;
        match insert_records(&sp, batch, record).await {
            Ok(status) => {
                sp.commit().await?;
                out.extend(status.into_iter().map(Ingested::from));
            }
            Err(e) => match refused_data(&e) {
                Some(code) => {
                    tracing::warn!(device = %batch.device_id, record = %record[0].id,
                        sqlstate = code, error = %describe(&e),
                        "the database refused a record; the rest of its batch is stored");
                    let what = format!("SQLSTATE {code}");
                    sp.rollback().await?;
                    out.push(Ingested::refused(&what));
                }
                None => return Err(e.into()),
            },
        }
    }
    Ok(out)
}
