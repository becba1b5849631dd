//! PostgresDb's IngestStore.

use super::*;
use crate::IngestStore;

#[async_trait]
impl IngestStore for PostgresDb {
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
