//! Outbox reads the sync client needs beyond `pending_batch`.

use crate::error::StoreError;
use crate::outbox::OutboxItem;
use crate::Store;
use checkin_core::RecordKind;

impl Store {
    /// Like [`Store::pending_batch`], but only records after `after_seq`:
    /// the sync client reads the next batch while the previous one is
    /// still on the wire, without sending any record twice at once.
    pub fn pending_batch_after(
        &self,
        after_seq: u64,
        max_records: usize,
        max_bytes: usize,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, record_id, kind, body, attempts FROM outbox
             WHERE state IN ('pending', 'sent') AND seq > ?1 ORDER BY seq LIMIT ?2",
        )?;
        let rows = stmt.query_map([after_seq as i64, max_records as i64], |r| {
            Ok((
                r.get::<_, u64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, u32>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        let mut bytes = 0usize;
        for row in rows {
            let (seq, id, kind, body, attempts) = row?;
            if !out.is_empty() && bytes + body.len() > max_bytes {
                break;
            }
            bytes += body.len();
            let record_id = id
                .parse()
                .map_err(|e| StoreError::Migration(format!("bad record id {id:?}: {e}")))?;
            let kind = match kind.as_str() {
                "checkin" => RecordKind::Checkin,
                _ => RecordKind::Declaration,
            };
            out.push(OutboxItem {
                seq,
                record_id,
                kind,
                body,
                attempts,
            });
        }
        Ok(out)
    }
}
