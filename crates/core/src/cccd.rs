//! The QR code printed on Vietnamese chip citizen ID cards (CCCD).
//!
//! The card encodes `id12|old id9|full name|birth ddmmyyyy|gender|address|issue ddmmyyyy`.
//! Readers in the field also produce a 6-field form without the old id,
//! `dd/mm/yyyy` dates, trailing empty fields, a BOM and CR/LF: all are accepted.
//! Anything else is "not a CCCD" with a reason, never a panic.

use crate::text::{fold, squash_spaces, strip_scanner_noise};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a text is not a CCCD QR payload.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CccdError {
    #[error("the code is empty")]
    Empty,
    #[error("not '|'-separated (a CCCD code has 7 fields)")]
    NotPipeSeparated,
    #[error("has {found} fields; a CCCD code has 7 (or 6 without the old id)")]
    FieldCount { found: usize },
    #[error("ID number {found:?} is not 12 digits")]
    IdNumber { found: String },
    #[error("old ID number {found:?} is not 9 digits")]
    OldIdNumber { found: String },
    #[error("the full name is empty")]
    EmptyName,
    #[error("{field} {found:?} is not a date (ddmmyyyy or dd/mm/yyyy)")]
    Date { field: &'static str, found: String },
    #[error("gender {found:?} is neither Nam nor Nữ")]
    Gender { found: String },
}

/// Gender as printed on the card.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardGender {
    Male,
    Female,
}

/// A parsed CCCD QR payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cccd {
    /// 12-digit personal identification number.
    pub id_number: String,
    /// 9-digit number of the old ID card (CMND), when the holder had one.
    pub old_id_number: Option<String>,
    pub full_name: String,
    pub birth_date: NaiveDate,
    pub gender: CardGender,
    pub address: String,
    pub issue_date: Option<NaiveDate>,
}

impl Cccd {
    /// Parses a scanned text. Tolerates BOM, CR/LF, trailing empty fields,
    /// the 6-field form and slash dates.
    pub fn parse(raw: &str) -> Result<Self, CccdError> {
        let text = strip_scanner_noise(raw);
        if text.is_empty() {
            return Err(CccdError::Empty);
        }
        if !text.contains('|') {
            return Err(CccdError::NotPipeSeparated);
        }
        let mut fields: Vec<&str> = text.split('|').map(str::trim).collect();
        while fields.len() > 7 && fields.last().is_some_and(|f| f.is_empty()) {
            fields.pop();
        }
        // Seven fields whose second is not an old id are the 6-field form with
        // one trailing separator.
        let second_is_old_id = fields.len() == 7 && fields[1].bytes().all(|b| b.is_ascii_digit());
        if fields.len() == 7 && !second_is_old_id && fields[6].is_empty() {
            fields.pop();
        }
        let (id, old, rest) = match fields.len() {
            7 => (fields[0], Some(fields[1]), &fields[2..]),
            6 => (fields[0], None, &fields[1..]),
            found => return Err(CccdError::FieldCount { found }),
        };
        if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CccdError::IdNumber { found: clip(id) });
        }
        let old_id_number = match old {
            None | Some("") => None,
            // Some readers and fixtures carry 10 digits here; the value is
            // informational only, so digits of a plausible length are kept.
            Some(o) if (9..=10).contains(&o.len()) && o.bytes().all(|b| b.is_ascii_digit()) => {
                Some(o.to_string())
            }
            Some(o) => return Err(CccdError::OldIdNumber { found: clip(o) }),
        };
        let [name, birth, gender, address, issue] = [rest[0], rest[1], rest[2], rest[3], rest[4]];
        let full_name = squash_spaces(name);
        if full_name.is_empty() {
            return Err(CccdError::EmptyName);
        }
        let birth_date = parse_card_date(birth).ok_or_else(|| CccdError::Date {
            field: "birth date",
            found: clip(birth),
        })?;
        let gender = match fold(gender).as_str() {
            "nam" | "male" | "m" => CardGender::Male,
            "nu" | "female" | "f" => CardGender::Female,
            _ => {
                return Err(CccdError::Gender {
                    found: clip(gender),
                })
            }
        };
        let issue_date = if issue.is_empty() {
            None
        } else {
            Some(parse_card_date(issue).ok_or_else(|| CccdError::Date {
                field: "issue date",
                found: clip(issue),
            })?)
        };
        Ok(Self {
            id_number: id.to_string(),
            old_id_number,
            full_name,
            birth_date,
            gender,
            address: squash_spaces(address),
            issue_date,
        })
    }
}

