//! The QR code on Vietnamese health-insurance cards (thẻ BHYT), which many
//! elderly people without a phone carry to the gate.
//!
//! Fields are separated by `|` and the code ends with `|$`. Text fields are
//! the hex of their UTF-8 bytes, `-` stands for an empty field, dates are
//! `dd/mm/yyyy` (sometimes with a leading space). Two layouts are in use:
//! current cards (from 2021) start with the 10-digit social-insurance number
//! (mã số BHXH); older cards with the 15-character card number (two letters
//! for the beneficiary group, a benefit digit, the 2-digit province, then the
//! same 10 digits). Both give name, birth date, sex, address, the registered
//! clinic and the validity. Text that is not valid hex is kept as it is;
//! missing trailing fields are tolerated; anything else is "not a BHYT card"
//! with a reason, never a panic.

use crate::cccd::{clip, parse_card_date, CardGender};
use crate::text::{squash_spaces, strip_scanner_noise};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a text is not a health-insurance card's code.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BhytError {
    #[error("the code is empty")]
    Empty,
    #[error("has {found} field(s); a health-insurance card code has at least number, name and birth date")]
    TooFewFields { found: usize },
    #[error("card number {found:?} is neither a 10-digit social-insurance number nor a 15-character card number")]
    Number { found: String },
    #[error("the name is empty")]
    EmptyName,
    #[error("{field} {found:?} is not a date (dd/mm/yyyy)")]
    Date { field: &'static str, found: String },
    #[error("sex {found:?} is neither 1 (male) nor 2 (female)")]
    Sex { found: String },
}

/// Which card layout a code has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BhytLayout {
    /// From 2021: the 10-digit social-insurance number first.
    Current,
    /// Before: the 15-character card number first.
    Old,
}

/// A parsed health-insurance card code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bhyt {
    pub layout: BhytLayout,
    /// The first field as printed: 10 digits (current) or 15 characters (old).
    pub card_number: String,
    /// The 10-digit social-insurance number, the same on old and current
    /// cards of one person: what names them.
    pub insurance_number: String,
    pub full_name: String,
    pub birth_date: NaiveDate,
    pub gender: Option<CardGender>,
    pub address: Option<String>,
    /// The registered clinic, `PP-NNN` (province, clinic).
    pub clinic: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

/// Whether a 15-character old card number: 2 letters, a benefit digit, a
/// 2-digit province and 10 digits.
fn old_card_number(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 15
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..].iter().all(u8::is_ascii_digit)
}

fn social_insurance_number(s: &str) -> bool {
    s.len() == 10 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Whether a text is shaped like a card code (its first field a card number
/// and its end `|$`, or a hex name after the number), so that a damaged one
/// is reported as a damaged card rather than as unknown text.
pub fn looks_like_bhyt(raw: &str) -> bool {
    let text = strip_scanner_noise(raw);
    let mut fields = text.split('|').map(str::trim);
    let first = fields.next().unwrap_or("");
    let numbered = social_insurance_number(first) || old_card_number(first);
    let hex_name = fields.next().is_some_and(|n| {
        n.len() >= 4 && n.len() % 2 == 0 && n.bytes().all(|b| b.is_ascii_hexdigit())
    });
    numbered && (text.ends_with("|$") || hex_name)
}

/// Text written as the hex of its UTF-8 bytes, or as itself when it is not.
fn text_field(s: &str) -> String {
    let s = s.trim();
    if s.len() % 2 == 0 && !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        let bytes: Option<Vec<u8>> = (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
            .collect();
        if let Some(text) = bytes.and_then(|b| String::from_utf8(b).ok()) {
            return squash_spaces(&text);
        }
    }
    squash_spaces(s)
}

fn optional<'a>(s: Option<&&'a str>) -> Option<&'a str> {
    s.map(|s| s.trim()).filter(|s| !s.is_empty() && *s != "-")
}

fn date(field: &'static str, s: &str) -> Result<NaiveDate, BhytError> {
    parse_card_date(s.trim()).ok_or_else(|| BhytError::Date {
        field,
        found: clip(s),
    })
}

impl Bhyt {
    /// What names the card's holder: the social-insurance number.
    pub fn identity_key(&self) -> crate::IdentityKey {
        crate::IdentityKey::Insurance(self.insurance_number.clone())
    }

