//! SqliteDb's IngestStore: records, their report columns and the day
//! counts, in one transaction per batch.

use super::*;
use crate::ingest::{
    by_commune, note_declarant, people, tally, venue_weeks, CountKey, DayDeltas, Declarants,
    FactColumns, Places, ADD_DECLARANT_DAY, COUNT_TABLES, MARK_FIRST, PERSON_ROWS,
    UPSERT_DECLARANT,
};
use crate::IngestStore;
use rusqlite::Transaction;
use std::collections::BTreeMap;

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The communes a batch's records belong to: its venues' and its device's.
fn communes(
    tx: &Transaction<'_>,
    province: &str,
    device: &str,
    venues: impl Iterator<Item = String>,
) -> Result<Communes, DbError> {
    let mut venues: Vec<String> = venues.collect();
    venues.sort_unstable();
    venues.dedup();
    let mut out = Communes {
        of_device: tx
            .prepare_cached(
                "SELECT COALESCE(d.commune_code, v.commune_code) FROM devices d
                 LEFT JOIN venues v ON v.province_code = d.province_code AND v.id = d.venue_id
                 WHERE d.province_code = ?1 AND d.id = ?2",
            )?
            .query_row(params![province, device], |r| r.get(0))
            .optional()?
            .flatten(),
        ..Communes::default()
    };
    let mut venue =
        tx.prepare_cached("SELECT commune_code FROM venues WHERE province_code = ?1 AND id = ?2")?;
    for v in venues {
        if let Some(c) = venue
            .query_row(params![province, v], |r| r.get::<_, String>(0))
            .optional()?
        {
            out.of_venue.insert(v, c);
        }
    }
    Ok(out)
}

/// Adds a batch's day counts, per venue and per commune, and the weeks its
/// venues were active in.
pub(super) fn add_counts(
    tx: &Transaction<'_>,
    province: &str,
    counts: &BTreeMap<CountKey, i64>,
) -> Result<(), DbError> {
    let [venues, communes] = COUNT_TABLES;
    add_counts_to(tx, venues, province, counts)?;
    add_counts_to(tx, communes, province, &by_commune(counts))?;
    let mut week = tx.prepare_cached(
        "INSERT INTO venue_weeks (province_code, week, kind, venue_id) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT DO NOTHING",
    )?;
    for (monday, kind, venue) in venue_weeks(counts) {
        week.execute(params![province, date_text(monday), kind, venue])?;
    }
    Ok(())
}

/// Adds day counts to `table` (one of [`COUNT_TABLES`]).
pub(super) fn add_counts_to(
    tx: &Transaction<'_>,
    table: &str,
    province: &str,
    counts: &BTreeMap<CountKey, i64>,
) -> Result<(), DbError> {
    let mut up = tx.prepare_cached(&format!(
        "INSERT INTO {table} (province_code, local_date, commune_code, venue_id, kind,
             source, direction, n)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (province_code, local_date, commune_code, venue_id, kind, source, direction)
         DO UPDATE SET n = n + excluded.n"
    ))?;
    for (k, n) in counts {
        up.execute(params![
            province,
            date_text(k.local_date),
            k.commune_code,
            k.venue_id,
            k.kind,
            k.source,
            k.direction,
            n
        ])?;
    }
    Ok(())
}

/// Adds a batch's declarants, marks each person's earliest row and moves
/// the day counts with them. `days` is false only while migrating to schema
/// 7, before the day counts exist (schema 10 counts what is there then).
pub(super) fn add_declarants(
    tx: &Transaction<'_>,
    province: &str,
    declarants: &Declarants,
    days: bool,
) -> Result<(), DbError> {
    let mut deltas = DayDeltas::default();
    if days {
        person_rows(tx, province, declarants, -1, &mut deltas)?;
    }
    let mut up = tx.prepare_cached(UPSERT_DECLARANT)?;
    for ((person, commune), d) in declarants {
        up.execute(params![
            province,
            person,
            commune,
            d.home_commune,
            date_text(d.first_date),
            date_text(d.received_date),
            d.source,
            date_text(d.last_date),
        ])?;
    }
    let mut mark = tx.prepare_cached(MARK_FIRST)?;
    for person in people(declarants) {
        mark.execute(params![province, person])?;
    }
    if days {
        person_rows(tx, province, declarants, 1, &mut deltas)?;
        let mut add = tx.prepare_cached(ADD_DECLARANT_DAY)?;
        for (k, n) in deltas.changes() {
            add.execute(params![
                province,
                k.commune_code,
                date_text(k.first_date),
                date_text(k.received_date),
                k.is_first,
                k.paper,
                n
            ])?;
        }
    }
    Ok(())
}

