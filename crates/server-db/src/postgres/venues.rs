//! PostgresDb's VenueStore.

use super::*;
use crate::VenueStore;

#[async_trait]
impl VenueStore for PostgresDb {
    async fn add_venue(&self, venue: &Venue, province_code: &str) -> Result<(), DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let n = c
            .execute(
                "INSERT INTO venues (province_code, id, name, category, commune_code, address, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, now()) ON CONFLICT DO NOTHING",
                &[
                    &province_code,
                    &venue.id.as_str(),
                    &venue.name,
                    &venue.category.as_str(),
                    &venue.commune_code,
                    &venue.address,
                ],
            )
            .await?;
        if n == 0 {
            return Err(DbError::Duplicate(format!("venue {}", venue.id)));
        }
        Ok(())
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
