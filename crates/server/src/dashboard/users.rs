//! Admins manage the accounts of their own area: list, create, disable,
//! enable, reset a password, change a role. An admin acts only on accounts
//! whose area lies inside theirs (so never on a wider one) and never
//! disables or demotes themselves, so an area always keeps the admin who
//! acts. Every change is written to the audit log in the same transaction
//! as the change itself; passwords are never logged, only their hashes
//! stored.

use super::reports::{unit_index, UnitView};
use super::trace::{body, require_role};
use super::Official;
use crate::error::ApiError;
use crate::reports::UnitIndex;
use crate::{accounts, AppState, ServerError};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use checkin_server_db::{AuditEntry, Role, User, UserChange};
use checkin_sync::protocol::ApiError as ErrorBody;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An account as the users page lists it (never its password hash).
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct UserEntry {
    login: String,
    role: Role,
    /// The unit the account sees: a province, district or commune.
    area: UnitView,
    created_at: DateTime<Utc>,
    /// Set while the account is disabled.
    disabled_at: Option<DateTime<Utc>>,
}

impl UserEntry {
    fn of(units: &UnitIndex, u: &User) -> Self {
        Self {
            login: u.login.clone(),
            role: u.role,
            area: UnitView::of(units, &u.area_code),
            created_at: u.created_at,
            disabled_at: u.disabled_at,
        }
    }
}

/// The accounts inside the admin's area.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct UserList {
    /// By login.
    users: Vec<UserEntry>,
}

/// A new account.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct NewUserBody {
    /// 3–64 of `a-z 0-9 . _ -`.
    login: String,
    /// At least 10 characters; only its Argon2id hash is stored.
    #[schema(min_length = 10)]
    password: String,
    #[schema(value_type = Role)]
    role: String,
    /// A province, district or commune code inside the admin's area.
    area_code: String,
}

/// A new password for an account.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct PasswordBody {
    /// At least 10 characters.
    #[schema(min_length = 10)]
    password: String,
}

/// A new role for an account.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct RoleBody {
    #[schema(value_type = Role)]
    role: String,
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid", message)
}

fn server_error(e: ServerError) -> ApiError {
    match e {
        ServerError::Db(e) => ApiError::storage(e),
        ServerError::LoginTaken(login) => ApiError::new(
            StatusCode::CONFLICT,
            "login_taken",
            format!("the login {login:?} is taken: choose another"),
        ),
        e => invalid(e.to_string()),
    }
}

fn outside_area(o: &Official, what: &str) -> ApiError {
    tracing::info!(login = %o.user.login, what, "account management outside the area refused");
    ApiError::new(
        StatusCode::FORBIDDEN,
        "outside_area",
        format!("{what} is outside your area"),
    )
}

fn own_account(what: &str) -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "own_account",
        format!("you cannot {what} your own account: ask another admin of your area"),
    )
}

fn parse_role(text: &str) -> Result<Role, ApiError> {
    text.trim().parse().map_err(invalid)
}

/// Logins are stored in lower case; a path may carry any case.
fn normal_login(login: &str) -> String {
    login.trim().to_lowercase()
}

/// The account `login`, when it exists and lies inside the admin's area.
/// An account outside the area gets the same 404 as one that does not
/// exist, so an admin cannot learn which logins exist elsewhere (the
/// attempt is still logged).
async fn target(
    st: &AppState,
    units: &UnitIndex,
    o: &Official,
    login: &str,
) -> Result<User, ApiError> {
    let missing = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no such account in your area",
        )
    };
    let user = st
        .db
        .user(&normal_login(login))
        .await
        .map_err(ApiError::storage)?
        .ok_or_else(missing)?;
    if !units.within(&user.area_code, &o.user.area_code) {
        tracing::info!(login = %o.user.login, "account management outside the area refused");
        return Err(missing());
    }
    Ok(user)
}

/// The audit entry of a change to `target`'s account made by `o`.
fn audit_entry(
    st: &AppState,
    o: &Official,
    target: &User,
    action: &str,
    details: serde_json::Value,
) -> AuditEntry {
    accounts::account_audit(
        target,
        (&o.user.login, &o.user.area_code),
        action,
        details,
        st.clock.now(),
    )
}

/// Applies `change` to `target` with its audit entry; the account as it is now.
async fn apply(
    st: &AppState,
    units: &UnitIndex,
    o: &Official,
    target: &User,
    change: UserChange,
    action: &str,
    details: serde_json::Value,
) -> Result<Response, ApiError> {
    let entry = audit_entry(st, o, target, action, details);
    let user = st
        .db
        .change_user(&target.login, &change, Some(&entry))
        .await
        .map_err(|e| match e {
            checkin_server_db::DbError::NotFound(_) => {
                ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such account")
            }
            e => ApiError::storage(e),
        })?;
    tracing::info!(by = %o.user.login, login = %user.login, action, "account changed");
    Ok(axum::Json(UserEntry::of(units, &user)).into_response())
}

