//! Contact tracing: the check-ins at a venue, or of a person, within a
//! window; and the audit log every lookup is written to first.

use crate::DbError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A stored check-in as tracing reads it; `body` is the record as the
/// device sent it (empty once purged, and then the row is not returned).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    pub record_id: String,
    pub venue_id: Option<String>,
    pub commune_code: Option<String>,
    pub direction: Option<String>,
    pub source: Option<String>,
    pub visit_time: DateTime<Utc>,
    pub person_key: Option<String>,
    pub body: String,
}

/// One lookup, as the audit log keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    /// Assigned by the store; 0 in an entry being added.
    pub id: i64,
    pub province_code: String,
    pub at: DateTime<Utc>,
    pub login: String,
    /// The official's area when they asked.
    pub area_code: String,
    /// `trace_venue` or `trace_person`.
    pub action: String,
    pub reason: String,
    /// What was asked (JSON text: venue or person, window).
    pub query: String,
    pub results: i64,
}

/// What a tracing read is keyed by: the same query either way, only the
/// filter differs (a venue's check-ins; any record of a person).
#[derive(Debug, Clone, Copy)]
pub(crate) enum VisitsBy {
    Venue,
    Person,
}

impl VisitsBy {
    /// The filter on the key, bound as parameter 2 (SQLite's spelling).
    pub(crate) fn filter(self) -> &'static str {
        match self {
            VisitsBy::Venue => "venue_id = ?2 AND kind = 'checkin'",
            VisitsBy::Person => "person_key = ?2",
        }
    }
}

/// Rows a tracing lookup returns at most: a window wider than this many
/// check-ins is refused rather than half-answered.
pub const MAX_TRACE_ROWS: usize = 20_000;

#[async_trait]
pub trait TraceStore: Send + Sync {
    /// Check-ins at `venue_id` whose visit time is in `[from, to]`, in time
    /// order; purged records are left out.
    async fn visits_at_venue(
        &self,
        province_code: &str,
        venue_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Visit>, DbError>;

    /// Check-ins and declarations of `person_key` with a visit time in
    /// `[from, to]`, in time order.
    async fn visits_of_person(
        &self,
        province_code: &str,
        person_key: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Visit>, DbError>;

    /// Appends to the audit log; returns the entry's id.
    async fn add_audit(&self, entry: &AuditEntry) -> Result<i64, DbError>;

    /// The province's audit log, newest first, at most `limit` entries.
    async fn audit_log(
        &self,
        province_code: &str,
        limit: usize,
    ) -> Result<Vec<AuditEntry>, DbError>;
}
