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
            let kind = RecordKind::parse(&kind)
                .ok_or_else(|| StoreError::Migration(format!("unknown record kind {kind:?}")))?;
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

impl Store {
    /// Marks every unsettled record with `first_seq <= seq <= last_seq` as
    /// sent (one more attempt each) in one statement. A batch read by
    /// `pending_batch_after` is exactly that range's unsettled records.
    pub fn mark_sent_range(&mut self, first_seq: u64, last_seq: u64) -> Result<(), StoreError> {
        let at = self.now();
        self.conn.execute(
            "UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = ?3
             WHERE seq BETWEEN ?1 AND ?2 AND state IN ('pending', 'sent')",
            rusqlite::params![first_seq as i64, last_seq as i64, at],
        )?;
        Ok(())
    }

    /// Settles a batch in one transaction: the listed records get their
    /// outcome, every other unsettled record of the seq range is
    /// acknowledged. Acknowledged records are never moved back.
    pub fn settle_range(
        &mut self,
        first_seq: u64,
        last_seq: u64,
        exceptions: &[(checkin_core::RecordId, crate::Outcome)],
    ) -> Result<(), StoreError> {
        let at = self.now();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut stmt = tx.prepare_cached(
                "UPDATE outbox SET state = ?2, reason = ?3, settled_at = ?4
                 WHERE record_id = ?1 AND state <> 'acknowledged'",
            )?;
            for (id, outcome) in exceptions {
                let (state, reason) = match outcome {
                    crate::Outcome::Acknowledged => ("acknowledged", None),
                    crate::Outcome::Rejected(r) => ("rejected", Some(r.as_str())),
                    crate::Outcome::Conflict(r) => ("conflict", Some(r.as_str())),
                };
                stmt.execute(rusqlite::params![id.to_string(), state, reason, at])?;
            }
        }
        tx.execute(
            "UPDATE outbox SET state = 'acknowledged', reason = NULL, settled_at = ?3
             WHERE seq BETWEEN ?1 AND ?2 AND state = 'sent'",
            rusqlite::params![first_seq as i64, last_seq as i64, at],
        )?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::{Outcome, Store};
    use checkin_core::{CheckIn, Direction, Policy, Source};

    #[test]
    fn range_settling_acknowledges_all_but_the_exceptions() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(dir.path()).unwrap();
        let mut ids = Vec::new();
        for i in 0..4 {
            let mut c = CheckIn::from_code(
                &format!("0010980123{i:02}||NGUYỄN VĂN B|01012000|Nữ|Hà Nội|01012022"),
                "V-1".parse().unwrap(),
                Direction::In,
                Source::Manual,
                store.device_id(),
                chrono::Local::now().fixed_offset(),
                &Policy::default(),
            )
            .unwrap();
            store.record_checkin(&mut c).unwrap();
            ids.push(c.id);
        }
        let first = store.pending_batch_after(0, 2, 1 << 20).unwrap();
        assert_eq!(first.len(), 2);
        let rest = store
            .pending_batch_after(first[1].seq, 10, 1 << 20)
            .unwrap();
        assert_eq!(rest.len(), 2);
        let (a, b) = (first[0].seq, first[1].seq);
        store.mark_sent_range(a, b).unwrap();
        assert_eq!(store.status().unwrap().in_flight, 2);
        store
            .settle_range(
                a,
                b,
                &[(ids[1], Outcome::Rejected("venue_outside_scope".into()))],
            )
            .unwrap();
        let st = store.status().unwrap();
        assert_eq!((st.synced, st.rejected, st.pending), (1, 1, 2));
        // A late answer never moves an acknowledged record back.
        store
            .settle_range(a, b, &[(ids[0], Outcome::Conflict("x".into()))])
            .unwrap();
        assert_eq!(store.status().unwrap().synced, 1);
    }
}
