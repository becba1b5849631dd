//! SqliteDb's ReportStore.

use super::*;
use crate::ReportStore;

#[async_trait]
impl ReportStore for SqliteDb {
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
