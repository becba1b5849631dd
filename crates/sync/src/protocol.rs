//! The wire protocol between a device and the central server (`/api/v1`).
//!
//! Shared by the client here and the server crate so both sides agree on one
//! shape. Records travel as the exact JSON the device stored; the server
//! answers per record, in request order.

use checkin_core::dcc::TrustListDocument;
use checkin_core::{AdminUnit, DeviceId, Policy, RecordId, Venue, VenueId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Path prefix of every API route.
pub const API_PREFIX: &str = "/api/v1";
/// Header carrying the device's clock (RFC 3339) when it sent a batch.
pub const DEVICE_TIME_HEADER: &str = "x-checkin-device-time";
/// Most records the server accepts in one batch.
pub const MAX_BATCH_RECORDS: usize = 1000;
/// Most bytes of a request body as received (compressed).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;
/// Most bytes of a request body after decompression; anything larger is
/// refused as a compression bomb without being inflated further.
pub const MAX_DECODED_BYTES: usize = 8 * 1024 * 1024;
/// Most bytes of one record's JSON.
pub const MAX_RECORD_BYTES: usize = 64 * 1024;
/// Prefix of a device credential issued at enrollment.
pub const CREDENTIAL_PREFIX: &str = "CKD1.";

/// `POST /api/v1/enroll` body.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrollRequest {
    /// The enrollment token text (`CKE1:…`), as printed or scanned; single
    /// use and expiring. The full enrollment code `CKE1:<token>@<server URL>`
    /// is accepted too (the part from `@` on is ignored); case and
    /// surrounding whitespace do not matter.
    pub token: String,
    /// The id the device's store made for itself; records carry it.
    pub device_id: DeviceId,
    /// A human label for the device (shown to officials), optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub label: Option<String>,
    /// The device's Ed25519 public key for visitor passes (standard base64
    /// of 32 bytes); the server lists it to the other devices of the
    /// province. Re-enrolling replaces it (or removes it when left out); an
    /// unreadable key is refused with 422 `invalid_public_key` before the
    /// token is spent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(content_encoding = "base64"))]
    pub public_key: Option<String>,
}

/// What a device may write for: one venue, or every venue of one commune.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Scope {
    Venue {
        venue_id: VenueId,
    },
    Commune {
        #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{5}$"))]
        commune_code: String,
    },
}

/// `POST /api/v1/enroll` answer: the device's credential, shown once.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollResponse {
    pub device_id: DeviceId,
    /// Bearer credential for `/sync`; the server keeps only its hash.
    pub credential: String,
    pub scope: Scope,
    pub province_code: String,
}

impl std::fmt::Debug for EnrollResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The credential is a secret: never let it reach a log through Debug.
        f.debug_struct("EnrollResponse")
            .field("device_id", &self.device_id)
            .field("credential", &"<hidden>")
            .field("scope", &self.scope)
            .field("province_code", &self.province_code)
            .finish()
    }
}

/// The server's verdict on one record of a batch.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordStatus {
    /// Stored now, for the first time.
    Accepted,
    /// Already stored with the same content (a resend): nothing changed.
    Duplicate,
    /// Already stored under this id with different content; the original is kept.
    Conflict,
    /// Not stored; `reason` says why (outside scope, invalid, …).
    Rejected,
}

impl RecordStatus {
    /// True when the record is safely on the server (accepted or duplicate).
    pub fn is_stored(self) -> bool {
        matches!(self, Self::Accepted | Self::Duplicate)
    }
}

/// One entry of a sync answer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordResult {
    /// Position of the record in the request.
    #[serde(rename = "i")]
    pub index: u32,
    /// The record's id when the server could read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<RecordId>,
    pub status: RecordStatus,
    /// Machine-readable reason for `conflict` and `rejected` (e.g.
    /// `venue_outside_scope`, `invalid_record: …`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `POST /api/v1/sync` answer.
