-- 0009: reconciliation reads, for every commune of the area, when each of
-- its declarants first declared, arrived, whether they are counted there
-- and how: all of it in the index, so the province's reconciliation reads
-- no table rows (1.2 s on SQLite at 10 million records without it).
DROP INDEX declarants_by_commune;
CREATE INDEX declarants_by_commune
    ON declarants (province_code, commune_code, first_date, received_date, is_first, source);