    /// Parses a scanned text (BOM, CR/LF, a leading space in dates, both
    /// kinds of dash in the clinic and missing trailing fields tolerated).
    pub fn parse(raw: &str) -> Result<Self, BhytError> {
        let text = strip_scanner_noise(raw);
        if text.is_empty() {
            return Err(BhytError::Empty);
        }
        let mut fields: Vec<&str> = text.split('|').collect();
        if fields.last().is_some_and(|f| f.trim() == "$") {
            fields.pop();
        }
        if fields.len() < 3 {
            return Err(BhytError::TooFewFields {
                found: fields.len(),
            });
        }
        let number = fields[0].trim().to_ascii_uppercase();
        let (layout, insurance_number) = if social_insurance_number(&number) {
            (BhytLayout::Current, number.clone())
        } else if old_card_number(&number) {
            (BhytLayout::Old, number[5..].to_string())
        } else {
            return Err(BhytError::Number {
                found: clip(&number),
            });
        };
        let full_name = text_field(fields[1]);
        if full_name.is_empty() || full_name == "-" {
            return Err(BhytError::EmptyName);
        }
        let birth_date = date("birth date", fields[2])?;
        let gender = match optional(fields.get(3)) {
            None => None,
            Some("1") => Some(CardGender::Male),
            Some("2") => Some(CardGender::Female),
            Some(other) => return Err(BhytError::Sex { found: clip(other) }),
        };
        let address = optional(fields.get(4)).map(text_field);
        let clinic = optional(fields.get(5)).map(|c| {
            c.replace(['–', '—'], "-")
                .split('-')
                .map(str::trim)
                .collect::<Vec<_>>()
                .join("-")
        });
        let valid_from = optional(fields.get(6))
            .map(|d| date("valid-from date", d))
            .transpose()?;
        let valid_to = optional(fields.get(7))
            .map(|d| date("valid-to date", d))
            .transpose()?;
        Ok(Self {
            layout,
            card_number: number,
            insurance_number,
            full_name,
            birth_date,
            gender,
            address,
            clinic,
            valid_from,
            valid_to,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// "Nguyễn Văn An", 15/08/1990, male, current card (synthetic).
    const CURRENT: &str = "0123456789|4e677579e1bb856e2056c4836e20416e|15/08/1990|1|-|38 - 123|01/01/2021|-|05/01/2021|38123456789012|-|4| 01/01/2026|1a2b3c4d5e6f7081-1202|4|4e6f|$";
    /// "Lò Văn Cường", an old card of the same layout the samples use.
    const OLD: &str = "HS4380120878837|4cc3b22056c4836e2043c6b0e1bb9d6e67|07/09/2008|1|58c3a32053c6a16e2048c3a0|38 – 387|01/01/2021|31/12/2021|24/12/2020|$";

    #[test]
    fn reads_a_current_card() {
        let c = Bhyt::parse(CURRENT).unwrap();
        assert_eq!(c.layout, BhytLayout::Current);
        assert_eq!(c.insurance_number, "0123456789");
        assert_eq!(c.full_name, "Nguyễn Văn An");
        assert_eq!(c.birth_date, NaiveDate::from_ymd_opt(1990, 8, 15).unwrap());
        assert_eq!(c.gender, Some(CardGender::Male));
        assert_eq!(c.address, None);
        assert_eq!(c.clinic.as_deref(), Some("38-123"));
        assert_eq!(c.valid_to, None);
    }

    #[test]
    fn reads_an_old_card_and_names_the_same_number() {
        let c = Bhyt::parse(OLD).unwrap();
        assert_eq!(c.layout, BhytLayout::Old);
        assert_eq!(c.card_number, "HS4380120878837");
        assert_eq!(c.insurance_number, "0120878837");
        assert_eq!(c.full_name, "Lò Văn Cường");
        assert_eq!(c.address.as_deref(), Some("Xã Sơn Hà"));
        assert_eq!(c.clinic.as_deref(), Some("38-387"));
        assert_eq!(c.valid_to, NaiveDate::from_ymd_opt(2021, 12, 31));
    }

    #[test]
    fn tolerates_missing_trailing_fields_and_raw_text() {
        let c = Bhyt::parse("0123456789|Tran Van B|01/02/1950").unwrap();
        assert_eq!(c.full_name, "Tran Van B");
        assert_eq!(c.gender, None);
        // Odd-length hex is kept as written.
        assert_eq!(
            Bhyt::parse("0123456789|abc|01/02/1950").unwrap().full_name,
            "abc"
        );
    }

    #[test]
    fn damaged_codes_say_what_is_wrong() {
        assert_eq!(Bhyt::parse(""), Err(BhytError::Empty));
        assert_eq!(
            Bhyt::parse("0123456789|$"),
            Err(BhytError::TooFewFields { found: 1 })
        );
        assert!(matches!(
            Bhyt::parse("12345|4e67|01/01/1990|1|$"),
            Err(BhytError::Number { .. })
        ));
        assert_eq!(
            Bhyt::parse("0123456789|-|01/01/1990|1|$"),
            Err(BhytError::EmptyName)
        );
        assert!(matches!(
            Bhyt::parse("0123456789|4e67|1990|1|$"),
            Err(BhytError::Date {
                field: "birth date",
                ..
            })
        ));
        assert!(matches!(
            Bhyt::parse("0123456789|4e67|01/01/1990|3|$"),
            Err(BhytError::Sex { .. })
        ));
        assert!(looks_like_bhyt("0123456789|4e67|1990|1|$"));
        assert!(!looks_like_bhyt(
            "001090012345|NGUYEN VAN AN|1990-08-15|0|1629|"
        ));
    }

    proptest! {
        #[test]
        fn never_panics_on_mutated_cards(
            pick in 0usize..2,
            cut in 0usize..200,
            at in 0usize..200,
            byte in any::<u8>(),
        ) {
            let base = [CURRENT, OLD][pick].as_bytes();
            let mut b = base.to_vec();
            b.truncate(cut.min(b.len()).max(1));
            let i = at % b.len();
            b[i] = byte;
            let _ = Bhyt::parse(&String::from_utf8_lossy(&b));
            let _ = looks_like_bhyt(&String::from_utf8_lossy(&b));
        }

        #[test]
        fn never_panics_on_any_text(s in ".{0,300}") {
            let _ = Bhyt::parse(&s);
        }
    }
}
