//! Central endpoint: enrollment, idempotent ingest, venues, reports, dashboard
