//! The device API: enrollment, sync, and what a device needs offline (its
//! sync config, the administrative units).

mod auth;

pub(crate) use auth::Device;

use crate::error::ApiError;
use crate::http::{etag_of, read_body, require_json, truncate};
use crate::{secrets, AppState, Fault};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use checkin_core::{Policy, Record, RecordId};
use checkin_server_db::{IncomingRecord, IngestBatch, TokenProblem, MAX_PASS_KEYS};
use checkin_sync::codec::{self, CodecError, Encoding};
use checkin_sync::protocol::{
    ApiError as ErrorBody, EnrollRequest, EnrollResponse, RecordResult, RecordStatus, SyncConfig,
    SyncResponse, TrustListAnswer, UnitsList, DEVICE_TIME_HEADER, MAX_BATCH_RECORDS,
    MAX_BODY_BYTES, MAX_DECODED_BYTES, MAX_RECORD_BYTES,
};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(enroll))
        .routes(routes!(sync))
        .routes(routes!(sync_config))
        .routes(routes!(units))
        .routes(routes!(trust_list))
}

/// The request's `Content-Encoding` (identity when absent).
fn content_encoding(headers: &HeaderMap) -> Result<String, ApiError> {
    match headers.get(header::CONTENT_ENCODING) {
        None => Ok("identity".into()),
        Some(v) => v
            .to_str()
            .map(str::to_string)
            .map_err(|_| unsupported_encoding()),
    }
}

fn unsupported_encoding() -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_encoding",
        "Content-Encoding must be gzip, zstd or identity",
    )
}

/// What a batch may inflate to and still be checked on the async worker
/// that received it (a station's batch of 50 records is about 30 KB). The
/// hop to the blocking pool and back was the largest part of what the
/// abuse limits cost the 200-device benchmark. Larger bodies, compression
/// bombs among them, go to the blocking pool once this much is inflated,
/// so no request holds a worker for longer than inflating and parsing
/// 64 KiB takes.
const INLINE_DECODED_BYTES: usize = 64 * 1024;

/// Inflates the body per its encoding, never past `limit`: a compression
/// bomb costs at most that much memory before it is refused.
fn decode_body(encoding: &str, raw: &[u8], limit: usize) -> Result<Vec<u8>, ApiError> {
    codec::inflate(encoding, raw, limit).map_err(|e| match e {
        CodecError::Unsupported(_) => unsupported_encoding(),
        CodecError::TooLarge { limit } => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "decoded_too_large",
            format!("the body inflates to more than {limit} bytes"),
        ),
        CodecError::Corrupt { encoding, .. } | CodecError::Compress { encoding, .. } => {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_encoding",
                format!("the body is not valid {encoding} data"),
            )
        }
    })
}

/// Reads the venues a device may write for and caches them.
async fn scope_venues(
    st: &AppState,
    device: &checkin_server_db::Device,
) -> Result<Arc<HashSet<String>>, ApiError> {
    let venues: HashSet<String> = st
        .db
        .venues_in_scope(&device.scope, &device.province_code)
        .await
        .map_err(ApiError::storage)?
        .into_iter()
        .map(|v| v.id.to_string())
        .collect();
    let venues = Arc::new(venues);
    st.auth_cache.put(device, venues.clone());
    Ok(venues)
}

fn parse_json<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!(
                "the body is not the expected JSON: {}",
                truncate(&e.to_string(), 200)
            ),
        )
    })
}

/// A device's pass key in the one text form the server stores and lists
/// (standard padded base64 of the 32 key bytes), if it is a usable key.
fn canonical_pass_key(text: &str) -> Option<String> {
    use base64::Engine;
    if text.len() > 100 {
        return None;
    }
    let key = checkin_core::pass::parse_public_key(text)?;
    Some(base64::engine::general_purpose::STANDARD.encode(key.as_bytes()))
}

