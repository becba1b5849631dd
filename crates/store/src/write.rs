//! Durable writes of new records: the outbox entry and the record's typed row
//! in one transaction, fsynced before the call returns.

use crate::error::StoreError;
use crate::Store;
use checkin_core::{
    CheckIn, Clock, DeclarationRecord, DeviceId, HealthUpdateRecord, QuarantineKind,
    QuarantineRecord, Record, RecordId, Subject, UpdateStatus,
};
use chrono::{NaiveDate, SecondsFormat};
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};

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
        let mut record = Record::Checkin(checkin.clone());
        self.record(&mut record)?;
        if let Record::Checkin(c) = record {
            *checkin = c;
        }
        Ok(())
    }

    /// Stores a declaration durably and puts it in the outbox. Sets its
    /// `device_seq` and `device_id`. Validation is the caller's job (the form
    /// or CLI must show field errors before anything is stored).
    pub fn record_declaration(
        &mut self,
        declaration: &mut DeclarationRecord,
    ) -> Result<(), StoreError> {
        let mut record = Record::Declaration(declaration.clone());
        self.record(&mut record)?;
        if let Record::Declaration(d) = record {
            *declaration = d;
        }
        Ok(())
    }

    /// Stores a new quarantine case durably and puts it in the outbox.
    pub fn record_quarantine(
        &mut self,
        quarantine: &mut QuarantineRecord,
    ) -> Result<(), StoreError> {
        let mut record = Record::Quarantine(quarantine.clone());
        self.record(&mut record)?;
        if let Record::Quarantine(q) = record {
            *quarantine = q;
        }
        Ok(())
    }

    /// Stores any record durably and puts it in the outbox, setting its
    /// `device_seq` and `device_id`.
    pub fn record(&mut self, record: &mut Record) -> Result<(), StoreError> {
        let now = self.now();
        let device = self.device_id;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        insert_record(&tx, device, &now, record)?;
        tx.commit()?;
        Ok(())
    }

    /// Stores several records in one transaction (a paper form and the visit
    /// it records): all of them or none.
    pub fn record_all(&mut self, records: &mut [Record]) -> Result<(), StoreError> {
        let now = self.now();
        let device = self.device_id;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for record in records.iter_mut() {
            insert_record(&tx, device, &now, record)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Stores health updates (reported or missed) durably in one transaction
    /// and, when `closed_through` is given, marks that case's days up to that
    /// date as dealt with. Sets each record's `device_seq` and `device_id`.
    pub fn record_health_updates(
        &mut self,
        updates: &mut [HealthUpdateRecord],
        closed_through: Option<(RecordId, NaiveDate)>,
    ) -> Result<(), StoreError> {
        let now = self.now();
        let device = self.device_id;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for update in updates.iter_mut() {
            let mut record = Record::HealthUpdate(update.clone());
            insert_record(&tx, device, &now, &mut record)?;
            if let Record::HealthUpdate(h) = record {
                *update = h;
            }
        }
        if let Some((case, day)) = closed_through {
            tx.execute(
                "UPDATE quarantine_cases SET closed_through = ?2
                 WHERE record_id = ?1 AND (closed_through IS NULL OR closed_through < ?2)",
                params![case.to_string(), day.to_string()],
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// Writes `record` (outbox entry and typed row) inside the caller's
/// transaction, with the next number of the device's sequence.
pub(crate) fn insert_record(
    tx: &Transaction<'_>,
    device: DeviceId,
    now: &str,
    record: &mut Record,
) -> Result<(), StoreError> {
    let seq = next_seq(tx)?;
    match record {
        Record::Checkin(c) => {
            c.device_id = device;
            c.device_seq = seq;
        }
        Record::Declaration(d) => {
            d.device_id = device;
            d.device_seq = seq;
        }
        Record::Quarantine(q) => {
            q.device_id = device;
            q.device_seq = seq;
        }
        Record::HealthUpdate(h) => {
            h.device_id = device;
            h.device_seq = seq;
        }
    }
    let id = record.id().to_string();
    let body = serde_json::to_string(&record)?;
    let res = tx.execute(
        "INSERT INTO outbox (seq, record_id, kind, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![seq, id, record.kind().as_str(), body, now],
    );
    match res {
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => {
            return Err(StoreError::DuplicateRecord(id));
        }
        other => other.map(drop)?,
    }
    insert_typed_row(tx, &id, record)
}

/// The row that local screens and lookups read, beside the outbox entry.
fn insert_typed_row(tx: &Transaction<'_>, id: &str, record: &Record) -> Result<(), StoreError> {
    match record {
        Record::Checkin(c) => {
            let subject_type = match &c.subject {
                Subject::IdCard { .. } => "id_card",
                Subject::Declaration { .. } => "declaration",
                Subject::Pass { .. } => "pass",
                Subject::Typed(_) => "typed",
                Subject::Code { .. } => "code",
                Subject::PersonCode { .. } => "person_code",
                Subject::Certificate { .. } => "certificate",
            };
            // A check-in made from a declaration (a paper form, a pass issued
            // here) names the person through that declaration.
            let key = match (&c.subject, c.subject.identity_key()) {
                (_, Some(k)) => Some(k.to_string()),
                (
                    Subject::Declaration { declaration_id } | Subject::Pass { declaration_id, .. },
                    None,
                ) => tx
                    .query_row(
                        "SELECT identity_key FROM declarations WHERE record_id = ?1",
                        [declaration_id.to_string()],
                        |r| r.get::<_, Option<String>>(0),
                    )
                    .optional()?
                    .flatten(),
                _ => None,
            };
            tx.execute(
                "INSERT INTO checkins (record_id, venue_id, direction, source, subject_type, identity_key, verdict, device_time, local_date)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    id,
                    c.venue_id.as_str(),
                    c.direction.to_string(),
                    c.source.as_str(),
                    subject_type,
                    key,
                    c.verdict.level.to_string(),
                    c.device_time.to_rfc3339(),
                    c.visit_time().date_naive().to_string(),
                ],
            )?;
        }
        Record::Declaration(d) => {
            tx.execute(
                "INSERT INTO declarations (record_id, venue_id, source, full_name, identity_key, verdict, device_time, local_date)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    id,
                    d.venue_id.as_ref().map(|v| v.as_str().to_string()),
                    d.source.as_str(),
                    d.declaration.full_name,
                    d.declaration.identity_key().map(|k| k.to_string()),
                    d.verdict.level.to_string(),
                    d.device_time.to_rfc3339(),
                    d.occurred_at
                        .unwrap_or(d.device_time)
                        .date_naive()
                        .to_string(),
                ],
            )?;
        }
        Record::Quarantine(q) => {
            tx.execute(
                "INSERT INTO quarantine_cases (record_id, identity_key, full_name, mode, start_date, end_date)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    id,
                    q.subject.identity_key().map(|k| k.to_string()),
                    q.subject.full_name().unwrap_or_default(),
                    match q.mode {
                        QuarantineKind::Home => "home",
                        QuarantineKind::Facility => "facility",
                    },
                    q.start_date.to_string(),
                    q.end_date.to_string(),
                ],
            )?;
        }
        Record::HealthUpdate(h) => {
            tx.execute(
                "INSERT INTO health_updates (record_id, quarantine_id, date, status, verdict, device_time)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    id,
                    h.quarantine_id.to_string(),
                    h.date.to_string(),
                    match h.status {
                        UpdateStatus::Reported { .. } => "reported",
                        UpdateStatus::Missed => "missed",
                    },
                    h.verdict.level.to_string(),
                    h.device_time.to_rfc3339(),
                ],
            )?;
        }
    }
    Ok(())
}

/// Deletes a record's typed row (the outbox entry is the caller's).
pub(crate) fn delete_typed_row(tx: &Transaction<'_>, id: &str) -> Result<(), StoreError> {
    for table in [
        "checkins",
        "declarations",
        "quarantine_cases",
        "health_updates",
    ] {
        tx.execute(&format!("DELETE FROM {table} WHERE record_id = ?1"), [id])?;
    }
    Ok(())
}

/// Takes the next number of the device's own sequence inside the caller's
/// transaction, so a failed write gives its number back.
fn next_seq(tx: &Transaction<'_>) -> Result<u64, StoreError> {
    Ok(tx.query_row(
        "UPDATE device SET next_seq = next_seq + 1 WHERE singleton = 1 RETURNING next_seq - 1",
        [],
        |r| r.get(0),
    )?)
}
