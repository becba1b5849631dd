//! Identity keys that deduplicate *people* in reports.
//!
//! A person is keyed by the normalised ID-card number, else the normalised
//! phone number, else name + birth date. Never by a record id: one person makes
//! many records.

use crate::declaration::{FieldError, Problem};
use crate::text::{fold, squash_spaces};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

/// A person as typed by staff for someone without a code: manual entry at the
/// gate, a line of a paper logbook, a person put under quarantine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct TypedPerson {
    pub full_name: String,
    /// ID card (CCCD/CMND) or passport number.
    #[serde(default)]
    pub id_number: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub birth_year: Option<i32>,
}

/// Every invalid field of typed person details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Error)]
#[error("invalid person details: {}", .fields.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct PersonError {
    pub fields: Vec<FieldError>,
}

impl TypedPerson {
    /// Checks the details: a name, and something to tell people of the same
    /// name apart (ID number, phone or year of birth), each well formed.
    pub fn validate(&self, today: NaiveDate) -> Result<(), PersonError> {
        let mut fields = Vec::new();
        let mut bad = |field, problem| fields.push(FieldError { field, problem });
        let name = self.full_name.trim();
        if name.is_empty() {
            bad("full_name", Problem::Missing);
        } else if name.chars().count() > 200 {
            bad("full_name", Problem::TooLong { max: 200 });
        }
        let id = self
            .id_number
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let phone = self
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if let Some(id) = id {
            if normalise_id_number(id).is_none_or(|n| n.len() > 20) {
                bad(
                    "id_number",
                    Problem::Format {
                        expected: "an ID card or passport number of 6 to 20 letters and digits",
                    },
                );
            }
        }
        if let Some(p) = phone {
            if normalise_phone(p).is_none() {
                bad(
                    "phone",
                    Problem::Format {
                        expected: "a phone number of 8 to 15 digits",
                    },
                );
            }
        }
        if let Some(y) = self.birth_year {
            if y > today.year() || y < today.year() - 130 {
                bad(
                    "birth_year",
                    Problem::OutOfRange {
                        detail: format!(
                            "must be between {} and {}",
                            today.year() - 130,
                            today.year()
                        ),
                    },
                );
            }
        }
        if id.is_none() && phone.is_none() && self.birth_year.is_none() {
            bad("id_number", Problem::Missing);
        }
        if fields.is_empty() {
            Ok(())
        } else {
            Err(PersonError { fields })
        }
    }

    /// The key that deduplicates this person in reports.
    pub fn identity_key(&self) -> Option<IdentityKey> {
        IdentityKey::best(
            self.id_number.as_deref(),
            self.phone.as_deref(),
            &self.full_name,
            &self.birth_year.map(|y| y.to_string()).unwrap_or_default(),
        )
    }
}

/// A normalised key naming one person across records.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "by", content = "key", rename_all = "snake_case")]
pub enum IdentityKey {
    IdCard(String),
    Phone(String),
    NameBirth(String),
    /// The 10-digit social-insurance number of a health-insurance card
    /// (the same on a person's old and current cards).
    Insurance(String),
    /// The person's id on the national personal QR platform, when the code
    /// masks the ID number.
    Qid(String),
}

impl IdentityKey {
    /// Chooses the strongest key available from what a record holds.
    pub fn best(
        id_number: Option<&str>,
        phone: Option<&str>,
        name: &str,
        birth: &str,
    ) -> Option<Self> {
        if let Some(id) = id_number.and_then(normalise_id_number) {
            return Some(Self::IdCard(id));
        }
        if let Some(p) = phone.and_then(normalise_phone) {
            return Some(Self::Phone(p));
        }
        let name = fold(&squash_spaces(name));
        let birth = birth.trim();
        (!name.is_empty() && !birth.is_empty()).then(|| Self::NameBirth(format!("{name}|{birth}")))
    }
}

impl fmt::Display for IdentityKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::IdCard(k) => write!(f, "id:{k}"),
            Self::Phone(k) => write!(f, "phone:{k}"),
            Self::NameBirth(k) => write!(f, "name:{k}"),
            Self::Insurance(k) => write!(f, "bhxh:{k}"),
            Self::Qid(k) => write!(f, "qid:{k}"),
        }
    }
}

