//! SqliteDb's RetentionStore.

use super::*;
use crate::retention::{Purged, RetentionStore, PURGE_CHUNK};

#[async_trait]
impl RetentionStore for SqliteDb {
    async fn purge(&self, before: DateTime<Utc>, now: DateTime<Utc>) -> Result<Purged, DbError> {
        let cut = record_ts(before);
        let mut purged = Purged::default();
        // One pass over the records in key order, a chunk per transaction:
        // no index on visit times (it would slow every insert), and no
        // transaction long enough to stall ingest.
        let mut after = (String::new(), String::new(), String::new());
        loop {
            let (from, cut) = (after.clone(), cut.clone());
            let (n, last, cleared) = self
                .run(move |c| {
                    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
                    let rows: Vec<(String, String, String, bool)> = {
                        let mut read = tx.prepare_cached(
                            "SELECT province_code, id, device_id,
                                    COALESCE(visit_time, device_time) < ?4
                                      AND (body <> '' OR person_key IS NOT NULL)
                             FROM records WHERE (province_code, id, device_id) > (?1, ?2, ?3)
                             ORDER BY province_code, id, device_id LIMIT ?5",
                        )?;
                        let rows = read.query_map(
                            params![from.0, from.1, from.2, cut, PURGE_CHUNK as i64],
                            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                        )?;
                        rows.collect::<Result<_, _>>()?
                    };
                    let mut cleared = 0u64;
                    {
                        let mut clear = tx.prepare_cached(
                            "UPDATE records SET body = '', person_key = NULL
                             WHERE province_code = ?1 AND id = ?2 AND device_id = ?3",
                        )?;
                        for (p, id, d, old) in &rows {
                            if *old {
                                cleared += clear.execute(params![p, id, d])? as u64;
                            }
                        }
                    }
                    tx.commit()?;
                    let last = rows
                        .last()
                        .map(|(p, i, d, _)| (p.clone(), i.clone(), d.clone()));
                    Ok((rows.len(), last, cleared))
                })
                .await?;
            purged.records += cleared;
            match last {
                Some(last) if n == PURGE_CHUNK => after = last,
                _ => break,
            }
        }
        let cut_date = checkin_core::calendar::local_date(&before)
            .format("%Y-%m-%d")
            .to_string();
        purged.declarants = self
            .run(move |c| {
                Ok(c.execute(
                    "UPDATE declarants SET person_key = NULL
                     WHERE person_key IS NOT NULL AND last_date < ?1",
                    [&cut_date],
                )? as u64)
            })
            .await?;
        let (now_ts, day_ago) = (ts(now), ts(now - chrono::Duration::days(1)));
        purged.sessions = self
            .run(move |c| {
                let n = c.execute("DELETE FROM sessions WHERE expires_at <= ?1", [&now_ts])?;
                c.execute("DELETE FROM login_failures WHERE at < ?1", [&day_ago])?;
                Ok(n as u64)
            })
            .await?;
        Ok(purged)
    }
}
