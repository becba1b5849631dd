//! PostgresDb's AccountStore.

use super::*;
use crate::accounts::{AccountStore, NewSession, Role, User, UserChange};
use crate::AuditEntry;

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

/// Appends `e` to the audit log inside the caller's transaction.
async fn insert_audit(tx: &Transaction<'_>, e: &AuditEntry) -> Result<(), DbError> {
    tx.execute(
        "INSERT INTO audit_log (province_code, at, login, area_code, action, reason, query, results)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        &[&e.province_code, &e.at, &e.login, &e.area_code, &e.action, &e.reason, &e.query, &e.results],
    )
    .await?;
    Ok(())
}

#[async_trait]
impl AccountStore for PostgresDb {
    async fn add_user(&self, user: &User, audit: Option<&AuditEntry>) -> Result<(), DbError> {
        let mut c = self.pool.get().await.map_err(pool_err)?;
        let tx = c.transaction().await?;
        let n = tx
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
        if let Some(e) = audit {
            insert_audit(&tx, e).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn users(&self, province_code: Option<&str>) -> Result<Vec<User>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        c.query(
            &format!(
                "SELECT {USER_COLUMNS} FROM users u
                 WHERE $1::text IS NULL OR u.province_code = $1 ORDER BY u.login"
            ),
            &[&province_code],
        )
        .await?
        .iter()
        .map(to_user)
        .collect()
    }

    async fn change_user(
        &self,
        login: &str,
        change: &UserChange,
        audit: Option<&AuditEntry>,
    ) -> Result<User, DbError> {
        let mut c = self.pool.get().await.map_err(pool_err)?;
        let tx = c.transaction().await?;
        let row = match change {
            UserChange::Disable(at) => {
                tx.query_opt(
                    &format!(
                        "UPDATE users u SET disabled_at = COALESCE(u.disabled_at, $2)
                         WHERE u.login = $1 RETURNING {USER_COLUMNS}"
                    ),
                    &[&login, at],
                )
                .await?
            }
            UserChange::Enable => {
                tx.query_opt(
                    &format!(
                        "UPDATE users u SET disabled_at = NULL WHERE u.login = $1 RETURNING {USER_COLUMNS}"
                    ),
                    &[&login],
                )
                .await?
            }
            UserChange::Password { hash, .. } => {
                tx.query_opt(
                    &format!(
                        "UPDATE users u SET password_hash = $2 WHERE u.login = $1 RETURNING {USER_COLUMNS}"
                    ),
                    &[&login, hash],
                )
                .await?
            }
            UserChange::Role(role) => {
                tx.query_opt(
                    &format!(
                        "UPDATE users u SET role = $2 WHERE u.login = $1 RETURNING {USER_COLUMNS}"
                    ),
                    &[&login, &role.as_str()],
                )
                .await?
            }
        };
        let Some(row) = row else {
            return Err(DbError::NotFound(format!("user {login}")));
        };
        match change {
            UserChange::Disable(_) => {
                tx.execute("DELETE FROM sessions WHERE login = $1", &[&login])
                    .await?;
            }
            UserChange::Password { keep_session, .. } => {
                tx.execute(
                    "DELETE FROM sessions WHERE login = $1 AND token_hash IS DISTINCT FROM $2",
                    &[&login, keep_session],
                )
                .await?;
            }
            UserChange::Enable | UserChange::Role(_) => {}
        }
        if let Some(e) = audit {
            insert_audit(&tx, e).await?;
        }
        tx.commit().await?;
        to_user(&row)
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
