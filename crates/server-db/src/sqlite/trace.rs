//! SqliteDb's TraceStore.

use super::*;
use crate::tracing_store::{AuditEntry, TraceStore, Visit, VisitsBy, MAX_TRACE_ROWS};

const VISIT_COLUMNS: &str =
    "id, venue_id, commune_code, direction, source, visit_time, person_key, body";

fn visit(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Visit, String)> {
    Ok((
        Visit {
            record_id: r.get(0)?,
            venue_id: r.get(1)?,
            commune_code: r.get(2)?,
            direction: r.get(3)?,
            source: r.get(4)?,
            visit_time: DateTime::<Utc>::MIN_UTC,
            person_key: r.get(6)?,
            body: r.get(7)?,
        },
        r.get(5)?,
    ))
}

impl SqliteDb {
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
        let sql = format!(
            "SELECT {VISIT_COLUMNS} FROM records
             WHERE province_code = ?1 AND {} AND visit_time >= ?3
               AND visit_time <= ?4 AND body <> ''
             ORDER BY visit_time, id LIMIT ?5",
            by.filter()
        );
        let (p, k) = (province_code.to_string(), key.to_string());
        self.run(move |c| {
            let mut stmt = c.prepare_cached(&sql)?;
            let limit = MAX_TRACE_ROWS as i64 + 1;
            let rows =
                stmt.query_map(params![p, k, record_ts(from), record_ts(to), limit], visit)?;
            let mut out = Vec::new();
            for row in rows {
                let (mut v, at) = row?;
                v.visit_time = parse_ts(&at)?;
                out.push(v);
            }
            Ok(out)
        })
        .await
    }
}

#[async_trait]
impl TraceStore for SqliteDb {
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
        let e = e.clone();
        self.run(move |c| {
            c.execute(
                "INSERT INTO audit_log (province_code, at, login, area_code, action, reason, query, results)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![e.province_code, ts(e.at), e.login, e.area_code, e.action, e.reason, e.query, e.results],
            )?;
            Ok(c.last_insert_rowid())
        })
        .await
    }

    async fn audit_log(
        &self,
        province_code: &str,
        limit: usize,
    ) -> Result<Vec<AuditEntry>, DbError> {
        let p = province_code.to_string();
        self.run(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT id, province_code, at, login, area_code, action, reason, query, results
                 FROM audit_log WHERE province_code = ?1 ORDER BY id DESC LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![p, limit as i64], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, i64>(8)?,
                ))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (id, province_code, at, login, area_code, action, reason, query, results) =
                    row?;
                out.push(AuditEntry {
                    id,
                    province_code,
                    at: parse_ts(&at)?,
                    login,
                    area_code,
                    action,
                    reason,
                    query,
                    results,
                });
            }
            Ok(out)
        })
        .await
    }
}
