-- Paper records typed in later are counted on the day written on the paper;
-- quarantine follow-up adds two record kinds.
--
-- SQLite cannot change a CHECK constraint in place: the outbox is rebuilt
-- (the store runs migrations with foreign keys off and checks them after).

CREATE TABLE outbox_v2 (
    seq         INTEGER PRIMARY KEY,
    record_id   TEXT    NOT NULL UNIQUE,
    kind        TEXT    NOT NULL
                CHECK (kind IN ('checkin', 'declaration', 'quarantine', 'health_update')),
    body        TEXT    NOT NULL,
    state       TEXT    NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'sent', 'acknowledged', 'rejected', 'conflict')),
    reason      TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT    NOT NULL,
    sent_at     TEXT,
    settled_at  TEXT
);
INSERT INTO outbox_v2 (seq, record_id, kind, body, state, reason, attempts, created_at, sent_at, settled_at)
    SELECT seq, record_id, kind, body, state, reason, attempts, created_at, sent_at, settled_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v2 RENAME TO outbox;
CREATE INDEX outbox_by_state ON outbox (state, seq);

-- The local date of the visit or declaration (the paper's date when typed in
-- later): "same person, same day" and "declared today" look it up.
ALTER TABLE checkins ADD COLUMN local_date TEXT;
UPDATE checkins SET local_date = substr(device_time, 1, 10);
ALTER TABLE declarations ADD COLUMN local_date TEXT;
UPDATE declarations SET local_date = substr(device_time, 1, 10);
DROP INDEX checkins_by_person;
DROP INDEX declarations_by_person;
CREATE INDEX checkins_by_person_day ON checkins (identity_key, local_date);
CREATE INDEX declarations_by_person_day ON declarations (identity_key, local_date);

-- People under quarantine followed by this station.
CREATE TABLE quarantine_cases (
    record_id     TEXT PRIMARY KEY REFERENCES outbox (record_id),
    identity_key  TEXT,
    full_name     TEXT NOT NULL,
    mode          TEXT NOT NULL CHECK (mode IN ('home', 'facility')),
    start_date    TEXT NOT NULL,
    end_date      TEXT NOT NULL,
    -- Days up to this one have an update or a "missed" record.
    closed_through TEXT
);
CREATE INDEX quarantine_by_person ON quarantine_cases (identity_key);

CREATE TABLE health_updates (
    record_id      TEXT PRIMARY KEY REFERENCES outbox (record_id),
    quarantine_id  TEXT NOT NULL,
    date           TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('reported', 'missed')),
    verdict        TEXT NOT NULL,
    device_time    TEXT NOT NULL
);
CREATE INDEX health_updates_by_case ON health_updates (quarantine_id, date);

-- Administrative units for the address pickers, from the server's list.
CREATE TABLE units (
    code    TEXT PRIMARY KEY,
    parent  TEXT,
    name    TEXT NOT NULL,
    kind    TEXT NOT NULL
);
CREATE INDEX units_by_parent ON units (parent, name);
