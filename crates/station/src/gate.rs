//! The gate: a scanned or typed code, or a person typed in by the guard,
//! becomes a verdict and, when it names a person, a stored check-in.

use crate::{id_hint, typed_view, Admission, PassView, PersonView, Result, Station, StationError};
use checkin_core::{
    identify, CheckIn, CodeError, Direction, IdentityKey, Level, PassProblem, PayloadKind, Reason,
    Source, Subject, TypedPerson, VenueId, Verdict,
};
use chrono::{DateTime, Datelike, FixedOffset};

/// Where and how a code is admitted.
#[derive(Debug, Clone, Copy)]
pub struct AdmitRequest<'a> {
    pub venue: &'a VenueId,
    pub direction: Direction,
    pub source: Source,
    /// Refuse a repeat of a code admitted within the hold time (off for
    /// camera scans, which the scan loop's debouncer already held on its
    /// monotonic clock, and for paper logbooks typed in later).
    pub hold: bool,
    /// The time written on paper, for visits typed in later.
    pub occurred_at: Option<DateTime<FixedOffset>>,
}

impl Station {
    /// Admits a scanned or typed code at the station's venue: decides the
    /// verdict and stores the check-in (before returning) when the code names
    /// a person. The same code within the hold time is one scan.
    pub fn admit(&mut self, code: &str, direction: Direction, source: Source) -> Result<Admission> {
        let venue = self.venue()?;
        self.admit_with(
            code,
            &AdmitRequest {
                venue: &venue,
                direction,
                source,
                hold: true,
                occurred_at: None,
            },
        )
    }

    /// [`Station::admit`] with every choice spelled out.
    pub fn admit_with(&mut self, code: &str, req: &AdmitRequest<'_>) -> Result<Admission> {
        let AdmitRequest {
            venue,
            direction,
            source,
            hold,
            occurred_at,
        } = *req;
        let now = self.now();
        if occurred_at.is_some_and(|t| t > now + chrono::Duration::minutes(5)) {
            return Err(StationError::bad(
                "time_in_future",
                "the date and time written on the paper are later than now: check them (and this station's clock)",
            ));
        }
        let policy = self.policy();
        let found = match identify(code, self.gate_keys(), now, &policy) {
            Ok(f) => f,
            Err(CodeError::Empty) => {
                return Err(StationError::bad("empty_code", "the code is empty"))
            }
            Err(e @ CodeError::TooLong { .. }) => {
                return Err(StationError::bad("code_too_long", e.to_string()))
            }
            Err(CodeError::EnrollmentCode) => {
                // The settings screen enrolls with a code the camera read:
                // the text goes back to this station's own page only.
                let mut a = not_checkin(PayloadKind::Enroll, "enrollment_code", now);
                if let Admission::NotCheckin { text, .. } = &mut a {
                    *text = Some(code.trim().to_string());
                }
                return Ok(a);
            }
            Err(CodeError::NotACheckinCode(kind)) => {
                return Ok(not_checkin(kind, "names_no_person", now))
            }
            Err(CodeError::DamagedIdCard(reason)) => {
                return Ok(damaged(PayloadKind::Text, "damaged_id_card", reason, now))
            }
            Err(CodeError::DamagedCard { kind, reason }) => {
                return Ok(damaged(kind, "damaged_card", reason, now))
            }
            Err(CodeError::Pass(problem)) => return Ok(pass_refused(problem, now)),
        };
        if hold && self.is_repeat(code, now)? {
            return Ok(Admission::Repeat {
                kind: found.kind,
                at: now,
            });
        }
        let mut verdict = found.verdict.clone();
        if direction == Direction::Out {
            // Leaving needs no health check; the exit is recorded as it is.
            verdict = Verdict::green();
        } else {
            self.refine_verdict(&found.subject, &mut verdict)?;
        }
        let pass = found.pass.as_ref().map(|p| PassView {
            name: p.claims.full_name.clone(),
            declared_on: p.claims.declared_on,
            expires_at: p.claims.expires_at.with_timezone(now.offset()),
            level: p.claims.level,
            issuer: p.issuer.to_string(),
        });
        let person = person_view(&found.subject).or_else(|| found.holder.as_ref().map(holder_view));
        let mut checkin = CheckIn::new(
            venue.clone(),
            direction,
            source,
            self.store.device_id(),
            now,
            found.subject,
            verdict,
            found.raw_code,
        );
        checkin.occurred_at = occurred_at;
        self.store.record_checkin(&mut checkin)?;
        self.remember(code, now);
        Ok(Admission::Recorded {
            checkin_id: checkin.id.to_string(),
            verdict: checkin.verdict,
            person,
            kind: found.kind,
            direction,
            at: occurred_at.unwrap_or(now),
            pass,
        })
    }

    /// Records a person without a code, typed in by the guard.
    pub fn admit_typed(&mut self, person: &TypedPerson, direction: Direction) -> Result<Admission> {
        let venue = self.venue()?;
        let now = self.now();
        person
            .validate(now.date_naive())
            .map_err(StationError::InvalidPerson)?;
        let subject = Subject::Typed(person.clone());
        let mut verdict = checkin_core::code_verdict(PayloadKind::Cccd, &self.policy());
        if direction == Direction::In {
            self.refine_verdict(&subject, &mut verdict)?;
        } else {
            verdict = Verdict::green();
        }
        let mut checkin = CheckIn::new(
            venue,
            direction,
            Source::Manual,
            self.store.device_id(),
            now,
            subject,
            verdict,
            None,
        );
        self.store.record_checkin(&mut checkin)?;
        Ok(Admission::Recorded {
            checkin_id: checkin.id.to_string(),
            verdict: checkin.verdict,
            person: Some(typed_view(person)),
            kind: PayloadKind::Text,
            direction,
            at: now,
            pass: None,
        })
    }

