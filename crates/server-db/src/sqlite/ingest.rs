//! SqliteDb's IngestStore.

use super::*;
use crate::IngestStore;

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