/// Exchange a single-use enrollment token for a device credential
///
/// Tokens (`CKE1:` + 32 characters, single use, expiring, bound to a venue
/// or a commune) and credentials (`CKD1.…`) are stored as SHA-256 only. A
/// device already enrolled re-enrolls with a new token by sending its
/// current credential as `Authorization: Bearer`, or without it once an
/// administrator revoked it.
#[utoipa::path(post, path = "/api/v1/enroll", tag = "device",
    request_body = EnrollRequest,
    responses(
        (status = 200, description = "Enrolled", body = EnrollResponse),
        (status = 400, description = "invalid_json", body = ErrorBody),
        (status = 401, description = "token_invalid", body = ErrorBody),
        (status = 408, description = "body_timeout: the body stopped arriving for 10 s or took over 60 s", body = ErrorBody),
        (status = 409, description = "token_used, device_exists", body = ErrorBody),
        (status = 410, description = "token_expired", body = ErrorBody),
        (status = 413, description = "body_too_large (over 16 KiB)", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 422, description = "invalid_label, invalid_public_key", body = ErrorBody),
        (status = 503, description = "storage_unavailable; see Retry-After", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub(crate) async fn enroll(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    require_json(&headers)?;
    let raw = read_body(body, 16 * 1024, &st.limits).await?;
    let req: EnrollRequest = parse_json(&raw)?;
    if let Some(label) = &req.label {
        checkin_core::admission::check_text("label", label, 100).map_err(|e| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_label",
                format!("the device {e}"),
            )
        })?;
    }
    // Checked before the token is spent: a bad key must not cost a token.
    let pass_key = match req.public_key.as_deref() {
        None => None,
        Some(text) => Some(canonical_pass_key(text).ok_or_else(|| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_public_key",
                "public_key is not an Ed25519 public key (standard base64 of 32 bytes)",
            )
        })?),
    };
    let token = secrets::normalise_token(&req.token);
    let credential = secrets::new_credential();
    let device = checkin_server_db::NewDevice {
        id: req.device_id,
        credential_hash: secrets::hash_hex(credential.as_bytes()),
        label: req.label,
        proof_hash: auth::bearer(&headers).map(|c| secrets::hash_hex(c.as_bytes())),
        pass_key,
    };
    let outcome = st
        .db
        .enroll(&secrets::hash_hex(token.as_bytes()), &device, Utc::now())
        .await
        .map_err(ApiError::storage)?;
    match outcome {
        Ok(d) => {
            tracing::info!(device = %d.id, province = %d.province_code, "device enrolled");
            Ok(axum::Json(EnrollResponse {
                device_id: d.id,
                credential,
                scope: d.scope,
                province_code: d.province_code,
            })
            .into_response())
        }
        Err(TokenProblem::Unknown) => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "token_invalid",
            "this enrollment token is not known to the server",
        )),
        Err(TokenProblem::Expired) => Err(ApiError::new(
            StatusCode::GONE,
            "token_expired",
            "this enrollment token has expired; ask for a new one",
        )),
        Err(TokenProblem::Used) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "token_used",
            "this enrollment token was already used; ask for a new one",
        )),
        Err(TokenProblem::DeviceTaken) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "device_exists",
            "this device id is enrolled already; re-enrolling it needs its current credential",
        )),
    }
}

/// `POST /api/v1/sync` body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SyncRequest)]
struct BatchBody<'a> {
    /// Records exactly as stored on the device: `{"kind": "checkin" |
    /// "declaration" | "quarantine" | "health_update", "id": UUIDv7, …}`.
    /// A record naming a `venue_id` must name a venue of the device's scope
    /// (check-ins always do; declarations, quarantines and health updates
    /// may name none). At most 64 KiB each.
    #[serde(borrow)]
    #[schema(value_type = Vec<Object>, max_items = 1000)]
    records: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct IdOnly {
    id: Option<RecordId>,
}

/// What a record is checked against besides its own content.
struct Admission<'a> {
    device: &'a checkin_server_db::Device,
    venues: &'a HashSet<String>,
    /// The server's clock at receipt: record times are bounded by it.
    now: DateTime<Utc>,
    policy: &'a Policy,
}

/// Checks one record; `Err` is the reason it is rejected.
fn check_record(raw: &RawValue, at: &Admission<'_>) -> Result<IncomingRecord, String> {
    if raw.get().len() > MAX_RECORD_BYTES {
        return Err(format!("record_too_large: over {MAX_RECORD_BYTES} bytes"));
    }
    // The device resends a record byte for byte (its store keeps the body
    // as first written), so the raw bytes are the content: equal hashes are
    // a resend, different ones a conflict. Stored raw, fields this version
    // does not know are kept rather than dropped.
    let record: Record = serde_json::from_str(raw.get())
        .map_err(|e| format!("invalid_record: {}", truncate(&e.to_string(), 200)))?;
    let device_id = record.device_id();
    if device_id != at.device.id {
        return Err("device_mismatch: the record names another device".into());
    }
    if let Some(v) = record.venue_id() {
        if !at.venues.contains(v.as_str()) {
            return Err(format!(
                "venue_outside_scope: this device may not write for venue {v}"
            ));
        }
    }
    checkin_core::admission::check(&record, at.now, at.policy)
        .map_err(|p| format!("{}: {}", p.code(), truncate(&p.to_string(), 300)))?;
    let body = raw.get().to_string();
    let hash = secrets::hash_hex(body.as_bytes());
    Ok(IncomingRecord::of(&record, body, hash))
}

