//! Errors of the device store, typed so callers can tell the user what to do.

use rusqlite::ErrorCode;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// What went wrong in the store. Every variant leaves the data as it was:
/// writes are single transactions that either commit whole or not at all.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot create data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open database {path}: {detail}")]
    CannotOpen { path: PathBuf, detail: String },
    #[error("database {path} is read-only; check the permissions of the data directory")]
    ReadOnly { path: PathBuf },
    #[error("the disk is full; free some space and try again (nothing was written)")]
    DiskFull,
    #[error("database is busy in another process; try again")]
    Busy,
    #[error("database {path} was written by a newer version of checkin (schema {found}, this version knows up to {supported}); update the app")]
    NewerSchema {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error("database {path} is not a checkin database or is damaged: {detail}")]
    Corrupt { path: PathBuf, detail: String },
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("SQLite refused {name}: got {got}")]
    Pragma { name: &'static str, got: String },
    #[error("record {0} is already stored")]
    DuplicateRecord(String),
    #[error("stored record is unreadable: {0}")]
    Json(#[from] serde_json::Error),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl StoreError {
    pub(crate) fn from_open(path: &Path, e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::ReadOnly) => Self::ReadOnly {
                path: path.to_path_buf(),
            },
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => Self::Corrupt {
                path: path.to_path_buf(),
                detail: e.to_string(),
            },
            Some(ErrorCode::CannotOpen) => Self::CannotOpen {
                path: path.to_path_buf(),
                detail: e.to_string(),
            },
            _ => Self::from(e),
        }
    }

    /// True when retrying later may succeed without the user doing anything.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Busy)
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => Self::DiskFull,
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Self::Busy,
            Some(ErrorCode::ReadOnly) => Self::ReadOnly {
                path: PathBuf::new(),
            },
            _ => Self::Sqlite(e),
        }
    }
}
