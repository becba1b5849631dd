-- 0012: the trust list of vaccine-passport (EU DCC) document signers, one
-- for the whole server (signers are national, not per province), replaced
-- whole by `checkin-server admin trust-list import` and sent to stations in
-- their sync config.
CREATE TABLE trust_list (
    id           SMALLINT NOT NULL PRIMARY KEY CHECK (id = 1),
    document     TEXT NOT NULL,
    certificates INTEGER NOT NULL,
    updated_at   TIMESTAMPTZ,
    imported_at  TIMESTAMPTZ NOT NULL
);
