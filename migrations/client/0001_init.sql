-- The device's store. The outbox is the source of truth for what must reach
-- the server; the typed tables beside it serve local screens and searches.

CREATE TABLE device (
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    device_id   TEXT    NOT NULL,
    -- Next value of the device's own record counter. Never reused, even after
    -- old records are purged, so (device_id, device_seq) names one record.
    next_seq    INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT    NOT NULL
);

CREATE TABLE outbox (
    seq         INTEGER PRIMARY KEY,
    record_id   TEXT    NOT NULL UNIQUE,
    kind        TEXT    NOT NULL CHECK (kind IN ('checkin', 'declaration')),
    -- The record as JSON, byte for byte what is sent: a resend after a crash
    -- carries the same content, so the server sees a duplicate, not a conflict.
    body        TEXT    NOT NULL,
    state       TEXT    NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'sent', 'acknowledged', 'rejected', 'conflict')),
    reason      TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT    NOT NULL,
    sent_at     TEXT,
    settled_at  TEXT
);
CREATE INDEX outbox_by_state ON outbox (state, seq);

CREATE TABLE checkins (
    record_id    TEXT PRIMARY KEY REFERENCES outbox (record_id),
    venue_id     TEXT NOT NULL,
    direction    TEXT NOT NULL,
    source       TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    identity_key TEXT,
    verdict      TEXT NOT NULL,
    device_time  TEXT NOT NULL
);
CREATE INDEX checkins_by_time ON checkins (device_time);
CREATE INDEX checkins_by_person ON checkins (identity_key);

CREATE TABLE declarations (
    record_id    TEXT PRIMARY KEY REFERENCES outbox (record_id),
    venue_id     TEXT,
    source       TEXT NOT NULL,
    full_name    TEXT NOT NULL,
    identity_key TEXT,
    verdict      TEXT NOT NULL,
    device_time  TEXT NOT NULL
);
CREATE INDEX declarations_by_person ON declarations (identity_key);

-- Small typed settings (server URL, enrollment state); secrets are stored
-- here only as the device credential the server issued for this device.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
