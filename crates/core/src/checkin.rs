//! Check-ins: one person entering or leaving one venue.

use crate::cccd::CardGender;
use crate::ids::{DeviceId, RecordId};
use crate::payload::{classify, Payload, PayloadKind};
use crate::person::IdentityKey;
use crate::venue::VenueId;
use crate::verdict::{code_verdict, Level, Policy, Reason, Verdict};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use thiserror::Error;

/// Entering or leaving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    #[default]
    In,
    Out,
}

impl FromStr for Direction {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "in" => Ok(Self::In),
            "out" => Ok(Self::Out),
            other => Err(format!("unknown direction {other:?}; expected in or out")),
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::In => "in",
            Self::Out => "out",
        })
    }
}

/// How the record was captured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A gatekeeper scanned a code.
    #[default]
    Qr,
    /// A citizen declared on the venue's kiosk.
    Kiosk,
    /// Staff copied a paper form.
    Paper,
    /// Staff typed the details in.
    Manual,
    /// A citizen checked in from their own phone.
    #[serde(rename = "self")]
    SelfService,
}

impl Source {
    /// The stable name used on the wire and in the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Qr => "qr",
            Self::Kiosk => "kiosk",
            Self::Paper => "paper",
            Self::Manual => "manual",
            Self::SelfService => "self",
        }
    }
}

impl FromStr for Source {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "qr" => Ok(Self::Qr),
            "kiosk" => Ok(Self::Kiosk),
            "paper" => Ok(Self::Paper),
            "manual" => Ok(Self::Manual),
            "self" => Ok(Self::SelfService),
            other => Err(format!(
                "unknown source {other:?}; expected qr, kiosk, paper, manual or self"
            )),
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who checked in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Subject {
    /// A chip ID card: the fields needed to identify and trace, not the address.
    IdCard {
        id_number: String,
        full_name: String,
        birth_date: NaiveDate,
        gender: CardGender,
    },
    /// A declaration stored earlier (kiosk or paper) by its record id.
    Declaration { declaration_id: RecordId },
    /// A code of another kind, kept by kind (its text only where policy allows).
    Code { kind: PayloadKind },
}

impl Subject {
    /// The key that deduplicates this person in reports, where the subject
    /// itself identifies one.
    pub fn identity_key(&self) -> Option<IdentityKey> {
        match self {
            Self::IdCard { id_number, .. } => IdentityKey::best(Some(id_number), None, "", ""),
            _ => None,
        }
    }
}

/// Why a scanned text cannot become a check-in.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CodeError {
    #[error("the code is empty")]
    Empty,
    #[error("the code is {len} bytes; the longest QR code holds {max}")]
    TooLong { len: usize, max: usize },
    /// An enrollment token is a secret for setting up a device; it must not
    /// be stored in a check-in (and so sent to the server and listed).
    #[error("this is a device enrollment code, not a visitor's code: use `checkin enroll`")]
    EnrollmentCode,
}

/// The longest text a QR code can carry (version 40, numeric mode).
pub const MAX_CODE_BYTES: usize = 7089;

/// One entry or exit at a venue, as stored on the device and sent to the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckIn {
    pub id: RecordId,
    /// Position in the device's own sequence, set when the store writes it.
    pub device_seq: u64,
    pub venue_id: VenueId,
    pub direction: Direction,
    pub subject: Subject,
    pub source: Source,
    pub verdict: Verdict,
    pub device_id: DeviceId,
    /// The device's clock when the record was made, with its UTC offset.
    pub device_time: DateTime<FixedOffset>,
    /// The scanned text, only for codes that are not parsed to a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_code: Option<String>,
}

