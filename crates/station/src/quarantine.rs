//! Quarantine follow-up at a health station: register a person, take their
//! daily update, list who has not updated today, and close past days with a
//! "missed" record for the server.

use crate::gate::person_view;
use crate::{
    HealthUpdateInput, HealthUpdateView, PersonView, QuarantineCaseView, QuarantineRegistration,
    Result, Station, StationError,
};
use checkin_core::quarantine::{assess_update, validate_registration};
use checkin_core::{
    identify, HealthUpdateRecord, QuarantineRecord, RecordId, Source, Subject, UpdateStatus,
    Verdict,
};
use checkin_store::QuarantineCase;
use chrono::Days;

/// Ended cases stay listed this many days.
const LIST_ENDED_DAYS: u64 = 7;

impl Station {
    /// Puts a person under quarantine, identified by their ID-card code or a
    /// pass issued here, or by typed details.
    pub fn register_quarantine(
        &mut self,
        input: QuarantineRegistration,
    ) -> Result<QuarantineCaseView> {
        let now = self.now();
        validate_registration(&input.place, input.start_date, input.end_date)
            .map_err(StationError::InvalidQuarantine)?;
        let subject = match (&input.code, &input.person) {
            (Some(code), _) if !code.trim().is_empty() => self.subject_of_code(code)?,
            (_, Some(p)) => {
                p.validate(now.date_naive())
                    .map_err(StationError::InvalidPerson)?;
                Subject::Typed(p.clone())
            }
            _ => {
                return Err(StationError::bad(
                    "person_missing",
                    "scan the person's ID card or pass, or type their details",
                ))
            }
        };
        let key = self.identity_of(&subject)?.ok_or_else(|| {
            StationError::bad(
                "person_unidentified",
                "this pass was not issued here, so it does not say who the person is: scan their ID card or type their details",
            )
        })?;
        if let Some(c) = self.store.quarantine_of_person(&key, input.start_date)? {
            return Err(StationError::bad(
                "already_in_quarantine",
                format!(
                    "this person is already under quarantine here until {}",
                    c.record.end_date
                ),
            ));
        }
        let mut record = QuarantineRecord {
            id: RecordId::new(),
            device_seq: 0,
            device_id: self.store.device_id(),
            device_time: now,
            venue_id: self.venue().ok(),
            subject,
            mode: input.kind,
            place: input.place.trim().to_string(),
            start_date: input.start_date,
            end_date: input.end_date,
            source: if input.code.is_some() {
                Source::Qr
            } else {
                Source::Manual
            },
        };
        self.store.record_quarantine(&mut record)?;
        Ok(self.case_view(&self.case(record.id)?))
    }

    /// The case of the person a scanned or typed code names, if they are
    /// under quarantine here today.
    pub fn find_quarantine(&self, code: &str) -> Result<Option<QuarantineCaseView>> {
        let subject = self.subject_of_code(code)?;
        let Some(key) = self.identity_of(&subject)? else {
            return Ok(None);
        };
        Ok(self
            .store
            .quarantine_of_person(&key, self.today())?
            .map(|c| self.case_view(&c)))
    }

    /// Records today's update of a quarantined person.
    pub fn update_quarantine(&mut self, input: HealthUpdateInput) -> Result<QuarantineCaseView> {
        let now = self.now();
        let today = now.date_naive();
        let id: RecordId = input.case_id.parse().map_err(|_| StationError::NotFound {
            what: "quarantine case",
        })?;
        let case = self.case(id)?;
        if !case.record.covers(today) {
            return Err(StationError::bad(
                "quarantine_not_active",
                format!(
                    "this quarantine runs from {} to {}: no update is due today",
                    case.record.start_date, case.record.end_date
                ),
            ));
        }
        let temperature_dc = match input.temperature_c {
            None => None,
            Some(t) if t.is_finite() && (0.0..100.0).contains(&t) => {
                Some((t * 10.0).round() as u16)
            }
            Some(_) => {
                return Err(StationError::bad(
                    "invalid_temperature",
                    "the temperature must be in degrees Celsius, e.g. 36.8",
                ))
            }
        };
        let verdict = assess_update(temperature_dc, &input.symptoms, &input.note, &self.policy())
            .map_err(StationError::InvalidQuarantine)?;
        let mut update = [HealthUpdateRecord {
            id: RecordId::new(),
            device_seq: 0,
            device_id: self.store.device_id(),
            device_time: now,
            venue_id: case.record.venue_id.clone(),
            quarantine_id: id,
            date: today,
            status: UpdateStatus::Reported {
                temperature_dc,
                symptoms: input.symptoms,
                note: input.note.trim().to_string(),
            },
            verdict,
            source: Source::Manual,
        }];
        self.store.record_health_updates(&mut update, None)?;
        Ok(self.case_view(&self.case(id)?))
    }

