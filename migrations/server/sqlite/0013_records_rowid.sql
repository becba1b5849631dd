-- 0013: records in a rowid table, keyed by a unique index on (province,
-- id, device). As a WITHOUT ROWID table the whole record body (1-2 KB) sat
-- in the key's b-tree, a few records per page, and every secondary index
-- entry carried the 80-byte key; rows now append in arrival order and the
-- indexes point at 8-byte rowids.
CREATE TABLE records_new (
    province_code TEXT    NOT NULL,
    id            TEXT    NOT NULL,
    kind          TEXT    NOT NULL
        CHECK (kind IN ('checkin', 'declaration', 'quarantine', 'health_update')),
    device_id     TEXT    NOT NULL,
    venue_id      TEXT,
    device_time   TEXT    NOT NULL,
    local_date    TEXT,
    received_at   TEXT    NOT NULL,
    clock_skew_ms INTEGER NOT NULL,
    content_hash  TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    commune_code  TEXT,
    source        TEXT,
    direction     TEXT,
    level         TEXT,
    visit_time    TEXT,
    person_key    TEXT
);
INSERT INTO records_new (province_code, id, kind, device_id, venue_id, device_time, local_date,
                         received_at, clock_skew_ms, content_hash, body, commune_code, source,
                         direction, level, visit_time, person_key)
    SELECT province_code, id, kind, device_id, venue_id, device_time, local_date,
           received_at, clock_skew_ms, content_hash, body, commune_code, source,
           direction, level, visit_time, person_key
    FROM records ORDER BY province_code, id, device_id;
DROP TABLE records;
ALTER TABLE records_new RENAME TO records;
CREATE UNIQUE INDEX records_key ON records (province_code, id, device_id);
CREATE INDEX records_by_venue_visit ON records (province_code, venue_id, visit_time);
CREATE INDEX records_by_person ON records (province_code, person_key, visit_time)
    WHERE person_key IS NOT NULL;
