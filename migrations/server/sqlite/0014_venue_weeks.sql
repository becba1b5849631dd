-- 0014: the ISO weeks (by their Monday) in which each QR point stored a
-- record of a kind. Silent points asks this of every venue of a province
-- for a week; probing daily_counts once per venue reads an index entry
-- per venue, a range of this table one row per active venue. Ingest adds
-- to it with the day counts; like them it holds no personal data and
-- survives the purge.
CREATE TABLE venue_weeks (
    province_code TEXT NOT NULL,
    week          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    venue_id      TEXT NOT NULL,
    PRIMARY KEY (province_code, week, kind, venue_id)
) WITHOUT ROWID;
-- 'weekday 0' moves to the Sunday ending the ISO week; six days back is its Monday.
INSERT INTO venue_weeks
    SELECT DISTINCT province_code, date(local_date, 'weekday 0', '-6 days'), kind, venue_id
    FROM daily_counts
    WHERE venue_id <> '';
-- Contacts in a week: a range of dates instead of every device's every day
-- (the table grows by a row per device and day for as long as it is kept).
CREATE INDEX device_days_by_date ON device_days (province_code, local_date);