/// A batch checked record by record: the results (rejections filled in),
/// the records to store, and for each of those its slot in the results.
struct Checked {
    results: Vec<RecordResult>,
    incoming: Vec<IncomingRecord>,
    slots: Vec<usize>,
}

impl Checked {
    /// True when a record was refused for a venue outside the scope.
    fn has_outside_scope(&self) -> bool {
        self.results.iter().any(|x| {
            x.reason
                .as_deref()
                .is_some_and(|r| r.starts_with("venue_outside_scope"))
        })
    }
}

/// Parses a batch and checks every record.
fn check_batch(decoded: &[u8], at: &Admission<'_>) -> Result<Checked, ApiError> {
    let batch: BatchBody = parse_json(decoded)?;
    if batch.records.len() > MAX_BATCH_RECORDS {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_many_records",
            format!("send at most {MAX_BATCH_RECORDS} records per batch"),
        ));
    }
    let n = batch.records.len();
    let mut checked = Checked {
        results: Vec::with_capacity(n),
        incoming: Vec::with_capacity(n),
        slots: Vec::with_capacity(n),
    };
    for (i, raw) in batch.records.iter().enumerate() {
        match check_record(raw, at) {
            Ok(rec) => {
                checked.slots.push(checked.results.len());
                checked.results.push(RecordResult {
                    index: i as u32,
                    id: Some(rec.id),
                    status: RecordStatus::Accepted,
                    reason: None,
                });
                checked.incoming.push(rec);
            }
            Err(reason) => checked.results.push(RecordResult {
                index: i as u32,
                id: serde_json::from_str::<IdOnly>(raw.get())
                    .ok()
                    .and_then(|x| x.id),
                status: RecordStatus::Rejected,
                reason: Some(reason),
            }),
        }
    }
    Ok(checked)
}

fn wants_minimal(headers: &HeaderMap) -> bool {
    headers
        .get_all("prefer")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').any(|p| p.trim() == "return=minimal"))
}

/// The encoding of an answer: the best the client accepts (zstd, then gzip).
fn accepted_encoding(headers: &HeaderMap) -> Encoding {
    Encoding::preferred(
        headers
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or(""),
    )
}

/// Answers under this size go uncompressed: compression would not pay.
const COMPRESS_FROM_BYTES: usize = 128;

/// `json` compressed (zstd level 3, or fast gzip) as the client accepts,
/// when worth it; uncompressed if compression fails.
fn compressed(headers: &HeaderMap, json: Vec<u8>) -> (Encoding, Bytes) {
    let encoding = accepted_encoding(headers);
    if json.len() < COMPRESS_FROM_BYTES || encoding == Encoding::Identity {
        return (Encoding::Identity, json.into());
    }
    match codec::compress(&json, encoding, 3) {
        Ok(z) => (encoding, z.into()),
        Err(e) => {
            tracing::warn!(error = %e, "cannot compress an answer; sending it plain");
            (Encoding::Identity, json.into())
        }
    }
}

/// A 200 JSON answer with its encoding headers (and ETag when given).
fn json_response(encoding: Encoding, body: Bytes, etag: Option<&str>) -> Response {
    let mut resp = Response::new(Body::from(body));
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    // Caches between here and the device must key on the encoding asked for.
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(name) = encoding.header() {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
    }
    if let Some(value) = etag.and_then(|e| HeaderValue::from_str(e).ok()) {
        h.insert(header::ETAG, value);
    }
    resp
}

/// `304 Not Modified` when the client's `If-None-Match` names `etag` (or
/// `*`); a weak form of it (`W/"…"`, as proxies that compress make) counts.
fn not_modified(headers: &HeaderMap, etag: &str) -> Option<Response> {
    let matches = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim())
        .any(|t| t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag);
    matches.then(|| {
        let mut resp = StatusCode::NOT_MODIFIED.into_response();
        if let Ok(value) = HeaderValue::from_str(etag) {
            resp.headers_mut().insert(header::ETAG, value);
        }
        resp.headers_mut()
            .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        resp
    })
}

