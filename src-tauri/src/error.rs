//! Errors as the UI sees them: a stable `code` the page branches on and a
//! human `message` it only displays. The UI never matches on message text.

use checkin_store::StoreError;
use serde::Serialize;

/// An error returned by a command, serialised as `{"code": "...", "message": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{code}: {message}")]
pub struct CommandError {
    /// Stable, snake_case; part of the UI contract, never renamed.
    pub code: &'static str,
    /// For people; may change between versions.
    pub message: String,
}

impl CommandError {
    /// No data directory could be found (no `CHECKIN_DATA_DIR`, no home).
    pub fn no_data_dir() -> Self {
        Self {
            code: "no_data_dir",
            message: "no data directory: set CHECKIN_DATA_DIR or a home directory".into(),
        }
    }
}

impl From<StoreError> for CommandError {
    fn from(e: StoreError) -> Self {
        let code = match &e {
            StoreError::DataDir { .. } => "data_dir_unavailable",
            StoreError::CannotOpen { .. } => "store_cannot_open",
            StoreError::ReadOnly { .. } => "store_read_only",
            StoreError::DiskFull => "disk_full",
            StoreError::Busy => "store_busy",
            StoreError::NewerSchema { .. } => "store_newer_schema",
            StoreError::Corrupt { .. } => "store_corrupt",
            StoreError::Migration(_) | StoreError::Pragma { .. } => "store_migration_failed",
            StoreError::DuplicateRecord(_) => "duplicate_record",
            StoreError::Json(_) => "store_record_unreadable",
            // StoreError is not #[non_exhaustive] today, but new variants must
            // still reach the UI with a code rather than fail to compile here.
            #[allow(unreachable_patterns)]
            _ => "store_error",
        };
        eprintln!("checkin-app: {code}: {e}");
        Self {
            code,
            message: e.to_string(),
        }
    }
}
