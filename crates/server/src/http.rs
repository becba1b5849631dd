//! What every part of the HTTP surface shares: the JSON and body rules,
//! the answers for unknown routes, ETags.

use crate::error::ApiError;
use crate::limits::Limits;
use crate::secrets;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, StatusCode};

pub(crate) async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such endpoint")
}

pub(crate) async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not accept that method",
    )
}

pub(crate) fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mime = ct.split(';').next().unwrap_or("").trim();
    if mime.eq_ignore_ascii_case("application/json") {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send Content-Type: application/json",
        ))
    }
}

/// Reads a request body of at most `limit` bytes, cutting off a client that
/// stops sending for `limits.body_stall` or takes longer than
/// `limits.body_total` in all: a slow sender must not hold its slot.
pub(crate) async fn read_body(
    body: Body,
    limit: usize,
    limits: &Limits,
) -> Result<Bytes, ApiError> {
    use http_body_util::BodyExt;
    let mut body = http_body_util::Limited::new(body, limit);
    let mut buf = Vec::new();
    let end = tokio::time::Instant::now() + limits.body_total;
    loop {
        let until = end.min(tokio::time::Instant::now() + limits.body_stall);
        let frame = match tokio::time::timeout_at(until, body.frame()).await {
            Ok(Some(frame)) => frame,
            Ok(None) => break,
            Err(_) => {
                return Err(ApiError::new(
                    StatusCode::REQUEST_TIMEOUT,
                    "body_timeout",
                    "the request body stopped arriving or came too slowly; send it again",
                ))
            }
        };
        let frame = frame.map_err(|e| {
            // Only a body over the limit is "too large"; a connection cut
            // mid-body must not look like one, or a client would split or
            // set aside records because of a network fault.
            if e.is::<http_body_util::LengthLimitError>() {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body_too_large",
                    format!("the request body is larger than {limit} bytes"),
                )
            } else {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "body_incomplete",
                    "the request body was cut off; send it again",
                )
            }
        })?;
        if let Ok(data) = frame.into_data() {
            buf.extend_from_slice(&data);
        }
    }
    Ok(buf.into())
}

/// The quoted strong ETag of a JSON answer: a hash of its bytes.
pub(crate) fn etag_of(json: &[u8]) -> String {
    format!("\"{}\"", &secrets::hash_hex(json)[..32])
}

/// At most `max` bytes of `s` (cut at a character), with `…` when cut: a
/// message never echoes a whole request back.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// The headers every served page carries: only its own `csp`, never
/// sniffed, never framed, no referrer (page addresses name units, dates or
/// venues).
pub(crate) fn page_security(h: &mut axum::http::HeaderMap, csp: &'static str) {
    use axum::http::HeaderValue;
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
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
}
