//! Numbered schema migrations from `migrations/client/`, applied at open.

use crate::error::StoreError;
use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};
use std::path::Path;

/// The migrations in order; the position is the schema version (user_version).
/// Append only: a released migration never changes.
const STEPS: &[&str] = &[include_str!("../../../migrations/client/0001_init.sql")];

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
    let migrations = Migrations::new(STEPS.iter().map(|sql| M::up(sql)).collect());
    migrations.to_latest(conn).map_err(|e| match e {
        rusqlite_migration::Error::RusqliteError { err, .. } => StoreError::from_open(path, err),
        other => StoreError::Migration(other.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        let migrations = Migrations::new(STEPS.iter().map(|sql| M::up(sql)).collect());
        migrations.validate().unwrap();
    }
}
