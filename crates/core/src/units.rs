//! Vietnamese administrative units as devices hold them: one flat list of
//! provinces (tỉnh/thành phố), districts (quận/huyện/thị xã) and communes
//! (xã/phường/thị trấn) with their GSO codes, each naming its parent.

use serde::{Deserialize, Serialize};

/// One administrative unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "Unit"))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminUnit {
    /// GSO code: 2 digits for a province, 3 for a district, 5 for a commune.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^([0-9]{2}|[0-9]{3}|[0-9]{5})$")
    )]
    pub code: String,
    /// The province of a district, the district of a commune; none for a province.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub name: String,
    /// "Tỉnh", "Thành phố Trung ương", "Quận", "Huyện", "Phường", "Xã", "Thị trấn", …
    pub kind: String,
}

/// The level of a unit, from the length of its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitLevel {
    Province,
    District,
    Commune,
}

impl UnitLevel {
    /// The level a GSO code of this length names.
    pub fn of_code(code: &str) -> Option<Self> {
        if !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        match code.len() {
            2 => Some(Self::Province),
            3 => Some(Self::District),
            5 => Some(Self::Commune),
            _ => None,
        }
    }
}
