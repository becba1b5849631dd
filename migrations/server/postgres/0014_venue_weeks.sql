-- 0014: the ISO weeks (by their Monday) in which each QR point stored a
-- record of a kind. Silent points asks this of every venue of a province
-- for a week; probing daily_counts once per venue took about 95 ms at
-- 10,000 venues, a range of this table reads one row per active venue.
-- Ingest adds to it with the day counts; like them it holds no personal
-- data and survives the purge.
CREATE TABLE venue_weeks (
    province_code TEXT NOT NULL,
    week          DATE NOT NULL,
    kind          TEXT NOT NULL,
    venue_id      TEXT NOT NULL,
    PRIMARY KEY (province_code, week, kind, venue_id)
);
INSERT INTO venue_weeks
    SELECT DISTINCT province_code, CAST(date_trunc('week', local_date) AS DATE), kind, venue_id
    FROM daily_counts
    WHERE venue_id <> '';
-- Contacts in a week: a range of dates instead of every device's every day
-- (the table grows by a row per device and day for as long as it is kept).
CREATE INDEX device_days_by_date ON device_days (province_code, local_date);
