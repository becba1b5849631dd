//! PostgresDb's TraceStore.

use super::*;
use crate::tracing_store::{AuditEntry, TraceStore, Visit, VisitsBy, MAX_TRACE_ROWS};

const VISIT_COLUMNS: &str =
    "id::text, venue_id, commune_code, direction, source, visit_time, person_key, body";

fn visit(r: &tokio_postgres::Row) -> Visit {
    Visit {
        record_id: r.get(0),
        venue_id: r.get(1),
        commune_code: r.get(2),
        direction: r.get(3),
        source: r.get(4),
        visit_time: r.get(5),
        person_key: r.get(6),
        body: r.get(7),
    }
}

impl PostgresDb {
    /// Unpurged records of one venue (check-ins) or one person within a
    /// window, in time order, one row more than the cap.
    async fn visits(
        &self,
        by: VisitsBy,
        province_code: &str,
        key: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Visit>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let sql = format!(
            "SELECT {VISIT_COLUMNS} FROM records
             WHERE province_code = $1 AND {} AND visit_time >= $3
               AND visit_time <= $4 AND body <> ''
             ORDER BY visit_time, id LIMIT $5",
            by.filter().replace("?2", "$2")
        );
        let limit = MAX_TRACE_ROWS as i64 + 1;
        let rows = c
            .query(&sql, &[&province_code, &key, &from, &to, &limit])
            .await?;
        Ok(rows.iter().map(visit).collect())
    }
}

#[async_trait]
impl TraceStore for PostgresDb {
    async fn visits_at_venue(
        &self,
        province_code: &str,
        venue_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Visit>, DbError> {
        self.visits(VisitsBy::Venue, province_code, venue_id, from, to)
            .await
    }

    async fn visits_of_person(
        &self,
        province_code: &str,
        person_key: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Visit>, DbError> {
        self.visits(VisitsBy::Person, province_code, person_key, from, to)
            .await
    }

    async fn add_audit(&self, e: &AuditEntry) -> Result<i64, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let r = c
            .query_one(
                "INSERT INTO audit_log (province_code, at, login, area_code, action, reason, query, results)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                &[&e.province_code, &e.at, &e.login, &e.area_code, &e.action, &e.reason, &e.query, &e.results],
            )
            .await?;
        Ok(r.get(0))
    }

    async fn audit_log(
        &self,
        province_code: &str,
        limit: usize,
    ) -> Result<Vec<AuditEntry>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        let rows = c
            .query(
                "SELECT id, province_code, at, login, area_code, action, reason, query, results
                 FROM audit_log WHERE province_code = $1 ORDER BY id DESC LIMIT $2",
                &[&province_code, &(limit as i64)],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| AuditEntry {
                id: r.get(0),
                province_code: r.get(1),
                at: r.get(2),
                login: r.get(3),
                area_code: r.get(4),
                action: r.get(5),
                reason: r.get(6),
                query: r.get(7),
                results: r.get(8),
            })
            .collect())
    }
}