    /// One case by id, or "not found".
    fn case(&self, id: RecordId) -> Result<QuarantineCase> {
        self.store
            .quarantine_case(id)?
            .ok_or(StationError::NotFound {
                what: "quarantine case",
            })
    }

    /// Cases active today (those without today's update first) and those
    /// that ended in the last week. Past days without an update are closed
    /// first (see [`Station::close_quarantine_days`]).
    pub fn quarantine_list(&mut self) -> Result<Vec<QuarantineCaseView>> {
        self.close_quarantine_days()?;
        let today = self.today();
        let since = today
            .checked_sub_days(Days::new(LIST_ENDED_DAYS))
            .unwrap_or(today);
        let mut views: Vec<_> = self
            .store
            .quarantine_cases(today, since)?
            .iter()
            .map(|c| self.case_view(c))
            .collect();
        views.sort_by_key(|v| (!v.active, v.updated_today));
        Ok(views)
    }

    /// People under quarantine today without today's update.
    pub fn quarantine_due(&self) -> Result<u64> {
        let today = self.today();
        Ok(self
            .store
            .quarantine_cases(today, today)?
            .iter()
            .filter(|c| c.record.covers(today) && !c.days_done.contains(&today))
            .count() as u64)
    }

    /// Every past day of a quarantine without an update gets a "missed"
    /// record, so the server learns who did not report. Days are closed at
    /// most once (the case remembers how far it was closed). Returns how
    /// many "missed" records were made.
    pub fn close_quarantine_days(&mut self) -> Result<usize> {
        let now = self.now();
        let today = now.date_naive();
        let Some(yesterday) = today.pred_opt() else {
            return Ok(0);
        };
        let mut made = 0;
        for case in self.store.quarantine_cases_to_close(today)? {
            let last = yesterday.min(case.record.end_date);
            let mut day = match case.closed_through {
                Some(d) => d.succ_opt().unwrap_or(d),
                None => case.record.start_date,
            };
            let mut missed = Vec::new();
            while day <= last {
                if !case.days_done.contains(&day) {
                    missed.push(HealthUpdateRecord {
                        id: RecordId::new(),
                        device_seq: 0,
                        device_id: self.store.device_id(),
                        device_time: now,
                        venue_id: case.record.venue_id.clone(),
                        quarantine_id: case.record.id,
                        date: day,
                        status: UpdateStatus::Missed,
                        verdict: Verdict::green(),
                        source: Source::Manual,
                    });
                }
                let Some(next) = day.succ_opt() else { break };
                day = next;
            }
            made += missed.len();
            self.store
                .record_health_updates(&mut missed, Some((case.record.id, last)))?;
        }
        Ok(made)
    }

    fn subject_of_code(&self, code: &str) -> Result<Subject> {
        identify(code, self.gate_keys(), self.now(), &self.policy())
            .map(|f| f.subject)
            .map_err(|e| StationError::bad("invalid_code", e.to_string()))
    }

    fn case_view(&self, case: &QuarantineCase) -> QuarantineCaseView {
        let today = self.today();
        let r = &case.record;
        QuarantineCaseView {
            id: r.id.to_string(),
            person: person_view(&r.subject).unwrap_or(PersonView {
                name: String::new(),
                id_hint: None,
                birth_year: None,
            }),
            kind: r.mode,
            place: r.place.clone(),
            start_date: r.start_date,
            end_date: r.end_date,
            active: r.covers(today),
            updated_today: case.days_done.contains(&today),
            last_update: case.last_update.as_ref().and_then(update_view),
        }
    }
}

fn update_view(h: &HealthUpdateRecord) -> Option<HealthUpdateView> {
    match &h.status {
        UpdateStatus::Reported {
            temperature_dc,
            symptoms,
            note,
        } => Some(HealthUpdateView {
            at: h.device_time,
            date: h.date,
            temperature_c: temperature_dc.map(|t| f64::from(t) / 10.0),
            symptoms: *symptoms,
            note: note.clone(),
            verdict: h.verdict.clone(),
        }),
        UpdateStatus::Missed => None,
    }
}