/// `ddmmyyyy` or `dd/mm/yyyy` (also `-` and `.` separators).
pub(crate) fn parse_card_date(s: &str) -> Option<NaiveDate> {
    let digits: String = s
        .chars()
        .filter(|c| !matches!(c, '/' | '-' | '.'))
        .collect();
    if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let d = digits[0..2].parse().ok()?;
    let m = digits[2..4].parse().ok()?;
    let y = digits[4..8].parse().ok()?;
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Error messages quote at most 40 characters of what was found, so a huge
/// garbage code cannot flood a log or a screen.
pub(crate) fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const STANDARD: &str =
        "001098012345|012345678|NGUYỄN VĂN A|15081998|Nam|Số 1 Đại Cồ Việt, Hai Bà Trưng, Hà Nội|25052021";

    #[test]
    fn parses_standard_form() {
        let c = Cccd::parse(STANDARD).unwrap();
        assert_eq!(c.id_number, "001098012345");
        assert_eq!(c.old_id_number.as_deref(), Some("012345678"));
        assert_eq!(c.full_name, "NGUYỄN VĂN A");
        assert_eq!(c.birth_date, NaiveDate::from_ymd_opt(1998, 8, 15).unwrap());
        assert_eq!(c.gender, CardGender::Male);
        assert_eq!(c.issue_date, NaiveDate::from_ymd_opt(2021, 5, 25));
    }

    #[test]
    fn variants_table() {
        let cases: &[(&str, &str, Option<&str>, CardGender)] = &[
            (
                "001098012345||NGUYỄN VĂN B|01012000|Nữ|Hà Nội|01012022",
                "001098012345",
                None,
                CardGender::Female,
            ),
            (
                "012345678912|123456789|Nguyễn Văn A|01011990|Nam|123 Đường Số 1|01012022||||",
                "012345678912",
                Some("123456789"),
                CardGender::Male,
            ),
            (
                "001234567890|NGUYEN VAN A|01011990|Nam|123 Duong ABC|01012020",
                "001234567890",
                None,
                CardGender::Male,
            ),
            (
                "123456789012|123456789|Nguyễn Văn A|01/01/1990|Nam|Quận 1|01/01/2020",
                "123456789012",
                Some("123456789"),
                CardGender::Male,
            ),
            (
                "\u{feff}033123009876|0123456789|Trần Thị Bích|15081990|Nữ|Hà Nội|15082016\r\n",
                "033123009876",
                Some("0123456789"),
                CardGender::Female,
            ),
            (
                "033123009876||Trần Thị Bích|15081990|Nu\u{031b}\u{0303}|Hà Nội|",
                "033123009876",
                None,
                CardGender::Female,
            ),
        ];
        for (text, id, old, gender) in cases {
            let c = Cccd::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(&c.id_number, id, "{text:?}");
            assert_eq!(c.old_id_number.as_deref(), *old, "{text:?}");
            assert_eq!(c.gender, *gender, "{text:?}");
        }
    }

    #[test]
    fn rejects_with_reasons() {
        let cases: &[(&str, CccdError)] = &[
            ("", CccdError::Empty),
            ("\r\n", CccdError::Empty),
            ("https://example.org", CccdError::NotPipeSeparated),
            ("a|b|c", CccdError::FieldCount { found: 3 }),
            (
                "12345|012345678|A|01011990|Nam|X|01012020",
                CccdError::IdNumber {
                    found: "12345".into(),
                },
            ),
            (
                "001098012345|12AB|A|01011990|Nam|X|01012020",
                CccdError::OldIdNumber {
                    found: "12AB".into(),
                },
            ),
            (
                "001098012345||  |01011990|Nam|X|01012020",
                CccdError::EmptyName,
            ),
            (
                "001098012345||A|31021990|Nam|X|01012020",
                CccdError::Date {
                    field: "birth date",
                    found: "31021990".into(),
                },
            ),
            (
                "001098012345||A|01011990|Khác|X|01012020",
                CccdError::Gender {
                    found: "Khác".into(),
                },
            ),
            (
                "001098012345||A|01011990|Nam|X|2020",
                CccdError::Date {
                    field: "issue date",
                    found: "2020".into(),
                },
            ),
        ];
        for (text, want) in cases {
            assert_eq!(&Cccd::parse(text).unwrap_err(), want, "{text:?}");
        }
    }

    /// The real samples in `../shared/testdata/cccd/` (absent in a user's clone).
    #[test]
    fn shared_samples_all_parse() {
        let dir =
            std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
                .join("../../../shared/testdata/cccd");
        if !dir.exists() {
            eprintln!("SKIP shared_samples_all_parse: {} not found", dir.display());
            return;
        }
        let mut n = 0;
        for file in ["samples.txt", "variants.txt"] {
            let text = std::fs::read_to_string(dir.join(file)).unwrap();
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                Cccd::parse(line).unwrap_or_else(|e| panic!("{file}: {line:?}: {e}"));
                n += 1;
            }
        }
        assert!(n >= 7, "expected at least 7 samples, parsed {n}");
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_any_text(s in ".*") {
            let _ = Cccd::parse(&s);
        }

        #[test]
        fn never_panics_on_pipe_heavy_text(fields in proptest::collection::vec("[0-9A-Za-zỮữ/ ]{0,14}", 0..12)) {
            let _ = Cccd::parse(&fields.join("|"));
        }

        #[test]
        fn parses_every_well_formed_code(
            id in "[0-9]{12}", old in proptest::option::of("[0-9]{9}"),
            name in "[A-Za-zĐđẠ-ỹ]{1,10}( [A-Za-zĐđẠ-ỹ]{1,10}){0,3}",
            d in 1u32..=28, m in 1u32..=12, y in 1900i32..2020,
            female in proptest::bool::ANY, trailing in 0usize..5,
        ) {
            let text = format!(
                "{id}|{}|{name}|{d:02}{m:02}{y}|{}|Hà Nội|01012021{}",
                old.clone().unwrap_or_default(),
                if female { "Nữ" } else { "Nam" },
                "|".repeat(trailing),
            );
            let c = Cccd::parse(&text).unwrap();
            proptest::prop_assert_eq!(c.id_number, id);
            proptest::prop_assert_eq!(c.old_id_number, old);
            proptest::prop_assert_eq!(c.birth_date, NaiveDate::from_ymd_opt(y, m, d).unwrap());
        }
    }
}
