//! Contact tracing for tracers (and admins) inside their area, each lookup
//! written to the audit log before it is answered; the audit log for
//! admins (every lookup in their area) and tracers (their own).

use super::reports::{require_inside, unit_index};
use super::Official;
use crate::error::ApiError;
use crate::trace::{self, Window};
use crate::{AppState, ServerError};
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use checkin_server_db::{AuditEntry, Role};
use checkin_sync::protocol::ApiError as ErrorBody;
use serde::{Deserialize, Serialize};

const MAX_BODY: usize = 8192;

fn invalid(e: ServerError) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid", e.to_string())
}

pub(super) fn require_role(o: &Official, at_least: Role, what: &str) -> Result<(), ApiError> {
    if o.user.role >= at_least {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "role",
            format!("your role does not allow {what}"),
        ))
    }
}

pub(super) async fn body<T: for<'a> Deserialize<'a>>(
    st: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<T, ApiError> {
    crate::http::require_json(headers)?;
    let bytes = crate::http::read_body(body, MAX_BODY, &st.limits).await?;
    serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid",
            format!("bad request body: {e}"),
        )
    })
}

/// A tracing failure as the API answers it.
fn refused(e: ServerError) -> ApiError {
    match e {
        ServerError::Db(e) => ApiError::storage(e),
        ServerError::UnknownVenue(_) => {
            ApiError::new(StatusCode::NOT_FOUND, "unknown_venue", "no such venue")
        }
        e => invalid(e),
    }
}

fn asker(o: &Official) -> trace::Asker<'_> {
    trace::Asker {
        login: &o.user.login,
        area_code: &o.user.area_code,
    }
}

fn csv(stem: &str, table: &crate::reports::Table) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!("attachment; filename=\"{stem}.csv\""))
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        table.to_csv(),
    )
        .into_response()
}

/// Who was at a venue: the question.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct VenueLookup {
    venue_id: String,
    /// RFC 3339, or `YYYY-MM-DDTHH:MM` local time in Vietnam.
    from: String,
    /// RFC 3339, or `YYYY-MM-DDTHH:MM` local time in Vietnam; at most 31
    /// days after `from`.
    to: String,
    /// Why the lookup is made; kept in the audit log.
    #[schema(min_length = 5, max_length = 500)]
    reason: String,
    /// How long someone stays when no exit is recorded (default 120).
    #[schema(minimum = 1, maximum = 1440)]
    stay_minutes: Option<i64>,
    /// `json` (default) or `csv` (a download).
    format: Option<String>,
}

/// Who was at a venue during a window
///
/// For tracers and admins, venues inside their area; the lookup is written
/// to the audit log before it is answered. Entries and exits overlapping
/// the window count; an entry without an exit counts for `stay_minutes`.
#[utoipa::path(post, path = "/trace/venue", tag = "dashboard",
    security(("session" = [], "csrf" = [])),
    request_body = VenueLookup,
    responses(
        (status = 200, description = "The people present",
            content((trace::VenueAnswer = "application/json"), (String = "text/csv; charset=utf-8"))),
        (status = 400, description = "invalid: a bad time, window, reason or venue id, or more check-ins than one answer holds", body = ErrorBody),
        (status = 401, description = "not_logged_in", body = ErrorBody),
        (status = 403, description = "csrf, role, outside_area", body = ErrorBody),
        (status = 404, description = "unknown_venue", body = ErrorBody),
        (status = 413, description = "body_too_large", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 503, description = "storage_unavailable", body = ErrorBody),
    ))]
pub(crate) async fn venue(
    State(st): State<AppState>,
    o: Official,
    headers: HeaderMap,
    raw: Body,
) -> Result<Response, ApiError> {
    require_role(&o, Role::Tracer, "contact tracing")?;
    let q: VenueLookup = body(&st, &headers, raw).await?;
    let reason = trace::check_reason(&q.reason).map_err(invalid)?;
    let window = Window::new(
        trace::parse_time("from", &q.from).map_err(invalid)?,
        trace::parse_time("to", &q.to).map_err(invalid)?,
    )
    .map_err(invalid)?;
    let stay = trace::check_stay(q.stay_minutes).map_err(invalid)?;
    let units = unit_index(&st).await?;
    let venue = trace::find_venue(st.db.as_ref(), &q.venue_id)
        .await
        .map_err(refused)?;
    require_inside(&units, &o, &venue.venue.commune_code)?;
    let answer = trace::trace_venue(
        st.db.as_ref(),
        asker(&o),
        &venue,
        window,
        stay,
        &reason,
        st.clock.now(),
    )
    .await
    .map_err(refused)?;
    if q.format.as_deref() == Some("csv") {
        let stem = format!("truy-vet-{}", answer.venue.id);
        return Ok(csv(&stem, &trace::presence_table(&answer.people)));
    }
    Ok(axum::Json(answer).into_response())
}

