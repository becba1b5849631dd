//! Domain model of checkin: venues, check-ins, health declarations, the codes a
//! gatekeeper scans, and the verdict shown at the door.
//!
//! This crate has no I/O. Everything here is a value or a pure function so the
//! device store, the scanner, the sync protocol and the server agree on one
//! meaning for every record.

pub mod admission;
pub mod bhyt;
pub mod calendar;
pub mod cccd;
pub mod certificate;
pub mod checkin;
pub mod clock;
pub mod declaration;
pub mod enrollment;
pub mod ids;
pub mod pass;
pub mod payload;
pub mod person;
pub mod qrqg;
pub mod quarantine;
pub mod record;
mod text;
pub mod units;
pub mod venue;
pub mod verdict;

pub use bhyt::{Bhyt, BhytError, BhytLayout};
pub use calendar::IsoWeek;
pub use cccd::{CardGender, Cccd, CccdError};
pub use certificate::{
    check_certificate, check_rules, CertificateCheck, CertificateRules, Holder, RuleProblem,
};
pub use checkin::{
    identify, pass_verdict, CheckIn, CodeError, Direction, GateKeys, Identified, Source, Subject,
    MAX_CODE_BYTES,
};
/// The vaccine-passport crate, for the types stations and the server carry.
pub use checkin_dcc as dcc;
pub use checkin_dcc::TrustList;
pub use clock::{system_clock, Clock, LocalClock, SetClock, SharedClock};
pub use declaration::{
    Address, Birth, Declaration, DeclarationError, Exposure, Exposures, FieldError, Gender,
    Problem, Symptom, Symptoms,
};
pub use enrollment::{EnrollCode, EnrollCodeError};
pub use ids::{DeviceId, RecordId};
pub use pass::{KeyId, PassClaims, PassKeys, PassProblem, PassSigner, VerifiedPass};
pub use payload::{classify, Payload, PayloadKind};
pub use person::{IdentityKey, PersonError, TypedPerson};
pub use qrqg::{PersonalQr, QrqgError};
pub use quarantine::{HealthUpdateRecord, QuarantineKind, QuarantineRecord, UpdateStatus};
pub use record::{DeclarationRecord, Record, RecordKind, ReportFacts};
pub use text::fold;
pub use units::{AdminUnit, UnitLevel};
pub use venue::{Venue, VenueCategory, VenueId, VenueIdError, VenueLinkCode};
pub use verdict::{code_verdict, verdict, Level, Policy, Reason, Verdict};