/// Send a batch of records; each is stored at most once (idempotent by record id)
///
/// At most 1,000 records, 2 MiB as sent and 8 MiB inflated. Every record
/// gets its own answer; one bad record never fails the batch. A sync with
/// no records still tells the server the device is alive.
#[utoipa::path(post, path = "/api/v1/sync", tag = "device",
    security(("device" = [])),
    params(
        ("x-checkin-device-time" = String, Header, format = DateTime,
            description = "The device clock when sending (RFC 3339); the server stores its skew with each record"),
        ("Content-Encoding" = Option<String>, Header,
            description = "identity, gzip or zstd; the body is at most 2 MiB as sent and 8 MiB inflated"),
        ("Prefer" = Option<String>, Header,
            description = "`return=minimal`: list only conflicts and rejections in `results`"),
    ),
    request_body = inline(BatchBody),
    responses(
        (status = 200, description = "Per-record results: each record accepted, duplicate, conflict or rejected with its reason; one bad record never fails the batch",
            body = SyncResponse),
        (status = 400, description = "invalid_json, missing_device_time, bad_encoding, body_incomplete", body = ErrorBody),
        (status = 401, description = "unauthorized, device_revoked", body = ErrorBody),
        (status = 408, description = "body_timeout: the body stopped arriving for 10 s or took over 60 s; send it again", body = ErrorBody),
        (status = 413, description = "body_too_large, decoded_too_large, too_many_records", body = ErrorBody),
        (status = 415, description = "unsupported_media_type, unsupported_encoding", body = ErrorBody),
        (status = 429, description = "rate_limited (shared with /sync/config and /units); see Retry-After", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "server_busy, device_busy (batches are shed under load) or storage_unavailable; see Retry-After", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub(crate) async fn sync(
    State(st): State<AppState>,
    Device(device): Device,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    // The venues the device may write for, from the short-lived cache when
    // fresh (a batch then costs no lookup), else from the store.
    let (mut venues, cached) = match st.auth_cache.get(&device) {
        Some(venues) => (venues, true),
        None => (scope_venues(&st, &device).await?, false),
    };
    let fault = st.faults.as_ref().and_then(|f| f.draw());
    match fault {
        Some(Fault::Error500) => {
            return Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "injected_fault",
                "injected failure (test mode)",
            ))
        }
        Some(Fault::Unavailable503) => {
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "injected_fault",
                "injected failure (test mode)",
            )
            .retry_after(1))
        }
        Some(Fault::TooMany429) => {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "injected_fault",
                "injected failure (test mode)",
            )
            .retry_after(1))
        }
        _ => {}
    }
    require_json(&headers)?;
    let device_time = headers
        .get(DEVICE_TIME_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| DateTime::parse_from_rfc3339(v.trim()).ok())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "missing_device_time",
                format!("send the device clock in {DEVICE_TIME_HEADER} (RFC 3339)"),
            )
        })?;
    let encoding = content_encoding(&headers)?;
    // Held until the answer is built: bounds the memory and CPU that
    // batches use at once, whatever devices send.
    let _slot = st.load.enter(device.id).await?;
    let raw = read_body(body, MAX_BODY_BYTES, &st.limits).await?;
    let received_at = Utc::now();
    let examine = {
        let (device, policy) = (device.clone(), st.policy.clone());
        move |decoded: Vec<u8>, venues: Arc<HashSet<String>>| {
            let at = Admission {
                device: &device,
                venues: &venues,
                now: received_at,
                policy: &policy,
            };
            let checked = check_batch(&decoded, &at);
            (decoded, checked)
        }
    };
    let (decoded, checked) = match decode_body(&encoding, &raw, INLINE_DECODED_BYTES) {
        Err(e) if e.code == "decoded_too_large" => {
            let (examine, venues) = (examine.clone(), venues.clone());
            st.load
                .decode(move || {
                    let decoded = decode_body(&encoding, &raw, MAX_DECODED_BYTES)?;
                    drop(raw);
                    Ok::<_, ApiError>(examine(decoded, venues))
                })
                .await??
        }
        small => {
            drop(raw);
            examine(small?, venues.clone())
        }
    };
    let mut checked = checked?;
    if cached && checked.has_outside_scope() {
        // The cached scope may predate a venue just added to the commune:
        // look again before refusing anything for it.
        venues = scope_venues(&st, &device).await?;
        let venues = venues.clone();
        checked = st.load.decode(move || examine(decoded, venues)).await?.1?;
    } else {
        drop(decoded);
    }
    let Checked {
        mut results,
        incoming,
        slots,
    } = checked;
    let clock_skew_ms = (received_at - device_time.with_timezone(&Utc)).num_milliseconds();
    if !incoming.is_empty() {
        let statuses = st
            .db
            .ingest(&IngestBatch {
                device_id: device.id,
                province_code: device.province_code.clone(),
                received_at,
                clock_skew_ms,
                records: incoming,
            })
            .await
            .map_err(ApiError::storage)?;
        for (slot, got) in slots.into_iter().zip(statuses) {
            let status = got.status;
            results[slot].status = status;
            results[slot].reason = got.reason;
            if status == RecordStatus::Conflict {
                results[slot].reason = Some(
                    "conflict: another record with this id is stored; the original is kept".into(),
                );
            }
        }
    } else {
        // Nothing to store, but the device is alive: reports tell a point
        // that scanned nobody from one whose devices are silent.
        note_contact(&st, &device).await;
    }
    if fault == Some(Fault::Error500AfterCommit) {
        // The batch is stored but the answer is lost: the client must resend
        // and see duplicates.
        return Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "injected_fault",
            "injected failure after commit (test mode)",
        ));
    }
    let count = |s: RecordStatus| results.iter().filter(|r| r.status == s).count() as u32;
    let mut resp = SyncResponse {
        server_time: Utc::now(),
        accepted: count(RecordStatus::Accepted),
        duplicate: count(RecordStatus::Duplicate),
        conflict: count(RecordStatus::Conflict),
        rejected: count(RecordStatus::Rejected),
        results,
    };
    tracing::debug!(device = %device.id, accepted = resp.accepted, duplicate = resp.duplicate,
        conflict = resp.conflict, rejected = resp.rejected, skew_ms = clock_skew_ms, "batch stored");
    if wants_minimal(&headers) {
        resp.results.retain(|r| !r.status.is_stored());
    }
    let json = serde_json::to_vec(&resp)
        .map_err(|e| ApiError::internal("cannot encode sync answer", e))?;
    let (encoding, body) = compressed(&headers, json);
    Ok(json_response(encoding, body, None))
}