/// Upper-cases an ID-card or passport number and drops spaces, dots and dashes.
/// Returns `None` when nothing usable is left.
pub fn normalise_id_number(s: &str) -> Option<String> {
    // Separators people type are dropped; anything else (markup, symbols)
    // means this is not an ID number.
    if s.chars()
        .any(|c| !(c.is_ascii_alphanumeric() || " -./".contains(c)))
    {
        return None;
    }
    let n: String = s
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (n.len() >= 6).then_some(n)
}

/// Normalises a Vietnamese phone number to its national form `0xxxxxxxxx`:
/// drops separators, turns `+84`/`84` into `0`. Foreign numbers keep their `+`.
/// Returns `None` when the text is not a plausible phone number.
pub fn normalise_phone(s: &str) -> Option<String> {
    let s = s.trim();
    let plus = s.starts_with('+');
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    if s.chars()
        .any(|c| !(c.is_ascii_digit() || " .-()+".contains(c)))
    {
        return None;
    }
    let national = if let Some(rest) = digits
        .strip_prefix("84")
        .filter(|r| r.len() == 9 && (plus || !digits.starts_with('0')))
    {
        format!("0{rest}")
    } else if plus {
        format!("+{digits}")
    } else {
        digits
    };
    let len = national.trim_start_matches('+').len();
    (8..=15).contains(&len).then_some(national)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_people_need_a_name_and_one_distinguishing_detail() {
        let today = NaiveDate::from_ymd_opt(2021, 8, 1).unwrap();
        let p =
            |name: &str, id: Option<&str>, phone: Option<&str>, year: Option<i32>| TypedPerson {
                full_name: name.into(),
                id_number: id.map(Into::into),
                phone: phone.map(Into::into),
                birth_year: year,
            };
        assert!(p("Lê Văn C", Some("001098012345"), None, None)
            .validate(today)
            .is_ok());
        assert!(p("Lê Văn C", None, None, Some(1960))
            .validate(today)
            .is_ok());
        let fields = |e: PersonError| e.fields.iter().map(|f| f.field).collect::<Vec<_>>();
        assert_eq!(
            fields(
                p(" ", None, Some("0912345678"), None)
                    .validate(today)
                    .unwrap_err()
            ),
            ["full_name"]
        );
        assert_eq!(
            fields(p("A", None, None, None).validate(today).unwrap_err()),
            ["id_number"]
        );
        assert_eq!(
            fields(
                p("A", Some("12"), Some("x"), Some(1800))
                    .validate(today)
                    .unwrap_err()
            ),
            ["id_number", "phone", "birth_year"]
        );
        assert_eq!(
            p("Lê  Văn C", None, Some("+84 912 345 678"), None).identity_key(),
            Some(IdentityKey::Phone("0912345678".into()))
        );
        assert_eq!(
            p("Lê  Văn C", None, None, Some(1960)).identity_key(),
            Some(IdentityKey::NameBirth("le van c|1960".into()))
        );
    }

    #[test]
    fn phones() {
        let cases = [
            ("0912 345 678", Some("0912345678")),
            ("+84 912.345.678", Some("0912345678")),
            ("84912345678", Some("0912345678")),
            ("(024) 3825-1234", Some("02438251234")),
            ("+1 202 555 0100", Some("+12025550100")),
            ("12345", None),
            ("call me", None),
        ];
        for (input, want) in cases {
            assert_eq!(normalise_phone(input).as_deref(), want, "{input}");
        }
    }

    #[test]
    fn best_key_prefers_id_then_phone_then_name() {
        assert_eq!(
            IdentityKey::best(Some("001 098-012345"), Some("0912345678"), "A", "1990"),
            Some(IdentityKey::IdCard("001098012345".into()))
        );
        assert_eq!(
            IdentityKey::best(None, Some("+84912345678"), "A", "1990"),
            Some(IdentityKey::Phone("0912345678".into()))
        );
        assert_eq!(
            IdentityKey::best(Some(""), None, "Nguyễn  Văn A", "1990-01-01"),
            Some(IdentityKey::NameBirth("nguyen van a|1990-01-01".into()))
        );
        assert_eq!(IdentityKey::best(None, None, "", "1990"), None);
    }
}
