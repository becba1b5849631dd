//! Exit codes and one-line error messages.

use anyhow::{anyhow, Result};
use checkin_station::{Station, StationError};
use checkin_store::{Store, StoreError};
use std::fmt;
use std::path::{Path, PathBuf};

/// Exit code for bad input, unusable data dir or a store that refused a write:
/// the user must change something before trying again.
pub const BAD_INPUT: u8 = 2;

/// An error that carries its own exit code.
#[derive(Debug)]
pub struct Exit {
    pub code: u8,
    pub message: String,
}

impl fmt::Display for Exit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Exit {}

/// Builds an error that exits with `code`.
pub fn fail(code: u8, message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Exit {
        code,
        message: message.into(),
    })
}

/// The exit code for an error: its own if it carries one, else [`BAD_INPUT`].
pub fn code_of(err: &anyhow::Error) -> u8 {
    err.chain()
        .find_map(|e| e.downcast_ref::<Exit>())
        .map_or(BAD_INPUT, |e| e.code)
}

/// The error and its causes on one line, without repeating a cause that the
/// message already quotes.
pub fn one_line(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in err.chain() {
        let text = cause.to_string().replace('\n', " ");
        if out.contains(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

/// The platform data dir, e.g. `~/.local/share/checkin` on Linux.
pub fn default_data_dir() -> Result<PathBuf> {
    directories::ProjectDirs::from("vn", "checkin", "checkin")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or_else(|| {
            anyhow!("cannot find a home directory; pass --data-dir DIR or set CHECKIN_DATA_DIR")
        })
}

/// Opens the store with a message that says what to do when it cannot.
pub fn open_store(data_dir: &Path) -> Result<Store> {
    Store::open(data_dir).map_err(|e| open_error(data_dir, e))
}

/// Exit code for errors of the network or the server: nothing was lost, try
/// again later.
pub const NOT_DONE: u8 = 3;

/// A station error as a CLI error: bad input exits 2, the network 3. Field
/// errors are listed by name.
pub fn station(e: StationError) -> anyhow::Error {
    let code = if e.is_bad_input() {
        BAD_INPUT
    } else {
        NOT_DONE
    };
    fail(code, e.to_string())
}

/// Opens the station with a message that says what to do when it cannot.
pub fn open_station(data_dir: &Path) -> Result<Station> {
    Station::open(data_dir).map_err(|e| match e {
        StationError::Store(s) => open_error(data_dir, s),
        other => station(other),
    })
}

fn open_error(data_dir: &Path, e: StoreError) -> anyhow::Error {
    let hint = match &e {
        StoreError::DataDir { .. }
        | StoreError::ReadOnly { .. }
        | StoreError::CannotOpen { .. } => " (choose a writable directory with --data-dir)",
        _ => "",
    };
    fail(
        BAD_INPUT,
        format!(
            "cannot open the station's store in {}: {e}{hint}",
            data_dir.display()
        ),
    )
}
