//! Venues (QR points).

use crate::DbError;
use async_trait::async_trait;
use checkin_core::{Venue, VenueId};
use checkin_sync::protocol::Scope;

/// Venues (QR points).
#[async_trait]
pub trait VenueStore: Send + Sync {
    /// Stores a new venue; `Duplicate` when the id is taken.
    async fn add_venue(&self, venue: &Venue, province_code: &str) -> Result<(), DbError>;
    /// Reads one venue.
    async fn venue(&self, id: &VenueId) -> Result<Option<Venue>, DbError>;
    /// Venues a device with this scope may write for, ordered by id.
    async fn venues_in_scope(
        &self,
        scope: &Scope,
        province_code: &str,
    ) -> Result<Vec<Venue>, DbError>;
}
