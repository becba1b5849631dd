//! Officials' accounts: the rules for logins and passwords, Argon2id
//! hashing, and the area check every dashboard read goes through.

use crate::reports::UnitIndex;
use crate::ServerError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use checkin_server_db::{Database, Role, User};
use chrono::{DateTime, Utc};

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

fn check_password(password: &str) -> Result<(), ServerError> {
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

/// Creates an official's account for `unit` (a province, district or
/// commune among the imported units).
pub async fn add_user(
    db: &dyn Database,
    login: &str,
    password: &str,
    role: Role,
    unit: &str,
    now: DateTime<Utc>,
) -> Result<User, ServerError> {
    check_login(login)?;
    check_password(password)?;
    let units = UnitIndex::load(db).await?;
    let unit = unit.trim();
    let province = units.province_of(unit).ok_or_else(|| {
        ServerError::Invalid(format!(
            "unknown unit {unit:?}: give a province (2 digits), district (3) or commune (5) \
             code among the imported units (`admin import-units FILE` first)"
        ))
    })?;
    let user = User {
        login: login.to_string(),
        password_hash: hash_password(password)?,
        role,
        area_code: unit.to_string(),
        province_code: province.to_string(),
        created_at: now,
        disabled_at: None,
    };
    db.add_user(&user).await.map_err(|e| match e {
        checkin_server_db::DbError::Duplicate(_) => {
            ServerError::Invalid(format!("the login {login:?} is taken"))
        }
        e => e.into(),
    })?;
    Ok(user)
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
