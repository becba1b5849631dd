//! What anyone may ask without credentials: liveness, readiness and the
//! OpenAPI document.

use crate::error::ApiError;
use crate::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use checkin_sync::protocol::ApiError as ErrorBody;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .routes(routes!(openapi))
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
