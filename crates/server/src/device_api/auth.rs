//! Who is asking: the device of the bearer credential. Every device route
//! but enrollment takes a [`Device`], so none can forget the credential or
//! the device's rate limit.

use crate::error::ApiError;
use crate::{secrets, AppState};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method, StatusCode};

/// An enrolled, unrevoked device that has a token of its rate left.
#[derive(Debug, Clone)]
pub(crate) struct Device(pub checkin_server_db::Device);

/// The bearer token of `Authorization`, if any.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
        .filter(|t| !t.is_empty())
}

fn unauthorized() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "send Authorization: Bearer <device credential> from enrollment",
    )
}

impl FromRequestParts<AppState> for Device {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, ApiError> {
        let token = bearer(&parts.headers).ok_or_else(unauthorized)?;
        if token.len() > 200 {
            return Err(unauthorized());
        }
        // Looked up on every request (one indexed read), never cached: a
        // revoked or re-enrolled device is refused from its very next one.
        let device = st
            .db
            .device_by_credential(&secrets::hash_hex(token.as_bytes()))
            .await
            .map_err(ApiError::storage)?
            .ok_or_else(unauthorized)?;
        if device.revoked_at.is_some() {
            tracing::info!(device = %device.id, "request from a revoked device refused");
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "device_revoked",
                "an administrator revoked this device; it must be enrolled again with a new enrollment code",
            ));
        }
        // One bucket per device for all its routes: a device polling its
        // config cannot add to what its batches may send.
        if let Some(wait) = st.limiter.check(&device.id.to_string()) {
            let message = if parts.method == Method::POST {
                "this device is sending too fast; wait and retry"
            } else {
                "this device is asking too often; wait and retry"
            };
            return Err(
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", message)
                    .retry_after(wait),
            );
        }
        Ok(Device(device))
    }
}
