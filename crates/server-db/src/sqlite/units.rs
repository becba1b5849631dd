//! SqliteDb's UnitStore.

use super::*;
use crate::UnitStore;

#[async_trait]
impl UnitStore for SqliteDb {
    async fn import_units(&self, units: &Units) -> Result<ImportCounts, DbError> {
        let units = units.clone();
        self.run(move |c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            {
                let mut p = tx.prepare(
                    "INSERT INTO provinces (code, name, kind) VALUES (?1, ?2, ?3)
                     ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind",
                )?;
                for x in &units.provinces {
                    p.execute(params![x.code, x.name, x.kind])?;
                }
                let mut d = tx.prepare(
                    "INSERT INTO districts (province_code, code, name, kind) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (province_code, code) DO UPDATE SET name = excluded.name, kind = excluded.kind",
                )?;
                for x in &units.districts {
                    d.execute(params![x.province_code, x.code, x.name, x.kind])?;
                }
                let mut m = tx.prepare(
                    "INSERT INTO communes (province_code, district_code, code, name, kind) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (province_code, code) DO UPDATE SET district_code = excluded.district_code,
                         name = excluded.name, kind = excluded.kind",
                )?;
                for x in &units.communes {
                    m.execute(params![x.province_code, x.district_code, x.code, x.name, x.kind])?;
                }
            }
            tx.execute("UPDATE units_version SET version = version + 1", [])?;
            tx.commit()?;
            Ok(ImportCounts {
                provinces: units.provinces.len() as u64,
                districts: units.districts.len() as u64,
                communes: units.communes.len() as u64,
            })
        })
        .await
    }

    async fn units(&self) -> Result<Vec<AdminUnit>, DbError> {
        self.run(|c| {
            let mut out = Vec::new();
            for sql in [
                "SELECT code, NULL, name, kind FROM provinces ORDER BY code",
                "SELECT code, province_code, name, kind FROM districts ORDER BY code",
                "SELECT code, district_code, name, kind FROM communes ORDER BY code",
            ] {
                let mut stmt = c.prepare_cached(sql)?;
                let rows = stmt.query_map([], |r| {
                    Ok(AdminUnit {
                        code: r.get(0)?,
                        parent: r.get(1)?,
                        name: r.get(2)?,
                        kind: r.get(3)?,
                    })
                })?;
                for row in rows {
                    out.push(row?);
                }
            }
            Ok(out)
        })
        .await
    }

    async fn units_version(&self) -> Result<i64, DbError> {
        self.run(|c| {
            Ok(c.query_row(
                "SELECT COALESCE(MAX(version), 0) FROM units_version",
                [],
                |r| r.get(0),
            )?)
        })
        .await
    }

    async fn commune(&self, code: &str) -> Result<Option<Commune>, DbError> {
        let code = code.to_string();
        self.run(move |c| {
            Ok(c.query_row(
                "SELECT province_code, district_code, code, name, kind FROM communes WHERE code = ?1",
                [code],
                |r| {
                    Ok(Commune {
                        province_code: r.get(0)?,
                        district_code: r.get(1)?,
                        code: r.get(2)?,
                        name: r.get(3)?,
                        kind: r.get(4)?,
                    })
                },
            )
            .optional()?)
        })
        .await
    }
}
