//! Check-ins from citizens' own phones: the page a venue's poster links to
//! sends the person's declaration and one check-in; the server validates
//! them with the core crate's rules, stores them as records of source
//! `self` under the venue's self-service device, and answers with a visitor
//! pass signed by its own key. Ids are made on the phone (UUIDv7), so a
//! check-in sent again after a lost answer is stored once.

use crate::error::ApiError;
use crate::AppState;
use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use checkin_core::{
    verdict, CheckIn, Declaration, DeclarationRecord, Direction, Level, PassClaims, Record,
    RecordId, Source, Subject, TypedPerson,
};
use checkin_server_db::{IncomingRecord, IngestBatch};
use checkin_sync::protocol::{ApiError as ErrorBody, RecordStatus};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// A declaration and a check-in are a few kilobytes at most.
const MAX_BODY: usize = 32 * 1024;

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(check_in))
        // The answer carries the pass as SVG: a few kilobytes that compress well.
        .layer(tower_http::compression::CompressionLayer::new())
}

/// What the phone sends.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub(crate) struct SelfCheckIn {
    /// The venue link's code, `<venue id>.<tag>`.
    code: String,
    /// The person's declaration, as the kiosk's form asks it.
    #[schema(value_type = Object)]
    declaration: Declaration,
    /// The declaration's id, made on the phone (UUIDv7); the same all day
    /// while the declaration is unchanged.
    #[schema(value_type = String, format = Uuid)]
    declaration_id: RecordId,
    /// When the person declared, on the phone's clock.
    declared_at: DateTime<FixedOffset>,
    /// This check-in's id, made on the phone (UUIDv7).
    #[schema(value_type = String, format = Uuid)]
    checkin_id: RecordId,
    /// `in` or `out`.
    #[schema(value_type = String, example = "in")]
    direction: Direction,
    /// When the person checked in, on the phone's clock.
    at: DateTime<FixedOffset>,
}

/// What the server stored, and the person's pass.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct SelfCheckInAnswer {
    venue_id: String,
    venue_name: String,
    /// `accepted` the first time, `duplicate` when sent again.
    #[schema(value_type = String)]
    declaration: RecordStatus,
    #[schema(value_type = String)]
    checkin: RecordStatus,
    /// The declaration's verdict: `green`, `amber` or `red`.
    #[schema(value_type = String)]
    level: Level,
    /// The visitor pass (`CKP1:…`), signed with the server's key: any
    /// gatekeeper verifies it offline.
    pass: String,
    /// The pass as a QR code, an SVG document (as the kiosk shows it).
    pass_svg: String,
    pass_expires_at: DateTime<chrono::Utc>,
}

fn refused(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(status, code, message)
}

/// Checks in from a citizen's phone
///
/// Stores the declaration (once per id) and the check-in at the venue the
/// link names, with source `self`, and answers with a signed visitor pass.
/// Sending the same ids again stores nothing new (`duplicate`). A bad
/// declaration or time is refused with the core crate's reason and nothing
/// is stored. Limited per venue and per client address.
#[utoipa::path(post, path = "/api/v1/public/checkins", tag = "public",
    request_body = SelfCheckIn,
    responses(
        (status = 200, description = "Stored (or already stored), with the pass", body = SelfCheckInAnswer),
        (status = 400, description = "invalid_json", body = ErrorBody),
        (status = 404, description = "unknown_venue: no venue has this link", body = ErrorBody),
        (status = 409, description = "conflict: these ids were stored with other content", body = ErrorBody),
        (status = 413, description = "body_too_large", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 422, description = "invalid_record: the declaration or a time breaks a rule; the message says which", body = ErrorBody),
        (status = 429, description = "rate_limited; see Retry-After", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "storage_unavailable", body = ErrorBody),
    ))]
