//! The outbox: what is waiting for the server, what it accepted, what it refused.
//!
//! States: `pending` -> `sent` (handed to the network, no answer yet) ->
//! `acknowledged` (stored on the server, first time or duplicate). The server
//! may instead answer `rejected` or `conflict`: those records are set aside,
//! kept and shown, and never sent again blindly. A `sent` record whose answer
//! was lost is simply sent again: the server stores each id once.

use crate::error::StoreError;
use crate::Store;
use checkin_core::{Record, RecordId, RecordKind};
use rusqlite::{params, TransactionBehavior};
use serde::Serialize;
use std::str::FromStr;

/// Where a record stands on its way to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RecordState {
    Pending,
    Sent,
    Acknowledged,
    Rejected,
    Conflict,
}

impl RecordState {
    /// The stable name stored in the database and printed by the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Acknowledged => "acknowledged",
            Self::Rejected => "rejected",
            Self::Conflict => "conflict",
        }
    }
}

impl FromStr for RecordState {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "pending" => Self::Pending,
            "sent" => Self::Sent,
            "acknowledged" => Self::Acknowledged,
            "rejected" => Self::Rejected,
            "conflict" => Self::Conflict,
            other => {
                return Err(StoreError::Migration(format!(
                    "unknown outbox state {other:?}"
                )))
            }
        })
    }
}

/// Counts of the outbox by state, as the status screen and CLI show them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename_all = "snake_case"))]
pub struct QueueStatus {
    /// Not yet acknowledged by the server (includes `in_flight`).
    pub pending: u64,
    /// Acknowledged by the server.
    pub synced: u64,
    /// Refused by the server (rejected or conflicting), kept for review.
    pub rejected: u64,
    /// Sent at least once without an answer yet (part of `pending`).
    pub in_flight: u64,
    /// Same id as a different record on the server (part of `rejected`).
    pub conflict: u64,
}

/// A record ready to send, with its JSON body exactly as first stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxItem {
    pub seq: u64,
    pub record_id: RecordId,
    pub kind: RecordKind,
    pub body: String,
    pub attempts: u32,
}

/// The server's answer for one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Stored on the server (newly, or already there with the same content).
    Acknowledged,
    /// Refused, with the server's reason; kept on the device and shown.
    Rejected(String),
    /// The server holds a different record under the same id; it kept its own.
    Conflict(String),
}

/// Which records `list` returns.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListFilter {
    /// Only records not yet acknowledged.
    pub pending_only: bool,
    /// Only rejected or conflicting records.
    pub rejected_only: bool,
    /// Newest first, at most this many (all when `None`).
    pub limit: Option<u64>,
}

/// One stored record with its outbox state.
#[derive(Debug, Clone, Serialize)]
pub struct ListedRecord {
    pub seq: u64,
    pub state: RecordState,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub attempts: u32,
    pub record: Record,
}

impl Store {
    /// Counts records by outbox state.
    pub fn status(&self) -> Result<QueueStatus, StoreError> {
        let mut st = QueueStatus::default();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT state, COUNT(*) FROM outbox GROUP BY state")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u64>(1)?)))?;
        for row in rows {
            let (state, n) = row?;
            match state.parse()? {
                RecordState::Pending => st.pending += n,
                RecordState::Sent => {
                    st.pending += n;
                    st.in_flight += n;
                }
                RecordState::Acknowledged => st.synced += n,
                RecordState::Rejected => st.rejected += n,
                RecordState::Conflict => {
                    st.rejected += n;
                    st.conflict += n;
                }
            }
        }
        Ok(st)
    }

    /// Lists stored records, newest first.
    pub fn list(&self, filter: ListFilter) -> Result<Vec<ListedRecord>, StoreError> {
        let cond = if filter.pending_only {
            "WHERE state IN ('pending', 'sent')"
        } else if filter.rejected_only {
            "WHERE state IN ('rejected', 'conflict')"
        } else {
            ""
        };
        let sql = format!(
            "SELECT seq, state, reason, attempts, body FROM outbox {cond} ORDER BY seq DESC LIMIT ?1"
        );
        let limit = filter.limit.map_or(-1, |l| l.min(i64::MAX as u64) as i64);
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([limit], |r| {
            Ok((
                r.get::<_, u64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, u32>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, state, reason, attempts, body) = row?;
            out.push(ListedRecord {
                seq,
                state: state.parse()?,
                reason,
                attempts,
                record: serde_json::from_str(&body)?,
            });
        }
        Ok(out)
    }

    /// The oldest records still owed to the server, at most `max_records` and,
    /// past the first record, at most `max_bytes` of bodies. Records set aside
    /// (rejected, conflict) are never included, so one bad record cannot block
    /// the queue.
    pub fn pending_batch(
        &self,
        max_records: usize,
        max_bytes: usize,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        self.pending_batch_after(0, max_records, max_bytes)
    }

    /// Marks records as handed to the network (one more attempt each).
    /// Records already settled are left as they are.
    pub fn mark_sent(&mut self, ids: &[RecordId]) -> Result<(), StoreError> {
        let at = self.now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        {
            let mut stmt = tx.prepare_cached(
                "UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = ?2
                 WHERE record_id = ?1 AND state IN ('pending', 'sent')",
            )?;
            for id in ids {
                stmt.execute(params![id.to_string(), at])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Applies the server's answers for a batch in one transaction. An
    /// acknowledgement is final; a record already acknowledged is never moved
    /// back to rejected by a late or repeated answer.
    pub fn apply_outcomes(&mut self, outcomes: &[(RecordId, Outcome)]) -> Result<(), StoreError> {
        let at = self.now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        {
            let mut stmt = tx.prepare_cached(
                "UPDATE outbox SET state = ?2, reason = ?3, settled_at = ?4
                 WHERE record_id = ?1 AND state <> 'acknowledged'",
            )?;
            for (id, outcome) in outcomes {
                let (state, reason) = match outcome {
                    Outcome::Acknowledged => (RecordState::Acknowledged, None),
                    Outcome::Rejected(r) => (RecordState::Rejected, Some(r.as_str())),
                    Outcome::Conflict(r) => (RecordState::Conflict, Some(r.as_str())),
                };
                stmt.execute(params![id.to_string(), state.as_str(), reason, at])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Puts rejected or conflicting records back in the queue after someone
    /// has dealt with the cause (e.g. the venue was added to the device's
    /// scope). Returns how many were re-queued.
    pub fn requeue_rejected(&mut self) -> Result<usize, StoreError> {
        Ok(self.conn.execute(
            "UPDATE outbox SET state = 'pending', reason = NULL WHERE state IN ('rejected', 'conflict')",
            [],
        )?)
    }
}
