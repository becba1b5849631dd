//! Venues: the places that register a QR check-in point.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use thiserror::Error;

/// Why a text is not a venue id.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VenueIdError {
    #[error("venue id is empty")]
    Empty,
    #[error("venue id is longer than {max} characters")]
    TooLong { max: usize },
    #[error("venue id may hold only letters A-Z, digits and '-', found {found:?}")]
    BadChar { found: char },
}

/// A venue id: 1 to 64 characters of `A-Z`, `0-9` and `-`, case-insensitive and
/// kept upper-case. The server makes them as `PP-CCCCC-XXXXXX` (province code,
/// commune code, random suffix) so the province is visible in every record.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(value_type = String, pattern = "^[A-Z0-9-]{1,64}$")
)]
#[serde(try_from = "String", into = "String")]
pub struct VenueId(String);

impl VenueId {
    /// Longest accepted id, in characters.
    pub const MAX_LEN: usize = 64;

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The province code when the id has the server's `PP-CCCCC-…` shape.
    pub fn province_code(&self) -> Option<&str> {
        let mut parts = self.0.split('-');
        let p = parts.next()?;
        let c = parts.next()?;
        (p.len() == 2
            && c.len() == 5
            && p.bytes().all(|b| b.is_ascii_digit())
            && c.bytes().all(|b| b.is_ascii_digit()))
        .then_some(p)
    }
}

impl FromStr for VenueId {
    type Err = VenueIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.is_empty() {
            return Err(VenueIdError::Empty);
        }
        if s.chars().count() > Self::MAX_LEN {
            return Err(VenueIdError::TooLong { max: Self::MAX_LEN });
        }
        if let Some(found) = s
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        {
            return Err(VenueIdError::BadChar { found });
        }
        Ok(Self(s.to_ascii_uppercase()))
    }
}

impl TryFrom<String> for VenueId {
    type Error = VenueIdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<VenueId> for String {
    fn from(v: VenueId) -> Self {
        v.0
    }
}

impl fmt::Display for VenueId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The kinds of venue the provincial documents count separately.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VenueCategory {
    School,
    Hospital,
    Clinic,
    Hotel,
    QuarantineFacility,
    Transport,
    StationPort,
    Workplace,
    Market,
    Restaurant,
    Other,
}

impl VenueCategory {
    /// Every category, in the order reports list them.
    pub const ALL: [VenueCategory; 11] = [
        Self::School,
        Self::Hospital,
        Self::Clinic,
        Self::Hotel,
        Self::QuarantineFacility,
        Self::Transport,
        Self::StationPort,
        Self::Workplace,
        Self::Market,
        Self::Restaurant,
        Self::Other,
    ];

    /// The stable snake_case name used on the wire and in the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::School => "school",
            Self::Hospital => "hospital",
            Self::Clinic => "clinic",
            Self::Hotel => "hotel",
            Self::QuarantineFacility => "quarantine_facility",
            Self::Transport => "transport",
            Self::StationPort => "station_port",
            Self::Workplace => "workplace",
            Self::Market => "market",
            Self::Restaurant => "restaurant",
            Self::Other => "other",
        }
    }

    /// The Vietnamese label shown to officials.
    pub fn label_vi(self) -> &'static str {
        match self {
            Self::School => "Trường học",
            Self::Hospital => "Bệnh viện",
            Self::Clinic => "Phòng khám, trạm y tế",
            Self::Hotel => "Khách sạn, nhà nghỉ",
            Self::QuarantineFacility => "Cơ sở cách ly",
            Self::Transport => "Phương tiện vận tải",
            Self::StationPort => "Nhà ga, bến xe, cảng",
            Self::Workplace => "Cơ quan, doanh nghiệp",
            Self::Market => "Chợ, trung tâm thương mại",
            Self::Restaurant => "Nhà hàng, quán ăn, cà phê",
            Self::Other => "Khác",
        }
    }
}

impl FromStr for VenueCategory {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase().replace(['-', ' ', '/'], "_");
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == norm)
            .ok_or_else(|| {
                let names: Vec<_> = Self::ALL.iter().map(|c| c.as_str()).collect();
                format!(
                    "unknown venue category {s:?}; expected one of {}",
                    names.join(", ")
                )
            })
    }
}

impl fmt::Display for VenueCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A registered check-in point.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Venue {
    pub id: VenueId,
    pub name: String,
    pub category: VenueCategory,
    /// GSO code of the commune (5 digits) the venue belongs to.
    pub commune_code: String,
    pub address: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn venue_ids_normalise_and_reject() {
        assert_eq!(
            "01-00004-ab12".parse::<VenueId>().unwrap().as_str(),
            "01-00004-AB12"
        );
        assert_eq!(" X ".parse::<VenueId>().unwrap().as_str(), "X");
        assert_eq!("".parse::<VenueId>(), Err(VenueIdError::Empty));
        assert_eq!(
            "a b".parse::<VenueId>(),
            Err(VenueIdError::BadChar { found: ' ' })
        );
        assert_eq!(
            "a/b".parse::<VenueId>(),
            Err(VenueIdError::BadChar { found: '/' })
        );
        assert!(matches!(
            "x".repeat(65).parse::<VenueId>(),
            Err(VenueIdError::TooLong { .. })
        ));
    }

    #[test]
    fn province_code_only_for_server_shape() {
        let v: VenueId = "01-00004-AB12".parse().unwrap();
        assert_eq!(v.province_code(), Some("01"));
        let v: VenueId = "SHOP-1".parse().unwrap();
        assert_eq!(v.province_code(), None);
    }

    #[test]
    fn categories_round_trip() {
        for c in VenueCategory::ALL {
            assert_eq!(c.as_str().parse::<VenueCategory>().unwrap(), c);
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
        assert_eq!(
            "Quarantine Facility".parse::<VenueCategory>().unwrap(),
            VenueCategory::QuarantineFacility
        );
        assert!("spaceport".parse::<VenueCategory>().is_err());
    }
}
