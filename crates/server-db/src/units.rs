//! Vietnamese administrative units (province -> district -> commune, GSO
//! codes) in the dvhcvn JSON layout, flattened for storage.

use crate::DbError;
use async_trait::async_trait;
use checkin_core::AdminUnit;
use serde::{Deserialize, Serialize};

/// A province (tỉnh / thành phố trung ương).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Province {
    pub code: String,
    pub name: String,
    pub kind: String,
}

/// A district (huyện / quận / thị xã / thành phố).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct District {
    pub province_code: String,
    pub code: String,
    pub name: String,
    pub kind: String,
}

/// A commune (xã / phường / thị trấn).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Commune {
    pub province_code: String,
    pub district_code: String,
    pub code: String,
    pub name: String,
    pub kind: String,
}

/// Every unit of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Units {
    pub provinces: Vec<Province>,
    pub districts: Vec<District>,
    pub communes: Vec<Commune>,
}

#[derive(Deserialize)]
struct File {
    data: Vec<L1>,
}
#[derive(Deserialize)]
struct L1 {
    level1_id: String,
    name: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    level2s: Vec<L2>,
}
#[derive(Deserialize)]
struct L2 {
    level2_id: String,
    name: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    level3s: Vec<L3>,
}
#[derive(Deserialize)]
struct L3 {
    level3_id: String,
    name: String,
    #[serde(rename = "type")]
    kind: String,
}

fn check_code(code: &str, len: usize, what: &str) -> Result<(), DbError> {
    if code.len() == len && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(DbError::Invalid(format!(
            "{what} code {code:?} is not {len} digits"
        )))
    }
}

impl Units {
    /// Parses the dvhcvn layout (`{"data":[{"level1_id",…,"level2s":[…]}]}`).
    pub fn from_dvhcvn_json(text: &str) -> Result<Self, DbError> {
        let file: File = serde_json::from_str(text)
            .map_err(|e| DbError::Invalid(format!("administrative units JSON: {e}")))?;
        let mut units = Units::default();
        for p in file.data {
            check_code(&p.level1_id, 2, "province")?;
            for d in p.level2s {
                check_code(&d.level2_id, 3, "district")?;
                for c in d.level3s {
                    check_code(&c.level3_id, 5, "commune")?;
                    units.communes.push(Commune {
                        province_code: p.level1_id.clone(),
                        district_code: d.level2_id.clone(),
                        code: c.level3_id,
                        name: c.name,
                        kind: c.kind,
                    });
                }
                units.districts.push(District {
                    province_code: p.level1_id.clone(),
                    code: d.level2_id,
                    name: d.name,
                    kind: d.kind,
                });
            }
            units.provinces.push(Province {
                code: p.level1_id,
                name: p.name,
                kind: p.kind,
            });
        }
        Ok(units)
    }
}

/// Counts of an administrative-units import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    pub provinces: u64,
    pub districts: u64,
    pub communes: u64,
}

/// Administrative units: provinces, districts, communes.
#[async_trait]
pub trait UnitStore: Send + Sync {
    /// Inserts or updates provinces, districts and communes.
    async fn import_units(&self, units: &Units) -> Result<ImportCounts, DbError>;
    /// Every imported unit, flattened: provinces (no parent), districts
    /// (parent: their province), communes (parent: their district), each
    /// level ordered by code.
    async fn units(&self) -> Result<Vec<AdminUnit>, DbError>;
    /// A stamp that changes with every [`Database::import_units`], so a
    /// cached [`Database::units`] list can be kept until the next import.
    async fn units_version(&self) -> Result<i64, DbError>;
    /// Looks up one commune by its 5-digit code.
    async fn commune(&self, code: &str) -> Result<Option<Commune>, DbError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_layout_and_checks_codes() {
        let text = r#"{"data":[{"level1_id":"38","name":"Tỉnh Thanh Hóa","type":"Tỉnh",
            "level2s":[{"level2_id":"387","name":"Huyện Quan Sơn","type":"Huyện",
            "level3s":[{"level3_id":"14995","name":"Xã Trung Xuân","type":"Xã"}]}]}]}"#;
        let u = Units::from_dvhcvn_json(text).unwrap();
        assert_eq!(u.provinces.len(), 1);
        assert_eq!(u.communes[0].province_code, "38");
        assert_eq!(u.communes[0].district_code, "387");
        let bad = text.replace("14995", "1499");
        assert!(Units::from_dvhcvn_json(&bad).is_err());
        assert!(Units::from_dvhcvn_json("{").is_err());
    }
}
