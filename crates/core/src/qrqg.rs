//! The national personal QR code ("mã QR cá nhân", version 1.1 of the
//! Ministry of Information and Communications, September 2021) that every
//! anti-epidemic app showed: PC-Covid, Sổ sức khỏe điện tử, VNeID.
//!
//! `SoGiayTo|HoTen|NgaySinh|LoaiDinhDanh|QID|EXT`: the ID number (9 or 12
//! digits, possibly masked with `*`), the name (often upper case without
//! diacritics), the birth date `yyyy-mm-dd`, `0` when the person declared
//! for themselves or `1` when someone did on their behalf, the person's id
//! on the national QR platform (QID), and `<`-separated extras: sex,
//! health-insurance number, masked phone, signature, the QID of whoever
//! declared on their behalf. A person is named by the ID number when it is
//! shown whole, else by the QID.

use crate::cccd::{clip, CardGender};
use crate::text::{squash_spaces, strip_scanner_noise};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Why a text is not a national personal QR code.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QrqgError {
    #[error("the code is empty")]
    Empty,
    #[error("has {found} field(s); a personal QR code has 6 (ID|name|birth date|kind|QID|extras)")]
    FieldCount { found: usize },
    #[error("ID number {found:?} is not 9 or 12 digits (some may be masked with *)")]
    IdNumber { found: String },
    #[error("the name is empty")]
    EmptyName,
    #[error("birth date {found:?} is not a date (yyyy-mm-dd)")]
    BirthDate { found: String },
    #[error("declaration kind {found:?} is neither 0 (self) nor 1 (on behalf)")]
    Kind { found: String },
    #[error("QID {found:?} is not a number")]
    Qid { found: String },
}

/// A parsed national personal QR code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalQr {
    /// The ID number as shown, masked digits as `*`.
    pub shown_id: String,
    /// The ID number when shown whole.
    pub id_number: Option<String>,
    pub full_name: String,
    pub birth_date: NaiveDate,
    /// Declared by someone else on the person's behalf (a child, an elder).
    pub on_behalf: bool,
    /// The person's id on the national QR platform.
    pub qid: String,
    pub gender: Option<CardGender>,
    pub insurance_number: Option<String>,
}

