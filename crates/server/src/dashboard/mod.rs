//! The officials' dashboard: login and sessions (kept in the database, so
//! any instance serves any official), the report API confined to the
//! official's area, admins' management of the accounts of their area, and
//! the built pages (`ui/dist-dashboard`).
//! docs/dashboard.md describes the HTTP contract.

mod login;
mod official;
mod reports;
mod trace;
mod users;

pub(crate) use official::{Official, COOKIE as SESSION_COOKIE};

use crate::AppState;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use std::path::PathBuf;
use std::time::Duration;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// How the dashboard is served.
#[derive(Debug, Clone)]
pub struct DashboardConfig {
    /// The built pages; `None` serves no pages (the API still answers).
    pub pages: Option<PathBuf>,
    /// Whether the session cookie carries `Secure` (off only for plain HTTP
    /// on a trusted network).
    pub secure_cookies: bool,
    /// A session ends after this long without a request…
    pub session_idle: Duration,
    /// …and this long after login, however active.
    pub session_max: Duration,
}

impl Default for DashboardConfig {
    fn default() -> Self {
        Self {
            pages: None,
            secure_cookies: true,
            session_idle: Duration::from_secs(12 * 3600),
            session_max: Duration::from_secs(7 * 24 * 3600),
        }
    }
}

/// The dashboard's API.
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    let api = OpenApiRouter::new()
        .routes(routes!(login::login))
        .routes(routes!(login::logout))
        .routes(routes!(login::me))
        .routes(routes!(reports::areas))
        .routes(routes!(reports::venues))
        .routes(routes!(reports::report))
        .routes(routes!(trace::venue))
        .routes(routes!(trace::person))
        .routes(routes!(trace::audit_log))
        .routes(routes!(users::list, users::add))
        .routes(routes!(users::disable))
        .routes(routes!(users::enable))
        .routes(routes!(users::password))
        .routes(routes!(users::role))
        .layer(axum::middleware::map_response(no_store));
    OpenApiRouter::new().nest("/api/v1/dashboard", api)
}

/// The dashboard's pages (no API: files, or an answer saying there are none).
pub(crate) fn pages(config: &DashboardConfig) -> Router<AppState> {
    let pages = match &config.pages {
        Some(dir) => Router::new().nest_service(
            "/dashboard/",
            tower_http::services::ServeDir::new(dir).append_index_html_on_directories(true),
        ),
        None => Router::new()
            .route("/dashboard/", get(no_pages))
            .route("/dashboard/{*rest}", get(no_pages)),
    }
    .layer(axum::middleware::map_response(page_headers));
    Router::new()
        .route(
            "/dashboard",
            get(|| async { Redirect::permanent("/dashboard/") }),
        )
        .merge(pages)
}

async fn no_pages() -> Response {
    crate::ApiError::new(
        StatusCode::NOT_FOUND,
        "dashboard_not_installed",
        "this server serves no dashboard pages: build them (cd ui && npm run build) and \
         start it with --dashboard-dir ui/dist-dashboard",
    )
    .into_response()
}

/// Report answers hold official figures of an area: never kept by a
/// shared cache or the browser's disk cache.
async fn no_store(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The pages run only their own scripts, are never framed, and send no
/// referrer (report URLs name units and dates).
async fn page_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    crate::http::page_security(
        h,
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; \
             frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    r
}
