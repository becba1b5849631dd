//! Records as they travel from device to server.

use crate::checkin::{CheckIn, Direction, Source};
use crate::declaration::Declaration;
use crate::ids::{DeviceId, RecordId};
use crate::person::IdentityKey;
use crate::quarantine::{HealthUpdateRecord, QuarantineRecord};
use crate::venue::VenueId;
use crate::verdict::{Level, Verdict};
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
    /// When the declaration was made, where that is not `device_time`: the
    /// date and time written on a paper form typed in later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurred_at: Option<DateTime<FixedOffset>>,
    pub declaration: Declaration,
    pub verdict: Verdict,
}

/// Any record the device makes, tagged by kind on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Record {
    Checkin(CheckIn),
    Declaration(DeclarationRecord),
    /// A person put under home or facility quarantine.
    Quarantine(QuarantineRecord),
    /// A quarantined person's daily update, or the note that none came.
    HealthUpdate(HealthUpdateRecord),
}

/// What the server keeps of a record for reports, beside its body: the
/// columns reports count by. All but the person key survive the purge of
/// personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFacts {
    pub source: Source,
    /// Entering or leaving (check-ins only).
    pub direction: Option<Direction>,
    /// The verdict shown, where the record carries one.
    pub level: Option<Level>,
    /// When it happened: the time written on a paper form typed in later,
    /// else the device's clock.
    pub visit_time: DateTime<FixedOffset>,
    /// Who, where the record itself identifies a person.
    pub person_key: Option<IdentityKey>,
    /// The commune a declarant lives in (declarations only): coverage
    /// counts people against their home commune's population.
    pub home_commune: Option<String>,
}

/// The kind of a record, as stored in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum RecordKind {
    Checkin,
    Declaration,
    Quarantine,
    HealthUpdate,
}

impl RecordKind {
    /// The stable name used in the store and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Checkin => "checkin",
            Self::Declaration => "declaration",
            Self::Quarantine => "quarantine",
            Self::HealthUpdate => "health_update",
        }
    }

    /// The kind named by [`RecordKind::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "checkin" => Self::Checkin,
            "declaration" => Self::Declaration,
            "quarantine" => Self::Quarantine,
            "health_update" => Self::HealthUpdate,
            _ => return None,
        })
    }
}

impl Record {
    /// The record's id (its idempotency key).
    pub fn id(&self) -> RecordId {
        match self {
            Self::Checkin(c) => c.id,
            Self::Declaration(d) => d.id,
            Self::Quarantine(q) => q.id,
            Self::HealthUpdate(h) => h.id,
        }
    }

    /// The record's kind.
    pub fn kind(&self) -> RecordKind {
        match self {
            Self::Checkin(_) => RecordKind::Checkin,
            Self::Declaration(_) => RecordKind::Declaration,
            Self::Quarantine(_) => RecordKind::Quarantine,
            Self::HealthUpdate(_) => RecordKind::HealthUpdate,
        }
    }

    /// The venue the record belongs to, if any.
    pub fn venue_id(&self) -> Option<&VenueId> {
        match self {
            Self::Checkin(c) => Some(&c.venue_id),
            Self::Declaration(d) => d.venue_id.as_ref(),
            Self::Quarantine(q) => q.venue_id.as_ref(),
            Self::HealthUpdate(h) => h.venue_id.as_ref(),
        }
    }

    /// The device that made the record.
    pub fn device_id(&self) -> DeviceId {
        match self {
            Self::Checkin(c) => c.device_id,
            Self::Declaration(d) => d.device_id,
            Self::Quarantine(q) => q.device_id,
            Self::HealthUpdate(h) => h.device_id,
        }
    }

    /// What reports count this record by.
    pub fn report_facts(&self) -> ReportFacts {
        match self {
            Self::Checkin(c) => ReportFacts {
                source: c.source,
                direction: Some(c.direction),
                level: Some(c.verdict.level),
                visit_time: c.occurred_at.unwrap_or(c.device_time),
                person_key: c.subject.identity_key(),
                home_commune: None,
            },
            Self::Declaration(d) => ReportFacts {
                source: d.source,
                direction: None,
                level: Some(d.verdict.level),
                visit_time: d.occurred_at.unwrap_or(d.device_time),
                person_key: d.declaration.identity_key(),
                home_commune: Some(d.declaration.address.commune_code.trim())
                    .filter(|c| !c.is_empty())
                    .map(str::to_string),
            },
            Self::Quarantine(q) => ReportFacts {
                source: q.source,
                direction: None,
                level: None,
                visit_time: q.device_time,
                person_key: q.subject.identity_key(),
                home_commune: None,
            },
            Self::HealthUpdate(h) => ReportFacts {
                source: h.source,
                direction: None,
                level: Some(h.verdict.level),
                visit_time: h.device_time,
                person_key: None,
                home_commune: None,
            },
        }
    }

    /// The device's clock when the record was made.
    pub fn device_time(&self) -> DateTime<FixedOffset> {
        match self {
            Self::Checkin(c) => c.device_time,
            Self::Declaration(d) => d.device_time,
            Self::Quarantine(q) => q.device_time,
            Self::HealthUpdate(h) => h.device_time,
        }
    }
}
