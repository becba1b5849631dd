//! PostgresDb's IngestStore.

use super::*;
use crate::ingest::{
    by_commune, dollars, note_declarant, people, tally, venue_weeks, CountKey, DayDeltas,
    Declarants, FactColumns, Places, ADD_DECLARANT_DAY, COUNT_TABLES, MARK_FIRST, PERSON_ROWS,
    UPSERT_DECLARANT,
};
use crate::IngestStore;
use std::collections::BTreeMap;

/// The communes a batch's records belong to: its venues' and its device's.
async fn communes(tx: &Transaction<'_>, batch: &IngestBatch) -> Result<Communes, DbError> {
    let device = tx
        .prepare_cached(
            "SELECT COALESCE(d.commune_code, v.commune_code) FROM devices d
             LEFT JOIN venues v ON v.province_code = d.province_code AND v.id = d.venue_id
             WHERE d.province_code = $1 AND d.id = $2",
        )
        .await?;
    let of_device = tx
        .query_opt(
            &device,
            &[&batch.province_code, &batch.device_id.to_string()],
        )
        .await?
        .and_then(|r| r.get::<_, Option<String>>(0));
    let mut ids: Vec<&str> = batch
        .records
        .iter()
        .filter_map(|r| r.venue_id.as_ref().map(|v| v.as_str()))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let venues = tx
        .prepare_cached(
            "SELECT id, commune_code FROM venues WHERE province_code = $1 AND id = ANY($2)",
        )
        .await?;
    let of_venue = tx
        .query(&venues, &[&batch.province_code, &ids])
        .await?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    Ok(Communes {
        of_venue,
        of_device,
    })
}

/// Adds a batch's declarants, marks each person's earliest row and moves
/// the day counts with them. `days` is false only while migrating to schema
/// 7, before the day counts exist (schema 10 counts what is there then).
pub(super) async fn add_declarants(
    tx: &Transaction<'_>,
    province: &str,
    declarants: &Declarants,
    days: bool,
) -> Result<(), tokio_postgres::Error> {
    if declarants.is_empty() {
        return Ok(());
    }
    let mut deltas = DayDeltas::default();
    if days {
        person_rows(tx, province, declarants, -1, &mut deltas).await?;
    }
    let up = tx.prepare_cached(&dollars(UPSERT_DECLARANT)).await?;
    for ((person, commune), d) in declarants {
        tx.execute(
            &up,
            &[
                &province,
                person,
                commune,
                &d.home_commune,
                &d.first_date,
                &d.received_date,
                &d.source,
                &d.last_date,
            ],
        )
        .await?;
    }
    let mark = tx.prepare_cached(&dollars(MARK_FIRST)).await?;
    for person in people(declarants) {
        tx.execute(&mark, &[&province, &person]).await?;
    }
    if days {
        person_rows(tx, province, declarants, 1, &mut deltas).await?;
        let add = tx.prepare_cached(&dollars(ADD_DECLARANT_DAY)).await?;
        for (k, n) in deltas.changes() {
            tx.execute(
                &add,
                &[
                    &province,
                    &k.commune_code,
                    &k.first_date,
                    &k.received_date,
                    &i16::from(k.is_first),
                    &i16::from(k.paper),
                    &n,
                ],
            )
            .await?;
        }
    }
    Ok(())
}

/// Counts (`sign` 1) or takes back (-1) the declarant rows of a batch's
/// people as they stand.
async fn person_rows(
    tx: &Transaction<'_>,
    province: &str,
    declarants: &Declarants,
    sign: i64,
    out: &mut DayDeltas,
) -> Result<(), tokio_postgres::Error> {
    let q = tx.prepare_cached(&dollars(PERSON_ROWS)).await?;
    for person in people(declarants) {
        for r in tx.query(&q, &[&province, &person]).await? {
            out.add(
                r.get(0),
                r.get(1),
                r.get(2),
                r.get::<_, i16>(3) == 1,
                r.get(4),
                sign,
            );
        }
    }
    Ok(())
}

