//! What the server admits: a record that parses may still be wrong (a time
//! decades away, control characters in a name, a declaration without
//! consent, a green verdict with fever ticked). Such a record is refused
//! alone, with a reason, and never sinks the batch it came in.
//!
//! The rules are the ones stations apply when they make records, plus the
//! bounds a server needs because a device's clock or software may be wrong.

use crate::checkin::{Subject, MAX_CODE_BYTES};
use crate::declaration::{Exposure, Symptom};
use crate::payload::PayloadKind;
use crate::quarantine::{assess_update, symptoms_with_fever, validate_registration, UpdateStatus};
use crate::record::Record;
use crate::verdict::{verdict, Level, Policy, Reason, Verdict};
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use thiserror::Error;

/// The earliest time a record may carry: before the first check-in points.
pub fn earliest() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0)
        .single()
        .expect("a valid date")
}

/// How far ahead of the server's clock a record's time may be: a station
/// whose clock runs a little fast is still believed, one a year out is not.
pub const MAX_AHEAD_DAYS: i64 = 7;

/// Longest name, place or other free text, in characters.
pub const MAX_TEXT_CHARS: usize = 200;

/// Longest note of a quarantine update, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

/// Why a record is refused. The text names fields and rules, never values,
/// so it may be logged and sent back without personal data.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RecordProblem {
    #[error("{field} is outside 2020-01-01 .. {MAX_AHEAD_DAYS} days after the server's clock")]
    TimeOutOfRange { field: &'static str },
    #[error("{field} contains control characters")]
    ControlCharacters { field: &'static str },
    #[error("{field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("the declaration has no consent")]
    NoConsent,
    #[error("{0}")]
    Invalid(String),
    #[error("the verdict contradicts the answers: {0}")]
    VerdictContradicts(String),
}

impl RecordProblem {
    /// The stable code that starts the rejection reason.
    pub fn code(&self) -> &'static str {
        match self {
            Self::TimeOutOfRange { .. } => "time_out_of_range",
            Self::ControlCharacters { .. } => "control_characters",
            Self::TooLong { .. } => "field_too_long",
            Self::NoConsent => "consent_missing",
            Self::Invalid(_) => "invalid_fields",
            Self::VerdictContradicts(_) => "verdict_contradicts_answers",
        }
    }
}

/// Checks a record that parsed against the rules above, at the server's
/// clock `now`, with the verdict rules `policy` in force.
pub fn check(record: &Record, now: DateTime<Utc>, policy: &Policy) -> Result<(), RecordProblem> {
    let latest = now + chrono::Duration::days(MAX_AHEAD_DAYS);
    let time = |field, t: &DateTime<FixedOffset>| {
        let t = t.with_timezone(&Utc);
        if t < earliest() || t > latest {
            Err(RecordProblem::TimeOutOfRange { field })
        } else {
            Ok(())
        }
    };
    let date = |field, d: NaiveDate| {
        if d < earliest().date_naive() || d > latest.date_naive() {
            Err(RecordProblem::TimeOutOfRange { field })
        } else {
            Ok(())
        }
    };
    time("device_time", &record.device_time())?;
    match record {
        Record::Checkin(c) => {
            if let Some(t) = &c.occurred_at {
                time("occurred_at", t)?;
            }
            let today = c.occurred_at.unwrap_or(c.device_time).date_naive();
            subject(&c.subject, today)?;
            if matches!(c.subject, Subject::Certificate { .. }) && c.raw_code.is_some() {
                // The certificate's kind and the verdict are what is kept;
                // its text carries the holder's health data.
                return Err(RecordProblem::Invalid(
                    "a certificate check-in must not carry the certificate's text".into(),
                ));
            }
            if let Some(code) = &c.raw_code {
                // Scanned data, not typed text: separators that codes use
                // (tab, line ends, GS1's group separators) are kept.
                if code.chars().any(|ch| {
                    ch.is_control() && !matches!(ch, '\t' | '\r' | '\n' | '\x1c'..='\x1f')
                }) {
                    return Err(RecordProblem::ControlCharacters { field: "raw_code" });
                }
                if code.len() > MAX_CODE_BYTES {
                    return Err(RecordProblem::TooLong {
                        field: "raw_code",
                        max: MAX_CODE_BYTES,
                    });
                }
            }
            Ok(())
        }
        Record::Declaration(d) => {
            if let Some(t) = &d.occurred_at {
                time("occurred_at", t)?;
            }
            let f = &d.declaration;
            check_text("declaration.full_name", &f.full_name, MAX_TEXT_CHARS)?;
            if let Some(id) = &f.id_number {
                check_text("declaration.id_number", id, 20)?;
            }
            check_text("declaration.nationality", &f.nationality, 2)?;
            check_text("declaration.phone", &f.phone, 20)?;
            if let Some(email) = &f.email {
                check_text("declaration.email", email, MAX_TEXT_CHARS)?;
            }
            check_text(
                "declaration.address.street",
                &f.address.street,
                MAX_TEXT_CHARS,
            )?;
            for p in &f.places_visited {
                check_text("declaration.places_visited", p, MAX_TEXT_CHARS)?;
            }
            if !f.consent {
                return Err(RecordProblem::NoConsent);
            }
            let today = d.occurred_at.unwrap_or(d.device_time).date_naive();
            f.validate(today)
                .map_err(|e| RecordProblem::Invalid(e.to_string()))?;
            consistent(
                &d.verdict,
                &f.symptoms.present(),
                &f.exposures.present(),
                verdict(f, policy).level,
            )
        }
        Record::Quarantine(q) => {
            subject(&q.subject, q.device_time.date_naive())?;
            check_text("place", &q.place, MAX_TEXT_CHARS)?;
            date("start_date", q.start_date)?;
            date("end_date", q.end_date)?;
            validate_registration(&q.place, q.start_date, q.end_date)
                .map_err(|e| RecordProblem::Invalid(e.to_string()))
        }
        Record::HealthUpdate(u) => {
            date("date", u.date)?;
            match &u.status {
                UpdateStatus::Missed => Ok(()),
                UpdateStatus::Reported {
                    temperature_dc,
                    symptoms,
                    note,
                } => {
                    check_text("note", note, MAX_NOTE_CHARS)?;
                    let expected = assess_update(*temperature_dc, symptoms, note, policy)
                        .map_err(|e| RecordProblem::Invalid(e.to_string()))?;
                    consistent(
                        &u.verdict,
                        &symptoms_with_fever(*temperature_dc, symptoms),
                        &[],
                        expected.level,
                    )
                }
            }
        }
    }
}

