//! Enrollment tokens and devices: what the server stores of them.

use crate::DbError;
use async_trait::async_trait;
use checkin_core::{DeviceId, VenueId};
use checkin_sync::protocol::Scope;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// The label of a venue's self-service device.
pub const SELF_SERVICE_LABEL: &str = "Tự check-in bằng điện thoại";

/// The credential hash column of a venue's self-service device: not hex,
/// so no bearer token's SHA-256 can ever match it.
pub(crate) fn self_service_credential(venue: &VenueId) -> String {
    format!("self-service:{venue}")
}

/// An enrollment token as stored: only its hash, its scope and its expiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenGrant {
    pub token_hash: String,
    pub scope: Scope,
    pub province_code: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Why an enrollment token cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    Unknown,
    Expired,
    Used,
    /// The device id is enrolled already and the caller did not prove it
    /// holds that device's current credential.
    DeviceTaken,
}

/// A device being enrolled.
#[derive(Clone, PartialEq, Eq)]
pub struct NewDevice {
    pub id: DeviceId,
    pub credential_hash: String,
    pub label: Option<String>,
    /// Hash of the credential the caller presented, if any: re-enrolling an
    /// existing device id needs its current credential, so a token holder
    /// cannot take over another station's id (ids are not secret).
    pub proof_hash: Option<String>,
    /// The device's Ed25519 key for visitor passes, in its canonical text
    /// form (standard base64 of 32 bytes); replaced on every enrollment.
    pub pass_key: Option<String>,
}

/// An enrolled device and what it may write for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub id: DeviceId,
    pub scope: Scope,
    pub province_code: String,
    pub label: Option<String>,
    /// When an administrator revoked it: its credential is then refused
    /// (kept, so the server can say why) until it is enrolled again.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A device as `admin device list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceInfo {
    pub id: DeviceId,
    pub label: Option<String>,
    pub scope: Scope,
    pub province_code: String,
    pub enrolled_at: DateTime<Utc>,
    pub last_seen_at: Option<DateTime<Utc>>,
    /// Server clock minus device clock at its last batch, in milliseconds.
    pub last_skew_ms: Option<i64>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// What a listing covers: a province, district or commune (by GSO code),
/// or one venue. Devices are inside it when their scope is; venues when
/// their commune is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitFilter {
    All,
    Province(String),
    /// Devices of the communes of this district (from the imported units).
    District(String),
    /// Devices of this commune and of its venues.
    Commune(String),
    Venue(VenueId),
}

impl UnitFilter {
    /// Reads a unit code by its length, as GSO codes are: 2 digits a
    /// province, 3 a district, 5 a commune (other digit strings are
    /// mistyped codes); anything else a venue id.
    pub fn from_code(code: &str) -> Result<Self, DbError> {
        let code = code.trim();
        let digits = !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit());
        Ok(match code.len() {
            2 if digits => Self::Province(code.into()),
            3 if digits => Self::District(code.into()),
            5 if digits => Self::Commune(code.into()),
            _ if digits => {
                return Err(DbError::Invalid(format!(
                    "unit code {code:?}: a province has 2 digits, a district 3, a commune 5"
                )))
            }
            _ => Self::Venue(code.parse().map_err(|e| {
                DbError::Invalid(format!(
                    "{code:?} is neither a province (2 digits), district (3), commune (5) code nor a venue id: {e}"
                ))
            })?),
        })
    }

    /// (province, district, commune, venue): the one that applies is set.
    pub(crate) fn parts(&self) -> [Option<&str>; 4] {
        match self {
            Self::All => [None; 4],
            Self::Province(p) => [Some(p), None, None, None],
            Self::District(d) => [None, Some(d), None, None],
            Self::Commune(c) => [None, None, Some(c), None],
            Self::Venue(v) => [None, None, None, Some(v.as_str())],
        }
    }
}

/// Most pass keys a sync config lists: a province with more enrolled
/// devices lists those enrolled most recently.
pub const MAX_PASS_KEYS: usize = 5000;

