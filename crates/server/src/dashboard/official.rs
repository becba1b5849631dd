//! Who is asking: the official of the session cookie. Every dashboard
//! handler but login takes an [`Official`], so none can forget the
//! session, and requests that change something must carry the session's
//! CSRF token too.

use crate::error::ApiError;
use crate::{secrets, AppState};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use checkin_server_db::User;

/// The session cookie's name.
pub(crate) const COOKIE: &str = "checkin_session";
/// The header carrying the CSRF token on requests that change something.
pub(crate) const CSRF_HEADER: &str = "x-csrf-token";

/// A logged-in official.
#[derive(Debug, Clone)]
pub(crate) struct Official {
    pub user: User,
    /// The session's CSRF token, for the pages to send back.
    pub csrf: String,
    /// The hash the session is stored under (logout deletes it).
    pub token_hash: String,
}

pub(crate) fn not_logged_in() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "not_logged_in",
        "log in to the dashboard first (your session may have ended)",
    )
}

/// The value of cookie `name` among the request's `Cookie` headers.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// A session token as the server makes them: 43 base64url characters.
fn well_formed(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `Set-Cookie` for a new session, or (with `None`) clearing it.
pub(crate) fn set_cookie(st: &AppState, token: Option<&str>) -> HeaderValue {
    let secure = if st.dashboard.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let text = match token {
        Some(t) => format!(
            "{COOKIE}={t}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
            st.dashboard.session_max.as_secs()
        ),
        None => format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&text).expect("cookie text is ASCII")
}

impl FromRequestParts<AppState> for Official {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, ApiError> {
        let token = cookie(&parts.headers, COOKIE)
            .filter(|t| well_formed(t))
            .ok_or_else(not_logged_in)?;
        let token_hash = secrets::hash_hex(token.as_bytes());
        let idle = chrono::Duration::from_std(st.dashboard.session_idle)
            .unwrap_or(chrono::Duration::hours(12));
        let user = st
            .db
            .session_user(&token_hash, st.clock.now(), idle)
            .await
            .map_err(ApiError::storage)?
            .ok_or_else(not_logged_in)?;
        let csrf = secrets::csrf_of(token);
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !constant_time_eq(sent.as_bytes(), csrf.as_bytes()) {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "csrf",
                    "this request lacks the page's security token: reload the dashboard",
                ));
            }
        }
        Ok(Official {
            user,
            csrf,
            token_hash,
        })
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
