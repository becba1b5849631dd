//! Reads the station's screens need: a person's records on a day, the last
//! check-ins, quarantine cases and their updates.

use crate::error::StoreError;
use crate::Store;
use checkin_core::{
    CheckIn, DeclarationRecord, HealthUpdateRecord, IdentityKey, QuarantineRecord, Record,
    RecordId, RecordKind,
};
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

/// A record of one person on one day, as the "already here today" warning shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayRecord {
    pub seq: u64,
    pub record: Record,
}

/// A quarantine case with what the station knows of its follow-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarantineCase {
    pub record: QuarantineRecord,
    /// The newest reported update, if any.
    pub last_update: Option<HealthUpdateRecord>,
    /// Days with an update (reported or missed) in order.
    pub days_done: Vec<NaiveDate>,
    /// Days up to this one have been closed (an update or a "missed" record).
    pub closed_through: Option<NaiveDate>,
}

fn parse_id(s: &str) -> Result<RecordId, StoreError> {
    s.parse()
        .map_err(|e| StoreError::Migration(format!("bad record id {s:?} in the store: {e}")))
}

fn parse_day(s: &str) -> Result<NaiveDate, StoreError> {
    s.parse()
        .map_err(|e| StoreError::Migration(format!("bad date {s:?} in the store: {e}")))
}

impl Store {
    /// The body of one record by id, if it is still on the device.
    pub fn record_by_id(&self, id: RecordId) -> Result<Option<Record>, StoreError> {
        let body: Option<String> = self
            .conn
            .query_row(
                "SELECT body FROM outbox WHERE record_id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        body.map(|b| serde_json::from_str(&b).map_err(StoreError::from))
            .transpose()
    }

    /// Every check-in and declaration of this person dated `day` (the
    /// paper's date for records typed in later), oldest first.
    pub fn records_of_person_on(
        &self,
        key: &IdentityKey,
        day: NaiveDate,
    ) -> Result<Vec<DayRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.seq, o.body FROM outbox o
             WHERE o.record_id IN (
                 SELECT record_id FROM checkins WHERE identity_key = ?1 AND local_date = ?2
                 UNION ALL
                 SELECT record_id FROM declarations WHERE identity_key = ?1 AND local_date = ?2)
             ORDER BY o.seq",
        )?;
        let rows = stmt.query_map(params![key.to_string(), day.to_string()], |r| {
            Ok((r.get::<_, u64>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, body) = row?;
            out.push(DayRecord {
                seq,
                record: serde_json::from_str(&body)?,
            });
        }
        Ok(out)
    }

    /// The newest declaration of this person dated `day`, if any.
    pub fn declaration_of_person_on(
        &self,
        key: &IdentityKey,
        day: NaiveDate,
    ) -> Result<Option<DeclarationRecord>, StoreError> {
        let body: Option<String> = self
            .conn
            .query_row(
                "SELECT o.body FROM declarations d JOIN outbox o USING (record_id)
                 WHERE d.identity_key = ?1 AND d.local_date = ?2
                 ORDER BY o.seq DESC LIMIT 1",
                params![key.to_string(), day.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        match body
            .map(|b| serde_json::from_str::<Record>(&b))
            .transpose()?
        {
            Some(Record::Declaration(d)) => Ok(Some(d)),
            _ => Ok(None),
        }
    }

    /// The newest check-ins, newest first.
    pub fn recent_checkins(&self, limit: usize) -> Result<Vec<CheckIn>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT body FROM outbox WHERE kind = 'checkin' ORDER BY seq DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for row in rows {
            if let Record::Checkin(c) = serde_json::from_str(&row?)? {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// Quarantine cases that cover `day` or ended after `since`, by name.
    pub fn quarantine_cases(
        &self,
        day: NaiveDate,
        since: NaiveDate,
    ) -> Result<Vec<QuarantineCase>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT record_id FROM quarantine_cases
             WHERE start_date <= ?1 AND end_date >= ?2
             ORDER BY full_name, record_id",
        )?;
        let ids = stmt
            .query_map(params![day.to_string(), since.to_string()], |r| {
                r.get::<_, String>(0)
            })?
            .collect::<Result<Vec<_>, _>>()?;
        self.quarantine_cases_by_id(ids)
    }

    /// The cases of these record ids (as read from a query), in that order.
    fn quarantine_cases_by_id(&self, ids: Vec<String>) -> Result<Vec<QuarantineCase>, StoreError> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(c) = self.quarantine_case(parse_id(&id)?)? {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// One quarantine case by its record id.
    pub fn quarantine_case(&self, id: RecordId) -> Result<Option<QuarantineCase>, StoreError> {
        let row: Option<(String, Option<String>)> = self
            .conn
            .query_row(
                "SELECT o.body, q.closed_through FROM quarantine_cases q JOIN outbox o USING (record_id)
                 WHERE q.record_id = ?1",
                [id.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((body, closed)) = row else {
            return Ok(None);
        };
        let Record::Quarantine(record) = serde_json::from_str(&body)? else {
            return Err(StoreError::Migration(format!(
                "quarantine case {id} holds another kind of record"
            )));
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT h.date, h.status, o.body FROM health_updates h JOIN outbox o USING (record_id)
             WHERE h.quarantine_id = ?1 ORDER BY h.date, o.seq",
        )?;
        let rows = stmt.query_map([id.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut days_done = Vec::new();
        let mut last_update = None;
        for row in rows {
            let (date, status, body) = row?;
            let date = parse_day(&date)?;
            if days_done.last() != Some(&date) {
                days_done.push(date);
            }
            if status == "reported" {
                if let Record::HealthUpdate(h) = serde_json::from_str(&body)? {
                    last_update = Some(h);
                }
            }
        }
        Ok(Some(QuarantineCase {
            record,
            last_update,
            days_done,
            closed_through: closed.as_deref().map(parse_day).transpose()?,
        }))
    }

    /// The quarantine case of this person that covers `day`, if any.
    pub fn quarantine_of_person(
        &self,
        key: &IdentityKey,
        day: NaiveDate,
    ) -> Result<Option<QuarantineCase>, StoreError> {
        let id: Option<String> = self
            .conn
            .query_row(
                "SELECT record_id FROM quarantine_cases
                 WHERE identity_key = ?1 AND start_date <= ?2 AND end_date >= ?2
                 ORDER BY end_date DESC LIMIT 1",
                params![key.to_string(), day.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        match id {
            None => Ok(None),
            Some(id) => self.quarantine_case(parse_id(&id)?),
        }
    }

    /// Cases with days before `day` not yet closed (no update, no "missed").
    pub fn quarantine_cases_to_close(
        &self,
        day: NaiveDate,
    ) -> Result<Vec<QuarantineCase>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT record_id FROM quarantine_cases
             WHERE start_date < ?1
               AND (closed_through IS NULL OR (closed_through < date(?1, '-1 day') AND closed_through < end_date))",
        )?;
        let ids = stmt
            .query_map([day.to_string()], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        self.quarantine_cases_by_id(ids)
    }

    /// How many records of each kind the outbox holds (for tests and status).
    pub fn count_kind(&self, kind: RecordKind) -> Result<u64, StoreError> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM outbox WHERE kind = ?1",
            [kind.as_str()],
            |r| r.get(0),
        )?)
    }
}
