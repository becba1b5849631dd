//! Domain model of checkin: venues, check-ins, health declarations, the codes a
//! gatekeeper scans, and the verdict shown at the door.
//!
//! This crate has no I/O. Everything here is a value or a pure function so the
//! device store, the scanner, the sync protocol and the server agree on one
//! meaning for every record.

pub mod cccd;
pub mod checkin;
pub mod clock;
pub mod declaration;
pub mod ids;
pub mod payload;
pub mod person;
pub mod record;
mod text;
pub mod venue;
pub mod verdict;

pub use cccd::{CardGender, Cccd, CccdError};
pub use checkin::{CheckIn, CodeError, Direction, Source, Subject, MAX_CODE_BYTES};
pub use clock::{system_clock, Clock, LocalClock, SetClock, SharedClock};
pub use declaration::{
    Address, Birth, Declaration, DeclarationError, Exposure, Exposures, FieldError, Gender,
    Problem, Symptom, Symptoms,
};
pub use ids::{DeviceId, RecordId};
pub use payload::{classify, Payload, PayloadKind};
pub use person::IdentityKey;
pub use record::{DeclarationRecord, Record, RecordKind};
pub use venue::{Venue, VenueCategory, VenueId, VenueIdError};
pub use verdict::{code_verdict, verdict, Level, Policy, Reason, Verdict};