/// Records that a device contacted the server. A failure is logged and
/// does not fail the request: the device's own work matters more.
async fn note_contact(st: &AppState, device: &checkin_server_db::Device) {
    if let Err(e) = st
        .db
        .touch_device(&device.province_code, &device.id, Utc::now())
        .await
    {
        tracing::warn!(device = %device.id, error = %e, "cannot record the device's contact");
    }
}

/// What the device needs offline
///
/// Its venues, settings, the pass keys of its province and the verdict
/// policy. A sync config request tells the server the device is alive.
#[utoipa::path(get, path = "/api/v1/sync/config", tag = "device",
    security(("device" = [])),
    params(
        ("If-None-Match" = Option<String>, Header, description = "An ETag of an earlier answer (a weak `W/` one too)"),
        ("Accept-Encoding" = Option<String>, Header, description = "zstd and/or gzip: the answer comes compressed (Content-Encoding)"),
    ),
    responses(
        (status = 200, description = "The config, with an ETag (a hash of the JSON)", body = SyncConfig,
            headers(("ETag" = String), ("Vary" = String, description = "accept-encoding"))),
        (status = 304, description = "Unchanged since the ETag sent"),
        (status = 401, description = "unauthorized, device_revoked", body = ErrorBody),
        (status = 429, description = "rate_limited (shared with /sync and /units); see Retry-After", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "storage_unavailable; see Retry-After", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub(crate) async fn sync_config(
    State(st): State<AppState>,
    Device(device): Device,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    note_contact(&st, &device).await;
    let venues = st
        .db
        .venues_in_scope(&device.scope, &device.province_code)
        .await
        .map_err(ApiError::storage)?;
    // The server's own key first (passes from the citizen page), then
    // the devices' (passes from kiosks).
    let server_key = st
        .pass_signer()
        .await
        .map_err(ApiError::storage)?
        .public_key_text();
    let public_keys = std::iter::once(server_key)
        .chain(
            st.db
                .pass_keys(&device.province_code, MAX_PASS_KEYS - 1)
                .await
                .map_err(ApiError::storage)?,
        )
        .collect();
    let mut settings = BTreeMap::new();
    settings.insert("sync_interval_seconds".into(), "60".into());
    settings.insert("max_batch_records".into(), MAX_BATCH_RECORDS.to_string());
    let trust_list = st
        .trust_list
        .get(st.db.as_ref())
        .await
        .map_err(ApiError::storage)?;
    let config = SyncConfig {
        device_id: device.id,
        scope: device.scope,
        province_code: device.province_code,
        venues,
        settings,
        public_keys,
        policy: (*st.policy).clone(),
        trust_list: trust_list.map(|t| t.info.clone()),
    };
    let json = serde_json::to_vec(&config)
        .map_err(|e| ApiError::internal("cannot encode sync config", e))?;
    let etag = etag_of(&json);
    if let Some(resp) = not_modified(&headers, &etag) {
        return Ok(resp);
    }
    let (encoding, body) = compressed(&headers, json);
    Ok(json_response(encoding, body, Some(&etag)))
}

/// Every province, district and commune imported by `admin import-units`, for the address pickers of declaration forms
///
/// About 11,000 units (0.8 MB of JSON, 85 KB with zstd). The answer is
/// built once per import and kept in memory; ask with If-None-Match to get
/// 304 while the list is unchanged.
#[utoipa::path(get, path = "/api/v1/units", tag = "device",
    security(("device" = [])),
    params(
        ("If-None-Match" = Option<String>, Header, description = "An ETag of an earlier answer (a weak `W/` one too)"),
        ("Accept-Encoding" = Option<String>, Header, description = "zstd and/or gzip: the answer comes compressed (Content-Encoding)"),
    ),
    responses(
        (status = 200, description = "The units, with an ETag (a hash of the JSON)", body = UnitsList,
            headers(("ETag" = String), ("Vary" = String, description = "accept-encoding"))),
        (status = 304, description = "Unchanged since the ETag sent"),
        (status = 401, description = "unauthorized, device_revoked", body = ErrorBody),
        (status = 429, description = "rate_limited (shared with /sync and /sync/config); see Retry-After", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "storage_unavailable; see Retry-After", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub(crate) async fn units(
    State(st): State<AppState>,
    _: Device,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let body = st
        .units
        .get(st.db.as_ref())
        .await
        .map_err(ApiError::storage)?;
    Ok(encoded_answer(&headers, &body))
}

/// A prepared answer (units, the trust list): 304 when the client holds it,
/// else in the best encoding the client takes.
fn encoded_answer(headers: &HeaderMap, body: &crate::units::EncodedBody) -> Response {
    if let Some(resp) = not_modified(headers, &body.etag) {
        return resp;
    }
    let encoding = accepted_encoding(headers);
    json_response(encoding, body.encoded(encoding), Some(&body.etag))
}

/// The vaccine-passport trust list, for gates to verify certificates offline
///
/// The sync config names the list (`trust_list`: when it was imported and
/// this answer's ETag); download it when that changes. Built once per
/// import and kept in memory.
#[utoipa::path(get, path = "/api/v1/sync/trust-list", tag = "device",
    security(("device" = [])),
    params(
        ("If-None-Match" = Option<String>, Header, description = "An ETag of an earlier answer (a weak `W/` one too)"),
        ("Accept-Encoding" = Option<String>, Header, description = "zstd and/or gzip: the answer comes compressed (Content-Encoding)"),
    ),
    responses(
        (status = 200, description = "The trust list, with an ETag (a hash of the JSON)", body = TrustListAnswer,
            headers(("ETag" = String), ("Vary" = String, description = "accept-encoding"))),
        (status = 304, description = "Unchanged since the ETag sent"),
        (status = 401, description = "unauthorized, device_revoked", body = ErrorBody),
        (status = 404, description = "not_found: no trust list was imported", body = ErrorBody),
        (status = 429, description = "rate_limited (shared with /sync and /sync/config); see Retry-After", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "storage_unavailable; see Retry-After", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub(crate) async fn trust_list(
    State(st): State<AppState>,
    _: Device,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Some(list) = st
        .trust_list
        .get(st.db.as_ref())
        .await
        .map_err(ApiError::storage)?
    else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no trust list was imported on this server",
        ));
    };
    Ok(encoded_answer(&headers, &list.body))
}
