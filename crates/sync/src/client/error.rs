//! Why enrollment or sync stopped, and whether waiting can help.

use checkin_store::StoreError;
use thiserror::Error;

/// Why enrollment or sync stopped.
#[derive(Debug, Error)]
pub enum SyncError {
    #[error("this station is not enrolled: run `checkin enroll --server URL --token TOKEN`")]
    NotEnrolled,
    #[error("bad server URL {0:?}: use http://HOST:PORT or https://HOST")]
    BadUrl(String),
    #[error("store: {0}")]
    Store(#[from] StoreError),
    #[error("cannot reach the server: {0}")]
    Network(String),
    #[error("server answered {status}{}: {message}", retry_after.map(|s| format!(" (retry after {s}s)")).unwrap_or_default())]
    Unavailable {
        status: u16,
        message: String,
        retry_after: Option<u64>,
    },
    #[error("server refused the request ({status} {code}): {message}")]
    Refused {
        status: u16,
        code: String,
        message: String,
    },
    #[error("server answer makes no sense: {0}")]
    Protocol(String),
    #[error("gave up after {attempts} attempts; last error: {last}")]
    GaveUp { attempts: u32, last: Box<SyncError> },
}

impl SyncError {
    /// True when trying again later, unchanged, may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Network(_) | Self::Unavailable { .. } | Self::Protocol(_) => true,
            Self::GaveUp { last, .. } => last.is_transient(),
            Self::Store(e) => e.is_transient(),
            _ => false,
        }
    }

    pub(crate) fn retry_after(&self) -> Option<u64> {
        match self {
            Self::Unavailable { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}
