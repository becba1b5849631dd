//! Check-ins: one person entering or leaving one venue.

use crate::cccd::CardGender;
use crate::certificate::check_certificate;
use crate::ids::{DeviceId, RecordId};
use crate::pass::{PassKeys, PassProblem, VerifiedPass};
use crate::payload::{classify, Payload, PayloadKind};
use crate::person::{IdentityKey, TypedPerson};
use crate::venue::VenueId;
use crate::verdict::{code_verdict, Level, Policy, Reason, Verdict};
use checkin_dcc::TrustList;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use thiserror::Error;

/// Entering or leaving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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

    /// Whether the record was copied from paper or typed in by staff,
    /// rather than made by a device from a code or a form.
    pub fn on_paper(self) -> bool {
        matches!(self, Self::Paper | Self::Manual)
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
    /// A visitor pass that verified: the declaration it stands for.
    Pass {
        declaration_id: RecordId,
        full_name: String,
        declared_on: NaiveDate,
        /// The issuing key's id (hex).
        issuer: String,
    },
    /// Details typed by staff: manual entry at the gate, paper logbooks.
    Typed(TypedPerson),
    /// A health-insurance card or the national personal QR code: the person
    /// it names, as an ID card would (not the address, the clinic or the
    /// card's other fields).
    PersonCode {
        kind: PayloadKind,
        full_name: String,
        birth_date: NaiveDate,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        gender: Option<CardGender>,
        /// The ID number when the code shows it whole, else the
        /// social-insurance number or the QID.
        key: IdentityKey,
    },
    /// A vaccine passport (EU DCC): its kind when it read, never its
    /// content (the verdict says whether it was valid and why not).
    Certificate {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        certificate: Option<checkin_dcc::Kind>,
    },
    /// A code of another kind, kept by kind (its text only where policy allows).
    Code { kind: PayloadKind },
}

impl Subject {
    /// The key that deduplicates this person in reports, where the subject
    /// itself identifies one.
    pub fn identity_key(&self) -> Option<IdentityKey> {
        match self {
            Self::IdCard { id_number, .. } => IdentityKey::best(Some(id_number), None, "", ""),
            Self::Typed(p) => p.identity_key(),
            Self::PersonCode { key, .. } => Some(key.clone()),
            _ => None,
        }
    }

    /// The person's name where the subject carries one.
    pub fn full_name(&self) -> Option<&str> {
        match self {
            Self::IdCard { full_name, .. }
            | Self::Pass { full_name, .. }
            | Self::PersonCode { full_name, .. } => Some(full_name),
            Self::Typed(p) => Some(&p.full_name),
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
    /// The code names no person (a web address, plain text, a venue's
    /// poster): reports count visits of people, so it is not stored.
    #[error("this {0} code is not a check-in code: it names no person (use manual entry)")]
    NotACheckinCode(PayloadKind),
    /// Looks like an ID-card code but does not read; staff type the details in.
    #[error("the ID-card code is damaged ({0}): type the details in with manual entry")]
    DamagedIdCard(String),
    /// Looks like a health-insurance card or personal QR code but does not read.
    #[error("the {kind} code is damaged ({reason}): scan it again, or type the details in with manual entry")]
    DamagedCard { kind: PayloadKind, reason: String },
    /// A visitor pass that failed verification.
    #[error("visitor pass refused: {0}")]
    Pass(PassProblem),
}

/// A scanned code read as far as the code itself allows: who it names, what
/// it says about them, and what of its text may be kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identified {
    pub kind: PayloadKind,
    pub subject: Subject,
    /// The verdict the code alone supports (before any local lookup).
    pub verdict: Verdict,
    /// The text kept with the check-in (never for ID cards or passes).
    pub raw_code: Option<String>,
    /// The pass behind a `Pass` subject.
    pub pass: Option<VerifiedPass>,
    /// Whose certificate it is, for the screen only (a `Certificate`
    /// subject keeps no name).
    pub holder: Option<crate::certificate::Holder>,
}

/// What a gate verifies codes with: the pass keys of its province and the
/// last trust list of vaccine-passport signers it received.
#[derive(Debug, Clone, Copy)]
pub struct GateKeys<'a> {
    pub passes: &'a PassKeys,
    pub certificates: Option<&'a TrustList>,
}

