-- 0008: the day counts again per commune (venue_id always ''), about 17
-- times fewer rows than per venue: reports that count per commune or
-- district read these, so a count since the first day stays fast at 10
-- million records. Ingest adds to both in the same transaction.
CREATE TABLE commune_counts (
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
INSERT INTO commune_counts
    SELECT province_code, local_date, commune_code, '', kind, source, direction, SUM(n)
    FROM daily_counts
    GROUP BY province_code, local_date, commune_code, kind, source, direction;