/// Counts (`sign` 1) or takes back (-1) the declarant rows of a batch's
/// people as they stand.
fn person_rows(
    tx: &Transaction<'_>,
    province: &str,
    declarants: &Declarants,
    sign: i64,
    out: &mut DayDeltas,
) -> Result<(), DbError> {
    let mut q = tx.prepare_cached(PERSON_ROWS)?;
    for person in people(declarants) {
        let mut rows = q.query(params![province, person])?;
        while let Some(r) = rows.next()? {
            out.add(
                r.get(0)?,
                parse_date(&r.get::<_, String>(1)?, "first date")?,
                parse_date(&r.get::<_, String>(2)?, "received date")?,
                r.get::<_, i64>(3)? == 1,
                &r.get::<_, String>(4)?,
                sign,
            );
        }
    }
    Ok(())
}

/// Notes that a device contacted the server at `at`: its last contact and
/// the day's row that says it was alive.
pub(super) fn touch(
    tx: &Transaction<'_>,
    province: &str,
    device: &str,
    at: DateTime<Utc>,
    skew_ms: Option<i64>,
) -> Result<(), DbError> {
    tx.prepare_cached(
        "UPDATE devices SET last_seen_at = ?3, last_skew_ms = COALESCE(?4, last_skew_ms)
         WHERE province_code = ?1 AND id = ?2",
    )?
    .execute(params![province, device, ts(at), skew_ms])?;
    tx.prepare_cached(
        "INSERT INTO device_days (province_code, device_id, local_date, first_at, last_at)
         VALUES (?1, ?2, ?3, ?4, ?4)
         ON CONFLICT (province_code, device_id, local_date) DO UPDATE SET last_at = excluded.last_at",
    )?
    .execute(params![
        province,
        device,
        date_text(checkin_core::calendar::local_date(&at)),
        ts(at)
    ])?;
    Ok(())
}

#[async_trait]
impl IngestStore for SqliteDb {
    async fn ingest(&self, batch: &IngestBatch) -> Result<Vec<Ingested>, DbError> {
        let b = batch.clone();
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut out = Vec::with_capacity(b.records.len());
            {
                let received = ts(b.received_at);
                let device = b.device_id.to_string();
                let places = communes(
                    &tx,
                    &b.province_code,
                    &device,
                    b.records
                        .iter()
                        .filter_map(|r| r.venue_id.as_ref().map(|v| v.as_str().to_string())),
                )?;
                let mut counts = BTreeMap::new();
                let mut declarants = Declarants::new();
                let received_date = checkin_core::calendar::local_date(&b.received_at);
                let mut insert = tx.prepare_cached(
                    "INSERT INTO records (province_code, id, kind, device_id, venue_id, device_time,
                         local_date, received_at, clock_skew_ms, content_hash, body,
                         commune_code, source, direction, level, visit_time, person_key)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
                     ON CONFLICT DO NOTHING",
                )?;
                let mut existing = tx.prepare_cached(
                    "SELECT content_hash FROM records
                     WHERE province_code = ?1 AND device_id = ?2 AND id = ?3",
                )?;
                for r in &b.records {
                    let id = r.id.to_string();
                    let venue = r.venue_id.as_ref().map(|v| v.as_str());
                    let f = FactColumns::new(&r.facts, places.of(venue));
                    // A statement that fails on its data is undone alone (SQLite
                    // aborts the statement, not the transaction): the record is
                    // refused and the rest of the batch goes on.
                    let n = match insert.execute(params![
                        b.province_code,
                        id,
                        r.kind.as_str(),
                        device,
                        venue,
                        record_ts(stored_instant(&r.device_time)),
                        date_text(f.local_date),
                        received,
                        b.clock_skew_ms,
                        r.content_hash,
                        r.body,
                        f.commune_code,
                        f.source,
                        f.direction,
                        f.level,
                        record_ts(f.visit_time),
                        f.person_key,
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
                        tally(&mut counts, r.kind, venue, &f);
                        note_declarant(&mut declarants, r.kind, &f, received_date);
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
                add_counts(&tx, &b.province_code, &counts)?;
                add_declarants(&tx, &b.province_code, &declarants, true)?;
                touch(&tx, &b.province_code, &device, b.received_at, Some(b.clock_skew_ms))?;
            }
            tx.commit()?;
            Ok(out)
        })
        .await
    }

