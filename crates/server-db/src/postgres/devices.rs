//! PostgresDb's DeviceStore.

use super::*;
use crate::DeviceStore;

#[async_trait]
impl DeviceStore for PostgresDb {
    async fn add_enrollment_token(&self, grant: &TokenGrant) -> Result<(), DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let (venue, commune) = scope_parts(&grant.scope);
        c.execute(
            "INSERT INTO enrollment_tokens (province_code, token_hash, venue_id, commune_code, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[
                &grant.province_code,
                &grant.token_hash,
                &venue,
                &commune,
                &grant.created_at,
                &grant.expires_at,
            ],
        )
        .await?;
        Ok(())
    }

    async fn enroll(
        &self,
        token_hash: &str,
        device: &NewDevice,
        now: DateTime<Utc>,
    ) -> Result<Result<Device, TokenProblem>, DbError> {
        check_label(device.label.as_deref())?;
        let mut c = self.pool.get().await.map_err(pool_err)?;
        let tx = c.transaction().await?;
        // FOR UPDATE: two devices racing with one token cannot both win.
        let row = tx
            .query_opt(
                "SELECT province_code, venue_id, commune_code, expires_at, used_at
                 FROM enrollment_tokens WHERE token_hash = $1 FOR UPDATE",
                &[&token_hash],
            )
            .await?;
        let Some(row) = row else {
            return Ok(Err(TokenProblem::Unknown));
        };
        let province: String = row.get(0);
        let venue: Option<String> = row.get(1);
        let commune: Option<String> = row.get(2);
        let expires: DateTime<Utc> = row.get(3);
        let used: Option<DateTime<Utc>> = row.get(4);
        if used.is_some() {
            return Ok(Err(TokenProblem::Used));
        }
        if expires <= now {
            return Ok(Err(TokenProblem::Expired));
        }
        let device_id = device.id.to_string();
        let current: Option<(String, Option<DateTime<Utc>>)> = tx
            .query_opt(
                "SELECT credential_hash, revoked_at FROM devices WHERE id = $1 FOR UPDATE",
                &[&device_id],
            )
            .await?
            .map(|r| (r.get(0), r.get(1)));
        // A revoked device needs only the new token: its credential is what was lost.
        if let Some((credential, None)) = &current {
            if Some(credential) != device.proof_hash.as_ref() {
                return Ok(Err(TokenProblem::DeviceTaken));
            }
        }
        tx.execute(
            "UPDATE enrollment_tokens SET used_at = $3, used_by = $4 WHERE province_code = $1 AND token_hash = $2",
            &[&province, &token_hash, &now, &device_id],
        )
        .await?;
        // Re-enrolling replaces the credential and scope, and lifts a revocation.
        tx.execute("DELETE FROM devices WHERE id = $1", &[&device_id])
            .await?;
        tx.execute(
            "INSERT INTO devices (province_code, id, credential_hash, venue_id, commune_code, label,
                 enrolled_at, pass_key)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &province,
                &device_id,
                &device.credential_hash,
                &venue,
                &commune,
                &device.label,
                &now,
                &device.pass_key,
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(Device {
            id: device.id,
            scope: scope_from_parts(venue, commune)?,
            province_code: province,
            label: device.label.clone(),
            revoked_at: None,
        }))
    }

    async fn self_service_device(
        &self,
        province_code: &str,
        venue: &VenueId,
        now: DateTime<Utc>,
    ) -> Result<Device, DbError> {
        let credential = crate::devices::self_service_credential(venue);
        {
            let mut c = self.pool.get().await.map_err(pool_err)?;
            let tx = c.transaction().await?;
            // Two first check-ins at once must not make two devices.
            tx.execute("SELECT pg_advisory_xact_lock(hashtext($1))", &[&credential])
                .await?;
            tx.execute(
                "INSERT INTO devices (province_code, id, credential_hash, venue_id, label, enrolled_at)
                 SELECT $1, $2, $3, $4, $5, $6
                 WHERE NOT EXISTS (SELECT 1 FROM devices WHERE credential_hash = $3)",
                &[
                    &province_code,
                    &DeviceId::new().to_string(),
                    &credential,
                    &venue.as_str(),
                    &crate::devices::SELF_SERVICE_LABEL,
                    &now,
                ],
            )
            .await?;
            tx.commit().await?;
        }
        self.device_by_credential(&credential)
            .await?
            .ok_or_else(|| DbError::NotFound(format!("self-service device of {venue}")))
    }

    async fn pass_keys(&self, province_code: &str, limit: usize) -> Result<Vec<String>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let stmt = c
            .prepare_cached(
                "SELECT pass_key FROM devices
                 WHERE province_code = $1 AND pass_key IS NOT NULL AND revoked_at IS NULL
                 ORDER BY enrolled_at DESC, id DESC LIMIT $2",
            )
            .await?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = c.query(&stmt, &[&province_code, &limit]).await?;
        Ok(sorted_keys(rows.iter().map(|r| r.get(0)).collect()))
    }

    async fn device_by_credential(&self, credential_hash: &str) -> Result<Option<Device>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let stmt = c
            .prepare_cached(
                "SELECT id, province_code, venue_id, commune_code, label, revoked_at
                 FROM devices WHERE credential_hash = $1",
            )
            .await?;
        let row = c.query_opt(&stmt, &[&credential_hash]).await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(Device {
            id: parse_device_id(r.get(0))?,
            province_code: r.get(1),
            scope: scope_from_parts(r.get(2), r.get(3))?,
            label: r.get(4),
            revoked_at: r.get(5),
        }))
    }

    async fn devices(&self, filter: &UnitFilter) -> Result<Vec<DeviceInfo>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let [province, district, commune, venue] = filter.parts();
        let rows = c
            .query(
                "SELECT d.id, d.label, d.venue_id, d.commune_code, d.province_code, d.enrolled_at,
                        d.last_seen_at, d.last_skew_ms, d.revoked_at
                 FROM devices d
                 LEFT JOIN venues v ON v.province_code = d.province_code AND v.id = d.venue_id
                 LEFT JOIN communes m ON m.province_code = d.province_code
                     AND m.code = COALESCE(d.commune_code, v.commune_code)
                 WHERE ($1::text IS NULL OR d.province_code = $1)
                   AND ($2::text IS NULL OR m.district_code = $2)
                   AND ($3::text IS NULL OR COALESCE(d.commune_code, v.commune_code) = $3)
                   AND ($4::text IS NULL OR d.venue_id = $4)
                 ORDER BY d.province_code, d.enrolled_at, d.id",
                &[&province, &district, &commune, &venue],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(DeviceInfo {
                    id: parse_device_id(r.get(0))?,
                    label: r.get(1),
                    scope: scope_from_parts(r.get(2), r.get(3))?,
                    province_code: r.get(4),
                    enrolled_at: r.get(5),
                    last_seen_at: r.get(6),
                    last_skew_ms: r.get(7),
                    revoked_at: r.get(8),
                })
            })
            .collect()
    }

    async fn revoke_device(&self, id: &DeviceId, at: DateTime<Utc>) -> Result<bool, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let id = id.to_string();
        let n = c
            .execute(
                "UPDATE devices SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
                &[&id, &at],
            )
            .await?;
        if n > 0 {
            return Ok(true);
        }
        match c
            .query_opt("SELECT 1 FROM devices WHERE id = $1", &[&id])
            .await?
        {
            Some(_) => Ok(false),
            None => Err(DbError::NotFound(format!("device {id}"))),
        }
    }

    async fn touch_device(
        &self,
        province_code: &str,
        id: &DeviceId,
        at: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let mut c = self.pool.get().await.map_err(pool_err)?;
        let tx = c.transaction().await?;
        super::ingest::touch(&tx, province_code, &id.to_string(), at, None).await?;
        tx.commit().await?;
        Ok(())
    }
}
