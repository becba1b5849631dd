//! SqliteDb's ReportStore.

use super::*;
use crate::reports::{count_sql, row_sql, Param, Sql};
use crate::{Area, By, CountQuery, CountRow, ReportStore, RowQuery, TableRow};

fn bound(sql: &Sql) -> Vec<String> {
    sql.params
        .iter()
        .map(|p| match p {
            Param::Text(t) => t.clone(),
            Param::Date(d) => d.format("%Y-%m-%d").to_string(),
            Param::Time(t) => record_ts(*t),
        })
        .collect()
}

#[async_trait]
impl ReportStore for SqliteDb {
    async fn count(&self, area: &Area, by: By, q: &CountQuery) -> Result<Vec<CountRow>, DbError> {
        let sql = count_sql(area, by, q);
        self.run(move |c| {
            let params = bound(&sql);
            let mut stmt = c.prepare_cached(&sql.text)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                out.push(CountRow {
                    key: r.get(0)?,
                    source: r.get(1)?,
                    n: r.get(2)?,
                });
            }
            out.sort();
            Ok(out)
        })
        .await
    }

    async fn rows(&self, q: &RowQuery) -> Result<Vec<TableRow>, DbError> {
        let statements = row_sql(q);
        self.run(move |c| {
            let mut out = Vec::new();
            for (sql, texts) in &statements {
                let mut stmt = c.prepare_cached(&sql.text)?;
                let width = stmt.column_count();
                let mut rows = stmt.query(rusqlite::params_from_iter(bound(sql)))?;
                while let Some(r) = rows.next()? {
                    out.push(TableRow {
                        texts: (0..*texts).map(|i| r.get(i)).collect::<Result<_, _>>()?,
                        numbers: (*texts..width)
                            .map(|i| r.get(i))
                            .collect::<Result<_, _>>()?,
                    });
                }
            }
            Ok(out)
        })
        .await
    }

    async fn stats(&self) -> Result<Stats, DbError> {
        self.run(|c| {
            let count = |sql: &str| -> Result<u64, DbError> {
                Ok(c.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
            };
            let mut stats = Stats {
                venues: count("SELECT COUNT(*) FROM venues")?,
                devices: count("SELECT COUNT(*) FROM devices")?,
                communes: count("SELECT COUNT(*) FROM communes")?,
                enrollment_tokens: count("SELECT COUNT(*) FROM enrollment_tokens")?,
                ..Stats::default()
            };
            let mut stmt = c.prepare("SELECT kind, COUNT(*) FROM records GROUP BY kind")?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
            for row in rows {
                let (kind, n) = row?;
                stats.add_records(&kind, n as u64);
            }
            Ok(stats)
        })
        .await
    }
}
