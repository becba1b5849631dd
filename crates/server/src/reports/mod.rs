//! The officials' reports: each one reads counts through
//! [`checkin_server_db::ReportStore::count`] inside an [`Area`], and turns
//! them into rows with pure functions (tested by tables, no store needed).
//! Dates are local dates in Asia/Ho_Chi_Minh.

pub mod e_vs_paper;
pub mod qr_points;
pub mod silent_points;
mod table;

pub use table::Table;

use crate::ServerError;
use checkin_server_db::{Area, Database};
use serde::Serialize;
use std::collections::HashMap;

/// A unit as reports name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitName {
    pub code: String,
    pub name: String,
}

/// The administrative units, by code, for names and children.
pub struct UnitIndex {
    units: Vec<checkin_core::AdminUnit>,
    by_code: HashMap<String, usize>,
}

impl UnitIndex {
    pub async fn load(db: &dyn Database) -> Result<Self, ServerError> {
        let units = db.units().await?;
        let by_code = units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.code.clone(), i))
            .collect();
        Ok(Self { units, by_code })
    }

    pub fn name(&self, code: &str) -> Option<&str> {
        self.by_code.get(code).map(|&i| self.units[i].name.as_str())
    }

    fn parent(&self, code: &str) -> Option<&str> {
        self.by_code
            .get(code)
            .and_then(|&i| self.units[i].parent.as_deref())
    }

    /// The units directly under `code`, by code.
    pub fn children(&self, code: &str) -> Vec<UnitName> {
        self.units
            .iter()
            .filter(|u| u.parent.as_deref() == Some(code))
            .map(|u| UnitName {
                code: u.code.clone(),
                name: u.name.clone(),
            })
            .collect()
    }

    /// The area of a province, district or commune code among the
    /// imported units.
    pub fn area(&self, code: &str) -> Result<(Area, UnitName), ServerError> {
        let code = code.trim();
        let name = self.name(code).ok_or_else(|| {
            ServerError::Invalid(format!(
                "unknown unit {code:?}: give a province (2 digits), district (3) or commune (5) \
                 code among the imported units"
            ))
        })?;
        let unit = UnitName {
            code: code.to_string(),
            name: name.to_string(),
        };
        let area = match code.len() {
            2 => Area::Province(code.to_string()),
            3 => Area::District {
                province: self.parent(code).unwrap_or_default().to_string(),
                district: code.to_string(),
            },
            _ => {
                let district = self.parent(code).unwrap_or_default();
                Area::Commune {
                    province: self.parent(district).unwrap_or_default().to_string(),
                    commune: code.to_string(),
                }
            }
        };
        Ok((area, unit))
    }
}
