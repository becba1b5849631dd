//! The device's sync client: enrollment, and draining the store's outbox
//! to the server in bounded batches.
//!
//! Crash safety comes from the order of steps, not from the network: a
//! batch is marked `sent` before it leaves, the server stores each record id
//! once, and the answers are applied in one store transaction. A crash or a
//! lost answer anywhere means the same bytes are sent again and come back as
//! duplicates. Rejected and conflicting records are set aside by the store,
//! so one bad record never blocks the queue.
//!
//! Split by concern: [`http`] talks to the server, [`enroll`] trades a token
//! for a credential and keeps the sync config, [`drain`] empties the outbox.
//! The loop that keeps a station syncing lives with the station's use cases.

mod drain;
mod enroll;
mod error;
mod http;

pub use crate::codec::Encoding;
pub use drain::{backoff_delay, encode_batch, encode_batch_at, outcomes_for, sync};
pub use enroll::{
    enroll, enrolled, refresh_config, refresh_trust_list, refresh_units, stored_config,
    stored_trust_list,
};
pub use error::SyncError;
pub use http::{Client, EncodedBatch};

use std::time::Duration;

/// Store setting: the server's base URL.
pub const SERVER_URL_KEY: &str = "sync.server_url";
/// Store setting: the device credential (a secret; never logged).
pub const CREDENTIAL_KEY: &str = "sync.credential";
/// Store setting: the device's scope and province as JSON.
pub const SCOPE_KEY: &str = "sync.scope";
/// Store setting: the last sync config (JSON) and its ETag.
pub const CONFIG_KEY: &str = "sync.config";
/// Store setting: ETag of [`CONFIG_KEY`].
pub const CONFIG_ETAG_KEY: &str = "sync.config_etag";
/// Store setting: the administrative units (JSON) and their ETag.
pub const UNITS_ETAG_KEY: &str = "sync.units_etag";
/// Store setting: the last vaccine-passport trust list downloaded (JSON),
/// kept across enrollments: document signers are the same for every venue.
pub const TRUST_LIST_KEY: &str = "sync.trust_list";
/// Store setting: ETag of [`TRUST_LIST_KEY`].
pub const TRUST_LIST_ETAG_KEY: &str = "sync.trust_list_etag";

/// How the client batches and retries.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Records per batch (the server takes at most 1000).
    pub batch_records: usize,
    /// Bytes of record JSON per batch, before compression.
    pub batch_bytes: usize,
    /// Tries per batch before `sync` gives up for this run.
    pub max_attempts: u32,
    /// First retry delay; doubles each attempt, with jitter.
    pub base_delay: Duration,
    /// Longest delay between tries (also caps `Retry-After`).
    pub max_delay: Duration,
    pub encoding: Encoding,
    /// Added to the device clock in the header (simulating a wrong clock in tests).
    pub clock_offset: chrono::Duration,
    /// Batches on the wire at once (1 = strictly one after another).
    pub pipeline: usize,
    /// zstd level: higher is fewer bytes on slow links, more CPU.
    pub zstd_level: i32,
    /// Told the number of records settled so far after each batch.
    pub progress: Progress,
}

/// A callback for sync progress (records settled so far in this run).
#[derive(Clone, Default)]
pub struct Progress(Option<std::sync::Arc<dyn Fn(u64) + Send + Sync>>);

impl Progress {
    /// Calls `f` with the running count of settled records.
    pub fn new(f: impl Fn(u64) + Send + Sync + 'static) -> Self {
        Self(Some(std::sync::Arc::new(f)))
    }

    pub(crate) fn report(&self, settled: u64) {
        if let Some(f) = &self.0 {
            f(settled);
        }
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Progress(callback)"
        } else {
            "Progress(none)"
        })
    }
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            batch_records: 500,
            batch_bytes: 512 * 1024,
            max_attempts: 6,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(60),
            encoding: Encoding::Zstd,
            clock_offset: chrono::Duration::zero(),
            pipeline: 2,
            zstd_level: 9,
            progress: Progress::default(),
        }
    }
}

/// What one `sync` run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct SyncReport {
    pub batches: u32,
    pub sent: u64,
    pub accepted: u64,
    pub duplicate: u64,
    pub conflict: u64,
    pub rejected: u64,
    pub retries: u32,
    pub bytes_sent: u64,
    pub bytes_received: u64,
}