/// Free text: no control characters (they break reports, CSV files and
/// terminals, and PostgreSQL refuses NUL) and at most `max` characters.
/// Also used for what operators type (venue names, device labels).
pub fn check_text(field: &'static str, value: &str, max: usize) -> Result<(), RecordProblem> {
    if value.chars().any(char::is_control) {
        return Err(RecordProblem::ControlCharacters { field });
    }
    if value.chars().count() > max {
        return Err(RecordProblem::TooLong { field, max });
    }
    Ok(())
}

fn subject(s: &Subject, today: NaiveDate) -> Result<(), RecordProblem> {
    match s {
        Subject::IdCard {
            id_number,
            full_name,
            ..
        } => {
            check_text("subject.id_number", id_number, 20)?;
            check_text("subject.full_name", full_name, MAX_TEXT_CHARS)
        }
        Subject::Pass {
            full_name, issuer, ..
        } => {
            check_text("subject.full_name", full_name, MAX_TEXT_CHARS)?;
            check_text("subject.issuer", issuer, 64)
        }
        Subject::Typed(p) => {
            check_text("subject.full_name", &p.full_name, MAX_TEXT_CHARS)?;
            if let Some(id) = &p.id_number {
                check_text("subject.id_number", id, 20)?;
            }
            if let Some(phone) = &p.phone {
                check_text("subject.phone", phone, 20)?;
            }
            p.validate(today)
                .map_err(|e| RecordProblem::Invalid(e.to_string()))
        }
        Subject::PersonCode {
            kind,
            full_name,
            key,
            ..
        } => {
            if !matches!(kind, PayloadKind::Bhyt | PayloadKind::Qrqg) {
                return Err(RecordProblem::Invalid(format!(
                    "a {kind} code is not a card that names a person"
                )));
            }
            check_text("subject.full_name", full_name, MAX_TEXT_CHARS)?;
            let key = key.to_string();
            check_text("subject.key", &key, 40)
        }
        Subject::Declaration { .. } | Subject::Code { .. } | Subject::Certificate { .. } => Ok(()),
    }
}

