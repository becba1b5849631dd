//! PostgresDb's RetentionStore.

use super::*;
use crate::retention::{Purged, RetentionStore, PURGE_CHUNK};

#[async_trait]
impl RetentionStore for PostgresDb {
    async fn purge(&self, before: DateTime<Utc>, now: DateTime<Utc>) -> Result<Purged, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let mut purged = Purged::default();
        // Key order, a chunk per statement: short transactions, and the
        // same single pass as SQLite (no index on visit times).
        let mut after = (String::new(), Uuid::nil(), Uuid::nil());
        let limit = PURGE_CHUNK as i64;
        loop {
            let rows = c
                .query(
                    "WITH chunk AS (
                         SELECT province_code, id, device_id,
                                COALESCE(visit_time, device_time) < $4
                                  AND (body <> '' OR person_key IS NOT NULL) AS old
                         FROM records WHERE (province_code, id, device_id) > ($1, $2, $3)
                         ORDER BY province_code, id, device_id LIMIT $5),
                     cleared AS (
                         UPDATE records r SET body = '', person_key = NULL
                         FROM chunk WHERE chunk.old AND r.province_code = chunk.province_code
                           AND r.id = chunk.id AND r.device_id = chunk.device_id
                         RETURNING 1)
                     SELECT (SELECT COUNT(*) FROM chunk), (SELECT COUNT(*) FROM cleared),
                            k.province_code, k.id, k.device_id
                     FROM (SELECT province_code, id, device_id FROM chunk
                           ORDER BY province_code DESC, id DESC, device_id DESC LIMIT 1) k",
                    &[&after.0, &after.1, &after.2, &before, &limit],
                )
                .await?;
            let Some(r) = rows.first() else { break };
            let (n, cleared): (i64, i64) = (r.get(0), r.get(1));
            purged.records += cleared as u64;
            if n < limit {
                break;
            }
            after = (r.get(2), r.get(3), r.get(4));
        }
        purged.declarants = c
            .execute(
                "UPDATE declarants SET person_key = NULL
                 WHERE person_key IS NOT NULL AND last_date < $1",
                &[&checkin_core::calendar::local_date(&before)],
            )
            .await?;
        purged.sessions = c
            .execute("DELETE FROM sessions WHERE expires_at <= $1", &[&now])
            .await?;
        c.execute(
            "DELETE FROM login_failures WHERE at < $1",
            &[&(now - chrono::Duration::days(1))],
        )
        .await?;
        Ok(purged)
    }
}
