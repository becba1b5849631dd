//! What provinces bring in from their own files: populations per unit,
//! agencies' staff rosters and the figures agencies reported.

use crate::DbError;
use async_trait::async_trait;
use chrono::NaiveDate;
use serde::Serialize;

/// A unit's population, as the statistics office gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Population {
    pub province_code: String,
    /// A commune, district or province code.
    pub unit_code: String,
    pub population: i64,
}

/// One member of an agency's staff. The agency is named within its commune.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterMember {
    pub province_code: String,
    pub commune_code: String,
    pub agency: String,
    pub full_name: String,
    /// The identity key declarations carry (`id:…` or `phone:…`).
    pub person_key: String,
}

/// People who had declared, as a commune or agency reported them, as of a
/// date. `agency` is empty for the commune's own figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedFigure {
    pub province_code: String,
    pub commune_code: String,
    pub agency: String,
    pub date: NaiveDate,
    pub reported: i64,
}

/// Imported reference data. Each import is one transaction: a file is
/// stored whole or not at all.
#[async_trait]
pub trait ImportStore: Send + Sync {
    /// Sets each unit's population (a later import replaces a unit's figure).
    async fn import_populations(&self, rows: &[Population]) -> Result<u64, DbError>;
    /// The populations of a province's units.
    async fn populations(&self, province: &str) -> Result<Vec<Population>, DbError>;
    /// Replaces the roster of every agency named in `rows` with its rows,
    /// in file order; other agencies' rosters stay.
    async fn import_roster(&self, rows: &[RosterMember]) -> Result<u64, DbError>;
    /// Stores reported figures; a figure for the same commune, agency and
    /// date replaces the earlier one.
    async fn import_reported(&self, rows: &[ReportedFigure]) -> Result<u64, DbError>;
}
