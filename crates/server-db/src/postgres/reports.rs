//! PostgresDb's ReportStore.

use super::*;
use crate::ReportStore;

#[async_trait]
impl ReportStore for PostgresDb {
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
