//! What anyone may ask without credentials: liveness, readiness, the
//! OpenAPI document, the venue a poster's link names, and the
//! administrative units the phone page's address pickers offer.

use crate::error::ApiError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use checkin_core::{Venue, VenueCategory, VenueLinkCode};
use checkin_sync::protocol::ApiError as ErrorBody;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .routes(routes!(openapi))
        .routes(routes!(venue_by_link))
        .routes(routes!(units_below))
        // Phones on slow links read these; stations' sync has its own codec.
        .layer(tower_http::compression::CompressionLayer::new())
}

/// How the server is.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct Health {
    /// `ok` from `/healthz`, `ready` from `/readyz`.
    status: &'static str,
}

/// Liveness: the process is up
#[utoipa::path(get, path = "/healthz", tag = "public",
    responses((status = 200, description = "The process is up", body = Health)))]
pub(crate) async fn healthz() -> impl IntoResponse {
    axum::Json(Health { status: "ok" })
}

/// Readiness: the store can be written now
///
/// The probe takes the store's write lock, so a database locked by another
/// process or read-only answers 503.
#[utoipa::path(get, path = "/readyz", tag = "public",
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 503, description = "storage_unavailable", body = ErrorBody),
    ))]
pub(crate) async fn readyz(State(st): State<AppState>) -> Response {
    match st.db.ping().await {
        Ok(()) => axum::Json(Health { status: "ready" }).into_response(),
        Err(e) => ApiError::storage(e).into_response(),
    }
}

/// This document
///
/// Generated from the handlers and their types (utoipa); a copy is kept
/// in the repository as `crates/server/openapi.json`.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "public",
    responses((status = 200, description = "OpenAPI 3.1", content_type = "application/json")))]
pub(crate) async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        crate::openapi::json(),
    )
}

/// The venue a link's code names; 404 `unknown_venue` alike for a code the
/// server did not make, an altered one, or a venue that no longer exists.
pub(crate) async fn venue_of_link(st: &AppState, code: &str) -> Result<Venue, ApiError> {
    let unknown = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_venue",
            "no venue has this link: scan the poster again, or ask the venue for a new one",
        )
    };
    let code = VenueLinkCode::parse(code).ok_or_else(unknown)?;
    if !st
        .link_key()
        .await
        .map_err(ApiError::storage)?
        .verify(&code)
    {
        return Err(unknown());
    }
    st.db
        .venue(&code.venue_id)
        .await
        .map_err(ApiError::storage)?
        .ok_or_else(unknown)
}

/// A venue as its poster's link shows it to citizens.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct VenueCard {
    venue_id: String,
    name: String,
    address: String,
    category: VenueCategory,
    commune_code: String,
    /// The commune's name ("Xã Trung Xuân"); empty when the units are not
    /// imported.
    commune_name: String,
    /// Days the server keeps personal data after a visit (the phone keeps
    /// its copy as long).
    retention_days: u32,
}

/// The venue a poster's link names
///
/// `code` is the last part of the link (`<venue id>.<tag>`). A code the
/// server did not make, an altered one, or one of a venue that no longer
/// exists are answered alike.
#[utoipa::path(get, path = "/api/v1/public/venues/{code}", tag = "public",
    params(("code" = String, Path, description = "The venue link's code, `<venue id>.<tag>`")),
    responses(
        (status = 200, description = "The venue", body = VenueCard),
        (status = 404, description = "unknown_venue: no venue has this link", body = ErrorBody),
        (status = 503, description = "storage_unavailable", body = ErrorBody),
    ))]
pub(crate) async fn venue_by_link(
    State(st): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    let venue = venue_of_link(&st, &code).await?;
    let commune_name = st
        .db
        .commune(&venue.commune_code)
        .await
        .map_err(ApiError::storage)?
        .map(|c| c.name)
        .unwrap_or_default();
    Ok(axum::Json(VenueCard {
        venue_id: venue.id.to_string(),
        name: venue.name,
        address: venue.address,
        category: venue.category,
        commune_code: venue.commune_code,
        commune_name,
        retention_days: st.retention_days,
    })
    .into_response())
}

/// Which units to list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub(crate) struct UnitsQuery {
    /// A province (its districts) or district (its communes); none for the
    /// provinces.
    parent: Option<String>,
}

/// One administrative unit as the address pickers show it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct PublicUnit {
    /// GSO code: 2 digits for a province, 3 for a district, 5 for a commune.
    code: String,
    name: String,
    /// "Tỉnh", "Huyện", "Xã", "Phường", "Thị trấn", …
    kind: String,
}

/// Administrative units, one level at a time
///
/// The provinces, or the districts of a province, or the communes of a
/// district, in code order. Public data: the phone page's address pickers
/// ask for one level at a time (a few kilobytes each) instead of the whole
/// list devices download.
#[utoipa::path(get, path = "/api/v1/public/units", tag = "public",
    params(UnitsQuery),
    responses(
        (status = 200, description = "The units", body = [PublicUnit]),
        (status = 400, description = "invalid: the parent is not a 2- or 3-digit code", body = ErrorBody),
        (status = 404, description = "unknown_unit: no imported unit has this code", body = ErrorBody),
        (status = 503, description = "storage_unavailable", body = ErrorBody),
    ))]
pub(crate) async fn units_below(
    State(st): State<AppState>,
    Query(q): Query<UnitsQuery>,
) -> Result<Response, ApiError> {
    let parent = q.parent.as_deref().map(str::trim).filter(|p| !p.is_empty());
    if let Some(p) = parent {
        if !(p.len() == 2 || p.len() == 3) || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid",
                "parent must be a province (2 digits) or district (3 digits) code",
            ));
        }
    }
    let index = st
        .units
        .index(st.db.as_ref())
        .await
        .map_err(ApiError::storage)?;
    let units = index.below(parent).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_unit",
            "no imported administrative unit has this code",
        )
    })?;
    let list: Vec<PublicUnit> = units
        .into_iter()
        .map(|u| PublicUnit {
            code: u.code.clone(),
            name: u.name.clone(),
            kind: u.kind.clone(),
        })
        .collect();
    // Units change only with an import: phones may keep a list an hour.
    Ok((
        [(header::CACHE_CONTROL, "public, max-age=3600")],
        axum::Json(list),
    )
        .into_response())
}