/// A verdict contradicts its answers when it names an answer that was not
/// given, or is green although an answer is red under the policy in force.
/// Milder differences are let through: a station may have decided under an
/// older policy, and refusing its records would lose real visits.
fn consistent(
    v: &Verdict,
    symptoms: &[Symptom],
    exposures: &[Exposure],
    expected: Level,
) -> Result<(), RecordProblem> {
    for r in &v.reasons {
        match r {
            Reason::Symptom(s) if !symptoms.contains(s) => {
                return Err(RecordProblem::VerdictContradicts(format!(
                    "it names the symptom {s:?}, which is not ticked"
                )))
            }
            Reason::Exposure(e) if !exposures.contains(e) => {
                return Err(RecordProblem::VerdictContradicts(format!(
                    "it names the exposure {e:?}, which is not answered yes"
                )))
            }
            _ => {}
        }
    }
    if v.level == Level::Green && expected == Level::Red {
        return Err(RecordProblem::VerdictContradicts(
            "it is green although an answer is red under the policy".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declaration::tests::sample;
    use crate::record::DeclarationRecord;
    use crate::{DeviceId, RecordId, Source};

    fn now() -> DateTime<Utc> {
        "2021-09-01T03:00:00Z".parse().unwrap()
    }

    fn declaration() -> DeclarationRecord {
        let declaration = sample();
        DeclarationRecord {
            id: RecordId::new(),
            device_seq: 1,
            venue_id: None,
            source: Source::Kiosk,
            device_id: DeviceId::new(),
            device_time: "2021-09-01T10:00:00+07:00".parse().unwrap(),
            occurred_at: None,
            verdict: verdict(&declaration, &Policy::default()),
            declaration,
        }
    }

    fn check_decl(d: DeclarationRecord) -> Result<(), RecordProblem> {
        check(&Record::Declaration(d), now(), &Policy::default())
    }

    #[test]
    fn a_sound_declaration_is_admitted() {
        check_decl(declaration()).unwrap();
    }

    #[test]
    fn times_far_away_are_refused() {
        for t in [
            "-5000-01-01T00:00:00Z",
            "2019-12-31T23:59:59Z",
            "2021-09-08T03:00:01Z",
        ] {
            let mut d = declaration();
            d.device_time = t.parse().unwrap();
            assert_eq!(
                check_decl(d).unwrap_err(),
                RecordProblem::TimeOutOfRange {
                    field: "device_time"
                },
                "{t}"
            );
        }
        // Six days ahead: a fast clock, believed.
        let mut d = declaration();
        d.device_time = "2021-09-07T03:00:00Z".parse().unwrap();
        check_decl(d).unwrap();
    }

    #[test]
    fn control_characters_and_long_text_are_refused() {
        let mut d = declaration();
        d.declaration.phone = "\0\0\0".into();
        assert_eq!(check_decl(d).unwrap_err().code(), "control_characters");
        let mut d = declaration();
        d.declaration.full_name = "Nguyễn\u{1b}[2J".into();
        assert_eq!(check_decl(d).unwrap_err().code(), "control_characters");
        let mut d = declaration();
        d.declaration.address.street = "x".repeat(201);
        assert_eq!(check_decl(d).unwrap_err().code(), "field_too_long");
    }

    #[test]
    fn no_consent_empty_name_and_markup_ids_are_refused() {
        let mut d = declaration();
        d.declaration.consent = false;
        assert_eq!(check_decl(d).unwrap_err(), RecordProblem::NoConsent);
        let mut d = declaration();
        d.declaration.full_name = "  ".into();
        assert_eq!(check_decl(d).unwrap_err().code(), "invalid_fields");
        let mut d = declaration();
        d.declaration.id_number = Some("<script>".into());
        assert_eq!(check_decl(d).unwrap_err().code(), "invalid_fields");
    }

    #[test]
    fn a_green_verdict_with_fever_contradicts_the_answers() {
        let mut d = declaration();
        d.declaration.symptoms.fever = true;
        d.verdict = Verdict::green();
        let e = check_decl(d).unwrap_err();
        assert_eq!(e.code(), "verdict_contradicts_answers");
        // A reason for a symptom that is not ticked.
        let mut d = declaration();
        d.verdict = Verdict::with(Level::Red, Reason::Symptom(Symptom::Cough));
        assert_eq!(
            check_decl(d).unwrap_err().code(),
            "verdict_contradicts_answers"
        );
        // Stricter than the policy (an older, stricter one): admitted.
        let mut d = declaration();
        d.declaration.symptoms.cough = true;
        d.verdict = Verdict::with(Level::Red, Reason::Symptom(Symptom::Cough));
        check_decl(d).unwrap();
    }
}
