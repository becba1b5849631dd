//! Login, logout and "who am I". Failed logins are counted in the store
//! per login and per address, so the limit holds across instances; an
//! unknown login and a wrong password answer alike and take as long.

use super::official::{self, Official};
use super::reports::UnitView;
use crate::error::ApiError;
use crate::{accounts, secrets, AppState};
use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use checkin_server_db::{NewSession, Role, User};
use checkin_sync::protocol::ApiError as ErrorBody;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;

/// Failures within this window count towards the limits.
const WINDOW_MINUTES: i64 = 15;
/// Failed logins for one login name within the window before refusing.
const PER_LOGIN: i64 = 5;
/// Failed logins from one address within the window before refusing.
const PER_ADDRESS: i64 = 20;
const MAX_BODY: usize = 4096;

/// `POST /api/v1/dashboard/login` body.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct LoginBody {
    /// Case and surrounding spaces do not matter.
    login: String,
    password: String,
}

/// An official as the pages show them.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct UserView {
    login: String,
    role: Role,
    /// The unit the official sees: a province, district or commune.
    area: UnitView,
}

/// The logged-in official and the session's CSRF token.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct Me {
    user: UserView,
    /// Send it back as `X-CSRF-Token` on every request that changes something.
    csrf: String,
}

async fn me_of(st: &AppState, user: &User, csrf: String) -> Result<Me, ApiError> {
    let units = super::reports::unit_index(st).await?;
    Ok(Me {
        user: UserView {
            login: user.login.clone(),
            role: user.role,
            area: UnitView::of(&units, &user.area_code),
        },
        csrf,
    })
}

fn too_many(retry_after: i64) -> ApiError {
    let minutes = (retry_after + 59) / 60;
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
        format!("too many failed logins: try again in {minutes} minute(s)"),
    )
    .retry_after(retry_after.max(1) as u64)
}

/// Log an official in
///
/// Sets the session cookie (HttpOnly, SameSite=Strict, Secure). An unknown
/// login and a wrong password answer alike (401 bad_credentials); 5
/// failures per login or 20 per address within 15 minutes give 429
/// too_many_attempts with Retry-After.
#[utoipa::path(post, path = "/login", tag = "dashboard",
    request_body = LoginBody,
    responses(
        (status = 200, description = "Logged in; the session cookie is set", body = Me,
            headers(("Set-Cookie" = String, description = "checkin_session=…; Path=/; HttpOnly; SameSite=Strict; Max-Age=…; Secure"))),
        (status = 400, description = "invalid", body = ErrorBody),
        (status = 401, description = "bad_credentials", body = ErrorBody),
        (status = 408, description = "body_timeout", body = ErrorBody),
        (status = 413, description = "body_too_large (over 4 KiB)", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 429, description = "too_many_attempts; see Retry-After", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "storage_unavailable", body = ErrorBody),
    ))]
pub(crate) async fn login(
    State(st): State<AppState>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    crate::http::require_json(&headers)?;
    let bytes = crate::http::read_body(body, MAX_BODY, &st.limits).await?;
    let b: LoginBody = serde_json::from_slice(&bytes).map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid",
            "send {\"login\": …, \"password\": …}",
        )
    })?;
    let now = st.clock.now();
    let since = now - chrono::Duration::minutes(WINDOW_MINUTES);
    let name: String = b.login.trim().to_lowercase().chars().take(64).collect();
    let login_key = format!("login:{name}");
    let addr_key = format!(
        "addr:{}",
        peer.map(|Extension(ConnectInfo(a))| a.ip().to_string())
            .unwrap_or_else(|| "unknown".into())
    );
    for (key, cap) in [(&login_key, PER_LOGIN), (&addr_key, PER_ADDRESS)] {
        let (n, oldest) = st
            .db
            .login_failures(key, since)
            .await
            .map_err(ApiError::storage)?;
        if n >= cap {
            let free_at = oldest.unwrap_or(now) + chrono::Duration::minutes(WINDOW_MINUTES);
            return Err(too_many((free_at - now).num_seconds()));
        }
    }
    let user = st.db.user(&name).await.map_err(ApiError::storage)?;
    let stored = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| accounts::decoy_hash().to_string());
    let password = b.password;
    let matches =
        tokio::task::spawn_blocking(move || accounts::verify_password(&stored, &password))
            .await
            .unwrap_or(false);
    let user = match user {
        Some(u) if matches && u.disabled_at.is_none() => u,
        _ => {
            st.db
                .add_login_failure(&[login_key, addr_key], now, now - chrono::Duration::days(1))
                .await
                .map_err(ApiError::storage)?;
            tracing::info!(login = %name, "dashboard login refused");
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "bad_credentials",
                "wrong login or password",
            ));
        }
    };
    st.db
        .clear_login_failures(&login_key)
        .await
        .map_err(ApiError::storage)?;
    let token = secrets::new_session_token();
    let max =
        chrono::Duration::from_std(st.dashboard.session_max).unwrap_or(chrono::Duration::days(7));
    st.db
        .add_session(&NewSession {
            token_hash: secrets::hash_hex(token.as_bytes()),
            login: user.login.clone(),
            created_at: now,
            expires_at: now + max,
        })
        .await
        .map_err(ApiError::storage)?;
    tracing::info!(login = %user.login, "dashboard login");
    let me = me_of(&st, &user, secrets::csrf_of(&token)).await?;
    let mut resp = axum::Json(me).into_response();
    resp.headers_mut()
        .insert(header::SET_COOKIE, official::set_cookie(&st, Some(&token)));
    Ok(resp)
}

/// End the session
#[utoipa::path(post, path = "/logout", tag = "dashboard",
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 204, description = "Logged out; the cookie is cleared"),
        (status = 401, description = "not_logged_in", body = ErrorBody),
        (status = 403, description = "csrf", body = ErrorBody),
        (status = 503, description = "storage_unavailable", body = ErrorBody),
    ))]
pub(crate) async fn logout(State(st): State<AppState>, o: Official) -> Result<Response, ApiError> {
    st.db
        .delete_session(&o.token_hash)
        .await
        .map_err(ApiError::storage)?;
    let mut resp = StatusCode::NO_CONTENT.into_response();
    resp.headers_mut()
        .insert(header::SET_COOKIE, official::set_cookie(&st, None));
    Ok(resp)
}

/// The logged-in official
#[utoipa::path(get, path = "/me", tag = "dashboard",
    security(("session" = [])),
    responses(
        (status = 200, description = "The official and the session's CSRF token", body = Me),
        (status = 401, description = "not_logged_in", body = ErrorBody),
        (status = 503, description = "storage_unavailable", body = ErrorBody),
    ))]
pub(crate) async fn me(State(st): State<AppState>, o: Official) -> Result<Response, ApiError> {
    Ok(axum::Json(me_of(&st, &o.user, o.csrf).await?).into_response())
}
