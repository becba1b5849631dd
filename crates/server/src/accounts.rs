//! Officials' accounts: the rules for logins and passwords, Argon2id
//! hashing, and what `admin user` lists and changes.

use crate::reports::UnitIndex;
use crate::ServerError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use checkin_server_db::{AuditEntry, Database, DbError, Role, User, UserChange};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// The shortest password accepted: long enough to resist guessing within
/// the login limit, short enough to type on a tablet.
pub const MIN_PASSWORD_CHARS: usize = 10;
const MAX_PASSWORD_BYTES: usize = 1024;

/// Checks a login: 3–64 of `a-z 0-9 . _ -`.
pub fn check_login(login: &str) -> Result<(), ServerError> {
    let ok = (3..=64).contains(&login.len())
        && login
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(ServerError::Invalid(format!(
            "login {login:?}: use 3 to 64 lower-case letters, digits, '.', '_' or '-'"
        )))
    }
}

/// Checks a new password: at least [`MIN_PASSWORD_CHARS`] characters.
pub fn check_password(password: &str) -> Result<(), ServerError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ServerError::Invalid(format!(
            "the password is too short: use at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(ServerError::Invalid(format!(
            "the password is too long: at most {MAX_PASSWORD_BYTES} bytes"
        )));
    }
    Ok(())
}

/// An Argon2id hash (the crate's defaults: 19 MiB, 2 passes) as a PHC
/// string, with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, ServerError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServerError::Invalid(format!("cannot hash the password: {e}")))
}

/// Whether `password` matches the stored PHC string (constant-time).
pub fn verify_password(stored: &str, password: &str) -> bool {
    if password.len() > MAX_PASSWORD_BYTES {
        return false;
    }
    PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the login does not exist, so an unknown
/// login costs the same time as a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("not a password of anyone").unwrap_or_default())
}

/// A new official's account for `unit` (a province, district or commune
/// among the imported units), checked and with its password hashed; not
/// stored yet.
pub fn new_user(
    units: &UnitIndex,
    login: &str,
    password: &str,
    role: Role,
    unit: &str,
    now: DateTime<Utc>,
) -> Result<User, ServerError> {
    check_login(login)?;
    check_password(password)?;
    let unit = unit.trim();
    let province = units.province_of(unit).ok_or_else(|| unknown_unit(unit))?;
    Ok(User {
        login: login.to_string(),
        password_hash: hash_password(password)?,
        role,
        area_code: unit.to_string(),
        province_code: province.to_string(),
        created_at: now,
        disabled_at: None,
    })
}

fn unknown_unit(unit: &str) -> ServerError {
    ServerError::Invalid(format!(
        "unknown unit {unit:?}: give a province (2 digits), district (3) or commune (5) \
         code among the imported units (`admin import-units FILE` first)"
    ))
}

/// A taken login as the operator and the API name it.
pub fn taken(e: DbError, login: &str) -> ServerError {
    match e {
        DbError::Duplicate(_) => ServerError::LoginTaken(login.to_string()),
        e => e.into(),
    }
}

/// Creates an official's account for `unit` (a province, district or
/// commune code among the imported units).
pub async fn add_user(
    db: &dyn Database,
    login: &str,
    password: &str,
    role: Role,
    unit: &str,
    now: DateTime<Utc>,
) -> Result<User, ServerError> {
    let units = UnitIndex::load(db).await?;
    let user = new_user(&units, login, password, role, unit, now)?;
    let audit = console_audit(
        &user,
        "user_add",
        serde_json::json!({ "role": user.role.as_str(), "area_code": user.area_code }),
        now,
    );
    db.add_user(&user, Some(&audit))
        .await
        .map_err(|e| taken(e, login))?;
    Ok(user)
}

/// Who the audit log names for a change made with `checkin-server admin`
/// on the server itself: no login can be spelt so.
pub const CONSOLE: &str = "(admin CLI)";

/// The audit entry of a change to `target`'s account made by `login`
/// (whose area is `area_code`) at `now`: whose account, then `details`.
pub(crate) fn account_audit(
    target: &User,
    (login, area_code): (&str, &str),
    action: &str,
    details: serde_json::Value,
    now: DateTime<Utc>,
) -> AuditEntry {
    let mut query = serde_json::json!({ "login": target.login });
    if let (Some(q), serde_json::Value::Object(d)) = (query.as_object_mut(), details) {
        q.extend(d);
    }
    AuditEntry {
        id: 0,
        province_code: target.province_code.clone(),
        at: now,
        login: login.into(),
        area_code: area_code.into(),
        action: action.into(),
        reason: String::new(),
        query: query.to_string(),
        results: 1,
    }
}

