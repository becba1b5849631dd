//! SqliteDb's AccountStore.

use super::*;
use crate::accounts::{AccountStore, NewSession, Role, User};

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

#[async_trait]
impl AccountStore for SqliteDb {
    async fn add_user(&self, user: &User) -> Result<(), DbError> {
        let u = user.clone();
        self.run(move |c| {
            let n = c.execute(
                "INSERT INTO users (login, password_hash, role, area_code, province_code, created_at, disabled_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (login) DO NOTHING",
                params![u.login, u.password_hash, u.role.as_str(), u.area_code, u.province_code,
                    ts(u.created_at), u.disabled_at.map(ts)],
            )?;
            if n == 0 {
                return Err(DbError::Duplicate(format!("user {}", u.login)));
            }
            Ok(())
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
