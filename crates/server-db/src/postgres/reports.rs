//! PostgresDb's ReportStore.

use super::*;
use crate::reports::{count_sql, row_sql, Param, Sql};
use crate::{Area, By, CountQuery, CountRow, ReportStore, RowQuery, TableRow};
use tokio_postgres::types::ToSql;

#[async_trait]
impl ReportStore for PostgresDb {
    async fn count(&self, area: &Area, by: By, q: &CountQuery) -> Result<Vec<CountRow>, DbError> {
        let sql = count_sql(area, by, q);
        let c = self.pool.get().await.map_err(pool_err)?;
        let stmt = c.prepare_cached(&sql.dollar_text()).await?;
        let mut out: Vec<CountRow> = c
            .query(&stmt, &bound(&sql))
            .await?
            .iter()
            .map(|r| CountRow {
                key: r.get(0),
                source: r.get(1),
                n: r.get(2),
            })
            .collect();
        out.sort();
        Ok(out)
    }

    async fn rows(&self, q: &RowQuery) -> Result<Vec<TableRow>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let mut out = Vec::new();
        for (sql, texts) in &row_sql(q) {
            let stmt = c.prepare_cached(&sql.dollar_text()).await?;
            let width = stmt.columns().len();
            for r in c.query(&stmt, &bound(sql)).await? {
                out.push(TableRow {
                    texts: (0..*texts).map(|i| r.get(i)).collect(),
                    numbers: (*texts..width).map(|i| r.get(i)).collect(),
                });
            }
        }
        Ok(out)
    }

    async fn stats(&self) -> Result<Stats, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let r = c
            .query_one(
                "SELECT (SELECT COUNT(*) FROM venues), (SELECT COUNT(*) FROM devices),
                        (SELECT COUNT(*) FROM communes), (SELECT COUNT(*) FROM enrollment_tokens)",
                &[],
            )
            .await?;
        let g = |i: usize| r.get::<_, i64>(i) as u64;
        let mut stats = Stats {
            venues: g(0),
            devices: g(1),
            communes: g(2),
            enrollment_tokens: g(3),
            ..Stats::default()
        };
        for row in c
            .query("SELECT kind, COUNT(*) FROM records GROUP BY kind", &[])
            .await?
        {
            stats.add_records(row.get(0), row.get::<_, i64>(1) as u64);
        }
        Ok(stats)
    }
}

fn bound(sql: &Sql) -> Vec<&(dyn ToSql + Sync)> {
    sql.params
        .iter()
        .map(|p| match p {
            Param::Text(t) => t as &(dyn ToSql + Sync),
            Param::Date(d) => d as &(dyn ToSql + Sync),
            Param::Time(t) => t as &(dyn ToSql + Sync),
        })
        .collect()
}
