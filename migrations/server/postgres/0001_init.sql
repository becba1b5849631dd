-- Central server, PostgreSQL. Every large table carries province_code and
-- includes it in its primary key and unique constraints, so the same schema
-- can be distributed by province on Citus (create_distributed_table(…,
-- 'province_code')) without rework.

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
CREATE INDEX communes_by_code ON communes (code);

CREATE TABLE venues (
    province_code TEXT NOT NULL,
    id            TEXT NOT NULL,
    name          TEXT NOT NULL,
    category      TEXT NOT NULL,
    commune_code  TEXT NOT NULL,
    address       TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (province_code, id)
);
CREATE INDEX venues_by_commune ON venues (province_code, commune_code);
-- Venue ids made elsewhere may not name their province: look them up alone.
CREATE INDEX venues_by_id ON venues (id);

CREATE TABLE enrollment_tokens (
    province_code TEXT NOT NULL,
    token_hash    TEXT NOT NULL,
    venue_id      TEXT,
    commune_code  TEXT,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    used_at       TIMESTAMPTZ,
    used_by       TEXT,
    PRIMARY KEY (province_code, token_hash),
    CHECK ((venue_id IS NULL) <> (commune_code IS NULL))
);
CREATE INDEX enrollment_tokens_by_hash ON enrollment_tokens (token_hash);

CREATE TABLE devices (
    province_code   TEXT NOT NULL,
    id              TEXT NOT NULL,
    credential_hash TEXT NOT NULL,
    venue_id        TEXT,
    commune_code    TEXT,
    label           TEXT,
    enrolled_at     TIMESTAMPTZ NOT NULL,
    last_seen_at    TIMESTAMPTZ,
    last_skew_ms    BIGINT,
    PRIMARY KEY (province_code, id),
    CHECK ((venue_id IS NULL) <> (commune_code IS NULL))
);
CREATE INDEX devices_by_credential ON devices (credential_hash);
CREATE INDEX devices_by_id ON devices (id);

CREATE TABLE records (
    province_code TEXT        NOT NULL,
    id            UUID        NOT NULL,
    kind          TEXT        NOT NULL CHECK (kind IN ('checkin', 'declaration')),
    device_id     UUID        NOT NULL,
    venue_id      TEXT,
    device_time   TIMESTAMPTZ NOT NULL,
    received_at   TIMESTAMPTZ NOT NULL,
    clock_skew_ms BIGINT      NOT NULL,
    content_hash  TEXT        NOT NULL,
    body          TEXT        NOT NULL,
    PRIMARY KEY (province_code, id)
);
CREATE INDEX records_by_venue_time ON records (province_code, venue_id, device_time);
