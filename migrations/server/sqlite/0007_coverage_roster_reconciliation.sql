-- 0007: who declared, for coverage and reconciliation; populations, agency
-- rosters and the figures agencies reported, imported from CSV.

-- One row per person and commune where they declared (the venue's commune,
-- else the device's). A person is counted once, on their earliest row
-- (is_first = 1), in their home commune for coverage. The purge clears
-- person_key; the row and its counts stay.
CREATE TABLE declarants (
    province_code TEXT    NOT NULL,
    person_key    TEXT,
    commune_code  TEXT    NOT NULL,
    -- Where the person lives, from their first declaration here ('' if none).
    home_commune  TEXT    NOT NULL,
    -- The local date of the first declaration here, the local date it
    -- reached the server, and its source.
    first_date    TEXT    NOT NULL,
    received_date TEXT    NOT NULL,
    source        TEXT    NOT NULL,
    last_date     TEXT    NOT NULL,
    is_first      INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX declarants_by_person ON declarants (province_code, person_key, commune_code);
CREATE INDEX declarants_by_commune ON declarants (province_code, commune_code, first_date);
CREATE INDEX declarants_by_home ON declarants (province_code, home_commune, first_date)
    WHERE is_first = 1;
-- The purge finds the rows whose key it clears.
CREATE INDEX declarants_by_last ON declarants (last_date)
    WHERE person_key IS NOT NULL;

-- Population of a unit (commune, district or province) as the statistics
-- office gives it; the latest import wins.
CREATE TABLE populations (
    province_code TEXT    NOT NULL,
    unit_code     TEXT    NOT NULL,
    population    INTEGER NOT NULL CHECK (population > 0),
    PRIMARY KEY (province_code, unit_code)
) WITHOUT ROWID;

-- Agencies' staff lists (personal data, kept until the agency's next
-- import replaces them): each member's identity key, as declarations have.
CREATE TABLE roster (
    province_code TEXT    NOT NULL,
    commune_code  TEXT    NOT NULL,
    agency        TEXT    NOT NULL,
    line          INTEGER NOT NULL,
    full_name     TEXT    NOT NULL,
    person_key    TEXT    NOT NULL,
    PRIMARY KEY (province_code, commune_code, agency, line)
) WITHOUT ROWID;
CREATE INDEX roster_by_person ON roster (province_code, person_key);

-- What communes and agencies reported: people who had declared, as of a
-- date. agency '' is the commune itself.
CREATE TABLE reported_figures (
    province_code TEXT    NOT NULL,
    commune_code  TEXT    NOT NULL,
    agency        TEXT    NOT NULL,
    local_date    TEXT    NOT NULL,
    reported      INTEGER NOT NULL CHECK (reported >= 0),
    PRIMARY KEY (province_code, commune_code, agency, local_date)
) WITHOUT ROWID;