pub(crate) async fn check_in(
    State(st): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    crate::http::require_json(&headers)?;
    let addr = peer
        .map(|Extension(ConnectInfo(a))| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    let limited = |wait: u64| {
        refused(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "too many check-ins at once; wait a moment and try again",
        )
        .retry_after(wait)
    };
    if let Some(wait) = st.citizen_limiter.check(&format!("addr:{addr}")) {
        return Err(limited(wait));
    }
    let bytes = crate::http::read_body(body, MAX_BODY, &st.limits).await?;
    let req: SelfCheckIn = serde_json::from_slice(&bytes).map_err(|e| {
        refused(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!(
                "not a check-in: {}",
                crate::http::truncate(&e.to_string(), 200)
            ),
        )
    })?;
    let venue = crate::public::venue_of_link(&st, &req.code).await?;
    if let Some(wait) = st.citizen_limiter.check(&format!("venue:{}", venue.id)) {
        return Err(limited(wait));
    }
    // Ids the server makes name their province.
    let province = venue
        .id
        .province_code()
        .map(str::to_string)
        .ok_or_else(|| {
            refused(
                StatusCode::NOT_FOUND,
                "unknown_venue",
                "no venue has this link: scan the poster again, or ask the venue for a new one",
            )
        })?;
    let now = st.clock.now();
    let device = st
        .db
        .self_service_device(&province, &venue.id, now)
        .await
        .map_err(ApiError::storage)?;
    let policy = st.policy.as_ref();
    let declaration = DeclarationRecord {
        id: req.declaration_id,
        device_seq: 0,
        venue_id: Some(venue.id.clone()),
        source: Source::SelfService,
        device_id: device.id,
        device_time: req.declared_at,
        occurred_at: None,
        verdict: verdict(&req.declaration, policy),
        declaration: req.declaration,
    };
    let d = &declaration.declaration;
    let checkin = Record::Checkin(CheckIn {
        id: req.checkin_id,
        device_seq: 0,
        venue_id: venue.id.clone(),
        direction: req.direction,
        subject: Subject::Typed(TypedPerson {
            full_name: d.full_name.clone(),
            id_number: d.id_number.clone(),
            phone: Some(d.phone.clone()).filter(|p| !p.trim().is_empty()),
            birth_year: Some(d.birth.year()),
        }),
        source: Source::SelfService,
        verdict: declaration.verdict.clone(),
        device_id: device.id,
        device_time: req.at,
        occurred_at: None,
        raw_code: None,
    });
    let claims = PassClaims::for_declaration(&declaration, policy);
    let declaration = Record::Declaration(declaration);
    let mut incoming = Vec::with_capacity(2);
    for record in [&declaration, &checkin] {
        checkin_core::admission::check(record, now, policy).map_err(|p| {
            refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_record",
                format!("{}: {}", p.code(), p),
            )
        })?;
        // Built by the server from what the phone sent: the same request
        // gives the same bytes, so a resend is a duplicate.
        let body = serde_json::to_string(record).map_err(|_| {
            refused(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal error",
            )
        })?;
        let hash = crate::secrets::hash_hex(body.as_bytes());
        incoming.push(IncomingRecord::of(record, body, hash));
    }
    let got = st
        .db
        .ingest(&IngestBatch {
            device_id: device.id,
            province_code: province,
            received_at: now,
            clock_skew_ms: 0,
            records: incoming,
        })
        .await
        .map_err(ApiError::storage)?;
    for g in &got {
        match g.status {
            RecordStatus::Conflict => return Err(refused(
                StatusCode::CONFLICT,
                "conflict",
                "this check-in's ids were stored with other content; make new ids and send again",
            )),
            RecordStatus::Rejected => {
                return Err(refused(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_record",
                    g.reason
                        .clone()
                        .unwrap_or_else(|| "refused by the store".into()),
                ))
            }
            RecordStatus::Accepted | RecordStatus::Duplicate => {}
        }
    }
    let signer = st.pass_signer().await.map_err(ApiError::storage)?;
    let pass = signer.sign(&claims);
    let pass_svg = checkin_core::pass::qr_svg(&pass).map_err(|_| {
        refused(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error",
        )
    })?;
    Ok(axum::Json(SelfCheckInAnswer {
        venue_id: venue.id.to_string(),
        venue_name: venue.name,
        declaration: got[0].status,
        checkin: got[1].status,
        level: claims.level,
        pass,
        pass_svg,
        pass_expires_at: claims.expires_at,
    })
    .into_response())
}