/// Hashing takes tens of milliseconds of CPU: off the async threads.
async fn hash(password: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || accounts::hash_password(&password))
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "cannot hash the password",
            )
        })?
        .map_err(server_error)
}

/// The accounts of the admin's area
///
/// Every account whose area is the admin's area or lies inside it, by
/// login. Admins only (403 role).
#[utoipa::path(get, path = "/users", tag = "dashboard",
    security(("session" = [])),
    responses(
        (status = 200, description = "The accounts", body = UserList),
        (status = 401, description = "not_logged_in", body = ErrorBody),
        (status = 403, description = "role", body = ErrorBody),
        (status = 503, description = "storage_unavailable", body = ErrorBody),
    ))]
pub(crate) async fn list(State(st): State<AppState>, o: Official) -> Result<Response, ApiError> {
    require_role(&o, Role::Admin, "managing accounts")?;
    let units = unit_index(&st).await?;
    let users = st
        .db
        .users(Some(&o.user.province_code))
        .await
        .map_err(ApiError::storage)?
        .iter()
        .filter(|u| units.within(&u.area_code, &o.user.area_code))
        .map(|u| UserEntry::of(&units, u))
        .collect();
    Ok(axum::Json(UserList { users }).into_response())
}

/// Create an account inside the admin's area
///
/// The same rules as `checkin-server admin user add`: a login of 3–64
/// `a-z 0-9 . _ -`, a password of at least 10 characters, a role, and an
/// area among the imported units that lies inside the admin's.
#[utoipa::path(post, path = "/users", tag = "dashboard",
    security(("session" = [], "csrf" = [])),
    request_body = NewUserBody,
    responses(
        (status = 201, description = "Created", body = UserEntry),
        (status = 400, description = "invalid: a bad login, password, role or unknown unit", body = ErrorBody),
        (status = 401, description = "not_logged_in", body = ErrorBody),
        (status = 403, description = "csrf, role, outside_area", body = ErrorBody),
        (status = 409, description = "login_taken", body = ErrorBody),
        (status = 413, description = "body_too_large", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 503, description = "storage_unavailable", body = ErrorBody),
    ))]
pub(crate) async fn add(
    State(st): State<AppState>,
    o: Official,
    headers: HeaderMap,
    raw: Body,
) -> Result<Response, ApiError> {
    require_role(&o, Role::Admin, "managing accounts")?;
    let b: NewUserBody = body(&st, &headers, raw).await?;
    let role = parse_role(&b.role)?;
    let units = unit_index(&st).await?;
    let unit = b.area_code.trim();
    if units.name(unit).is_none() {
        return Err(invalid(format!(
            "unknown unit {unit:?}: give a province, district or commune code of your area"
        )));
    }
    if !units.within(unit, &o.user.area_code) {
        return Err(outside_area(&o, "this unit"));
    }
    // Trimmed only: the rules are those of `admin user add`, upper case refused.
    let login = b.login.trim().to_string();
    accounts::check_login(&login).map_err(server_error)?;
    accounts::check_password(&b.password).map_err(server_error)?;
    let (units2, login2, now) = (units.clone(), login.clone(), st.clock.now());
    let unit2 = unit.to_string();
    let user = tokio::task::spawn_blocking(move || {
        accounts::new_user(&units2, &login2, &b.password, role, &unit2, now)
    })
    .await
    .map_err(|_| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "cannot hash the password",
        )
    })?
    .map_err(server_error)?;
    let entry = audit_entry(
        &st,
        &o,
        &user,
        "user_add",
        serde_json::json!({"role": role.as_str(), "area_code": user.area_code}),
    );
    st.db
        .add_user(&user, Some(&entry))
        .await
        .map_err(|e| server_error(accounts::taken(e, &login)))?;
    tracing::info!(by = %o.user.login, login = %user.login, "account created");
    Ok((
        StatusCode::CREATED,
        axum::Json(UserEntry::of(&units, &user)),
    )
        .into_response())
}

/// Disable an account
///
/// Its sessions end at once (its next request answers 401) and it cannot
/// log in until enabled again. Not the admin's own account (403
/// own_account).
#[utoipa::path(post, path = "/users/{login}/disable", tag = "dashboard",
    security(("session" = [], "csrf" = [])),
    params(("login" = String, Path, description = "The account")),
    responses(
        (status = 200, description = "Disabled", body = UserEntry),
        (status = 401, description = "not_logged_in", body = ErrorBody),
        (status = 403, description = "csrf, role, own_account", body = ErrorBody),
        (status = 404, description = "not_found: no such account in your area (one outside it is answered alike)", body = ErrorBody),
        (status = 503, description = "storage_unavailable", body = ErrorBody),
    ))]
