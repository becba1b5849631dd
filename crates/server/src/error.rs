//! Errors: [`ServerError`] for the library's admin operations, and
//! [`ApiError`] for HTTP answers (a stable code and a safe message; the
//! detail goes to the log only).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use checkin_server_db::DbError;
use thiserror::Error;

/// Errors of the server library's admin operations.
#[derive(Debug, Error)]
pub enum ServerError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("unknown commune {0:?}: run `admin import-units FILE` first or pass --province")]
    UnknownCommune(String),
    #[error("unknown venue {0}")]
    UnknownVenue(String),
    #[error("{0}")]
    Invalid(String),
    #[error("the login {0:?} is taken")]
    LoginTaken(String),
    #[error("cannot build the export: {0}")]
    Export(String),
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// Every `error` code an answer may carry, listed in the OpenAPI document
/// (the drift test checks the handlers answer no other).
pub const CODES: &[&str] = &[
    // Bodies and their encoding.
    "invalid_json",
    "body_too_large",
    "body_incomplete",
    "body_timeout",
    "decoded_too_large",
    "too_many_records",
    "unsupported_media_type",
    "unsupported_encoding",
    "bad_encoding",
    "missing_device_time",
    // Devices.
    "unauthorized",
    "device_revoked",
    "rate_limited",
    "invalid_label",
    "invalid_public_key",
    "token_invalid",
    "token_expired",
    "token_used",
    "device_exists",
    // The server's state.
    "storage_unavailable",
    "server_busy",
    "device_busy",
    "injected_fault",
    "internal",
    "not_found",
    "method_not_allowed",
    // The dashboard.
    "not_logged_in",
    "csrf",
    "bad_credentials",
    "too_many_attempts",
    "outside_area",
    "invalid",
    "role",
    "unknown_venue",
    "unknown_unit",
    "login_taken",
    "own_account",
    "dashboard_not_installed",
    "citizen_pages_not_installed",
    // Check-ins from citizens' phones.
    "invalid_record",
    "conflict",
];

/// An HTTP error answer: `{"error": code, "message": …}`.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// An error with a status, a stable code and a message safe for clients.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// Adds a `Retry-After` header (seconds).
    pub fn retry_after(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs);
        self
    }

    /// A storage failure: logged in full, reported as a retryable 503.
    pub fn storage(e: DbError) -> Self {
        tracing::error!(error = %e, "storage failure");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "storage_unavailable",
            "the server cannot reach its storage; try again later",
        )
        .retry_after(5)
    }

    /// A failure of the server itself: logged with what failed, reported
    /// as a 500 that names nothing.
    pub fn internal(what: &'static str, detail: impl std::fmt::Display) -> Self {
        tracing::error!(error = %detail, what, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = checkin_sync::protocol::ApiError {
            error: self.code.to_string(),
            message: self.message,
        };
        let mut resp = (self.status, axum::Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        resp
    }
}
