//! Numbered schema migrations from `migrations/client/`, applied at open.

use crate::error::StoreError;
use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};
use std::path::Path;

/// The migrations in order; the position is the schema version (user_version).
/// Append only: a released migration never changes.
const STEPS: &[&str] = &[
    include_str!("../../../migrations/client/0001_init.sql"),
    include_str!("../../../migrations/client/0002_paper_times_and_quarantine.sql"),
];

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: u32 = STEPS.len() as u32;

pub(crate) fn apply(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let found: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| StoreError::from_open(path, e))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    // Rebuilding a table that others reference (0002) needs foreign keys off;
    // the pragma is a no-op inside a transaction, so it is set around the run
    // and the keys are checked before they are switched back on.
    let sql = |e| StoreError::from_open(path, e);
    conn.execute_batch("PRAGMA foreign_keys=OFF").map_err(sql)?;
    let migrations = Migrations::new(
        STEPS
            .iter()
            .map(|sql| M::up(sql).foreign_key_check())
            .collect(),
    );
    let result = migrations.to_latest(conn).map_err(|e| match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => StoreError::from_open(path, err),
        other => StoreError::Migration(other.to_string()),
    });
    conn.execute_batch("PRAGMA foreign_keys=ON").map_err(sql)?;
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        let migrations = Migrations::new(STEPS.iter().map(|sql| M::up(sql)).collect());
        migrations.validate().unwrap();
    }

    #[test]
    fn a_version_1_store_keeps_its_records_through_0002() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.db");
        let mut conn = Connection::open(&path).unwrap();
        Migrations::new(vec![M::up(STEPS[0])])
            .to_latest(&mut conn)
            .unwrap();
        conn.execute_batch(
            "INSERT INTO outbox (seq, record_id, kind, body, state, created_at)
               VALUES (1, 'r1', 'checkin', '{}', 'acknowledged', '2021-08-01T00:00:00.000Z');
             INSERT INTO checkins (record_id, venue_id, direction, source, subject_type, identity_key, verdict, device_time)
               VALUES ('r1', 'V', 'in', 'qr', 'id_card', 'id:1', 'green', '2021-08-01T09:00:00+07:00');",
        )
        .unwrap();
        apply(&mut conn, &path).unwrap();
        let (state, day): (String, String) = conn
            .query_row(
                "SELECT o.state, c.local_date FROM outbox o JOIN checkins c USING (record_id)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            (state.as_str(), day.as_str()),
            ("acknowledged", "2021-08-01")
        );
        let fk: bool = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert!(fk, "foreign keys are back on");
        conn.execute(
            "INSERT INTO outbox (seq, record_id, kind, body, created_at) VALUES (2, 'r2', 'health_update', '{}', 'x')",
            [],
        )
        .unwrap();
    }
}
