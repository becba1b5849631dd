//! Small key-value settings kept with the records (server URL, credential,
//! sync config), and the administrative units for address pickers.

use crate::error::StoreError;
use crate::Store;
use checkin_core::AdminUnit;
use rusqlite::{params, OptionalExtension, TransactionBehavior};

impl Store {
    /// Reads a setting, `None` when it was never set.
    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Writes a setting durably, replacing any earlier value.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.set_settings(&[(key, Some(value))])
    }

    /// Writes several settings in one transaction: `None` removes one. Either
    /// all change or none (an enrollment never keeps half of its state).
    pub fn set_settings(&mut self, values: &[(&str, Option<&str>)]) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for (key, value) in values {
            match value {
                Some(v) => tx.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    params![key, v],
                )?,
                None => tx.execute("DELETE FROM settings WHERE key = ?1", [key])?,
            };
        }
        tx.commit()?;
        Ok(())
    }

    /// Removes a setting; removing an absent one is not an error.
    pub fn clear_setting(&mut self, key: &str) -> Result<(), StoreError> {
        self.set_settings(&[(key, None)])
    }

    /// Replaces the administrative units with `units`, in one transaction.
    pub fn replace_units(&mut self, units: &[AdminUnit]) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM units", [])?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT OR REPLACE INTO units (code, parent, name, kind) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for u in units {
                stmt.execute(params![u.code, u.parent, u.name, u.kind])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The units under `parent` (provinces when `None`), by name.
    pub fn units_under(&self, parent: Option<&str>) -> Result<Vec<AdminUnit>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT code, parent, name, kind FROM units WHERE parent IS ?1 ORDER BY code",
        )?;
        let rows = stmt.query_map([parent], unit_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One unit by code.
    pub fn unit(&self, code: &str) -> Result<Option<AdminUnit>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT code, parent, name, kind FROM units WHERE code = ?1",
                [code],
                unit_row,
            )
            .optional()?)
    }
}

/// A unit from a row of `code, parent, name, kind`.
fn unit_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AdminUnit> {
    Ok(AdminUnit {
        code: r.get(0)?,
        parent: r.get(1)?,
        name: r.get(2)?,
        kind: r.get(3)?,
    })
}
