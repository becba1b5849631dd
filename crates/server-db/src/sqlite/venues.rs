//! SqliteDb's VenueStore.

use super::*;
use crate::VenueStore;

#[async_trait]
impl VenueStore for SqliteDb {
    async fn add_venue(&self, venue: &Venue, province_code: &str) -> Result<(), DbError> {
        let v = venue.clone();
        let p = province_code.to_string();
        self.run(move |c| {
            let n = c.execute(
                "INSERT INTO venues (province_code, id, name, category, commune_code, address, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
                params![p, v.id.as_str(), v.name, v.category.as_str(), v.commune_code, v.address, ts(Utc::now())],
            )?;
            if n == 0 {
                return Err(DbError::Duplicate(format!("venue {}", v.id)));
            }
            Ok(())
        })
        .await
    }

    async fn venue(&self, id: &VenueId) -> Result<Option<Venue>, DbError> {
        let id = id.clone();
        self.run(move |c| {
            let row = c
                .query_row(
                    "SELECT id, name, category, commune_code, address FROM venues WHERE id = ?1",
                    [id.as_str()],
                    venue_from_row,
                )
                .optional()?;
            row.map(to_venue).transpose()
        })
        .await
    }

    async fn venues_in_scope(
        &self,
        scope: &Scope,
        province_code: &str,
    ) -> Result<Vec<Venue>, DbError> {
        let scope = scope.clone();
        let p = province_code.to_string();
        self.run(move |c| {
            let (venue, commune) = scope_parts(&scope);
            let mut stmt = c.prepare_cached(
                "SELECT id, name, category, commune_code, address FROM venues
                 WHERE province_code = ?1 AND (id = ?2 OR commune_code = ?3) ORDER BY id",
            )?;
            let rows = stmt.query_map(params![p, venue, commune], venue_from_row)?;
            let mut out = Vec::new();
            for row in rows {
                out.push(to_venue(row?)?);
            }
            Ok(out)
        })
        .await
    }
}