/// Reads a scanned or typed code for the gate. Passes and certificates are
/// verified against `keys` at `now`; codes that name no person are refused
/// with the reason.
pub fn identify(
    code: &str,
    keys: GateKeys<'_>,
    now: DateTime<FixedOffset>,
    policy: &Policy,
) -> Result<Identified, CodeError> {
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
    let kind = payload.kind();
    match payload {
        Payload::Enroll(_) => Err(CodeError::EnrollmentCode),
        Payload::BadCccd(e) => Err(CodeError::DamagedIdCard(e.to_string())),
        Payload::Cccd(c) => Ok(Identified {
            kind,
            subject: Subject::IdCard {
                id_number: c.id_number,
                full_name: c.full_name,
                birth_date: c.birth_date,
                gender: c.gender,
            },
            verdict: code_verdict(PayloadKind::Cccd, policy),
            raw_code: None,
            pass: None,
            holder: None,
        }),
        Payload::BadBhyt(e) => Err(CodeError::DamagedCard {
            kind,
            reason: e.to_string(),
        }),
        Payload::BadPersonalQr(e) => Err(CodeError::DamagedCard {
            kind,
            reason: e.to_string(),
        }),
        Payload::Bhyt(b) => Ok(Identified {
            kind,
            subject: Subject::PersonCode {
                kind,
                key: b.identity_key(),
                full_name: b.full_name,
                birth_date: b.birth_date,
                gender: b.gender,
            },
            verdict: code_verdict(kind, policy),
            raw_code: None,
            pass: None,
            holder: None,
        }),
        Payload::PersonalQr(q) => Ok(Identified {
            kind,
            subject: Subject::PersonCode {
                kind,
                key: q.identity_key(),
                full_name: q.full_name,
                birth_date: q.birth_date,
                gender: q.gender,
            },
            verdict: code_verdict(kind, policy),
            raw_code: None,
            pass: None,
            holder: None,
        }),
        Payload::Pass(text) => {
            let pass = keys
                .passes
                .verify(&text, now.with_timezone(&chrono::Utc))
                .map_err(CodeError::Pass)?;
            let today = now.date_naive();
            let verdict = pass_verdict(&pass, today);
            Ok(Identified {
                kind,
                subject: Subject::Pass {
                    declaration_id: pass.claims.declaration_id,
                    full_name: pass.claims.full_name.clone(),
                    declared_on: pass.claims.declared_on,
                    issuer: pass.issuer.to_string(),
                },
                verdict,
                raw_code: None,
                pass: Some(pass),
                holder: None,
            })
        }
        Payload::Dcc(text) => {
            let check = check_certificate(&text, keys.certificates, policy, now.to_utc());
            Ok(Identified {
                kind,
                subject: Subject::Certificate {
                    certificate: check.kind,
                },
                verdict: check.verdict,
                raw_code: None,
                pass: None,
                holder: check.holder,
            })
        }
        Payload::Venue(_) | Payload::Url(_) | Payload::Text(_) => {
            Err(CodeError::NotACheckinCode(kind))
        }
    }
}

/// The verdict a verified pass supports on `today`: the declaration's own
/// level when it was made today, else amber (declare again).
pub fn pass_verdict(pass: &VerifiedPass, today: NaiveDate) -> Verdict {
    let c = &pass.claims;
    if c.declared_on < today {
        return Verdict {
            level: Level::Amber,
            reasons: vec![Reason::DeclarationNotToday(c.declared_on)],
        };
    }
    match c.level {
        Level::Green => Verdict::green(),
        level => Verdict {
            level,
            reasons: vec![Reason::Declared(level)],
        },
    }
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
    /// When the visit happened, where that is not `device_time`: the date and
    /// time written in a paper logbook typed in later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurred_at: Option<DateTime<FixedOffset>>,
    /// The scanned text, only for codes that are not parsed to a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_code: Option<String>,
}

