//! Quarantine follow-up: a person put under home or facility quarantine by a
//! health station, and their daily health updates (or the note that none
//! came that day).

use crate::checkin::{Source, Subject};
use crate::declaration::{FieldError, Problem, Symptom, Symptoms};
use crate::ids::{DeviceId, RecordId};
use crate::venue::VenueId;
use crate::verdict::{Level, Policy, Reason, Verdict};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Where the person stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum QuarantineKind {
    /// Cách ly tại nhà.
    Home,
    /// Cách ly tập trung.
    Facility,
}

/// A person put under quarantine, as recorded by the station that follows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarantineRecord {
    pub id: RecordId,
    /// Position in the device's own sequence, set when the store writes it.
    pub device_seq: u64,
    pub device_id: DeviceId,
    pub device_time: DateTime<FixedOffset>,
    /// The venue (e.g. the commune health station) that follows the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue_id: Option<VenueId>,
    /// Who: an ID card, a pass or typed details.
    pub subject: Subject,
    /// Home or facility (not `kind`: that names the record's kind on the wire).
    pub mode: QuarantineKind,
    /// Address or facility name.
    pub place: String,
    pub start_date: NaiveDate,
    /// The last day of quarantine (inclusive).
    pub end_date: NaiveDate,
    pub source: Source,
}

impl QuarantineRecord {
    /// True when `day` is within the quarantine.
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.start_date <= day && day <= self.end_date
    }
}

/// What a daily update says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum UpdateStatus {
    /// The person reported.
    Reported {
        /// Body temperature in tenths of a degree Celsius (376 = 37.6 °C).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        temperature_dc: Option<u16>,
        symptoms: Symptoms,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
    },
    /// The day ended without an update.
    Missed,
}

/// One day of a quarantined person's follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthUpdateRecord {
    pub id: RecordId,
    pub device_seq: u64,
    pub device_id: DeviceId,
    pub device_time: DateTime<FixedOffset>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue_id: Option<VenueId>,
    /// The quarantine record this update belongs to.
    pub quarantine_id: RecordId,
    /// The day the update is for.
    pub date: NaiveDate,
    pub status: UpdateStatus,
    /// Green, or amber/red when symptoms or fever need the health staff.
    pub verdict: Verdict,
    pub source: Source,
}

/// Why a registration or an update cannot be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Error)]
#[error("invalid quarantine details: {}", .fields.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct QuarantineError {
    pub fields: Vec<FieldError>,
}

/// Lowest and highest plausible body temperatures, in tenths of °C.
pub const TEMPERATURE_RANGE_DC: std::ops::RangeInclusive<u16> = 340..=430;
/// From this temperature (tenths of °C) a person has a fever.
pub const FEVER_FROM_DC: u16 = 375;