impl CheckIn {
    /// Builds the check-in for a scanned or typed code: classifies it, decides
    /// the verdict, and keeps the raw text only for codes that are not a
    /// person's ID card (whose address the check-in has no need of).
    pub fn from_code(
        code: &str,
        venue_id: VenueId,
        direction: Direction,
        source: Source,
        device_id: DeviceId,
        device_time: DateTime<FixedOffset>,
        policy: &Policy,
    ) -> Result<Self, CodeError> {
        if code.len() > MAX_CODE_BYTES {
            return Err(CodeError::TooLong {
                len: code.len(),
                max: MAX_CODE_BYTES,
            });
        }
        if crate::text::strip_scanner_noise(code).is_empty() {
            return Err(CodeError::Empty);
        }
        let payload = classify(code);
        if matches!(payload, Payload::Enroll(_)) {
            return Err(CodeError::EnrollmentCode);
        }
        let (subject, verdict, raw_code) = match payload {
            Payload::Cccd(c) => (
                Subject::IdCard {
                    id_number: c.id_number,
                    full_name: c.full_name,
                    birth_date: c.birth_date,
                    gender: c.gender,
                },
                code_verdict(PayloadKind::Cccd, policy),
                None,
            ),
            // A damaged ID-card code still carries the holder's address: keep
            // only the reason; staff type the details in.
            Payload::BadCccd(e) => (
                Subject::Code {
                    kind: PayloadKind::Text,
                },
                Verdict {
                    level: Level::Amber,
                    reasons: vec![Reason::InvalidCode(e.to_string())],
                },
                None,
            ),
            other => {
                let kind = other.kind();
                (
                    Subject::Code { kind },
                    code_verdict(kind, policy),
                    Some(code.to_string()),
                )
            }
        };
        Ok(Self {
            id: RecordId::new(),
            device_seq: 0,
            venue_id,
            direction,
            subject,
            source,
            verdict,
            device_id,
            device_time,
            raw_code,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(code: &str) -> Result<CheckIn, CodeError> {
        CheckIn::from_code(
            code,
            "V1".parse().unwrap(),
            Direction::In,
            Source::Qr,
            DeviceId::new(),
            chrono::Utc::now().fixed_offset(),
            &Policy::default(),
        )
    }

    #[test]
    fn id_card_becomes_subject_without_raw_text() {
        let c = build("001098012345|012345678|NGUYỄN VĂN A|15081998|Nam|Hà Nội|25052021").unwrap();
        assert!(
            matches!(c.subject, Subject::IdCard { ref id_number, .. } if id_number == "001098012345")
        );
        assert_eq!(c.raw_code, None);
        assert_eq!(c.verdict.level, Level::Green);
        assert_eq!(
            c.subject.identity_key(),
            Some(IdentityKey::IdCard("001098012345".into()))
        );
    }

    #[test]
    fn other_codes_are_amber_and_kept() {
        let c = build("hello").unwrap();
        assert_eq!(
            c.subject,
            Subject::Code {
                kind: PayloadKind::Text
            }
        );
        assert_eq!(c.verdict.level, Level::Amber);
        assert_eq!(c.raw_code.as_deref(), Some("hello"));
        let bad = build("001098012345|x|A|01011990|Nam|X|01012020").unwrap();
        assert!(matches!(bad.verdict.reasons[0], Reason::InvalidCode(_)));
        assert_eq!(
            bad.raw_code, None,
            "a damaged ID card's text (with address) is not kept"
        );
    }

    #[test]
    fn empty_and_huge_codes_are_errors() {
        assert_eq!(build(" \r\n").unwrap_err(), CodeError::Empty);
        assert!(matches!(
            build(&"1".repeat(8000)),
            Err(CodeError::TooLong { .. })
        ));
        assert_eq!(
            build("CKE1:ABCDEFGH").unwrap_err(),
            CodeError::EnrollmentCode
        );
    }

    #[test]
    fn json_round_trip() {
        let c = build("001098012345||B|01012000|Nữ|Hà Nội|01012022").unwrap();
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<CheckIn>(&json).unwrap(), c);
        assert!(json.contains("\"source\":\"qr\""));
    }

    #[test]
    fn parses_flags() {
        assert_eq!("OUT".parse::<Direction>().unwrap(), Direction::Out);
        assert_eq!("self".parse::<Source>().unwrap(), Source::SelfService);
        assert!("door".parse::<Direction>().is_err());
    }
}