impl CheckIn {
    /// Builds the check-in for a scanned or typed code at `device_time`:
    /// reads it with [`identify`] (no pass keys: passes need a station) and
    /// takes the verdict the code alone supports.
    pub fn from_code(
        code: &str,
        venue_id: VenueId,
        direction: Direction,
        source: Source,
        device_id: DeviceId,
        device_time: DateTime<FixedOffset>,
        policy: &Policy,
    ) -> Result<Self, CodeError> {
        let keys = PassKeys::default();
        let found = identify(
            code,
            GateKeys {
                passes: &keys,
                certificates: None,
            },
            device_time,
            policy,
        )?;
        Ok(Self::new(
            venue_id,
            direction,
            source,
            device_id,
            device_time,
            found.subject,
            found.verdict,
            found.raw_code,
        ))
    }

    /// A new check-in with a fresh id; the store sets `device_seq`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        venue_id: VenueId,
        direction: Direction,
        source: Source,
        device_id: DeviceId,
        device_time: DateTime<FixedOffset>,
        subject: Subject,
        verdict: Verdict,
        raw_code: Option<String>,
    ) -> Self {
        Self {
            id: RecordId::new(),
            device_seq: 0,
            venue_id,
            direction,
            subject,
            source,
            verdict,
            device_id,
            device_time,
            occurred_at: None,
            raw_code,
        }
    }

    /// When the visit happened: the time written on paper, else the device clock.
    pub fn visit_time(&self) -> DateTime<FixedOffset> {
        self.occurred_at.unwrap_or(self.device_time)
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
    fn codes_that_name_no_person_are_refused_with_their_kind() {
        for (code, kind) in [
            ("hello", PayloadKind::Text),
            ("https://tokhaiyte.vn/?v=1", PayloadKind::Url),
            ("CKV1:01-00001-AB", PayloadKind::Venue),
        ] {
            assert_eq!(build(code).unwrap_err(), CodeError::NotACheckinCode(kind));
        }
        assert!(matches!(
            build("001098012345|x|A|01011990|Nam|X|01012020"),
            Err(CodeError::DamagedIdCard(_))
        ));
        // A certificate is stored by its kind, never its text; with no trust
        // list to verify it with it is amber.
        let dcc = build("HC1:NCFOXN%TS3DH").unwrap();
        assert_eq!(dcc.verdict.level, Level::Amber);
        assert_eq!(dcc.verdict.reasons, [Reason::NoTrustList]);
        assert_eq!(dcc.raw_code, None);
        assert_eq!(dcc.subject, Subject::Certificate { certificate: None });
        assert!(matches!(
            build("CKP1:AAAA"),
            Err(CodeError::Pass(PassProblem::Malformed))
        ));
    }

    #[test]
    fn passes_verify_and_say_whether_the_declaration_is_today() {
        let signer = crate::pass::PassSigner::from_secret(&[9; 32]);
        let mut keys = PassKeys::default();
        keys.insert(signer.public_key());
        let now = crate::SetClock::vietnam(2021, 8, 2, 8, 0, 0);
        let claims = |day: u32, level| crate::pass::PassClaims {
            declaration_id: RecordId::new(),
            full_name: "Trần Thị B".into(),
            declared_on: NaiveDate::from_ymd_opt(2021, 8, day).unwrap(),
            level,
            expires_at: "2021-08-16T00:00:00Z".parse().unwrap(),
        };
        use crate::Clock;
        let today = identify(
            &signer.sign(&claims(2, Level::Green)),
            GateKeys {
                passes: &keys,
                certificates: None,
            },
            now.now(),
            &Policy::default(),
        )
        .unwrap();
        assert_eq!(today.verdict, Verdict::green());
        assert!(
            matches!(today.subject, Subject::Pass { ref full_name, .. } if full_name == "Trần Thị B")
        );
        assert_eq!(today.raw_code, None);
        let red = identify(
            &signer.sign(&claims(2, Level::Red)),
            GateKeys {
                passes: &keys,
                certificates: None,
            },
            now.now(),
            &Policy::default(),
        )
        .unwrap();
        assert_eq!(red.verdict.reasons, vec![Reason::Declared(Level::Red)]);
        let old = identify(
            &signer.sign(&claims(1, Level::Green)),
            GateKeys {
                passes: &keys,
                certificates: None,
            },
            now.now(),
            &Policy::default(),
        )
        .unwrap();
        assert_eq!(old.verdict.level, Level::Amber);
        assert_eq!(
            old.verdict.reasons,
            vec![Reason::DeclarationNotToday(
                NaiveDate::from_ymd_opt(2021, 8, 1).unwrap()
            )]
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
