//! What anyone may ask without credentials: liveness, readiness, the
//! OpenAPI document, and the venue a poster's link names.

use crate::error::ApiError;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use checkin_core::{Venue, VenueCategory, VenueLinkCode};
use checkin_sync::protocol::ApiError as ErrorBody;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .routes(routes!(openapi))
        .routes(routes!(venue_by_link))
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
    })
    .into_response())
}
