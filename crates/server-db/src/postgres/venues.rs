//! PostgresDb's VenueStore.

use super::*;
use crate::{UnitFilter, VenueListing, VenueRegistration, VenueStore};

#[async_trait]
impl VenueStore for PostgresDb {
    async fn add_venues(&self, venues: &[VenueRegistration]) -> Result<(), DbError> {
        let mut c = self.pool.get().await.map_err(pool_err)?;
        let tx = c.transaction().await?;
        let insert = tx
            .prepare_cached(
                "INSERT INTO venues (province_code, id, name, category, commune_code, address,
                     created_at, registered_on)
                 VALUES ($1, $2, $3, $4, $5, $6, now(), $7) ON CONFLICT DO NOTHING",
            )
            .await?;
        for r in venues {
            let v = &r.venue;
            let n = tx
                .execute(
                    &insert,
                    &[
                        &r.province_code,
                        &v.id.as_str(),
                        &v.name,
                        &v.category.as_str(),
                        &v.commune_code,
                        &v.address,
                        &r.registered_on,
                    ],
                )
                .await?;
            if n == 0 {
                // Dropping the transaction rolls every venue back.
                return Err(DbError::Duplicate(format!("venue {}", v.id)));
            }
        }
        tx.commit().await?;
        Ok(())
    }

    async fn list_venues(&self, filter: &UnitFilter) -> Result<Vec<VenueListing>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let [province, district, commune, venue] = filter.parts();
        let rows = c
            .query(
                "SELECT v.id, v.name, v.category, v.commune_code, v.address, v.province_code,
                        m.district_code, v.registered_on, v.created_at
                 FROM venues v
                 LEFT JOIN communes m ON m.province_code = v.province_code AND m.code = v.commune_code
                 WHERE ($1::text IS NULL OR v.province_code = $1)
                   AND ($2::text IS NULL OR m.district_code = $2)
                   AND ($3::text IS NULL OR v.commune_code = $3)
                   AND ($4::text IS NULL OR v.id = $4)
                 ORDER BY v.commune_code, v.name COLLATE \"C\", v.id",
                &[&province, &district, &commune, &venue],
            )
            .await?;
        rows.iter()
            .map(|r| {
                Ok(VenueListing {
                    venue: to_venue(r)?,
                    province_code: r.get(5),
                    district_code: r.get(6),
                    registered_on: r.get(7),
                    created_at: r.get(8),
                })
            })
            .collect()
    }

    async fn venue(&self, id: &VenueId) -> Result<Option<Venue>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        // Ids made by the server name their province: use it to stay on one shard.
        let row = match id.province_code() {
            Some(p) => {
                c.query_opt(
                    "SELECT id, name, category, commune_code, address FROM venues WHERE province_code = $1 AND id = $2",
                    &[&p, &id.as_str()],
                )
                .await?
            }
            None => {
                c.query_opt(
                    "SELECT id, name, category, commune_code, address FROM venues WHERE id = $1",
                    &[&id.as_str()],
                )
                .await?
            }
        };
        row.as_ref().map(to_venue).transpose()
    }

    async fn venues_in_scope(
        &self,
        scope: &Scope,
        province_code: &str,
    ) -> Result<Vec<Venue>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let (venue, commune) = scope_parts(scope);
        let rows = c
            .query(
                "SELECT id, name, category, commune_code, address FROM venues
                 WHERE province_code = $1 AND (id = $2 OR commune_code = $3) ORDER BY id",
                &[&province_code, &venue, &commune],
            )
            .await?;
        rows.iter().map(to_venue).collect()
    }
}