pub(crate) async fn disable(
    State(st): State<AppState>,
    o: Official,
    Path(login): Path<String>,
) -> Result<Response, ApiError> {
    require_role(&o, Role::Admin, "managing accounts")?;
    let units = unit_index(&st).await?;
    let user = target(&st, &units, &o, &login).await?;
    if user.login == o.user.login {
        return Err(own_account("disable"));
    }
    let now = st.clock.now();
    apply(
        &st,
        &units,
        &o,
        &user,
        UserChange::Disable(now),
        "user_disable",
        serde_json::json!({}),
    )
    .await
}

/// Enable a disabled account
///
/// It can log in again with its password as it was.
#[utoipa::path(post, path = "/users/{login}/enable", tag = "dashboard",
    security(("session" = [], "csrf" = [])),
    params(("login" = String, Path, description = "The account")),
    responses(
        (status = 200, description = "Enabled", body = UserEntry),
        (status = 401, description = "not_logged_in", body = ErrorBody),
        (status = 403, description = "csrf, role", body = ErrorBody),
        (status = 404, description = "not_found: no such account in your area (one outside it is answered alike)", body = ErrorBody),
        (status = 503, description = "storage_unavailable", body = ErrorBody),
    ))]
pub(crate) async fn enable(
    State(st): State<AppState>,
    o: Official,
    Path(login): Path<String>,
) -> Result<Response, ApiError> {
    require_role(&o, Role::Admin, "managing accounts")?;
    let units = unit_index(&st).await?;
    let user = target(&st, &units, &o, &login).await?;
    apply(
        &st,
        &units,
        &o,
        &user,
        UserChange::Enable,
        "user_enable",
        serde_json::json!({}),
    )
    .await
}

/// Set a new password for an account
///
/// Every session of the account ends (but the one making the change, when
/// an admin sets their own); the old password no longer logs in.
#[utoipa::path(post, path = "/users/{login}/password", tag = "dashboard",
    security(("session" = [], "csrf" = [])),
    params(("login" = String, Path, description = "The account")),
    request_body = PasswordBody,
    responses(
        (status = 200, description = "Set", body = UserEntry),
        (status = 400, description = "invalid: a password under 10 characters", body = ErrorBody),
        (status = 401, description = "not_logged_in", body = ErrorBody),
        (status = 403, description = "csrf, role", body = ErrorBody),
        (status = 404, description = "not_found: no such account in your area (one outside it is answered alike)", body = ErrorBody),
        (status = 413, description = "body_too_large", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 503, description = "storage_unavailable", body = ErrorBody),
    ))]
pub(crate) async fn password(
    State(st): State<AppState>,
    o: Official,
    Path(login): Path<String>,
    headers: HeaderMap,
    raw: Body,
) -> Result<Response, ApiError> {
    require_role(&o, Role::Admin, "managing accounts")?;
    let units = unit_index(&st).await?;
    let user = target(&st, &units, &o, &login).await?;
    let b: PasswordBody = body(&st, &headers, raw).await?;
    accounts::check_password(&b.password).map_err(server_error)?;
    let hash = hash(b.password).await?;
    let keep_session = (user.login == o.user.login).then(|| o.token_hash.clone());
    apply(
        &st,
        &units,
        &o,
        &user,
        UserChange::Password { hash, keep_session },
        "user_password",
        serde_json::json!({}),
    )
    .await
}

/// Change an account's role
///
/// Counts from the account's next request. An admin cannot lower their
/// own role (403 own_account).
#[utoipa::path(post, path = "/users/{login}/role", tag = "dashboard",
    security(("session" = [], "csrf" = [])),
    params(("login" = String, Path, description = "The account")),
    request_body = RoleBody,
    responses(
        (status = 200, description = "Changed", body = UserEntry),
        (status = 400, description = "invalid: an unknown role", body = ErrorBody),
        (status = 401, description = "not_logged_in", body = ErrorBody),
        (status = 403, description = "csrf, role, own_account", body = ErrorBody),
        (status = 404, description = "not_found: no such account in your area (one outside it is answered alike)", body = ErrorBody),
        (status = 413, description = "body_too_large", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 503, description = "storage_unavailable", body = ErrorBody),
    ))]
pub(crate) async fn role(
    State(st): State<AppState>,
    o: Official,
    Path(login): Path<String>,
    headers: HeaderMap,
    raw: Body,
) -> Result<Response, ApiError> {
    require_role(&o, Role::Admin, "managing accounts")?;
    let units = unit_index(&st).await?;
    let user = target(&st, &units, &o, &login).await?;
    let b: RoleBody = body(&st, &headers, raw).await?;
    let role = parse_role(&b.role)?;
    if user.login == o.user.login && role < Role::Admin {
        return Err(own_account("lower the role of"));
    }
    apply(
        &st,
        &units,
        &o,
        &user,
        UserChange::Role(role),
        "user_role",
        serde_json::json!({"role": role.as_str(), "was": user.role.as_str()}),
    )
    .await
}
