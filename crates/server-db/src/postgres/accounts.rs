//! PostgresDb's AccountStore.

use super::*;
use crate::accounts::{AccountStore, NewSession, Role, User};

fn to_user(r: &tokio_postgres::Row) -> Result<User, DbError> {
    let role: String = r.get(2);
    Ok(User {
        login: r.get(0),
        password_hash: r.get(1),
        role: role.parse::<Role>().map_err(DbError::Invalid)?,
        area_code: r.get(3),
        province_code: r.get(4),
        created_at: r.get(5),
        disabled_at: r.get(6),
    })
}

const USER_COLUMNS: &str =
    "u.login, u.password_hash, u.role, u.area_code, u.province_code, u.created_at, u.disabled_at";

#[async_trait]
impl AccountStore for PostgresDb {
    async fn add_user(&self, user: &User) -> Result<(), DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let n = c
            .execute(
                "INSERT INTO users (login, password_hash, role, area_code, province_code, created_at, disabled_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (login) DO NOTHING",
                &[
                    &user.login,
                    &user.password_hash,
                    &user.role.as_str(),
                    &user.area_code,
                    &user.province_code,
                    &user.created_at,
                    &user.disabled_at,
                ],
            )
            .await?;
        if n == 0 {
            return Err(DbError::Duplicate(format!("user {}", user.login)));
        }
        Ok(())
    }

    async fn user(&self, login: &str) -> Result<Option<User>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        c.query_opt(
            &format!("SELECT {USER_COLUMNS} FROM users u WHERE u.login = $1"),
            &[&login],
        )
        .await?
        .as_ref()
        .map(to_user)
        .transpose()
    }

    async fn add_session(&self, session: &NewSession) -> Result<(), DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        c.execute(
            "INSERT INTO sessions (token_hash, login, created_at, last_seen_at, expires_at)
             VALUES ($1, $2, $3, $3, $4)",
            &[
                &session.token_hash,
                &session.login,
                &session.created_at,
                &session.expires_at,
            ],
        )
        .await?;
        Ok(())
    }

    async fn session_user(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
        idle: chrono::Duration,
    ) -> Result<Option<User>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        // One statement: the touch and the read, so two instances agree.
        let row = c
            .query_opt(
                &format!(
                    "WITH s AS (
                         UPDATE sessions SET last_seen_at = $2
                         WHERE token_hash = $1 AND expires_at > $2 AND last_seen_at > $3
                         RETURNING login)
                     SELECT {USER_COLUMNS} FROM s JOIN users u ON u.login = s.login
                     WHERE u.disabled_at IS NULL"
                ),
                &[&token_hash, &now, &(now - idle)],
            )
            .await?;
        row.as_ref().map(to_user).transpose()
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        c.execute("DELETE FROM sessions WHERE token_hash = $1", &[&token_hash])
            .await?;
        Ok(())
    }

    async fn add_login_failure(
        &self,
        keys: &[String],
        at: DateTime<Utc>,
        forget_before: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        c.execute(
            "DELETE FROM login_failures WHERE at < $1",
            &[&forget_before],
        )
        .await?;
        c.execute(
            "INSERT INTO login_failures (key, at) SELECT k, $2 FROM unnest($1::text[]) AS k",
            &[&keys, &at],
        )
        .await?;
        Ok(())
    }

    async fn login_failures(
        &self,
        key: &str,
        since: DateTime<Utc>,
    ) -> Result<(i64, Option<DateTime<Utc>>), DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let r = c
            .query_one(
                "SELECT COUNT(*), MIN(at) FROM login_failures WHERE key = $1 AND at >= $2",
                &[&key, &since],
            )
            .await?;
        Ok((r.get(0), r.get(1)))
    }

    async fn clear_login_failures(&self, key: &str) -> Result<(), DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        c.execute("DELETE FROM login_failures WHERE key = $1", &[&key])
            .await?;
        Ok(())
    }
}