    /// The newest check-ins stored here, newest first, as the gate lists them.
    pub fn recent_admissions(&self, limit: usize) -> Result<Vec<Admission>> {
        Ok(self
            .store
            .recent_checkins(limit)?
            .into_iter()
            .map(|c| Admission::Recorded {
                checkin_id: c.id.to_string(),
                person: person_view(&c.subject),
                kind: match &c.subject {
                    Subject::IdCard { .. } => PayloadKind::Cccd,
                    Subject::Pass { .. } => PayloadKind::Pass,
                    Subject::Code { kind } | Subject::PersonCode { kind, .. } => *kind,
                    Subject::Certificate { .. } => PayloadKind::Dcc,
                    Subject::Declaration { .. } | Subject::Typed(_) => PayloadKind::Text,
                },
                direction: c.direction,
                at: c.visit_time(),
                pass: None,
                verdict: c.verdict,
            })
            .collect())
    }

    /// What the station knows beyond the code itself: today's declaration of
    /// this person (a scanned ID card then takes its verdict), and a
    /// quarantine registered here.
    fn refine_verdict(&self, subject: &Subject, verdict: &mut Verdict) -> Result<()> {
        let today = self.today();
        let Some(key) = self.identity_of(subject)? else {
            return Ok(());
        };
        if matches!(
            subject,
            Subject::IdCard { .. } | Subject::Typed(_) | Subject::PersonCode { .. }
        ) {
            if let Some(d) = self.store.declaration_of_person_on(&key, today)? {
                *verdict = d.verdict;
            }
        }
        if let Some(q) = self.store.quarantine_of_person(&key, today)? {
            verdict.add(Level::Red, Reason::InQuarantine(q.record.end_date));
        }
        Ok(())
    }

    /// The key that names this person: the subject's own, or for a pass the
    /// key of its declaration when that was made on this station.
    pub(crate) fn identity_of(&self, subject: &Subject) -> Result<Option<IdentityKey>> {
        if let Some(k) = subject.identity_key() {
            return Ok(Some(k));
        }
        let declaration_id = match subject {
            Subject::Pass { declaration_id, .. } | Subject::Declaration { declaration_id } => {
                *declaration_id
            }
            _ => return Ok(None),
        };
        Ok(match self.store.record_by_id(declaration_id)? {
            Some(checkin_core::Record::Declaration(d)) => d.declaration.identity_key(),
            _ => None,
        })
    }

    fn is_repeat(&mut self, code: &str, now: DateTime<FixedOffset>) -> Result<bool> {
        let hold = chrono::Duration::from_std(self.hold()?).unwrap_or_default();
        let text = code.trim();
        self.recent_codes
            .retain(|(_, at)| now.signed_duration_since(*at) < hold && *at <= now);
        Ok(self.recent_codes.iter().any(|(c, _)| c == text))
    }

    fn remember(&mut self, code: &str, now: DateTime<FixedOffset>) {
        self.recent_codes.push((code.trim().to_string(), now));
    }
}

fn not_checkin(kind: PayloadKind, problem: &str, at: DateTime<FixedOffset>) -> Admission {
    Admission::NotCheckin {
        kind,
        problem: Some(problem.to_string()),
        detail: None,
        text: None,
        at,
    }
}

/// A code that looks like a card but does not read, with why.
fn damaged(
    kind: PayloadKind,
    problem: &str,
    reason: String,
    at: DateTime<FixedOffset>,
) -> Admission {
    Admission::NotCheckin {
        kind,
        problem: Some(problem.to_string()),
        detail: Some(reason),
        text: None,
        at,
    }
}

fn pass_refused(problem: PassProblem, at: DateTime<FixedOffset>) -> Admission {
    Admission::PassRefused {
        problem,
        verdict: Verdict::with(Level::Red, Reason::PassInvalid(problem)),
        at,
    }
}

/// What the gate shows of a subject.
pub(crate) fn person_view(subject: &Subject) -> Option<PersonView> {
    match subject {
        Subject::IdCard {
            id_number,
            full_name,
            birth_date,
            ..
        } => Some(PersonView {
            name: full_name.clone(),
            id_hint: id_hint(id_number),
            birth_year: Some(birth_date.year()),
        }),
        Subject::Pass { full_name, .. } => Some(PersonView {
            name: full_name.clone(),
            id_hint: None,
            birth_year: None,
        }),
        Subject::Typed(p) => Some(typed_view(p)),
        Subject::PersonCode {
            full_name,
            birth_date,
            key,
            ..
        } => Some(PersonView {
            name: full_name.clone(),
            // The ID number or social-insurance number, cut like an ID
            // card's; a QID means nothing to staff.
            id_hint: match key {
                IdentityKey::IdCard(n) | IdentityKey::Insurance(n) => id_hint(n),
                _ => None,
            },
            birth_year: Some(birth_date.year()),
        }),
        Subject::Declaration { .. } | Subject::Code { .. } | Subject::Certificate { .. } => None,
    }
}

/// Whose certificate it is, for the screen only (nothing of it is stored).
fn holder_view(h: &checkin_core::Holder) -> PersonView {
    PersonView {
        name: h.full_name.clone(),
        id_hint: None,
        birth_year: h.birth_date.get(..4).and_then(|y| y.parse().ok()),
    }
}
