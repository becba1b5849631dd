//! SqliteDb's AccountStore.

use super::*;
use crate::accounts::{AccountStore, NewSession, Role, User, UserChange};
use crate::AuditEntry;

fn user_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<[Option<String>; 7]> {
    Ok([
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    ])
}

fn to_user(row: [Option<String>; 7]) -> Result<User, DbError> {
    let [login, hash, role, area, province, created, disabled] = row;
    let role: Role = role.unwrap_or_default().parse().map_err(DbError::Invalid)?;
    Ok(User {
        login: login.unwrap_or_default(),
        password_hash: hash.unwrap_or_default(),
        role,
        area_code: area.unwrap_or_default(),
        province_code: province.unwrap_or_default(),
        created_at: parse_ts(&created.unwrap_or_default())?,
        disabled_at: parse_opt_ts(disabled)?,
    })
}

const USER_COLUMNS: &str =
    "u.login, u.password_hash, u.role, u.area_code, u.province_code, u.created_at, u.disabled_at";

/// Appends `e` to the audit log inside the caller's transaction.
fn insert_audit(c: &rusqlite::Connection, e: &AuditEntry) -> Result<(), DbError> {
    c.execute(
        "INSERT INTO audit_log (province_code, at, login, area_code, action, reason, query, results)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![e.province_code, ts(e.at), e.login, e.area_code, e.action, e.reason, e.query, e.results],
    )?;
    Ok(())
}

#[async_trait]
impl AccountStore for SqliteDb {
    async fn add_user(&self, user: &User, audit: Option<&AuditEntry>) -> Result<(), DbError> {
        let u = user.clone();
        let audit = audit.cloned();
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let n = tx.execute(
                "INSERT INTO users (login, password_hash, role, area_code, province_code, created_at, disabled_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (login) DO NOTHING",
                params![u.login, u.password_hash, u.role.as_str(), u.area_code, u.province_code,
                    ts(u.created_at), u.disabled_at.map(ts)],
            )?;
            if n == 0 {
                return Err(DbError::Duplicate(format!("user {}", u.login)));
            }
            if let Some(e) = &audit {
                insert_audit(&tx, e)?;
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn users(&self, province_code: Option<&str>) -> Result<Vec<User>, DbError> {
        let p = province_code.map(str::to_string);
        self.run(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {USER_COLUMNS} FROM users u
                 WHERE ?1 IS NULL OR u.province_code = ?1 ORDER BY u.login"
            ))?;
            let rows = stmt.query_map([&p], user_from_row)?;
            let mut out = Vec::new();
            for row in rows {
                out.push(to_user(row?)?);
            }
            Ok(out)
        })
        .await
    }

    async fn change_user(
        &self,
        login: &str,
        change: &UserChange,
        audit: Option<&AuditEntry>,
    ) -> Result<User, DbError> {
        let (login, change, audit) = (login.to_string(), change.clone(), audit.cloned());
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let n = match &change {
                UserChange::Disable(at) => tx.execute(
                    "UPDATE users SET disabled_at = COALESCE(disabled_at, ?2) WHERE login = ?1",
                    params![login, ts(*at)],
                )?,
                UserChange::Enable => tx.execute(
                    "UPDATE users SET disabled_at = NULL WHERE login = ?1",
                    params![login],
                )?,
                UserChange::Password { hash, .. } => tx.execute(
                    "UPDATE users SET password_hash = ?2 WHERE login = ?1",
                    params![login, hash],
                )?,
                UserChange::Role(role) => tx.execute(
                    "UPDATE users SET role = ?2 WHERE login = ?1",
                    params![login, role.as_str()],
                )?,
            };
            if n == 0 {
                return Err(DbError::NotFound(format!("user {login}")));
            }
            match &change {
                UserChange::Disable(_) => {
                    tx.execute("DELETE FROM sessions WHERE login = ?1", [&login])?;
                }
                UserChange::Password { keep_session, .. } => {
                    tx.execute(
                        "DELETE FROM sessions WHERE login = ?1 AND token_hash IS NOT ?2",
                        params![login, keep_session],
                    )?;
                }
                UserChange::Enable | UserChange::Role(_) => {}
            }
            if let Some(e) = &audit {
                insert_audit(&tx, e)?;
            }
            let row = tx.query_row(
                &format!("SELECT {USER_COLUMNS} FROM users u WHERE u.login = ?1"),
                [&login],
                user_from_row,
            )?;
            tx.commit()?;
            to_user(row)
        })
        .await
    }

    async fn user(&self, login: &str) -> Result<Option<User>, DbError> {
        let login = login.to_string();
        self.run(move |c| {
            c.query_row(
                &format!("SELECT {USER_COLUMNS} FROM users u WHERE u.login = ?1"),
                [&login],
                user_from_row,
            )
            .optional()?
            .map(to_user)
            .transpose()
        })
        .await
    }

    async fn add_session(&self, session: &NewSession) -> Result<(), DbError> {
        let s = session.clone();
        self.run(move |c| {
            c.execute(
                "INSERT INTO sessions (token_hash, login, created_at, last_seen_at, expires_at)
                 VALUES (?1, ?2, ?3, ?3, ?4)",
                params![s.token_hash, s.login, ts(s.created_at), ts(s.expires_at)],
            )?;
            Ok(())
        })
        .await
    }

    async fn session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
        idle: chrono::Duration,
    ) -> Result<Option<User>, DbError> {
        let h = token_hash.to_string();
        self.run(move |c| {
            let row = c
                .query_row(
                    &format!(
                        "SELECT {USER_COLUMNS} FROM sessions s JOIN users u ON u.login = s.login
                         WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND s.last_seen_at > ?3
                           AND u.disabled_at IS NULL"
                    ),
                    params![h, ts(now), ts(now - idle)],
                    user_from_row,
                )
                .optional()?;
            let Some(row) = row else {
                return Ok(None);
            };
            c.execute(
                "UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1",
                params![h, ts(now)],
            )?;
            to_user(row).map(Some)
        })
        .await
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), DbError> {
        let h = token_hash.to_string();
        self.run(move |c| {
            c.execute("DELETE FROM sessions WHERE token_hash = ?1", [&h])?;
            Ok(())
        })
        .await
    }

    async fn add_login_failure(
        &self,
        keys: &[String],
        at: DateTime<Utc>,
        forget_before: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let keys = keys.to_vec();
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "DELETE FROM login_failures WHERE at < ?1",
                [ts(forget_before)],
            )?;
            for k in &keys {
                tx.execute(
                    "INSERT INTO login_failures (key, at) VALUES (?1, ?2)",
                    params![k, ts(at)],
                )?;
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn login_failures(
        &self,
        key: &str,
        since: DateTime<Utc>,
    ) -> Result<(i64, Option<DateTime<Utc>>), DbError> {
        let k = key.to_string();
        self.run(move |c| {
            let (n, oldest): (i64, Option<String>) = c.query_row(
                "SELECT COUNT(*), MIN(at) FROM login_failures WHERE key = ?1 AND at >= ?2",
                params![k, ts(since)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            Ok((n, parse_opt_ts(oldest)?))
        })
        .await
    }

    async fn clear_login_failures(&self, key: &str) -> Result<(), DbError> {
        let k = key.to_string();
        self.run(move |c| {
            c.execute("DELETE FROM login_failures WHERE key = ?1", [&k])?;
            Ok(())
        })
        .await
    }
}