///
/// With the request header `Prefer: return=minimal` the server lists only
/// conflicts and rejections; every other record of the batch was stored
/// (accepted or duplicate). That keeps the answer a few bytes on 2G links.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncResponse {
    pub server_time: DateTime<Utc>,
    pub accepted: u32,
    pub duplicate: u32,
    pub conflict: u32,
    pub rejected: u32,
    pub results: Vec<RecordResult>,
}

/// `GET /api/v1/sync/config` answer: what a device needs to work offline.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncConfig {
    pub device_id: DeviceId,
    pub scope: Scope,
    pub province_code: String,
    /// Venues the device may write for.
    pub venues: Vec<Venue>,
    /// Settings for the device (key -> value), e.g. the suggested sync interval.
    pub settings: std::collections::BTreeMap<String, String>,
    /// Public keys (base64) that sign visitor passes the device must verify:
    /// those of the enrolled devices of its province, its own included,
    /// sorted; of the 5,000 newest enrollments when there are more.
    #[cfg_attr(feature = "openapi", schema(max_items = 5000))]
    pub public_keys: Vec<String>,
    /// The verdict rules every gate of the province applies.
    #[serde(default)]
    pub policy: Policy,
    /// The vaccine-passport trust list the server holds, when one was
    /// imported: which one, so a station downloads it
    /// (`GET /api/v1/sync/trust-list`) only when it changed, and gates
    /// verify certificates offline with their last copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trust_list: Option<TrustListInfo>,
}

/// Which trust list of vaccine-passport (EU DCC) document signers the
/// server holds (`checkin-server admin trust-list import`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustListInfo {
    /// When the server's operator imported it: stations show its age.
    pub imported_at: DateTime<Utc>,
    /// The list's own date, when it gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
    /// How many document signers it holds.
    pub certificates: u32,
    /// The ETag of `GET /api/v1/sync/trust-list` for this list.
    pub etag: String,
}

/// `GET /api/v1/sync/trust-list` answer: the trust list itself, with when
/// the server imported it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustListAnswer {
    pub imported_at: DateTime<Utc>,
    /// `{"updated_at"?, "certificates": [{"kid"?, "der", "country"?}]}` (docs/dcc.md).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub document: TrustListDocument,
}

/// `GET /api/v1/units` answer: every administrative unit the server knows,
/// for the address pickers of declaration forms.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitsList {
    pub units: Vec<AdminUnit>,
}

/// A machine-readable error body of every 4xx/5xx answer.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Error))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// Stable code, e.g. `invalid_json`, `body_too_large`, `unauthorized`.
    pub error: String,
    /// A human explanation; never contains secrets or internal details.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_snake_case_and_results_compact() {
        let r = RecordResult {
            index: 3,
            id: None,
            status: RecordStatus::Rejected,
            reason: Some("venue_outside_scope".into()),
        };
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"i":3,"status":"rejected","reason":"venue_outside_scope"}"#
        );
        assert!(RecordStatus::Duplicate.is_stored());
        assert!(!RecordStatus::Conflict.is_stored());
    }

    #[test]
    fn enroll_request_is_strict_and_response_hides_credential() {
        let bad =
            r#"{"token":"CKE1:x","device_id":"0190c3f4-0000-7000-8000-000000000000","extra":1}"#;
        let with_key = r#"{"token":"CKE1:x","device_id":"0190c3f4-0000-7000-8000-000000000000","public_key":"AAAA"}"#;
        assert!(serde_json::from_str::<EnrollRequest>(with_key).is_ok());
        assert!(serde_json::from_str::<EnrollRequest>(bad).is_err());
        let resp = EnrollResponse {
            device_id: DeviceId::new(),
            credential: "CKD1.secret".into(),
            scope: Scope::Commune {
                commune_code: "00004".into(),
            },
            province_code: "01".into(),
        };
        assert!(!format!("{resp:?}").contains("secret"));
    }
}
