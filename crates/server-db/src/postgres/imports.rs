//! PostgresDb's ImportStore.

use super::*;
use crate::imports::{ImportStore, Population, ReportedFigure, RosterMember};
use std::collections::BTreeSet;

#[async_trait]
impl ImportStore for PostgresDb {
    async fn import_populations(&self, rows: &[Population]) -> Result<u64, DbError> {
        let mut c = self.pool.get().await.map_err(pool_err)?;
        let tx = c.transaction().await?;
        let up = tx
            .prepare_cached(
                "INSERT INTO populations (province_code, unit_code, population) VALUES ($1, $2, $3)
                 ON CONFLICT (province_code, unit_code) DO UPDATE SET population = excluded.population",
            )
            .await?;
        for r in rows {
            tx.execute(&up, &[&r.province_code, &r.unit_code, &r.population])
                .await?;
        }
        tx.commit().await?;
        Ok(rows.len() as u64)
    }

    async fn populations(&self, province: &str) -> Result<Vec<Population>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let rows = c
            .query(
                "SELECT province_code, unit_code, population FROM populations
                 WHERE province_code = $1 ORDER BY unit_code",
                &[&province],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| Population {
                province_code: r.get(0),
                unit_code: r.get(1),
                population: r.get(2),
            })
            .collect())
    }

    async fn import_roster(&self, rows: &[RosterMember]) -> Result<u64, DbError> {
        let mut c = self.pool.get().await.map_err(pool_err)?;
        let tx = c.transaction().await?;
        let agencies: BTreeSet<(&str, &str, &str)> = rows
            .iter()
            .map(|r| {
                (
                    r.province_code.as_str(),
                    r.commune_code.as_str(),
                    r.agency.as_str(),
                )
            })
            .collect();
        let clear = tx
            .prepare_cached(
                "DELETE FROM roster WHERE province_code = $1 AND commune_code = $2 AND agency = $3",
            )
            .await?;
        for (p, c, a) in agencies {
            tx.execute(&clear, &[&p, &c, &a]).await?;
        }
        let add = tx
            .prepare_cached(
                "INSERT INTO roster (province_code, commune_code, agency, line, full_name, person_key)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .await?;
        for (line, r) in rows.iter().enumerate() {
            tx.execute(
                &add,
                &[
                    &r.province_code,
                    &r.commune_code,
                    &r.agency,
                    &(line as i64 + 1),
                    &r.full_name,
                    &r.person_key,
                ],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(rows.len() as u64)
    }

    async fn import_reported(&self, rows: &[ReportedFigure]) -> Result<u64, DbError> {
        let mut c = self.pool.get().await.map_err(pool_err)?;
        let tx = c.transaction().await?;
        let up = tx
            .prepare_cached(
                "INSERT INTO reported_figures (province_code, commune_code, agency, local_date, reported)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (province_code, commune_code, agency, local_date)
                 DO UPDATE SET reported = excluded.reported",
            )
            .await?;
        for r in rows {
            tx.execute(
                &up,
                &[
                    &r.province_code,
                    &r.commune_code,
                    &r.agency,
                    &r.date,
                    &r.reported,
                ],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(rows.len() as u64)
    }
}
