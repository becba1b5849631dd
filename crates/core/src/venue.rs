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

/// The code of a venue's link, as its poster's URL carries it
/// (`https://SERVER/c/<venue id>.<tag>`): the tag is a MAC the server made
/// of the id, so nobody can print a poster for a venue of their own making
/// and pollute the reports. Only the server can check the tag; a station
/// recognises the link to tell a poster from a person's code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VenueLinkCode {
    pub venue_id: VenueId,
    /// RFC 4648 base32, upper case, [`VenueLinkCode::TAG_CHARS`] long.
    pub tag: String,
}

impl VenueLinkCode {
    /// 16 base32 characters: 80 bits of the MAC.
    pub const TAG_CHARS: usize = 16;
    /// The path before the code, after the server's base URL.
    pub const PATH: &'static str = "/c/";

    /// `<venue id>.<tag>`, in either case; `None` when it is not one.
    pub fn parse(code: &str) -> Option<Self> {
        let (id, tag) = code.trim().rsplit_once('.')?;
        let tag = tag.to_ascii_uppercase();
        let base32 = |b: u8| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b);
        if tag.len() != Self::TAG_CHARS || !tag.bytes().all(base32) {
            return None;
        }
        Some(Self {
            venue_id: id.parse().ok()?,
            tag,
        })
    }

    /// The code in a poster's URL (`http(s)://HOST[/PREFIX]/c/<code>`,
    /// with any query or fragment ignored); `None` for any other text.
    pub fn from_url(url: &str) -> Option<Self> {
        let url = url.trim();
        let scheme = url.find("://")?;
        if !matches!(
            url[..scheme].to_ascii_lowercase().as_str(),
            "http" | "https"
        ) {
            return None;
        }
        let rest = &url[scheme + 3..];
        let path = &rest[rest.find('/')?..];
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let (_, code) = path.rsplit_once(Self::PATH)?;
        if code.contains('/') {
            return None;
        }
        Self::parse(code)
    }
}

impl fmt::Display for VenueLinkCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.venue_id, self.tag)
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
    fn venue_link_codes_round_trip_and_refuse_others() {
        let code = VenueLinkCode::parse("38-14995-k7qm2a.abcdefghjkmnpq23").unwrap();
        assert_eq!(code.venue_id.as_str(), "38-14995-K7QM2A");
        assert_eq!(code.to_string(), "38-14995-K7QM2A.ABCDEFGHJKMNPQ23");
        assert_eq!(VenueLinkCode::parse(&code.to_string()), Some(code.clone()));
        assert_eq!(
            VenueLinkCode::from_url("HTTPS://Host.vn/c/38-14995-K7QM2A.ABCDEFGHJKMNPQ23#top"),
            Some(code)
        );
        for bad in [
            "38-14995-K7QM2A",
            "38-14995-K7QM2A.",
            ".ABCDEFGHJKMNPQ23",
            "38 14995.ABCDEFGHJKMNPQ23",
            "38-14995-K7QM2A.ABCDEFGHJKMNPQ01",
            "38-14995-K7QM2A.ÁBCDEFGHJKMNPQ2",
        ] {
            assert_eq!(VenueLinkCode::parse(bad), None, "{bad}");
        }
        for bad in [
            "https://host.vn",
            "https://host.vn/",
            "https://host.vn/d/38-14995-K7QM2A.ABCDEFGHJKMNPQ23",
            "mailto://host.vn/c/38-14995-K7QM2A.ABCDEFGHJKMNPQ23",
            "https://host.vn/c/38-14995-K7QM2A.ABCDEFGHJKMNPQ23/",
        ] {
            assert_eq!(VenueLinkCode::from_url(bad), None, "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn venue_link_parsing_never_panics(s in "\\PC*") {
            let _ = VenueLinkCode::from_url(&s);
            let _ = VenueLinkCode::parse(&s);
        }
    }

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
