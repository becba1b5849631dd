//! SqliteDb's ImportStore.

use super::*;
use crate::imports::{ImportStore, Population, ReportedFigure, RosterMember};
use std::collections::BTreeSet;

#[async_trait]
impl ImportStore for SqliteDb {
    async fn import_populations(&self, rows: &[Population]) -> Result<u64, DbError> {
        let rows = rows.to_vec();
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            {
                let mut up = tx.prepare_cached(
                    "INSERT INTO populations (province_code, unit_code, population) VALUES (?1, ?2, ?3)
                     ON CONFLICT (province_code, unit_code) DO UPDATE SET population = excluded.population",
                )?;
                for r in &rows {
                    up.execute(params![r.province_code, r.unit_code, r.population])?;
                }
            }
            tx.commit()?;
            Ok(rows.len() as u64)
        })
        .await
    }

    async fn populations(&self, province: &str) -> Result<Vec<Population>, DbError> {
        let province = province.to_string();
        self.run(move |c| {
            let mut q = c.prepare_cached(
                "SELECT province_code, unit_code, population FROM populations
                 WHERE province_code = ?1 ORDER BY unit_code",
            )?;
            let rows = q.query_map([&province], |r| {
                Ok(Population {
                    province_code: r.get(0)?,
                    unit_code: r.get(1)?,
                    population: r.get(2)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    async fn import_roster(&self, rows: &[RosterMember]) -> Result<u64, DbError> {
        let rows = rows.to_vec();
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            {
                let agencies: BTreeSet<(&str, &str, &str)> = rows
                    .iter()
                    .map(|r| (r.province_code.as_str(), r.commune_code.as_str(), r.agency.as_str()))
                    .collect();
                let mut clear = tx.prepare_cached(
                    "DELETE FROM roster WHERE province_code = ?1 AND commune_code = ?2 AND agency = ?3",
                )?;
                for (p, c, a) in agencies {
                    clear.execute(params![p, c, a])?;
                }
                let mut add = tx.prepare_cached(
                    "INSERT INTO roster (province_code, commune_code, agency, line, full_name, person_key)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?;
                for (line, r) in rows.iter().enumerate() {
                    add.execute(params![
                        r.province_code,
                        r.commune_code,
                        r.agency,
                        line as i64 + 1,
                        r.full_name,
                        r.person_key
                    ])?;
                }
            }
            tx.commit()?;
            Ok(rows.len() as u64)
        })
        .await
    }

    async fn import_reported(&self, rows: &[ReportedFigure]) -> Result<u64, DbError> {
        let rows = rows.to_vec();
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            {
                let mut up = tx.prepare_cached(
                    "INSERT INTO reported_figures (province_code, commune_code, agency, local_date, reported)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (province_code, commune_code, agency, local_date)
                     DO UPDATE SET reported = excluded.reported",
                )?;
                for r in &rows {
                    up.execute(params![
                        r.province_code,
                        r.commune_code,
                        r.agency,
                        r.date.format("%Y-%m-%d").to_string(),
                        r.reported
                    ])?;
                }
            }
            tx.commit()?;
            Ok(rows.len() as u64)
        })
        .await
    }
}
