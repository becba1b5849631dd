-- 0006: contact tracing reads records by venue and by person within a
-- time window; every lookup is written to the audit log first.

-- Venue lookups by visit time. It replaces the index by local date, which
-- no query reads since reports count daily_counts: one index either way,
-- so ingest pays nothing more for it.
DROP INDEX records_by_venue_date;
CREATE INDEX records_by_venue_visit ON records (province_code, venue_id, visit_time);
-- Person lookups. Partial: the purge clears person_key, and the index
-- forgets the record with it.
CREATE INDEX records_by_person ON records (province_code, person_key, visit_time)
    WHERE person_key IS NOT NULL;

-- Who looked up whom or where, when and why. The query is kept as asked
-- (an official may have to answer for it); the results are not.
CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    province_code TEXT    NOT NULL,
    at            TEXT    NOT NULL,
    login         TEXT    NOT NULL,
    area_code     TEXT    NOT NULL,
    action        TEXT    NOT NULL,
    reason        TEXT    NOT NULL,
    query         TEXT    NOT NULL,
    results       INTEGER NOT NULL
);
CREATE INDEX audit_log_by_province ON audit_log (province_code, id);