/// Adds a batch's day counts, per venue and per commune, and the weeks its
/// venues were active in.
pub(super) async fn add_counts(
    tx: &Transaction<'_>,
    province: &str,
    counts: &BTreeMap<CountKey, i64>,
) -> Result<(), tokio_postgres::Error> {
    let [venues, communes] = COUNT_TABLES;
    add_counts_to(tx, venues, province, counts).await?;
    add_counts_to(tx, communes, province, &by_commune(counts)).await?;
    let weeks = venue_weeks(counts);
    if weeks.is_empty() {
        return Ok(());
    }
    let mondays: Vec<NaiveDate> = weeks.iter().map(|w| w.0).collect();
    let kinds: Vec<&str> = weeks.iter().map(|w| w.1).collect();
    let venues: Vec<&str> = weeks.iter().map(|w| w.2).collect();
    let up = tx
        .prepare_cached(
            "INSERT INTO venue_weeks (province_code, week, kind, venue_id)
             SELECT $1, u.* FROM unnest($2::date[], $3::text[], $4::text[]) AS u(week, kind, venue_id)
             ON CONFLICT DO NOTHING",
        )
        .await?;
    tx.execute(&up, &[&province, &mondays, &kinds, &venues])
        .await?;
    Ok(())
}

/// Adds day counts to `table` (one of [`COUNT_TABLES`]) in one statement.
pub(super) async fn add_counts_to(
    tx: &Transaction<'_>,
    table: &str,
    province: &str,
    counts: &BTreeMap<CountKey, i64>,
) -> Result<(), tokio_postgres::Error> {
    if counts.is_empty() {
        return Ok(());
    }
    let dates: Vec<NaiveDate> = counts.keys().map(|k| k.local_date).collect();
    let communes: Vec<&str> = counts.keys().map(|k| k.commune_code.as_str()).collect();
    let venues: Vec<&str> = counts.keys().map(|k| k.venue_id.as_str()).collect();
    let kinds: Vec<&str> = counts.keys().map(|k| k.kind).collect();
    let sources: Vec<&str> = counts.keys().map(|k| k.source).collect();
    let directions: Vec<&str> = counts.keys().map(|k| k.direction).collect();
    let ns: Vec<i64> = counts.values().copied().collect();
    let up = tx
        .prepare_cached(&format!(
            "INSERT INTO {table} (province_code, local_date, commune_code, venue_id, kind,
                 source, direction, n)
             SELECT $1, u.* FROM unnest($2::date[], $3::text[], $4::text[], $5::text[],
                 $6::text[], $7::text[], $8::bigint[])
                 AS u(local_date, commune_code, venue_id, kind, source, direction, n)
             ON CONFLICT (province_code, local_date, commune_code, venue_id, kind, source, direction)
             DO UPDATE SET n = {table}.n + excluded.n"
        ))
        .await?;
    tx.execute(
        &up,
        &[
            &province,
            &dates,
            &communes,
            &venues,
            &kinds,
            &sources,
            &directions,
            &ns,
        ],
    )
    .await?;
    Ok(())
}

/// Notes that a device contacted the server at `at`: its last contact and
/// the day's row that says it was alive.
pub(super) async fn touch(
    tx: &Transaction<'_>,
    province: &str,
    device: &str,
    at: DateTime<Utc>,
    skew_ms: Option<i64>,
) -> Result<(), tokio_postgres::Error> {
    let seen = tx
        .prepare_cached(
            "UPDATE devices SET last_seen_at = $3, last_skew_ms = COALESCE($4, last_skew_ms)
             WHERE province_code = $1 AND id = $2",
        )
        .await?;
    tx.execute(&seen, &[&province, &device, &at, &skew_ms])
        .await?;
    let day = tx
        .prepare_cached(
            "INSERT INTO device_days (province_code, device_id, local_date, first_at, last_at)
             VALUES ($1, $2, $3, $4, $4)
             ON CONFLICT (province_code, device_id, local_date) DO UPDATE SET last_at = excluded.last_at",
        )
        .await?;
    tx.execute(
        &day,
        &[
            &province,
            &device,
            &checkin_core::calendar::local_date(&at),
            &at,
        ],
    )
    .await?;
    Ok(())
}

