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

use crate::ingest::{Communes, FactColumns};
use crate::units::{Commune, Units};
use crate::{
    check_label, scope_from_parts, scope_parts, sorted_keys, stored_instant, Database, DbError,
    Device, DeviceInfo, ImportCounts, IncomingRecord, IngestBatch, Ingested, NewDevice, Stats,
    StoredRecord, TokenGrant, TokenProblem, UnitFilter,
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
        include_str!("../../../../migrations/server/postgres/0001_init.sql"),
    ),
    (
        2,
        include_str!("../../../../migrations/server/postgres/0002_passes_quarantine_units.sql"),
    ),
    (
        3,
        include_str!("../../../../migrations/server/postgres/0003_device_keys_utc_revocation.sql"),
    ),
    (
        4,
        include_str!("../../../../migrations/server/postgres/0004_report_facts.sql"),
    ),
    (
        5,
        include_str!("../../../../migrations/server/postgres/0005_accounts.sql"),
    ),
    (
        6,
        include_str!("../../../../migrations/server/postgres/0006_tracing_audit.sql"),
    ),
    (
        7,
        include_str!(
            "../../../../migrations/server/postgres/0007_coverage_roster_reconciliation.sql"
        ),
    ),
    (
        8,
        include_str!("../../../../migrations/server/postgres/0008_commune_counts.sql"),
    ),
    (
        9,
        include_str!("../../../../migrations/server/postgres/0009_reconciliation_index.sql"),
    ),
    (
        10,
        include_str!("../../../../migrations/server/postgres/0010_declarant_days.sql"),
    ),
    (
        11,
        include_str!("../../../../migrations/server/postgres/0011_server_keys.sql"),
    ),
    (
        12,
        include_str!("../../../../migrations/server/postgres/0012_trust_list.sql"),
    ),
    (
        13,
        include_str!("../../../../migrations/server/postgres/0013_records_rowid.sql"),
    ),
    (
        14,
        include_str!("../../../../migrations/server/postgres/0014_venue_weeks.sql"),
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
            if *version == 7 {
                ingest::backfill_declarants(&tx).await.map_err(|e| {
                    DbError::Migration(format!("postgres migration 7 backfill: {e}"))
                })?;
            }
            if *version == 4 {
                ingest::backfill_facts(&tx).await.map_err(|e| {
                    DbError::Migration(format!("postgres migration 4 backfill: {e}"))
                })?;
            }
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
    async fn server_key(&self, name: &str, fresh: &[u8]) -> Result<Vec<u8>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        c.execute(
            "INSERT INTO server_keys (name, secret, created_at) VALUES ($1, $2, now())
             ON CONFLICT DO NOTHING",
            &[&name, &fresh],
        )
        .await?;
        Ok(
            c.query_one("SELECT secret FROM server_keys WHERE name = $1", &[&name])
                .await?
                .get(0),
        )
    }

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
    facts: &[FactColumns],
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
    let dates: Vec<NaiveDate> = facts.iter().map(|f| f.local_date).collect();
    let communes: Vec<Option<&str>> = facts.iter().map(|f| f.commune_code.as_deref()).collect();
    let sources: Vec<&str> = facts.iter().map(|f| f.source).collect();
    let directions: Vec<Option<&str>> = facts.iter().map(|f| f.direction).collect();
    let levels: Vec<Option<&str>> = facts.iter().map(|f| f.level).collect();
    let visits: Vec<DateTime<Utc>> = facts.iter().map(|f| f.visit_time).collect();
    let people: Vec<Option<&str>> = facts.iter().map(|f| f.person_key.as_deref()).collect();
    let hashes: Vec<&str> = records.iter().map(|r| r.content_hash.as_str()).collect();
    let bodies: Vec<&str> = records.iter().map(|r| r.body.as_str()).collect();
    // Cached per connection: a batch costs no statement preparation.
    let insert = tx
        .prepare_cached(
            "INSERT INTO records (province_code, id, kind, device_id, venue_id, device_time,
                 local_date, received_at, clock_skew_ms, content_hash, body,
                 commune_code, source, direction, level, visit_time, person_key)
             SELECT $1, u.id, u.kind, $2, u.venue_id, u.device_time, u.local_date, $3, $4,
                 u.content_hash, u.body, u.commune_code, u.source, u.direction, u.level,
                 u.visit_time, u.person_key
             FROM unnest($5::uuid[], $6::text[], $7::text[], $8::timestamptz[], $9::date[],
                         $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],
                         $15::text[], $16::timestamptz[], $17::text[])
                 AS u(id, kind, venue_id, device_time, local_date, content_hash, body,
                      commune_code, source, direction, level, visit_time, person_key)
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
                &communes,
                &sources,
                &directions,
                &levels,
                &visits,
                &people,
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
    facts: &[FactColumns],
) -> Result<Vec<Ingested>, DbError> {
    let mut out = Vec::with_capacity(batch.records.len());
    for (record, f) in batch.records.chunks(1).zip(facts.chunks(1)) {
        let sp = tx.savepoint("record").await?;
        match insert_records(&sp, batch, record, f).await {
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