    async fn stored_records(&self) -> Result<Vec<StoredRecord>, DbError> {
        self.run(|c| {
            let mut stmt = c.prepare(
                "SELECT id, province_code, device_id, content_hash, device_time, local_date,
                        received_at, clock_skew_ms, visit_time, commune_code, source, person_key,
                        length(body)
                 FROM records ORDER BY id, device_id",
            )?;
            let mut rows = stmt.query([])?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                let id: String = r.get(0)?;
                let date: Option<String> = r.get(5)?;
                out.push(StoredRecord {
                    id: id
                        .parse()
                        .map_err(|e| DbError::Invalid(format!("stored record id: {e}")))?,
                    province_code: r.get(1)?,
                    device_id: parse_device_id(&r.get::<_, String>(2)?)?,
                    content_hash: r.get(3)?,
                    device_time: parse_ts(&r.get::<_, String>(4)?)?,
                    local_date: date.map(|d| parse_date(&d, "local date")).transpose()?,
                    received_at: parse_ts(&r.get::<_, String>(6)?)?,
                    clock_skew_ms: r.get(7)?,
                    visit_time: parse_opt_ts(r.get(8)?)?,
                    commune_code: r.get(9)?,
                    source: r.get(10)?,
                    person_key: r.get(11)?,
                    body_bytes: r.get::<_, i64>(12)? as usize,
                });
            }
            Ok(out)
        })
        .await
    }
}

/// Schema 4: fills the report columns and day counts of rows stored
/// before it, from their bodies, with the code ingest uses. A body that is
/// not a record this server reads keeps empty columns and is not counted.
pub(super) fn backfill_facts(tx: &Transaction<'_>) -> Result<(), DbError> {
    let mut places = Places::default();
    {
        let mut q = tx.prepare("SELECT province_code, id, commune_code FROM venues")?;
        let mut rows = q.query([])?;
        while let Some(r) = rows.next()? {
            places.venues.insert((r.get(0)?, r.get(1)?), r.get(2)?);
        }
    }
    {
        let mut q = tx.prepare(
            "SELECT d.province_code, d.id, COALESCE(d.commune_code, v.commune_code) FROM devices d
             LEFT JOIN venues v ON v.province_code = d.province_code AND v.id = d.venue_id",
        )?;
        let mut rows = q.query([])?;
        while let Some(r) = rows.next()? {
            places.devices.insert((r.get(0)?, r.get(1)?), r.get(2)?);
        }
    }
    let mut counts: HashMap<String, BTreeMap<CountKey, i64>> = HashMap::new();
    let mut read = tx.prepare("SELECT province_code, id, device_id, body FROM records")?;
    let mut update = tx.prepare(
        "UPDATE records SET commune_code = ?4, source = ?5, direction = ?6, level = ?7,
             visit_time = ?8, person_key = ?9, local_date = ?10
         WHERE province_code = ?1 AND id = ?2 AND device_id = ?3",
    )?;
    let mut rows = read.query([])?;
    while let Some(r) = rows.next()? {
        let (province, id, device, body): (String, String, String, String) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        let Some((record, f)) = places.facts_of(&province, &device, &body) else {
            continue;
        };
        update.execute(params![
            province,
            id,
            device,
            f.commune_code,
            f.source,
            f.direction,
            f.level,
            record_ts(f.visit_time),
            f.person_key,
            date_text(f.local_date),
        ])?;
        tally(
            counts.entry(province).or_default(),
            record.kind(),
            record.venue_id().map(|v| v.as_str()),
            &f,
        );
    }
    for (province, counts) in &counts {
        // Schema 8 fills commune_counts from these.
        add_counts_to(tx, COUNT_TABLES[0], province, counts)?;
    }
    Ok(())
}

/// Schema 7: the declarants of rows stored before it, from the bodies the
/// purge has not cleared yet (purged rows cannot be counted again).
pub(super) fn backfill_declarants(tx: &Transaction<'_>) -> Result<(), DbError> {
    let mut by_province: HashMap<String, Declarants> = HashMap::new();
    let mut read = tx.prepare(
        "SELECT province_code, commune_code, received_at, body FROM records
         WHERE kind = 'declaration' AND person_key IS NOT NULL AND body <> ''",
    )?;
    let mut rows = read.query([])?;
    while let Some(r) = rows.next()? {
        let (province, commune, received, body): (String, Option<String>, String, String) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        let Ok(record) = serde_json::from_str::<checkin_core::Record>(&body) else {
            continue;
        };
        let f = FactColumns::new(&record.report_facts(), commune);
        let received = checkin_core::calendar::local_date(&parse_ts(&received)?);
        note_declarant(
            by_province.entry(province).or_default(),
            record.kind(),
            &f,
            received,
        );
    }
    for (province, declarants) in &by_province {
        add_declarants(tx, province, declarants, false)?;
    }
    Ok(())
}
