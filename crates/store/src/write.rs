//! Durable writes of new records: the record row, its typed row and its
//! outbox entry in one transaction, fsynced before the call returns.

use crate::error::StoreError;
use crate::Store;
use checkin_core::{CheckIn, Clock, DeclarationRecord, DeviceId, Record, RecordKind, Subject};
use chrono::SecondsFormat;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

pub(crate) fn ensure_device(conn: &mut Connection, now: &str) -> Result<DeviceId, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let existing: Option<String> = tx
        .query_row(
            "SELECT device_id FROM device WHERE singleton = 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let id = match existing {
        Some(text) => text
            .parse()
            .map_err(|e| StoreError::Migration(format!("bad device id {text:?}: {e}")))?,
        None => {
            let id = DeviceId::new();
            tx.execute(
                "INSERT INTO device (singleton, device_id, created_at) VALUES (1, ?1, ?2)",
                params![id.to_string(), now],
            )?;
            id
        }
    };
    tx.commit()?;
    Ok(id)
}

/// A time as the store writes it: UTC, milliseconds, so text order is time order.
pub(crate) fn stamp(clock: &dyn Clock) -> String {
    clock.now_utc().to_rfc3339_opts(SecondsFormat::Millis, true)
}

impl Store {
    /// Stores a check-in durably and puts it in the outbox. Sets its
    /// `device_seq` and `device_id`. When this returns `Ok`, the record
    /// survives a crash or power loss; on `Err`, nothing was written.
    pub fn record_checkin(&mut self, checkin: &mut CheckIn) -> Result<(), StoreError> {
        checkin.device_id = self.device_id;
        let now = self.now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let seq = next_seq(&tx)?;
        checkin.device_seq = seq;
        let body = serde_json::to_string(&Record::Checkin(checkin.clone()))?;
        insert_outbox(
            &tx,
            &now,
            seq,
            &checkin.id.to_string(),
            RecordKind::Checkin,
            &body,
        )?;
        let subject_type = match &checkin.subject {
            Subject::IdCard { .. } => "id_card",
            Subject::Declaration { .. } => "declaration",
            Subject::Code { .. } => "code",
        };
        tx.execute(
            "INSERT INTO checkins (record_id, venue_id, direction, source, subject_type, identity_key, verdict, device_time)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                checkin.id.to_string(),
                checkin.venue_id.as_str(),
                checkin.direction.to_string(),
                checkin.source.as_str(),
                subject_type,
                checkin.subject.identity_key().map(|k| k.to_string()),
                checkin.verdict.level.to_string(),
                checkin.device_time.to_rfc3339(),
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Stores a declaration durably and puts it in the outbox. Sets its
    /// `device_seq` and `device_id`. Validation is the caller's job (the form
    /// or CLI must show field errors before anything is stored).
    pub fn record_declaration(&mut self, record: &mut DeclarationRecord) -> Result<(), StoreError> {
        record.device_id = self.device_id;
        let now = self.now();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let seq = next_seq(&tx)?;
        record.device_seq = seq;
        let body = serde_json::to_string(&Record::Declaration(record.clone()))?;
        insert_outbox(
            &tx,
            &now,
            seq,
            &record.id.to_string(),
            RecordKind::Declaration,
            &body,
        )?;
        tx.execute(
            "INSERT INTO declarations (record_id, venue_id, source, full_name, identity_key, verdict, device_time)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                record.id.to_string(),
                record.venue_id.as_ref().map(|v| v.as_str().to_string()),
                record.source.as_str(),
                record.declaration.full_name,
                record.declaration.identity_key().map(|k| k.to_string()),
                record.verdict.level.to_string(),
                record.device_time.to_rfc3339(),
            ],
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// Takes the next number of the device's own sequence inside the caller's
/// transaction, so a failed write gives its number back.
fn next_seq(tx: &rusqlite::Transaction<'_>) -> Result<u64, StoreError> {
    Ok(tx.query_row(
        "UPDATE device SET next_seq = next_seq + 1 WHERE singleton = 1 RETURNING next_seq - 1",
        [],
        |r| r.get(0),
    )?)
}

fn insert_outbox(
    tx: &rusqlite::Transaction<'_>,
    now: &str,
    seq: u64,
    record_id: &str,
    kind: RecordKind,
    body: &str,
) -> Result<(), StoreError> {
    let res = tx.execute(
        "INSERT INTO outbox (seq, record_id, kind, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![seq, record_id, kind.as_str(), body, now],
    );
    match res {
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => {
            Err(StoreError::DuplicateRecord(record_id.to_string()))
        }
        other => other.map(drop).map_err(StoreError::from),
    }
}