#[async_trait]
impl IngestStore for PostgresDb {
    async fn ingest(&self, batch: &IngestBatch) -> Result<Vec<Ingested>, DbError> {
        let mut c = self.pool.get().await.map_err(pool_err)?;
        let tx = c.transaction().await?;
        let places = communes(&tx, batch).await?;
        let facts: Vec<FactColumns> = batch
            .records
            .iter()
            .map(|r| FactColumns::new(&r.facts, places.of(r.venue_id.as_ref().map(|v| v.as_str()))))
            .collect();
        let first = match insert_records(&tx, batch, &batch.records, &facts).await {
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
                let out = insert_one_by_one(&mut tx, batch, &facts).await?;
                (tx, out)
            }
        };
        let mut counts = BTreeMap::new();
        let mut declarants = Declarants::new();
        let received_date = checkin_core::calendar::local_date(&batch.received_at);
        for ((r, f), got) in batch.records.iter().zip(&facts).zip(&out) {
            if got.status == RecordStatus::Accepted {
                tally(
                    &mut counts,
                    r.kind,
                    r.venue_id.as_ref().map(|v| v.as_str()),
                    f,
                );
                note_declarant(&mut declarants, r.kind, f, received_date);
            }
        }
        add_counts(&tx, &batch.province_code, &counts).await?;
        add_declarants(&tx, &batch.province_code, &declarants, true).await?;
        touch(
            &tx,
            &batch.province_code,
            &batch.device_id.to_string(),
            batch.received_at,
            Some(batch.clock_skew_ms),
        )
        .await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn stored_records(&self) -> Result<Vec<StoredRecord>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let rows = c
            .query(
                "SELECT id, province_code, device_id, content_hash, device_time, local_date,
                        received_at, clock_skew_ms, visit_time, commune_code, source, person_key,
                        length(body)
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
                visit_time: r.get(8),
                commune_code: r.get(9),
                source: r.get(10),
                person_key: r.get(11),
                body_bytes: r.get::<_, i32>(12) as usize,
            })
            .collect())
    }
}

/// Schema 4: fills the report columns and day counts of rows stored
/// before it, from their bodies, with the code ingest uses. A body that is
/// not a record this server reads keeps empty columns and is not counted.
pub(super) async fn backfill_facts(tx: &Transaction<'_>) -> Result<(), DbError> {
    let venues = tx
        .query("SELECT province_code, id, commune_code FROM venues", &[])
        .await?
        .iter()
        .map(|r| ((r.get(0), r.get(1)), r.get(2)))
        .collect();
    let devices = tx
        .query(
            "SELECT d.province_code, d.id, COALESCE(d.commune_code, v.commune_code) FROM devices d
             LEFT JOIN venues v ON v.province_code = d.province_code AND v.id = d.venue_id",
            &[],
        )
        .await?
        .iter()
        .map(|r| ((r.get(0), r.get(1)), r.get(2)))
        .collect();
    let places = Places { venues, devices };
    let update = tx
        .prepare(
            "UPDATE records SET commune_code = $4, source = $5, direction = $6, level = $7,
                 visit_time = $8, person_key = $9, local_date = $10
             WHERE province_code = $1 AND id = $2 AND device_id = $3",
        )
        .await?;
    let mut counts: HashMap<String, BTreeMap<CountKey, i64>> = HashMap::new();
    let rows = tx
        .query(
            "SELECT province_code, id, device_id, body FROM records",
            &[],
        )
        .await?;
    for r in &rows {
        let (province, id, device, body): (String, Uuid, Uuid, String) =
            (r.get(0), r.get(1), r.get(2), r.get(3));
        let Some((record, f)) = places.facts_of(&province, &device.to_string(), &body) else {
            continue;
        };
        tx.execute(
            &update,
            &[
                &province,
                &id,
                &device,
                &f.commune_code,
                &f.source,
                &f.direction,
                &f.level,
                &f.visit_time,
                &f.person_key,
                &f.local_date,
            ],
        )
        .await?;
        tally(
            counts.entry(province).or_default(),
            record.kind(),
            record.venue_id().map(|v| v.as_str()),
            &f,
        );
    }
    for (province, counts) in &counts {
        // Schema 8 fills commune_counts from these.
        add_counts_to(tx, COUNT_TABLES[0], province, counts).await?;
    }
    Ok(())
}

/// Schema 7: the declarants of rows stored before it, from the bodies the
/// purge has not cleared yet (purged rows cannot be counted again).
pub(super) async fn backfill_declarants(tx: &Transaction<'_>) -> Result<(), DbError> {
    let rows = tx
        .query(
            "SELECT province_code, commune_code, received_at, body FROM records
             WHERE kind = 'declaration' AND person_key IS NOT NULL AND body <> ''",
            &[],
        )
        .await?;
    let mut by_province: HashMap<String, Declarants> = HashMap::new();
    for r in &rows {
        let Ok(record) = serde_json::from_str::<checkin_core::Record>(r.get::<_, &str>(3)) else {
            continue;
        };
        let f = FactColumns::new(&record.report_facts(), r.get(1));
        let received: DateTime<Utc> = r.get(2);
        note_declarant(
            by_province.entry(r.get(0)).or_default(),
            record.kind(),
            &f,
            checkin_core::calendar::local_date(&received),
        );
    }
    for (province, declarants) in &by_province {
        add_declarants(tx, province, declarants, false).await?;
    }
    Ok(())
}
