//! SqliteDb's DeviceStore.

use super::*;
use crate::DeviceStore;

#[async_trait]
impl DeviceStore for SqliteDb {
    async fn add_enrollment_token(&self, grant: &TokenGrant) -> Result<(), DbError> {
        let g = grant.clone();
        self.run(move |c| {
            let (venue, commune) = scope_parts(&g.scope);
            c.execute(
                "INSERT INTO enrollment_tokens (province_code, token_hash, venue_id, commune_code, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![g.province_code, g.token_hash, venue, commune, ts(g.created_at), ts(g.expires_at)],
            )?;
            Ok(())
        })
        .await
    }

    async fn enroll(
        &self,
        token_hash: &str,
        device: &NewDevice,
        now: DateTime<Utc>,
    ) -> Result<Result<Device, TokenProblem>, DbError> {
        check_label(device.label.as_deref())?;
        let token_hash = token_hash.to_string();
        let device = device.clone();
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let row = tx
                .query_row(
                    "SELECT province_code, venue_id, commune_code, expires_at, used_at
                     FROM enrollment_tokens WHERE token_hash = ?1",
                    [&token_hash],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, Option<String>>(1)?,
                            r.get::<_, Option<String>>(2)?,
                            r.get::<_, String>(3)?,
                            r.get::<_, Option<String>>(4)?,
                        ))
                    },
                )
                .optional()?;
            let Some((province, venue, commune, expires, used)) = row else {
                return Ok(Err(TokenProblem::Unknown));
            };
            if used.is_some() {
                return Ok(Err(TokenProblem::Used));
            }
            if parse_ts(&expires)? <= now {
                return Ok(Err(TokenProblem::Expired));
            }
            let current: Option<(String, Option<String>)> = tx
                .query_row(
                    "SELECT credential_hash, revoked_at FROM devices WHERE id = ?1",
                    [device.id.to_string()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((credential, None)) = &current {
                if Some(credential) != device.proof_hash.as_ref() {
                    return Ok(Err(TokenProblem::DeviceTaken));
                }
            }
            tx.execute(
                "UPDATE enrollment_tokens SET used_at = ?3, used_by = ?4
                 WHERE province_code = ?1 AND token_hash = ?2",
                params![province, token_hash, ts(now), device.id.to_string()],
            )?;
            // Re-enrolling replaces the device's earlier credential and scope,
            // and lifts a revocation.
            tx.execute("DELETE FROM devices WHERE id = ?1", [device.id.to_string()])?;
            tx.execute(
                "INSERT INTO devices (province_code, id, credential_hash, venue_id, commune_code, label,
                     enrolled_at, pass_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![province, device.id.to_string(), device.credential_hash, venue, commune,
                    device.label, ts(now), device.pass_key],
            )?;
            tx.commit()?;
            Ok(Ok(Device {
                id: device.id,
                scope: scope_from_parts(venue, commune)?,
                province_code: province,
                label: device.label,
                revoked_at: None,
            }))
        })
        .await
    }

    async fn self_service_device(
        &self,
        province_code: &str,
        venue: &VenueId,
        now: DateTime<Utc>,
    ) -> Result<Device, DbError> {
        let credential = crate::devices::self_service_credential(venue);
        let row = (
            province_code.to_string(),
            DeviceId::new().to_string(),
            credential.clone(),
            venue.to_string(),
            ts(now),
        );
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "INSERT INTO devices (province_code, id, credential_hash, venue_id, label, enrolled_at)
                 SELECT ?1, ?2, ?3, ?4, ?5, ?6
                 WHERE NOT EXISTS (SELECT 1 FROM devices WHERE credential_hash = ?3)",
                params![row.0, row.1, row.2, row.3, crate::devices::SELF_SERVICE_LABEL, row.4],
            )?;
            tx.commit()?;
            Ok(())
        })
        .await?;
        self.device_by_credential(&credential)
            .await?
            .ok_or_else(|| DbError::NotFound(format!("self-service device of {venue}")))
    }

    async fn pass_keys(&self, province_code: &str, limit: usize) -> Result<Vec<String>, DbError> {
        let p = province_code.to_string();
        self.run(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT pass_key FROM devices
                 WHERE province_code = ?1 AND pass_key IS NOT NULL AND revoked_at IS NULL
                 ORDER BY enrolled_at DESC, id DESC LIMIT ?2",
            )?;
            let rows = stmt
                .query_map(params![p, i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
                    r.get(0)
                })?;
            Ok(sorted_keys(rows.collect::<Result<Vec<String>, _>>()?))
        })
        .await
    }

    async fn device_by_credential(&self, credential_hash: &str) -> Result<Option<Device>, DbError> {
        let h = credential_hash.to_string();
        self.run_point_read(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT id, province_code, venue_id, commune_code, label, revoked_at
                 FROM devices WHERE credential_hash = ?1",
            )?;
            let row = stmt
                .query_row([h], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, Option<String>>(5)?,
                    ))
                })
                .optional()?;
            let Some((id, province_code, venue, commune, label, revoked)) = row else {
                return Ok(None);
            };
            Ok(Some(Device {
                id: parse_device_id(&id)?,
                scope: scope_from_parts(venue, commune)?,
                province_code,
                label,
                revoked_at: parse_opt_ts(revoked)?,
            }))
        })
        .await
    }

    async fn devices(&self, filter: &UnitFilter) -> Result<Vec<DeviceInfo>, DbError> {
        let filter = filter.clone();
        self.run(move |c| {
            let mut stmt = c.prepare(
                "SELECT d.id, d.label, d.venue_id, d.commune_code, d.province_code, d.enrolled_at,
                        d.last_seen_at, d.last_skew_ms, d.revoked_at
                 FROM devices d
                 LEFT JOIN venues v ON v.province_code = d.province_code AND v.id = d.venue_id
                 LEFT JOIN communes m ON m.province_code = d.province_code
                     AND m.code = COALESCE(d.commune_code, v.commune_code)
                 WHERE (?1 IS NULL OR d.province_code = ?1)
                   AND (?2 IS NULL OR m.district_code = ?2)
                   AND (?3 IS NULL OR COALESCE(d.commune_code, v.commune_code) = ?3)
                   AND (?4 IS NULL OR d.venue_id = ?4)
                 ORDER BY d.province_code, d.enrolled_at, d.id",
            )?;
            let rows = stmt.query_map(rusqlite::params_from_iter(filter.parts()), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<i64>>(7)?,
                    r.get::<_, Option<String>>(8)?,
                ))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (id, label, venue, commune, province_code, enrolled, seen, skew, revoked) =
                    row?;
                out.push(DeviceInfo {
                    id: parse_device_id(&id)?,
                    label,
                    scope: scope_from_parts(venue, commune)?,
                    province_code,
                    enrolled_at: parse_ts(&enrolled)?,
                    last_seen_at: parse_opt_ts(seen)?,
                    last_skew_ms: skew,
                    revoked_at: parse_opt_ts(revoked)?,
                });
            }
            Ok(out)
        })
        .await
    }

    async fn revoke_device(&self, id: &DeviceId, at: DateTime<Utc>) -> Result<bool, DbError> {
        let id = id.to_string();
        self.run(move |c| {
            let n = c.execute(
                "UPDATE devices SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                params![id, ts(at)],
            )?;
            if n > 0 {
                return Ok(true);
            }
            let known = c
                .query_row("SELECT 1 FROM devices WHERE id = ?1", [&id], |_| Ok(()))
                .optional()?;
            match known {
                Some(()) => Ok(false),
                None => Err(DbError::NotFound(format!("device {id}"))),
            }
        })
        .await
    }

    async fn touch_device(
        &self,
        province_code: &str,
        id: &DeviceId,
        at: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let (province, device) = (province_code.to_string(), id.to_string());
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            super::ingest::touch(&tx, &province, &device, at, None)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }
}
