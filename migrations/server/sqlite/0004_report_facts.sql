-- 0004: what reports count by, kept as records arrive. Rows stored before
-- this get their facts from their bodies in the same transaction (the
-- server's Rust code does that after this script, with the code ingest uses).

-- A venue is a QR point from the day it was registered (imports carry the
-- province's own date; others the day they were added, in Vietnam).
ALTER TABLE venues ADD COLUMN registered_on TEXT;
UPDATE venues SET registered_on = date(created_at, '+7 hours');

-- The venue's commune at ingest (the device's commune for records with no
-- venue); how, which way and with what verdict; when it happened (UTC, the
-- time written on paper where there is one, else the device clock); and
-- who, as an identity key (personal data: the purge clears it).
-- local_date is now the date of visit_time in Asia/Ho_Chi_Minh.
ALTER TABLE records ADD COLUMN commune_code TEXT;
ALTER TABLE records ADD COLUMN source TEXT;
ALTER TABLE records ADD COLUMN direction TEXT;
ALTER TABLE records ADD COLUMN level TEXT;
ALTER TABLE records ADD COLUMN visit_time TEXT;
ALTER TABLE records ADD COLUMN person_key TEXT;

-- Counts per day, venue, kind, source and direction, added to in the
-- transaction that stores the records: reports read these, not records,
-- and they survive the purge of personal data. Empty text stands for "none"
-- (no venue, not a check-in) so the key has no NULLs.
CREATE TABLE daily_counts (
    province_code TEXT    NOT NULL,
    local_date    TEXT    NOT NULL,
    commune_code  TEXT    NOT NULL,
    venue_id      TEXT    NOT NULL,
    kind          TEXT    NOT NULL,
    source        TEXT    NOT NULL,
    direction     TEXT    NOT NULL,
    n             INTEGER NOT NULL,
    PRIMARY KEY (province_code, local_date, commune_code, venue_id, kind, source, direction)
) WITHOUT ROWID;
CREATE INDEX daily_counts_by_venue ON daily_counts (province_code, venue_id, local_date);

-- The days each device contacted the server (any authenticated request,
-- with or without records): "sent no data" is a week without a row here.
CREATE TABLE device_days (
    province_code TEXT NOT NULL,
    device_id     TEXT NOT NULL,
    local_date    TEXT NOT NULL,
    first_at      TEXT NOT NULL,
    last_at       TEXT NOT NULL,
    PRIMARY KEY (province_code, device_id, local_date)
) WITHOUT ROWID;
