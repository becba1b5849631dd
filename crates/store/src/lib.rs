//! The device's store: every check-in and declaration, written durably the
//! instant it is made, with its place in the outbox that feeds sync.
//!
//! One SQLite file in WAL mode with `synchronous=FULL`: when a write returns,
//! the record survives `kill -9` and power loss. Schema changes come only from
//! the numbered migrations in `migrations/client/`, applied at open; a file
//! written by a newer schema is refused rather than misread.
//!
//! The data directory is 0700 and the database files 0600 (Unix): they hold
//! personal data, the device credential and the pass signing key.

mod error;
mod fix;
mod lookup;
mod migrate;
mod outbox;
mod private;
mod retention;
mod settings;
mod sync_state;
mod write;

pub use error::StoreError;
pub use lookup::{DayRecord, QuarantineCase};
pub use outbox::{ListFilter, ListedRecord, OutboxItem, Outcome, QueueStatus, RecordState};
pub use retention::{Retention, DEFAULT_RETENTION_DAYS};

use checkin_core::{system_clock, DeviceId, SharedClock};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "checkin.db";

/// An open device store.
pub struct Store {
    conn: Connection,
    device_id: DeviceId,
    path: PathBuf,
    clock: SharedClock,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("device_id", &self.device_id)
            .finish()
    }
}

impl Store {
    /// Opens (creating if needed) the store in `data_dir`, applies pending
    /// migrations, and makes the device id on first use.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        Self::open_with_clock(data_dir, system_clock())
    }

    /// [`Store::open`] with the clock that stamps outbox changes (sent,
    /// settled); tests set it by hand.
    pub fn open_with_clock(data_dir: &Path, clock: SharedClock) -> Result<Self, StoreError> {
        let path = data_dir.join(DB_FILE);
        private::data_dir(data_dir, path.exists()).map_err(|source| StoreError::DataDir {
            path: data_dir.to_path_buf(),
            source,
        })?;
        private::db_files(&path);
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(&path, flags)
            .map_err(|e| StoreError::from_open(&path, e))?;
        conn.busy_timeout(Duration::from_secs(5))
            .map_err(|e| StoreError::from_open(&path, e))?;
        // WAL lets the app read status while the sync task writes; FULL makes
        // every commit fsync the WAL, which is what "stored before the beep" means.
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(|e| StoreError::from_open(&path, e))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Pragma {
                name: "journal_mode=WAL",
                got: mode,
            });
        }
        // Checkpoints copy the WAL into the main file and cost extra fsyncs;
        // they belong between visitors (see `checkpoint`), not in the write
        // that backs a beep. The automatic one stays as a bound on WAL size.
        conn.execute_batch(
            "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=10000;",
        )
        .map_err(|e| StoreError::from_open(&path, e))?;
        migrate::apply(&mut conn, &path)?;
        let device_id = write::ensure_device(&mut conn, &write::stamp(&*clock))?;
        Ok(Self {
            conn,
            device_id,
            path,
            clock,
        })
    }

    /// The id this installation puts on its records.
    pub fn device_id(&self) -> DeviceId {
        self.device_id
    }

    /// Copies what it can of the WAL into the main database file without
    /// waiting for readers. Call it off the write path: after a sync batch,
    /// or when the station has been idle for a moment.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// The clock that stamps this store's outbox changes.
    pub fn clock(&self) -> &SharedClock {
        &self.clock
    }

    /// The current time as the store writes it (UTC, milliseconds).
    pub(crate) fn now(&self) -> String {
        write::stamp(&*self.clock)
    }

    /// Path of the database file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}
