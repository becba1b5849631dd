//! Dealing with records the server refused: put one back in the queue as it
//! is, or re-issue it corrected under a new id.

use crate::error::StoreError;
use crate::write::{delete_typed_row, insert_record};
use crate::Store;
use checkin_core::{Record, RecordId};
use rusqlite::{OptionalExtension, TransactionBehavior};

impl Store {
    /// Puts one rejected or conflicting record back in the queue unchanged
    /// (after its cause was dealt with on the server, e.g. the venue was
    /// added to this device's scope). Returns false when `seq` is not a
    /// refused record.
    pub fn requeue(&mut self, seq: u64) -> Result<bool, StoreError> {
        Ok(self.conn.execute(
            "UPDATE outbox SET state = 'pending', reason = NULL
             WHERE seq = ?1 AND state IN ('rejected', 'conflict')",
            [seq as i64],
        )? == 1)
    }

    /// Replaces a rejected or conflicting record by a corrected copy: `fix`
    /// edits the copy, which gets a new id and the next sequence number and
    /// is queued; the refused original is deleted in the same transaction.
    /// The server never stored the original (it refused it, or holds another
    /// record under its id), so nothing on the server refers to it. Returns
    /// the copy, or `None` when `seq` is not a refused record.
    pub fn reissue(
        &mut self,
        seq: u64,
        fix: impl FnOnce(&mut Record),
    ) -> Result<Option<Record>, StoreError> {
        let now = self.now();
        let device = self.device_id;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let row: Option<(String, String)> = tx
            .query_row(
                "SELECT record_id, body FROM outbox WHERE seq = ?1 AND state IN ('rejected', 'conflict')",
                [seq as i64],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((old_id, body)) = row else {
            return Ok(None);
        };
        let mut record: Record = serde_json::from_str(&body)?;
        fix(&mut record);
        let fresh = RecordId::new();
        match &mut record {
            Record::Checkin(c) => c.id = fresh,
            Record::Declaration(d) => d.id = fresh,
            Record::Quarantine(q) => q.id = fresh,
            Record::HealthUpdate(h) => h.id = fresh,
        }
        delete_typed_row(&tx, &old_id)?;
        tx.execute("DELETE FROM outbox WHERE record_id = ?1", [&old_id])?;
        insert_record(&tx, device, &now, &mut record)?;
        tx.commit()?;
        Ok(Some(record))
    }
}

#[cfg(test)]
mod tests {
    use crate::{ListFilter, Outcome, Store};
    use checkin_core::{CheckIn, Direction, Policy, Record, Source};

    fn checkin(store: &mut Store) -> CheckIn {
        let mut c = CheckIn::from_code(
            "001098012345||NGUYỄN VĂN B|01012000|Nữ|Hà Nội|01012022",
            "01-00001-OLD".parse().unwrap(),
            Direction::In,
            Source::Qr,
            store.device_id(),
            chrono::Utc::now().fixed_offset(),
            &Policy::default(),
        )
        .unwrap();
        store.record_checkin(&mut c).unwrap();
        c
    }

    #[test]
    fn requeue_and_reissue_only_refused_records() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(dir.path()).unwrap();
        let a = checkin(&mut s);
        let b = checkin(&mut s);
        let c = checkin(&mut s);
        assert!(
            !s.requeue(a.device_seq).unwrap(),
            "a pending record is not refused"
        );
        assert!(s.reissue(a.device_seq, |_| {}).unwrap().is_none());
        s.apply_outcomes(&[
            (a.id, Outcome::Rejected("venue_outside_scope".into())),
            (b.id, Outcome::Conflict("id_taken".into())),
            (c.id, Outcome::Acknowledged),
        ])
        .unwrap();
        assert!(s.requeue(a.device_seq).unwrap());
        assert_eq!(s.status().unwrap().pending, 1);
        let fixed = s
            .reissue(b.device_seq, |r| {
                if let Record::Checkin(c) = r {
                    c.venue_id = "01-00001-NEW".parse().unwrap();
                }
            })
            .unwrap()
            .unwrap();
        let Record::Checkin(fixed) = fixed else {
            panic!()
        };
        assert_ne!(fixed.id, b.id, "a conflict needs a new id");
        assert_eq!(fixed.venue_id.as_str(), "01-00001-NEW");
        assert_eq!(fixed.device_seq, 4);
        let st = s.status().unwrap();
        assert_eq!((st.pending, st.rejected, st.synced), (2, 0, 1));
        let listed = s.list(ListFilter::default()).unwrap();
        assert_eq!(listed.len(), 3, "the original is gone, its copy queued");
        assert!(s.record_by_id(b.id).unwrap().is_none());
        assert!(s.record_by_id(fixed.id).unwrap().is_some());
    }
}