fn birth(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Whether a text is shaped like a personal QR code (six fields with a
/// `yyyy-mm-dd` birth date, or a masked ID first), so that a damaged one is
/// reported as such rather than as unknown text.
pub fn looks_like_personal_qr(raw: &str) -> bool {
    let text = strip_scanner_noise(raw);
    let fields: Vec<&str> = text.split('|').map(str::trim).collect();
    let dated = fields.get(2).is_some_and(|d| {
        let b = d.as_bytes();
        b.len() == 10 && b[4] == b'-' && b[7] == b'-'
    });
    let masked = fields.first().is_some_and(|f| f.contains('*'));
    fields.len() >= 4 && (dated || masked)
}

impl PersonalQr {
    /// What names the person: the ID number when the code shows it whole
    /// (the same key as their ID card), else the QID.
    pub fn identity_key(&self) -> crate::IdentityKey {
        self.id_number
            .as_deref()
            .and_then(|id| crate::IdentityKey::best(Some(id), None, "", ""))
            .unwrap_or_else(|| crate::IdentityKey::Qid(self.qid.clone()))
    }

    /// Parses a scanned text (BOM, CR/LF and a missing extras field tolerated).
    pub fn parse(raw: &str) -> Result<Self, QrqgError> {
        let text = strip_scanner_noise(raw);
        if text.is_empty() {
            return Err(QrqgError::Empty);
        }
        let fields: Vec<&str> = text.split('|').map(str::trim).collect();
        if !(5..=6).contains(&fields.len()) {
            return Err(QrqgError::FieldCount {
                found: fields.len(),
            });
        }
        let shown = fields[0];
        let digits_or_mask = shown.bytes().all(|b| b.is_ascii_digit() || b == b'*');
        if !(shown.len() == 9 || shown.len() == 12) || !digits_or_mask {
            return Err(QrqgError::IdNumber { found: clip(shown) });
        }
        let id_number = (!shown.contains('*')).then(|| shown.to_string());
        let full_name = squash_spaces(fields[1]);
        if full_name.is_empty() {
            return Err(QrqgError::EmptyName);
        }
        let birth_date = birth(fields[2]).ok_or_else(|| QrqgError::BirthDate {
            found: clip(fields[2]),
        })?;
        let on_behalf = match fields[3] {
            "0" => false,
            "1" => true,
            other => return Err(QrqgError::Kind { found: clip(other) }),
        };
        let qid = fields[4];
        if qid.is_empty() || qid.len() > 30 || !qid.bytes().all(|b| b.is_ascii_digit()) {
            return Err(QrqgError::Qid { found: clip(qid) });
        }
        let ext: Vec<&str> = fields
            .get(5)
            .map_or(vec![], |e| e.split('<').map(str::trim).collect());
        let gender = match ext.first().copied() {
            Some("1") => Some(CardGender::Male),
            Some("2") => Some(CardGender::Female),
            _ => None,
        };
        let insurance_number = ext
            .get(1)
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric()))
            .map(|n| n.to_ascii_uppercase());
        Ok(Self {
            shown_id: shown.to_string(),
            id_number,
            full_name,
            birth_date,
            on_behalf,
            qid: qid.to_string(),
            gender,
            insurance_number,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const WHOLE: &str =
        "001090012345|NGUYEN VAN AN|1990-08-15|0|162979388586171100|1<GD4010123456789<0912******<<";
    const MASKED: &str = "******509|TRAN THI BINH|1985-04-30|0|163012345678901234|2<<0943******<<";
    const ON_BEHALF: &str = "038301004321|LO VAN CUONG|2008-09-07|1|163198765432109876|1<HS4380120878837<<<162979388586171100";

    #[test]
    fn reads_the_three_shapes() {
        let a = PersonalQr::parse(WHOLE).unwrap();
        assert_eq!(a.id_number.as_deref(), Some("001090012345"));
        assert_eq!(a.full_name, "NGUYEN VAN AN");
        assert_eq!(a.gender, Some(CardGender::Male));
        assert_eq!(a.insurance_number.as_deref(), Some("GD4010123456789"));
        let b = PersonalQr::parse(MASKED).unwrap();
        assert_eq!(b.id_number, None);
        assert_eq!(b.shown_id, "******509");
        assert_eq!(b.qid, "163012345678901234");
        assert_eq!(b.gender, Some(CardGender::Female));
        assert_eq!(b.insurance_number, None);
        let c = PersonalQr::parse(ON_BEHALF).unwrap();
        assert!(c.on_behalf);
        // Without extras too.
        assert!(PersonalQr::parse("001090012345|A B|1990-08-15|0|1629").is_ok());
    }

    #[test]
    fn damaged_codes_say_what_is_wrong() {
        assert_eq!(PersonalQr::parse(" "), Err(QrqgError::Empty));
        assert!(matches!(
            PersonalQr::parse("1|2|3"),
            Err(QrqgError::FieldCount { found: 3 })
        ));
        assert!(matches!(
            PersonalQr::parse("00109001234|A|1990-08-15|0|1|"),
            Err(QrqgError::IdNumber { .. })
        ));
        assert_eq!(
            PersonalQr::parse("001090012345| |1990-08-15|0|1|"),
            Err(QrqgError::EmptyName)
        );
        assert!(matches!(
            PersonalQr::parse("001090012345|A|1990-13-15|0|1|"),
            Err(QrqgError::BirthDate { .. })
        ));
        assert!(matches!(
            PersonalQr::parse("001090012345|A|1990-08-15|2|1|"),
            Err(QrqgError::Kind { .. })
        ));
        assert!(matches!(
            PersonalQr::parse("001090012345|A|1990-08-15|0|x1|"),
            Err(QrqgError::Qid { .. })
        ));
        assert!(looks_like_personal_qr("001090012345|A|1990-13-15|0|1|"));
        assert!(!looks_like_personal_qr(
            "001098012345||NGUYỄN VĂN B|01012000|Nữ|Hà Nội|01012022"
        ));
    }

    proptest! {
        #[test]
        fn never_panics_on_mutated_codes(pick in 0usize..3, cut in 0usize..120, at in 0usize..120, byte in any::<u8>()) {
            let mut b = [WHOLE, MASKED, ON_BEHALF][pick].as_bytes().to_vec();
            b.truncate(cut.min(b.len()).max(1));
            let i = at % b.len();
            b[i] = byte;
            let s = String::from_utf8_lossy(&b);
            let _ = PersonalQr::parse(&s);
            let _ = looks_like_personal_qr(&s);
        }
    }
}
