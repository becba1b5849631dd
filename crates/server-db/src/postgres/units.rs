//! PostgresDb's UnitStore.

use super::*;
use crate::UnitStore;

#[async_trait]
impl UnitStore for PostgresDb {
    async fn import_units(&self, units: &Units) -> Result<ImportCounts, DbError> {
        let mut c = self.pool.get().await.map_err(pool_err)?;
        let tx = c.transaction().await?;
        let col = |f: &dyn Fn(usize) -> String, n: usize| (0..n).map(f).collect::<Vec<_>>();
        let p = &units.provinces;
        tx.execute(
            "INSERT INTO provinces (code, name, kind) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind",
            &[
                &col(&|i| p[i].code.clone(), p.len()),
                &col(&|i| p[i].name.clone(), p.len()),
                &col(&|i| p[i].kind.clone(), p.len()),
            ],
        )
        .await?;
        let d = &units.districts;
        tx.execute(
            "INSERT INTO districts (province_code, code, name, kind)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
             ON CONFLICT (province_code, code) DO UPDATE SET name = excluded.name, kind = excluded.kind",
            &[
                &col(&|i| d[i].province_code.clone(), d.len()),
                &col(&|i| d[i].code.clone(), d.len()),
                &col(&|i| d[i].name.clone(), d.len()),
                &col(&|i| d[i].kind.clone(), d.len()),
            ],
        )
        .await?;
        let m = &units.communes;
        tx.execute(
            "INSERT INTO communes (province_code, district_code, code, name, kind)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
             ON CONFLICT (province_code, code) DO UPDATE SET district_code = excluded.district_code,
                 name = excluded.name, kind = excluded.kind",
            &[
                &col(&|i| m[i].province_code.clone(), m.len()),
                &col(&|i| m[i].district_code.clone(), m.len()),
                &col(&|i| m[i].code.clone(), m.len()),
                &col(&|i| m[i].name.clone(), m.len()),
                &col(&|i| m[i].kind.clone(), m.len()),
            ],
        )
        .await?;
        tx.execute("UPDATE units_version SET version = version + 1", &[])
            .await?;
        tx.commit().await?;
        Ok(ImportCounts {
            provinces: p.len() as u64,
            districts: d.len() as u64,
            communes: m.len() as u64,
        })
    }

    async fn units(&self) -> Result<Vec<AdminUnit>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let mut out = Vec::new();
        for sql in [
            "SELECT code, NULL::text, name, kind FROM provinces ORDER BY code",
            "SELECT code, province_code, name, kind FROM districts ORDER BY code",
            "SELECT code, district_code, name, kind FROM communes ORDER BY code",
        ] {
            out.extend(c.query(sql, &[]).await?.iter().map(|r| AdminUnit {
                code: r.get(0),
                parent: r.get(1),
                name: r.get(2),
                kind: r.get(3),
            }));
        }
        Ok(out)
    }

    async fn units_version(&self) -> Result<i64, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let stmt = c
            .prepare_cached("SELECT COALESCE(MAX(version), 0)::BIGINT FROM units_version")
            .await?;
        Ok(c.query_one(&stmt, &[]).await?.get(0))
    }

    async fn commune(&self, code: &str) -> Result<Option<Commune>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let row = c
            .query_opt(
                "SELECT province_code, district_code, code, name, kind FROM communes WHERE code = $1",
                &[&code],
            )
            .await?;
        Ok(row.map(|r| Commune {
            province_code: r.get(0),
            district_code: r.get(1),
            code: r.get(2),
            name: r.get(3),
            kind: r.get(4),
        }))
    }
}
