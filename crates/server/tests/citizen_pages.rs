//! The citizen's phone page served at /c/: every venue link gets the page,
//! the page's files are served as they are with the right caching, headers
//! and compression, nothing outside the directory is reachable, and a
//! server without the page says how to install it.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use checkin_server::citizen_pages::CitizenPages;
use checkin_server::{router, AppState};
use checkin_server_db::SqliteDb;
use http_body_util::BodyExt;
use std::sync::Arc;
use tower::ServiceExt;

const INDEX: &str = "<!doctype html><title>Khai báo y tế</title><div id=app></div>";
const SCRIPT: &str = "console.log('the page');";

async fn app(with_pages: bool) -> (axum::Router, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("dist-citizen");
    std::fs::create_dir_all(pages.join("assets")).unwrap();
    std::fs::write(pages.join("index.html"), INDEX).unwrap();
    std::fs::write(pages.join("assets/index-abc123.js"), SCRIPT.repeat(200)).unwrap();
    std::fs::write(
        pages.join("sw.js"),
        "self.addEventListener('fetch', () => {});",
    )
    .unwrap();
    std::fs::write(
        pages.join("manifest.webmanifest"),
        "{\"name\":\"Check-in\"}",
    )
    .unwrap();
    // Something beside the page that must never be served.
    std::fs::write(dir.path().join("secret.txt"), "not for phones").unwrap();
    let mut state = AppState::new(Arc::new(SqliteDb::open_in_memory().await.unwrap()));
    if with_pages {
        state.citizen_pages = Arc::new(CitizenPages { dir: Some(pages) });
    }
    (router(state), dir)
}

async fn get(
    app: &axum::Router,
    uri: &str,
    accept_encoding: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut req = Request::get(uri);
    if let Some(enc) = accept_encoding {
        req = req.header(header::ACCEPT_ENCODING, enc);
    }
    let resp = app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, headers, body)
}

fn header_of(h: &axum::http::HeaderMap, name: header::HeaderName) -> &str {
    h.get(name).map(|v| v.to_str().unwrap()).unwrap_or("")
}

#[tokio::test]
async fn every_venue_link_opens_the_page() {
    let (app, _dir) = app(true).await;
    for uri in [
        "/c/38-14995-K7QM2A.MFRGGZDFMZTWQ2LK",
        "/c/",
        "/c/anything-at-all",
    ] {
        let (s, h, body) = get(&app, uri, None).await;
        assert_eq!(s, StatusCode::OK, "{uri}");
        assert_eq!(String::from_utf8(body).unwrap(), INDEX, "{uri}");
        assert_eq!(header_of(&h, header::CACHE_CONTROL), "no-cache", "{uri}");
        let csp = header_of(&h, header::CONTENT_SECURITY_POLICY);
        assert!(
            csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{csp}"
        );
        assert_eq!(header_of(&h, header::REFERRER_POLICY), "no-referrer");
        assert_eq!(header_of(&h, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    }
    let (s, h, _) = get(&app, "/c", None).await;
    assert_eq!(s, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(header_of(&h, header::LOCATION), "/c/");
}

#[tokio::test]
async fn hashed_files_are_kept_a_year_and_the_worker_is_checked_every_time() {
    let (app, _dir) = app(true).await;
    let (s, h, body) = get(&app, "/c/assets/index-abc123.js", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(body, SCRIPT.repeat(200).as_bytes());
    assert_eq!(
        header_of(&h, header::CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
    assert!(header_of(&h, header::CONTENT_TYPE).contains("javascript"));

    let (s, h, _) = get(&app, "/c/sw.js", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(header_of(&h, header::CACHE_CONTROL), "no-cache");
    let (_, h, _) = get(&app, "/c/manifest.webmanifest", None).await;
    assert_eq!(
        header_of(&h, header::CONTENT_TYPE),
        "application/manifest+json"
    );
}

#[tokio::test]
async fn phones_that_accept_gzip_get_it() {
    let (app, _dir) = app(true).await;
    let (s, h, body) = get(&app, "/c/assets/index-abc123.js", Some("gzip")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(header_of(&h, header::CONTENT_ENCODING), "gzip");
    assert!(body.len() < SCRIPT.len() * 200 / 10, "{} bytes", body.len());
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&body[..]), &mut text).unwrap();
    assert_eq!(text, SCRIPT.repeat(200));
}

#[tokio::test]
async fn phones_that_accept_brotli_get_it_and_so_does_the_public_api() {
    let (app, _dir) = app(true).await;
    let (s, h, body) = get(&app, "/c/assets/index-abc123.js", Some("br, gzip")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(header_of(&h, header::CONTENT_ENCODING), "br");
    assert!(body.len() < SCRIPT.len() * 200 / 10, "{} bytes", body.len());
    // The public API's JSON too…
    let (s, h, _) = get(&app, "/api/v1/openapi.json", Some("gzip")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(header_of(&h, header::CONTENT_ENCODING), "gzip");
    // …but never the device sync API, which has its own codec.
    let (s, h, _) = get(&app, "/api/v1/units", Some("gzip, br")).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert_eq!(header_of(&h, header::CONTENT_ENCODING), "");
}

#[tokio::test]
async fn a_missing_hashed_file_is_404_not_the_page() {
    let (app, _dir) = app(true).await;
    // An old build's script, asked for by a page cached before a deploy:
    // the page in its place would be kept a year as that script.
    for uri in ["/c/assets/index-old999.js", "/c/assets/", "/c/assets"] {
        let (s, h, body) = get(&app, uri, None).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(header_of(&h, header::CACHE_CONTROL), "no-cache", "{uri}");
        assert_ne!(String::from_utf8(body).unwrap(), INDEX, "{uri}");
    }
    // Elsewhere a missing name is a venue's code: the page, as HTML.
    let (s, h, body) = get(&app, "/c/gone.webmanifest", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(String::from_utf8(body).unwrap(), INDEX);
    assert!(header_of(&h, header::CONTENT_TYPE).starts_with("text/html"));
}

#[tokio::test]
async fn nothing_outside_the_page_is_reachable() {
    let (app, _dir) = app(true).await;
    for uri in [
        "/c/../secret.txt",
        "/c/%2e%2e/secret.txt",
        "/c/..%2fsecret.txt",
        "/c/assets/../../secret.txt",
    ] {
        let (_, _, body) = get(&app, uri, None).await;
        assert!(
            !String::from_utf8_lossy(&body).contains("not for phones"),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn a_server_without_the_page_says_how_to_install_it() {
    let (app, _dir) = app(false).await;
    for uri in ["/c/", "/c/38-14995-K7QM2A.MFRGGZDFMZTWQ2LK"] {
        let (s, _, body) = get(&app, uri, None).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{uri}");
        let e: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(e["error"], "citizen_pages_not_installed", "{uri}");
        assert!(
            e["message"].as_str().unwrap().contains("--citizen-dir"),
            "{uri}"
        );
    }
}
