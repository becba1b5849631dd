//! The OpenAPI document, generated from the handlers' `#[utoipa::path]`
//! attributes and the types they carry. The router and the document are
//! built from the same list of routes (`api_routes` in lib.rs): a route
//! added with `routes!` is documented by construction (its handler must
//! carry the attribute), and the drift test in `tests/api.rs` catches one
//! added any other way.

use std::sync::OnceLock;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{OpenApi, RefOr, Schema};
use utoipa::Modify;

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "checkin central server",
        version = "1.0.0",
        description = "Offline-first QR check-in and health declarations: device enrollment, \
            idempotent batched sync, the sync config (venues, pass keys, policy) and the \
            administrative units devices need offline; the officials' dashboard API (reports, \
            contact tracing, audit). Every error is JSON {\"error\": code, \"message\": text}, \
            with the codes listed in the Error schema. Device GET answers are compressed per \
            Accept-Encoding (zstd, then gzip) and carry Vary: accept-encoding.",
        license(name = "Apache-2.0", identifier = "Apache-2.0"),
    ),
    servers((url = "/")),
    tags(
        (name = "public", description = "No credentials needed"),
        (name = "device", description = "Stations and kiosks: enrollment, sync, what they need offline"),
        (name = "dashboard", description = "Officials, inside their area: session, reports, contact tracing, audit, accounts"),
    ),
    modifiers(&SecuritySchemes),
)]
struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, doc: &mut OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "device",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "Device credential (CKD1.…) returned by /api/v1/enroll; the server \
                         stores only its SHA-256. Requests share the device's rate limit.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::dashboard::SESSION_COOKIE,
                "The dashboard session, set by /api/v1/dashboard/login (HttpOnly, \
                 SameSite=Strict, Secure); ends after 12 h idle or 7 days.",
            ))),
        );
        components.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-CSRF-Token",
                "The session's CSRF token (the `csrf` of /login and /me), required with the \
                 session cookie on every request that changes something.",
            ))),
        );
    }
}

/// The base of the document: everything but the routes.
pub(crate) fn base() -> OpenApi {
    <ApiDoc as utoipa::OpenApi>::openapi()
}

struct Built {
    doc: OpenApi,
    json: String,
}

fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let mut doc = crate::api_routes().into_openapi();
        list_error_codes(&mut doc);
        let mut json = doc
            .to_pretty_json()
            .expect("the OpenAPI document serializes");
        json.push('\n');
        Built { doc, json }
    })
}

/// The OpenAPI document of the whole API, built once.
pub fn document() -> &'static OpenApi {
    &built().doc
}

/// The document as served at `/api/v1/openapi.json`.
pub fn json() -> &'static str {
    &built().json
}

/// Puts every code of [`crate::error::CODES`] in the Error schema's
/// `error` property: the codes are `&'static str` at their call sites, so
/// no derive can see them.
fn list_error_codes(doc: &mut OpenApi) {
    let error = doc
        .components
        .as_mut()
        .and_then(|c| c.schemas.get_mut("Error"));
    let Some(RefOr::T(Schema::Object(error))) = error else {
        panic!("the Error schema is in the document: every handler answers it");
    };
    if let Some(RefOr::T(Schema::Object(code))) = error.properties.get_mut("error") {
        code.examples = crate::error::CODES
            .iter()
            .map(|c| serde_json::Value::from(*c))
            .collect();
    }
}