/// The audit entry of an account change made at the server's console.
fn console_audit(
    target: &User,
    action: &str,
    details: serde_json::Value,
    now: DateTime<Utc>,
) -> AuditEntry {
    account_audit(
        target,
        (CONSOLE, &target.province_code),
        action,
        details,
        now,
    )
}

/// An account as `admin user list` shows it: never its password hash.
#[derive(Debug, Clone, Serialize)]
pub struct UserListing {
    pub login: String,
    pub role: Role,
    pub area_code: String,
    pub area_name: String,
    pub province_code: String,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
}

/// The accounts whose area lies inside `unit` (all with `None`), by login.
pub async fn list_users(
    db: &dyn Database,
    unit: Option<&str>,
) -> Result<Vec<UserListing>, ServerError> {
    let units = UnitIndex::load(db).await?;
    let unit = unit.map(str::trim);
    let province = match unit {
        Some(u) => Some(units.province_of(u).ok_or_else(|| unknown_unit(u))?),
        None => None,
    };
    Ok(db
        .users(province)
        .await?
        .into_iter()
        .filter(|u| unit.is_none_or(|unit| units.within(&u.area_code, unit)))
        .map(|u| UserListing {
            area_name: units.name(&u.area_code).unwrap_or_default().to_string(),
            login: u.login,
            role: u.role,
            area_code: u.area_code,
            province_code: u.province_code,
            created_at: u.created_at,
            disabled_at: u.disabled_at,
        })
        .collect())
}

/// Disables (`true`) or enables an account from the command line; a
/// disabled account's sessions end at once. An unknown login is `Invalid`.
pub async fn set_disabled(
    db: &dyn Database,
    login: &str,
    disabled: bool,
    now: DateTime<Utc>,
) -> Result<User, ServerError> {
    let login = login.trim().to_lowercase();
    let change = if disabled {
        UserChange::Disable(now)
    } else {
        UserChange::Enable
    };
    let unknown = || ServerError::Invalid(format!("unknown user {login:?}: see `admin user list`"));
    let target = db.user(&login).await?.ok_or_else(unknown)?;
    let action = if disabled {
        "user_disable"
    } else {
        "user_enable"
    };
    let audit = console_audit(&target, action, serde_json::json!({}), now);
    db.change_user(&login, &change, Some(&audit))
        .await
        .map_err(|e| match e {
            DbError::NotFound(_) => {
                ServerError::Invalid(format!("unknown user {login:?}: see `admin user list`"))
            }
            e => e.into(),
        })
}

const USER_COLUMNS: [&str; 7] = [
    "login",
    "role",
    "area_code",
    "area_name",
    "province_code",
    "created_at",
    "disabled_at",
];

fn user_fields(u: &UserListing) -> [String; 7] {
    let time = |t: Option<DateTime<Utc>>| {
        t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_default()
    };
    [
        u.login.clone(),
        u.role.as_str().to_string(),
        u.area_code.clone(),
        u.area_name.clone(),
        u.province_code.clone(),
        time(Some(u.created_at)),
        time(u.disabled_at),
    ]
}

/// Account lists as CSV with a header line, CRLF line ends (RFC 4180).
pub fn users_csv(users: &[UserListing]) -> String {
    let mut out = USER_COLUMNS.join(",") + "\r\n";
    for u in users {
        let line: Vec<String> = user_fields(u)
            .iter()
            .enumerate()
            .map(|(i, f)| crate::admin::csv_field(f, USER_COLUMNS[i] == "area_name"))
            .collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Account lists as an aligned table for a terminal.
pub fn users_table(users: &[UserListing]) -> String {
    let row = |f: [&str; 5]| {
        let line = format!("{:<24} {:<7} {:<6} {:<20} {}", f[0], f[1], f[2], f[3], f[4]);
        line.trim_end().to_string() + "\n"
    };
    let mut out = row(["LOGIN", "ROLE", "AREA", "CREATED", "DISABLED"]);
    for u in users {
        let [login, role, area, _, _, created, disabled] = user_fields(u);
        out.push_str(&row([
            login.as_str(),
            role.as_str(),
            area.as_str(),
            created.as_str(),
            disabled.as_str(),
        ]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins() {
        for ok in ["hanh.nt", "abc", "cdc-001_a"] {
            assert!(check_login(ok).is_ok(), "{ok}");
        }
        for bad in ["ab", "Hanh", "hạnh", "a b", "x/y", &"a".repeat(65)] {
            assert!(check_login(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_hash_and_verify() {
        assert!(check_password("short").is_err());
        assert!(check_password("mật khẩu dài đủ").is_ok());
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(&h, "correct horse battery"));
        assert!(!verify_password(&h, "correct horse batterz"));
        assert!(!verify_password("not a hash", "x"));
        assert_ne!(h, hash_password("correct horse battery").unwrap(), "salted");
    }
}