/// Enrollment tokens and devices.
#[async_trait]
pub trait DeviceStore: Send + Sync {
    /// Stores a new enrollment token (hashed).
    async fn add_enrollment_token(&self, grant: &TokenGrant) -> Result<(), DbError>;
    /// Uses up a token and enrolls (or re-enrolls) the device, atomically.
    /// Re-enrolling an enrolled device id needs its current credential
    /// (`proof_hash`); a revoked one needs only the new token, as its
    /// credential is what was lost. A label with control characters is
    /// `Invalid` and spends no token.
    async fn enroll(
        &self,
        token_hash: &str,
        device: &NewDevice,
        now: DateTime<Utc>,
    ) -> Result<Result<Device, TokenProblem>, DbError>;
    /// The device a venue's phone check-ins are stored under (made on
    /// first use): records stay keyed by (device, id), so a phone's resend
    /// is a duplicate, and revoking it stops the venue's phone check-ins.
    /// No credential authenticates as it.
    async fn self_service_device(
        &self,
        province_code: &str,
        venue: &VenueId,
        now: DateTime<Utc>,
    ) -> Result<Device, DbError>;
    /// The distinct pass keys of the enrolled devices of a province, sorted
    /// (a stable list gives a stable sync-config ETag); of at most `limit`
    /// devices (the server uses [`MAX_PASS_KEYS`]), those enrolled most
    /// recently when there are more. Revoked devices' keys are not listed:
    /// a stolen station must not be able to sign passes others accept.
    async fn pass_keys(&self, province_code: &str, limit: usize) -> Result<Vec<String>, DbError>;
    /// Finds the device holding this credential (by its hash), revoked or
    /// not: the caller refuses a revoked one and can say why.
    async fn device_by_credential(&self, credential_hash: &str) -> Result<Option<Device>, DbError>;
    /// Enrolled devices the filter selects, by province, then enrollment.
    async fn devices(&self, filter: &UnitFilter) -> Result<Vec<DeviceInfo>, DbError>;
    /// Revokes a device at `at`: `Ok(true)` when revoked now, `Ok(false)`
    /// when it already was, `NotFound` for an unknown id.
    async fn revoke_device(&self, id: &DeviceId, at: DateTime<Utc>) -> Result<bool, DbError>;
    /// Notes that a device contacted the server at `at` with nothing to
    /// store (a batch does this itself): its last contact, and the day it
    /// was alive, which tells "reported zero" from "sent no data".
    async fn touch_device(
        &self,
        province_code: &str,
        id: &DeviceId,
        at: DateTime<Utc>,
    ) -> Result<(), DbError>;
}

/// Pass keys in the order the sync config lists them: byte order (the same
/// on every backend, whatever the database collation), each once.
pub(crate) fn sorted_keys(mut keys: Vec<String>) -> Vec<String> {
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Refuses a device label with control characters (NUL, escapes, line
/// breaks): PostgreSQL cannot store NUL, and labels reach terminals.
pub(crate) fn check_label(label: Option<&str>) -> Result<(), DbError> {
    if label.is_some_and(|l| l.chars().any(char::is_control)) {
        return Err(DbError::Invalid(
            "the device label contains control characters".into(),
        ));
    }
    Ok(())
}

pub(crate) fn scope_parts(scope: &Scope) -> (Option<&str>, Option<&str>) {
    match scope {
        Scope::Venue { venue_id } => (Some(venue_id.as_str()), None),
        Scope::Commune { commune_code } => (None, Some(commune_code.as_str())),
    }
}

pub(crate) fn scope_from_parts(
    venue_id: Option<String>,
    commune_code: Option<String>,
) -> Result<Scope, DbError> {
    match (venue_id, commune_code) {
        (Some(v), _) => Ok(Scope::Venue {
            venue_id: v
                .parse()
                .map_err(|e| DbError::Invalid(format!("stored venue id {v:?}: {e}")))?,
        }),
        (None, Some(c)) => Ok(Scope::Commune { commune_code: c }),
        (None, None) => Err(DbError::Invalid("stored scope is empty".into())),
    }
}
