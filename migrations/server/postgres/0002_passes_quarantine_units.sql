-- 0002: the visitor-pass key of each device, quarantine and health-update
-- records, and a stamp that changes with every import of administrative units.

-- Ed25519 public key (standard base64 of 32 bytes) the device signs visitor
-- passes with; listed to the devices of its province in their sync config.
ALTER TABLE devices ADD COLUMN pass_key TEXT;
CREATE INDEX devices_pass_keys ON devices (province_code, enrolled_at DESC) WHERE pass_key IS NOT NULL;

-- The inline CHECK of 0001 is named records_kind_check by PostgreSQL. Every
-- stored row satisfies the wider rule, so re-adding it only re-reads them.
ALTER TABLE records DROP CONSTRAINT IF EXISTS records_kind_check;
ALTER TABLE records ADD CONSTRAINT records_kind_check
    CHECK (kind IN ('checkin', 'declaration', 'quarantine', 'health_update'));

-- One row; `admin import-units` bumps it, so a server caching the units list
-- for devices knows when to build it again (imports run in another process).
-- On Citus: a reference table.
CREATE TABLE units_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT  NOT NULL
);
INSERT INTO units_version (id, version) VALUES (1, 0);
