//! Counts for officials.

use crate::DbError;
use async_trait::async_trait;
use checkin_core::RecordKind;
use serde::Serialize;

/// Counts for `admin stats`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub venues: u64,
    pub devices: u64,
    pub checkins: u64,
    pub declarations: u64,
    pub quarantines: u64,
    pub health_updates: u64,
    pub communes: u64,
    pub enrollment_tokens: u64,
}

impl Stats {
    /// Adds `n` stored records of `kind` (a name of [`RecordKind::as_str`]).
    pub(crate) fn add_records(&mut self, kind: &str, n: u64) {
        match RecordKind::parse(kind) {
            Some(RecordKind::Checkin) => self.checkins += n,
            Some(RecordKind::Declaration) => self.declarations += n,
            Some(RecordKind::Quarantine) => self.quarantines += n,
            Some(RecordKind::HealthUpdate) => self.health_updates += n,
            // The schema's CHECK admits no other kind.
            None => {}
        }
    }
}

/// Counts for officials.
#[async_trait]
pub trait ReportStore: Send + Sync {
    /// Counts for `admin stats`.
    async fn stats(&self) -> Result<Stats, DbError>;
}
