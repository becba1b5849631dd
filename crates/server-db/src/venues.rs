//! Venues (QR points).

use crate::{DbError, UnitFilter};
use async_trait::async_trait;
use checkin_core::{Venue, VenueId};
use checkin_sync::protocol::Scope;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// A venue being registered as a QR point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VenueRegistration {
    pub venue: Venue,
    pub province_code: String,
    /// From this date it counts as a QR point (a province moving its
    /// existing points in gives their own dates).
    pub registered_on: NaiveDate,
}

/// A venue as `venue list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VenueListing {
    #[serde(flatten)]
    pub venue: Venue,
    pub province_code: String,
    pub district_code: Option<String>,
    pub registered_on: NaiveDate,
    pub created_at: DateTime<Utc>,
}

/// Venues (QR points).
#[async_trait]
pub trait VenueStore: Send + Sync {
    /// Registers venues all at once: if any id is taken, or anything else
    /// fails, none is stored (`Duplicate` names the first taken id).
    async fn add_venues(&self, venues: &[VenueRegistration]) -> Result<(), DbError>;
    /// Venues inside `filter`, by commune, then name, then id.
    async fn list_venues(&self, filter: &UnitFilter) -> Result<Vec<VenueListing>, DbError>;
    /// Stores a new venue, a QR point from today (in Vietnam); `Duplicate`
    /// when the id is taken.
    async fn add_venue(&self, venue: &Venue, province_code: &str) -> Result<(), DbError> {
        self.add_venues(&[VenueRegistration {
            venue: venue.clone(),
            province_code: province_code.to_string(),
            registered_on: checkin_core::calendar::local_date(&Utc::now()),
        }])
        .await
    }
    /// Reads one venue.
    async fn venue(&self, id: &VenueId) -> Result<Option<Venue>, DbError>;

    /// Venues a device with this scope may write for, ordered by id.
    async fn venues_in_scope(
        &self,
        scope: &Scope,
        province_code: &str,
    ) -> Result<Vec<Venue>, DbError>;
}