/// Checks the dates and place of a new quarantine.
pub fn validate_registration(
    place: &str,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<(), QuarantineError> {
    let mut fields = Vec::new();
    if place.trim().is_empty() {
        fields.push(FieldError {
            field: "place",
            problem: Problem::Missing,
        });
    } else if place.chars().count() > 200 {
        fields.push(FieldError {
            field: "place",
            problem: Problem::TooLong { max: 200 },
        });
    }
    if end < start {
        fields.push(FieldError {
            field: "end_date",
            problem: Problem::OutOfRange {
                detail: "is before the start date".into(),
            },
        });
    } else if (end - start).num_days() > 60 {
        fields.push(FieldError {
            field: "end_date",
            problem: Problem::OutOfRange {
                detail: "is more than 60 days after the start date".into(),
            },
        });
    }
    if fields.is_empty() {
        Ok(())
    } else {
        Err(QuarantineError { fields })
    }
}

/// Checks a reported update and decides its verdict under `policy`: a
/// temperature from 37.5 °C counts as fever.
pub fn assess_update(
    temperature_dc: Option<u16>,
    symptoms: &Symptoms,
    note: &str,
    policy: &Policy,
) -> Result<Verdict, QuarantineError> {
    let mut fields = Vec::new();
    if let Some(t) = temperature_dc {
        if !TEMPERATURE_RANGE_DC.contains(&t) {
            fields.push(FieldError {
                field: "temperature_c",
                problem: Problem::OutOfRange {
                    detail: "must be between 34.0 and 43.0 °C".into(),
                },
            });
        }
    }
    if note.chars().count() > 500 {
        fields.push(FieldError {
            field: "note",
            problem: Problem::TooLong { max: 500 },
        });
    }
    if !fields.is_empty() {
        return Err(QuarantineError { fields });
    }
    let mut all = *symptoms;
    if temperature_dc.is_some_and(|t| t >= FEVER_FROM_DC) {
        all.fever = true;
    }
    let mut v = Verdict::green();
    for s in all.present() {
        if policy.red_symptoms.contains(&s) {
            v.add(Level::Red, Reason::Symptom(s));
        } else if policy.amber_symptoms.contains(&s) {
            v.add(Level::Amber, Reason::Symptom(s));
        }
    }
    Ok(v)
}

/// The symptoms of an update, fever included when the temperature says so.
pub fn symptoms_with_fever(temperature_dc: Option<u16>, symptoms: &Symptoms) -> Vec<Symptom> {
    let mut all = *symptoms;
    if temperature_dc.is_some_and(|t| t >= FEVER_FROM_DC) {
        all.fever = true;
    }
    all.present()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn registration_rules() {
        assert!(validate_registration("Số 5 ngõ 12", d("2021-08-01"), d("2021-08-14")).is_ok());
        let e = validate_registration(" ", d("2021-08-14"), d("2021-08-01")).unwrap_err();
        let f: Vec<_> = e.fields.iter().map(|f| f.field).collect();
        assert_eq!(f, ["place", "end_date"]);
        assert!(validate_registration("x", d("2021-08-01"), d("2021-12-01")).is_err());
    }

    #[test]
    fn updates_are_assessed_like_declarations_with_fever_from_temperature() {
        let p = Policy::default();
        let none = Symptoms::default();
        assert_eq!(
            assess_update(Some(366), &none, "", &p).unwrap(),
            Verdict::green()
        );
        let hot = assess_update(Some(381), &none, "", &p).unwrap();
        assert_eq!(hot.level, Level::Red);
        assert_eq!(hot.reasons, vec![Reason::Symptom(Symptom::Fever)]);
        let cough = Symptoms {
            cough: true,
            ..none
        };
        assert_eq!(
            assess_update(None, &cough, "", &p).unwrap().level,
            Level::Amber
        );
        assert!(assess_update(Some(500), &none, "", &p).is_err());
        assert!(assess_update(None, &none, &"x".repeat(501), &p).is_err());
        assert_eq!(
            symptoms_with_fever(Some(375), &cough),
            vec![Symptom::Fever, Symptom::Cough]
        );
    }

    #[test]
    fn records_round_trip_as_json() {
        let q = QuarantineRecord {
            id: RecordId::new(),
            device_seq: 3,
            device_id: DeviceId::new(),
            device_time: "2021-08-01T09:00:00+07:00".parse().unwrap(),
            venue_id: None,
            subject: Subject::Code {
                kind: crate::PayloadKind::Dcc,
            },
            mode: QuarantineKind::Home,
            place: "Phúc Xá".into(),
            start_date: d("2021-08-01"),
            end_date: d("2021-08-14"),
            source: Source::Manual,
        };
        assert!(q.covers(d("2021-08-14")) && !q.covers(d("2021-08-15")));
        let r = crate::Record::Quarantine(q);
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.starts_with(r#"{"kind":"quarantine""#), "{json}");
        assert_eq!(serde_json::from_str::<crate::Record>(&json).unwrap(), r);
        let h = crate::Record::HealthUpdate(HealthUpdateRecord {
            id: RecordId::new(),
            device_seq: 4,
            device_id: DeviceId::new(),
            device_time: "2021-08-02T09:00:00+07:00".parse().unwrap(),
            venue_id: None,
            quarantine_id: r.id(),
            date: d("2021-08-02"),
            status: UpdateStatus::Reported {
                temperature_dc: Some(368),
                symptoms: Symptoms::default(),
                note: String::new(),
            },
            verdict: Verdict::green(),
            source: Source::Manual,
        });
        let json = serde_json::to_string(&h).unwrap();
        assert!(json.contains(r#""kind":"health_update""#), "{json}");
        assert!(json.contains(r#""status":"reported""#), "{json}");
        assert_eq!(serde_json::from_str::<crate::Record>(&json).unwrap(), h);
    }
}