/// Where a person went: the question (an ID-card number or a phone).
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct PersonLookup {
    id_number: Option<String>,
    phone: Option<String>,
    /// RFC 3339, or `YYYY-MM-DDTHH:MM` local time in Vietnam.
    from: String,
    /// RFC 3339, or `YYYY-MM-DDTHH:MM` local time in Vietnam; at most 31
    /// days after `from`.
    to: String,
    /// Why the lookup is made; kept in the audit log.
    #[schema(min_length = 5, max_length = 500)]
    reason: String,
    /// `json` (default) or `csv` (a download).
    format: Option<String>,
}

/// Where a person went during a window
///
/// By ID-card number or phone; venues inside the official's area only;
/// the lookup is written to the audit log before it is answered.
#[utoipa::path(post, path = "/trace/person", tag = "dashboard",
    security(("session" = [], "csrf" = [])),
    request_body = PersonLookup,
    responses(
        (status = 200, description = "The visits",
            content((trace::PersonAnswer = "application/json"), (String = "text/csv; charset=utf-8"))),
        (status = 400, description = "invalid: a bad time, window, reason or number, or more check-ins than one answer holds", body = ErrorBody),
        (status = 401, description = "not_logged_in", body = ErrorBody),
        (status = 403, description = "csrf, role", body = ErrorBody),
        (status = 413, description = "body_too_large", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 503, description = "storage_unavailable", body = ErrorBody),
    ))]
pub(crate) async fn person(
    State(st): State<AppState>,
    o: Official,
    headers: HeaderMap,
    raw: Body,
) -> Result<Response, ApiError> {
    require_role(&o, Role::Tracer, "contact tracing")?;
    let q: PersonLookup = body(&st, &headers, raw).await?;
    let reason = trace::check_reason(&q.reason).map_err(invalid)?;
    let key = trace::person_key(q.id_number.as_deref(), q.phone.as_deref()).map_err(invalid)?;
    let window = Window::new(
        trace::parse_time("from", &q.from).map_err(invalid)?,
        trace::parse_time("to", &q.to).map_err(invalid)?,
    )
    .map_err(invalid)?;
    let units = unit_index(&st).await?;
    let answer = trace::trace_person(
        st.db.as_ref(),
        &units,
        asker(&o),
        (&o.user.province_code, &o.user.area_code),
        &key,
        window,
        &reason,
        st.clock.now(),
    )
    .await
    .map_err(refused)?;
    if q.format.as_deref() == Some("csv") {
        return Ok(csv("truy-vet-nguoi", &trace::place_table(&answer.visits)));
    }
    Ok(axum::Json(answer).into_response())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct AuditQuery {
    /// How many entries, newest first (default 200, at most 1000).
    limit: Option<usize>,
}

/// The newest lookups first.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct AuditLog {
    entries: Vec<AuditEntry>,
}

/// The audit log of tracing lookups
///
/// Admins see every lookup inside their area, tracers their own; viewers
/// are refused (403 role).
#[utoipa::path(get, path = "/audit", tag = "dashboard",
    security(("session" = [])),
    params(AuditQuery),
    responses(
        (status = 200, description = "The entries", body = AuditLog),
        (status = 400, description = "invalid: a limit that is not a number", body = ErrorBody),
        (status = 401, description = "not_logged_in", body = ErrorBody),
        (status = 403, description = "role", body = ErrorBody),
        (status = 503, description = "storage_unavailable", body = ErrorBody),
    ))]
pub(crate) async fn audit_log(
    State(st): State<AppState>,
    o: Official,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    require_role(&o, Role::Tracer, "reading the audit log")?;
    let Query(q) =
        query.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "invalid", e.body_text()))?;
    let units = unit_index(&st).await?;
    let limit = q.limit.unwrap_or(200).clamp(1, 1000);
    // Read more than asked: entries of other areas are dropped below.
    let entries: Vec<AuditEntry> = st
        .db
        .audit_log(&o.user.province_code, limit * 10)
        .await
        .map_err(ApiError::storage)?
        .into_iter()
        .filter(|e| match o.user.role {
            Role::Admin => units.within(&e.area_code, &o.user.area_code),
            _ => e.login == o.user.login,
        })
        .take(limit)
        .collect();
    Ok(axum::Json(AuditLog { entries }).into_response())
}
