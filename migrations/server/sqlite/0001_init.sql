-- Central server, SQLite (the embedded default). Same tables and keys as the
-- PostgreSQL schema: every large table is keyed by (province_code, …).

CREATE TABLE provinces (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL
);

CREATE TABLE districts (
    province_code TEXT NOT NULL,
    code          TEXT NOT NULL,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    PRIMARY KEY (province_code, code)
);

CREATE TABLE communes (
    province_code TEXT NOT NULL,
    district_code TEXT NOT NULL,
    code          TEXT NOT NULL,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    PRIMARY KEY (province_code, code)
);
-- Commune codes are unique nationwide; venue creation looks them up alone.
CREATE INDEX communes_by_code ON communes (code);

CREATE TABLE venues (
    province_code TEXT NOT NULL,
    id            TEXT NOT NULL,
    name          TEXT NOT NULL,
    category      TEXT NOT NULL,
    commune_code  TEXT NOT NULL,
    address       TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (province_code, id)
);
CREATE INDEX venues_by_commune ON venues (province_code, commune_code);
-- Venue ids made elsewhere may not name their province: look them up alone.
CREATE INDEX venues_by_id ON venues (id);

-- Single-use enrollment tokens; only the SHA-256 of the token text is kept.
CREATE TABLE enrollment_tokens (
    province_code TEXT NOT NULL,
    token_hash    TEXT NOT NULL,
    venue_id      TEXT,
    commune_code  TEXT,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT,
    used_by       TEXT,
    PRIMARY KEY (province_code, token_hash),
    CHECK ((venue_id IS NULL) <> (commune_code IS NULL))
);
CREATE INDEX enrollment_tokens_by_hash ON enrollment_tokens (token_hash);

-- Enrolled devices; only the SHA-256 of the credential is kept.
CREATE TABLE devices (
    province_code   TEXT NOT NULL,
    id              TEXT NOT NULL,
    credential_hash TEXT NOT NULL,
    venue_id        TEXT,
    commune_code    TEXT,
    label           TEXT,
    enrolled_at     TEXT NOT NULL,
    last_seen_at    TEXT,
    last_skew_ms    INTEGER,
    PRIMARY KEY (province_code, id),
    CHECK ((venue_id IS NULL) <> (commune_code IS NULL))
);
CREATE INDEX devices_by_credential ON devices (credential_hash);
CREATE INDEX devices_by_id ON devices (id);

-- Every record once: the device-made UUIDv7 is the idempotency key.
CREATE TABLE records (
    province_code TEXT    NOT NULL,
    id            TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('checkin', 'declaration')),
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
CREATE INDEX records_by_venue_time ON records (province_code, venue_id, device_time);
