//! Records as they travel from device to server.

use crate::checkin::{CheckIn, Source};
use crate::declaration::Declaration;
use crate::ids::{DeviceId, RecordId};
use crate::venue::VenueId;
use crate::verdict::Verdict;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// A stored health declaration: the form plus where, when and how it was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclarationRecord {
    pub id: RecordId,
    /// Position in the device's own sequence, set when the store writes it.
    pub device_seq: u64,
    /// The venue whose kiosk or staff took it, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue_id: Option<VenueId>,
    /// `kiosk` (self-declared) or `paper` (copied from a paper form).
    pub source: Source,
    pub device_id: DeviceId,
    pub device_time: DateTime<FixedOffset>,
    pub declaration: Declaration,
    pub verdict: Verdict,
}

/// Any record the device makes, tagged by kind on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Record {
    Checkin(CheckIn),
    Declaration(DeclarationRecord),
}

/// The kind of a record, as stored in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Checkin,
    Declaration,
}

impl RecordKind {
    /// The stable name used in the store and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Checkin => "checkin",
            Self::Declaration => "declaration",
        }
    }
}

impl Record {
    /// The record's id (its idempotency key).
    pub fn id(&self) -> RecordId {
        match self {
            Self::Checkin(c) => c.id,
            Self::Declaration(d) => d.id,
        }
    }

    /// The record's kind.
    pub fn kind(&self) -> RecordKind {
        match self {
            Self::Checkin(_) => RecordKind::Checkin,
            Self::Declaration(_) => RecordKind::Declaration,
        }
    }

    /// The venue the record belongs to, if any.
    pub fn venue_id(&self) -> Option<&VenueId> {
        match self {
            Self::Checkin(c) => Some(&c.venue_id),
            Self::Declaration(d) => d.venue_id.as_ref(),
        }
    }
}
