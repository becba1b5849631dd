//! Identity keys that deduplicate *people* in reports.
//!
//! A person is keyed by the normalised ID-card number, else the normalised
//! phone number, else name + birth date. Never by a record id: one person makes
//! many records.

use crate::text::{fold, squash_spaces};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A normalised key naming one person across records.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "by", content = "key", rename_all = "snake_case")]
pub enum IdentityKey {
    IdCard(String),
    Phone(String),
    NameBirth(String),
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
        }
    }
}

/// Upper-cases an ID-card or passport number and drops spaces, dots and dashes.
/// Returns `None` when nothing usable is left.
pub fn normalise_id_number(s: &str) -> Option<String> {
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
