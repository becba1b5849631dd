//! The citizen's phone page (`ui/dist-citizen`, built by `cd ui && npm run
//! build`) at `/c/`: every venue link `/c/<code>` gets the same
//! `index.html`, which reads the code from the address; the page's files
//! are served as they are. docs/citizen.md describes the page.

use crate::AppState;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use std::path::PathBuf;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};

/// Where the phone page's files are, if this server serves them.
#[derive(Debug, Clone, Default)]
pub struct CitizenPages {
    /// The built page (`ui/dist-citizen`); `None` serves no page.
    pub dir: Option<PathBuf>,
}

/// `/c` and everything under `/c/`.
pub(crate) fn pages(config: &CitizenPages) -> Router<AppState> {
    let pages = match &config.dir {
        Some(dir) => Router::new().nest_service(
            "/c/",
            // A venue's code is no file: it gets the page (200), which
            // shows the venue or says the code is unknown.
            ServeDir::new(dir).fallback(ServeFile::new(dir.join("index.html"))),
        ),
        None => Router::new()
            .route("/c/", get(no_pages))
            .route("/c/{*rest}", get(no_pages)),
    }
    .layer(axum::middleware::map_response(page_headers))
    .layer(CompressionLayer::new());
    Router::new()
        .route("/c", get(|| async { Redirect::permanent("/c/") }))
        .merge(pages)
}

async fn no_pages() -> Response {
    crate::ApiError::new(
        StatusCode::NOT_FOUND,
        "citizen_pages_not_installed",
        "this server serves no phone page: build it (cd ui && npm run build) and start it \
         with --citizen-dir ui/dist-citizen",
    )
    .into_response()
}

/// The page runs only its own scripts and worker, talks only to this
/// server, is never framed and sends no referrer. Hashed files are kept
/// for a year; the rest (the page, the service worker, the manifest) is
/// checked on every load so a new build reaches phones at once.
async fn page_headers(req_path: axum::extract::OriginalUri, mut r: Response) -> Response {
    let hashed = req_path.path().starts_with("/c/assets/") && r.status().is_success();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
             connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
             frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if hashed {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        }),
    );
    if req_path.path().ends_with(".webmanifest") {
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/manifest+json"),
        );
    }
    r
}
