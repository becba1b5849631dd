-- 0003: record ids are keys per device; record times as UTC instants plus the
-- device's local date; device revocation.

-- An administrator's revocation: the credential is kept so the server can
-- tell a revoked device (401 device_revoked) from an unknown one.
ALTER TABLE devices ADD COLUMN revoked_at TEXT;

-- SQLite cannot change a primary key in place: rebuild records keyed by
-- (province, device, id), so no device can block or alter another's record
-- by sending its id first.
CREATE TABLE records_new (
    province_code TEXT    NOT NULL,
    id            TEXT    NOT NULL,
    kind          TEXT    NOT NULL
        CHECK (kind IN ('checkin', 'declaration', 'quarantine', 'health_update')),
    device_id     TEXT    NOT NULL,
    venue_id      TEXT,
    -- UTC, YYYY-MM-DDTHH:MM:SS.ffffffZ: one width, so text order is time
    -- order, and the same instant PostgreSQL's timestamptz keeps.
    device_time   TEXT    NOT NULL,
    -- YYYY-MM-DD on the device's own clock (its UTC offset) at device_time:
    -- the day a report counts the record in.
    local_date    TEXT,
    received_at   TEXT    NOT NULL,
    -- Server clock minus device clock at receipt: reports correct device_time with it.
    clock_skew_ms INTEGER NOT NULL,
    content_hash  TEXT    NOT NULL,
    body          TEXT    NOT NULL,
    -- The id before the device: ids are time-ordered (UUIDv7), so new
    -- records land at the end of the table's b-tree from every device
    -- at once instead of in 200 places (a fifth of the ingest rate).
    PRIMARY KEY (province_code, id, device_id)
) WITHOUT ROWID;
-- Times were kept with the device's offset and to the millisecond
-- (2024-01-01T06:30:00.123+07:00): the date before the T is the local date,
-- and strftime gives the UTC instant. A time SQLite cannot read (a year
-- outside 0000-9999, stored before the server checked times) is kept as it
-- was, with no local date, rather than lost.
INSERT INTO records_new (province_code, id, kind, device_id, venue_id, device_time, local_date,
                         received_at, clock_skew_ms, content_hash, body)
    SELECT province_code, id, kind, device_id, venue_id,
           COALESCE(strftime('%Y-%m-%dT%H:%M:%f', device_time) || '000Z', device_time),
           CASE WHEN device_time GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*'
                THEN substr(device_time, 1, 10) END,
           received_at, clock_skew_ms, content_hash, body
    FROM records;
DROP TABLE records;
ALTER TABLE records_new RENAME TO records;
-- One index for reports by venue, by day (local_date) and by time within it;
-- a time range [t1, t2] reads the dates from t1's minus one to t2's plus one
-- (offsets are within a day) and filters on device_time. It replaces the
-- (venue, device_time) index: a second index cost a fifth of the ingest rate.
CREATE INDEX records_by_venue_date ON records (province_code, venue_id, local_date, device_time);
