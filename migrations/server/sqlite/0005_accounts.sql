-- 0005: the officials who read the dashboard, their sessions, and failed
-- logins. Every instance of the server reads these, so they live here and
-- not in memory.

-- An official: an area (province, district or commune code among the
-- imported units) and a role. Only an Argon2id hash of the password.
CREATE TABLE users (
    login         TEXT NOT NULL PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'tracer', 'admin')),
    area_code     TEXT NOT NULL,
    province_code TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    disabled_at   TEXT
);

-- A session is found by the SHA-256 of its cookie: a copy of this table
-- does not let anyone in.
CREATE TABLE sessions (
    token_hash   TEXT NOT NULL PRIMARY KEY,
    login        TEXT NOT NULL REFERENCES users (login) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX sessions_by_login ON sessions (login);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- One row per failed login, keyed by "login:NAME" and "addr:IP": the login
-- limit counts them in a window; success clears the login's rows.
CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at  TEXT NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (key, at);
