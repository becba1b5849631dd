//! Health declarations: a citizen's own at the kiosk (with a signed visitor
//! pass), and paper forms typed in by staff.

use crate::{Declared, IssuedPass, Result, SameDayRecord, Station, StationError};
use checkin_core::{
    verdict, CheckIn, Declaration, DeclarationRecord, Direction, IdentityKey, PassClaims, Record,
    RecordId, Source, Subject, VenueId,
};
use chrono::{DateTime, FixedOffset, NaiveDate};

/// A declaration to store.
#[derive(Debug, Clone)]
pub struct DeclareInput {
    pub declaration: Declaration,
    /// `kiosk` (the citizen), `paper` (a paper form) or `manual` (staff typing for someone).
    pub source: Source,
    /// The venue whose kiosk or staff took it; the station's venue when `None`.
    pub venue_id: Option<VenueId>,
    /// The date and time written on a paper form; the clock's time when `None`.
    pub occurred_at: Option<DateTime<FixedOffset>>,
    /// Also record the visit at the venue (paper forms filled at the door).
    pub visit: Option<Direction>,
    /// Sign a visitor pass for it (the kiosk).
    pub issue_pass: bool,
}

impl Station {
    /// A citizen's own declaration at the kiosk: validated, stored, judged,
    /// and a signed visitor pass made for it.
    pub fn declare_at_kiosk(&mut self, declaration: Declaration) -> Result<Declared> {
        let venue = self.venue().ok();
        self.declare(DeclareInput {
            declaration,
            source: Source::Kiosk,
            venue_id: venue,
            occurred_at: None,
            visit: None,
            issue_pass: true,
        })
    }

    /// Validates, judges and stores a declaration (and, when asked, the visit
    /// it was made for and a visitor pass). Nothing is stored when a field
    /// is invalid: every bad field is reported at once.
    pub fn declare(&mut self, input: DeclareInput) -> Result<Declared> {
        if !matches!(input.source, Source::Kiosk | Source::Paper | Source::Manual) {
            return Err(StationError::bad(
                "invalid_source",
                format!(
                    "a declaration comes from kiosk, paper or manual, not {}",
                    input.source
                ),
            ));
        }
        let now = self.now();
        let when = input.occurred_at.unwrap_or(now);
        if when > now + chrono::Duration::minutes(5) {
            return Err(StationError::bad(
                "time_in_future",
                "the date and time written on the paper are later than now: check them (and this station's clock)",
            ));
        }
        input
            .declaration
            .validate(when.date_naive())
            .map_err(StationError::InvalidDeclaration)?;
        let venue_id = match input.venue_id {
            Some(v) => Some(v),
            None if input.visit.is_some() => Some(self.venue()?),
            None => None,
        };
        let same_day = match input.declaration.identity_key() {
            Some(key) => self.same_day_records(&key, when.date_naive())?,
            None => Vec::new(),
        };
        let judged = verdict(&input.declaration, &self.policy());
        let mut record = DeclarationRecord {
            id: RecordId::new(),
            device_seq: 0,
            venue_id: venue_id.clone(),
            source: input.source,
            device_id: self.store.device_id(),
            device_time: now,
            occurred_at: input.occurred_at,
            declaration: input.declaration,
            verdict: judged,
        };
        let mut visit = input.visit.zip(venue_id).map(|(direction, venue)| {
            let mut c = CheckIn::new(
                venue,
                direction,
                input.source,
                self.store.device_id(),
                now,
                Subject::Declaration {
                    declaration_id: record.id,
                },
                record.verdict.clone(),
                None,
            );
            c.occurred_at = input.occurred_at;
            c
        });
        let mut records = vec![Record::Declaration(record.clone())];
        if let Some(c) = visit.take() {
            records.push(Record::Checkin(c));
        }
        self.store.record_all(&mut records)?;
        let mut checkin_id = None;
        for r in records {
            match r {
                Record::Declaration(d) => record = d,
                Record::Checkin(c) => checkin_id = Some(c.id.to_string()),
                _ => {}
            }
        }
        let pass = if input.issue_pass {
            Some(self.issue_pass(&record, now)?)
        } else {
            None
        };
        Ok(Declared {
            record_id: record.id.to_string(),
            verdict: record.verdict,
            pass,
            checkin_id,
            same_day,
        })
    }

    /// Records of this person dated `day`, as the "already recorded today"
    /// warning lists them.
    pub fn same_day_records(
        &self,
        key: &IdentityKey,
        day: NaiveDate,
    ) -> Result<Vec<SameDayRecord>> {
        Ok(self
            .store
            .records_of_person_on(key, day)?
            .into_iter()
            .filter_map(|r| match r.record {
                Record::Checkin(c) => Some(SameDayRecord {
                    record_id: c.id.to_string(),
                    kind: checkin_core::RecordKind::Checkin,
                    at: c.visit_time(),
                    source: c.source,
                    name: c.subject.full_name().unwrap_or_default().to_string(),
                }),
                Record::Declaration(d) => Some(SameDayRecord {
                    record_id: d.id.to_string(),
                    kind: checkin_core::RecordKind::Declaration,
                    at: d.occurred_at.unwrap_or(d.device_time),
                    source: d.source,
                    name: d.declaration.full_name,
                }),
                _ => None,
            })
            .collect())
    }

    /// Signs a visitor pass for a stored declaration: valid through the
    /// policy's number of days after its date, at the end of that day.
    fn issue_pass(
        &self,
        record: &DeclarationRecord,
        now: DateTime<FixedOffset>,
    ) -> Result<IssuedPass> {
        let claims = PassClaims::for_declaration(record, &self.policy());
        let declared_on = claims.declared_on;
        let expires_at = claims.expires_at.with_timezone(now.offset());
        let text = self.signer.sign(&claims);
        Ok(IssuedPass {
            svg: qr_svg(&text)?,
            text,
            name: claims.full_name,
            declared_on,
            expires_at,
            level: claims.level,
        })
    }
}

/// A QR code as an SVG document (medium error correction, quiet zone kept).
pub fn qr_svg(text: &str) -> Result<String> {
    checkin_core::pass::qr_svg(text)
        .map_err(|e| StationError::Internal(format!("cannot make a QR code: {e}")))
}
