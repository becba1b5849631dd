//! SqliteDb's VenueStore.

use super::*;
use crate::{UnitFilter, VenueListing, VenueRegistration, VenueStore};

#[async_trait]
impl VenueStore for SqliteDb {
    async fn add_venues(&self, venues: &[VenueRegistration]) -> Result<(), DbError> {
        let venues = venues.to_vec();
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            {
                let now = ts(Utc::now());
                let mut insert = tx.prepare_cached(
                    "INSERT INTO venues (province_code, id, name, category, commune_code, address,
                         created_at, registered_on)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING",
                )?;
                for r in &venues {
                    let v = &r.venue;
                    let n = insert.execute(params![
                        r.province_code,
                        v.id.as_str(),
                        v.name,
                        v.category.as_str(),
                        v.commune_code,
                        v.address,
                        now,
                        r.registered_on.format("%Y-%m-%d").to_string(),
                    ])?;
                    if n == 0 {
                        // Dropping the transaction rolls every venue back.
                        return Err(DbError::Duplicate(format!("venue {}", v.id)));
                    }
                }
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn list_venues(&self, filter: &UnitFilter) -> Result<Vec<VenueListing>, DbError> {
        let filter = filter.clone();
        self.run(move |c| {
            let mut stmt = c.prepare(
                "SELECT v.id, v.name, v.category, v.commune_code, v.address, v.province_code,
                        m.district_code, v.registered_on, v.created_at
                 FROM venues v
                 LEFT JOIN communes m ON m.province_code = v.province_code AND m.code = v.commune_code
                 WHERE (?1 IS NULL OR v.province_code = ?1)
                   AND (?2 IS NULL OR m.district_code = ?2)
                   AND (?3 IS NULL OR v.commune_code = ?3)
                   AND (?4 IS NULL OR v.id = ?4)
                 ORDER BY v.commune_code, v.name, v.id",
            )?;
            let mut rows = stmt.query(rusqlite::params_from_iter(filter.parts()))?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                let venue = to_venue(venue_from_row(r)?)?;
                let date: String = r.get(7)?;
                out.push(VenueListing {
                    venue,
                    province_code: r.get(5)?,
                    district_code: r.get(6)?,
                    registered_on: parse_date(&date, "registration date")?,
                    created_at: parse_ts(&r.get::<_, String>(8)?)?,
                });
            }
            Ok(out)
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
