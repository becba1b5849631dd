//! The citizen's phone page (`ui/dist-citizen`, built by `cd ui && npm run
//! build`) at `/c/`: every venue link `/c/<code>` gets the same
//! `index.html`, which reads the code from the address; the page's files
//! are served as they are. docs/citizen.md describes the page.

use crate::AppState;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use std::convert::Infallible;
use std::path::PathBuf;
use tower::ServiceExt;
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
            ServeDir::new(dir)
                // Directories are no page of their own: `/c/` is the page
                // (below), and no redirect leaves the `/c/` prefix.
                .append_index_html_on_directories(false)
                .fallback(page_or_missing(dir.join("index.html"))),
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

/// What a path that is no file of the page gets. A venue's code gets the
/// page (200), which shows the venue or says the code is unknown. A missing
/// hashed file (an old build's, asked for by a page cached before a
/// deploy) gets 404: the page in its place would be kept a year as that
/// file, and the service worker would store it as a script.
fn page_or_missing(
    index: PathBuf,
) -> impl tower::Service<
    Request,
    Response = Response,
    Error = Infallible,
    Future = impl Send + 'static,
> + Clone
       + Send
       + Sync
       + 'static {
    let index = ServeFile::new(index);
    tower::service_fn(move |req: Request| {
        let index = index.clone();
        async move {
            // The path below `/c` (the nest strips it).
            let path = req.uri().path();
            if path == "/assets" || path.starts_with("/assets/") {
                return Ok::<_, Infallible>(
                    crate::ApiError::new(
                        StatusCode::NOT_FOUND,
                        "not_found",
                        "no such file in this build of the page",
                    )
                    .into_response(),
                );
            }
            Ok(index.oneshot(req).await?.map(Body::new))
        }
    })
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
    let path = req_path.path();
    let hashed = path.starts_with("/c/assets/") && r.status().is_success();
    // A manifest file itself, not the page standing in for a missing one.
    let manifest = path.ends_with(".webmanifest")
        && r.status().is_success()
        && !r
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let h = r.headers_mut();
    crate::http::page_security(
        h,
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
             connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
             frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if hashed {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        }),
    );
    if manifest {
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/manifest+json"),
        );
    }
    r
}
