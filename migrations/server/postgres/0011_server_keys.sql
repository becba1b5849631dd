-- 0011: secrets every instance of the server must share, made once by the
-- first instance that needs one (e.g. the key that signs venue links on
-- posters, so that nobody can print a fake venue that pollutes reports).
CREATE TABLE server_keys (
    name       TEXT NOT NULL PRIMARY KEY,
    secret     BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
