//! The dashboard's officials, their sessions and failed logins. Hashing
//! and the rules for logins live in the server; the store keeps what it is
//! given and answers in one round trip per request.

use crate::{AuditEntry, DbError};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// What an official may do inside their area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads and exports reports.
    Viewer,
    /// Also looks up who was where (contact tracing), every lookup audited.
    Tracer,
    /// Also manages the users of the area.
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Tracer => "tracer",
            Role::Admin => "admin",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "viewer" => Ok(Role::Viewer),
            "tracer" => Ok(Role::Tracer),
            "admin" => Ok(Role::Admin),
            other => Err(format!(
                "unknown role {other:?}: use viewer, tracer or admin"
            )),
        }
    }
}

/// An official's account as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub login: String,
    /// PHC string of an Argon2id hash.
    pub password_hash: String,
    pub role: Role,
    /// A province, district or commune code.
    pub area_code: String,
    /// The area's province, for the distribution by province.
    pub province_code: String,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
}

/// A session being opened: the hash of its cookie and its deadlines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub token_hash: String,
    pub login: String,
    pub created_at: DateTime<Utc>,
    /// The absolute end, however active the session is.
    pub expires_at: DateTime<Utc>,
}

/// A change an admin makes to an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserChange {
    /// Refused from now on: every session of the account ends in the same
    /// transaction, so its very next request is refused. An account
    /// disabled already keeps its first time.
    Disable(DateTime<Utc>),
    Enable,
    /// A new password hash (PHC string). Every session of the account ends
    /// but `keep_session` (the hash of the session making the change, when
    /// an official sets their own).
    Password {
        hash: String,
        keep_session: Option<String>,
    },
    /// Counts from the account's next request: sessions read the role live.
    Role(Role),
}

/// Officials, sessions and the login limit.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Adds an account, and `audit` with it in one transaction (so an
    /// account made from the dashboard is never missing from the log);
    /// `Duplicate` when the login is taken.
    async fn add_user(&self, user: &User, audit: Option<&AuditEntry>) -> Result<(), DbError>;

    async fn user(&self, login: &str) -> Result<Option<User>, DbError>;

    /// The accounts of a province (all of them with `None`), by login.
    async fn users(&self, province_code: Option<&str>) -> Result<Vec<User>, DbError>;

    /// Applies `change` to the account `login`, and `audit` with it in one
    /// transaction; the account as it is now. `NotFound` when there is no
    /// such login.
    async fn change_user(
        &self,
        login: &str,
        change: &UserChange,
        audit: Option<&AuditEntry>,
    ) -> Result<User, DbError>;

    /// Stores a new session.
    async fn add_session(&self, session: &NewSession) -> Result<(), DbError>;

    /// The user of a live session: not past `expires_at`, seen within
    /// `idle` of `now`, its user not disabled. Marks it seen at `now`.
    async fn session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
        idle: chrono::Duration,
    ) -> Result<Option<User>, DbError>;

    /// Ends a session (logout); no error when it is gone already.
    async fn delete_session(&self, token_hash: &str) -> Result<(), DbError>;

    /// Records one failed login under each of `keys` at `at`, and drops
    /// failures older than `forget_before`.
    async fn add_login_failure(
        &self,
        keys: &[String],
        at: DateTime<Utc>,
        forget_before: DateTime<Utc>,
    ) -> Result<(), DbError>;

    /// Failures under `key` since `since`, and the oldest of them.
    async fn login_failures(
        &self,
        key: &str,
        since: DateTime<Utc>,
    ) -> Result<(i64, Option<DateTime<Utc>>), DbError>;

    /// Forgets the failures under `key` (a successful login).
    async fn clear_login_failures(&self, key: &str) -> Result<(), DbError>;
}
