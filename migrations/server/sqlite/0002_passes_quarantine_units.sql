-- 0002: the visitor-pass key of each device, quarantine and health-update
-- records, and a stamp that changes with every import of administrative units.

-- Ed25519 public key (standard base64 of 32 bytes) the device signs visitor
-- passes with; listed to the devices of its province in their sync config.
ALTER TABLE devices ADD COLUMN pass_key TEXT;
CREATE INDEX devices_pass_keys ON devices (province_code, enrolled_at) WHERE pass_key IS NOT NULL;

-- SQLite cannot change a CHECK in place: rebuild records with the wider one
-- (same columns, same key, same index).
CREATE TABLE records_new (
    province_code TEXT    NOT NULL,
    id            TEXT    NOT NULL,
    kind          TEXT    NOT NULL
        CHECK (kind IN ('checkin', 'declaration', 'quarantine', 'health_update')),
    device_id     TEXT    NOT NULL,
    venue_id      TEXT,
    device_time   TEXT    NOT NULL,
    received_at   TEXT    NOT NULL,
    -- Server clock minus device clock at receipt: reports correct device_time with it.
    clock_skew_ms INTEGER NOT NULL,
    content_hash  TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    PRIMARY KEY (province_code, id)
) WITHOUT ROWID;
INSERT INTO records_new (province_code, id, kind, device_id, venue_id, device_time,
                         received_at, clock_skew_ms, content_hash, body)
    SELECT province_code, id, kind, device_id, venue_id, device_time,
           received_at, clock_skew_ms, content_hash, body
    FROM records;
DROP TABLE records;
ALTER TABLE records_new RENAME TO records;
CREATE INDEX records_by_venue_time ON records (province_code, venue_id, device_time);

-- One row; `admin import-units` bumps it, so a server caching the units list
-- for devices knows when to build it again (imports run in another process).
CREATE TABLE units_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO units_version (id, version) VALUES (1, 0);
