//! The vaccine-passport trust list the server hands its stations: one list
//! for the whole server, replaced whole on import.

use crate::DbError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// The trust list as stored: the checked document and what describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTrustList {
    /// The trust-list JSON (docs/dcc.md), as checked on import.
    pub document: String,
    pub certificates: i64,
    /// The list's own date, when it gives one.
    pub updated_at: Option<DateTime<Utc>>,
    pub imported_at: DateTime<Utc>,
}

/// Storage of the trust list.
#[async_trait]
pub trait TrustListStore: Send + Sync {
    /// Replaces the trust list (the caller has checked every certificate).
    async fn put_trust_list(&self, list: &StoredTrustList) -> Result<(), DbError>;
    /// The trust list, when one was imported.
    async fn trust_list(&self) -> Result<Option<StoredTrustList>, DbError>;
    /// When the trust list was imported: a cheap probe, so instances reread
    /// the (large) document only after an import.
    async fn trust_list_imported_at(&self) -> Result<Option<DateTime<Utc>>, DbError>;
}
