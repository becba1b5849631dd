//! Kinds of text a gatekeeper may scan, and how to tell them apart.

use crate::bhyt::{looks_like_bhyt, Bhyt, BhytError};
use crate::cccd::{Cccd, CccdError};
use crate::qrqg::{looks_like_personal_qr, PersonalQr, QrqgError};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Prefix of the project's signed visitor pass (versioned).
pub const PASS_PREFIX: &str = "CKP1:";
/// Prefix of a venue's check-in code (printed on its poster).
pub const VENUE_PREFIX: &str = "CKV1:";
/// Prefix of a device enrollment token.
pub const ENROLL_PREFIX: &str = "CKE1:";
/// Prefix of an EU Digital COVID Certificate.
pub const DCC_PREFIX: &str = "HC1:";

/// The kind of a decoded text.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayloadKind {
    Cccd,
    /// A health-insurance card (thẻ BHYT).
    Bhyt,
    /// The national personal QR code (PC-Covid, Sổ sức khỏe điện tử, VNeID).
    Qrqg,
    Pass,
    Venue,
    Enroll,
    Dcc,
    Url,
    Text,
}

impl PayloadKind {
    /// The stable name used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cccd => "cccd",
            Self::Bhyt => "bhyt",
            Self::Qrqg => "qrqg",
            Self::Pass => "pass",
            Self::Venue => "venue",
            Self::Enroll => "enroll",
            Self::Dcc => "dcc",
            Self::Url => "url",
            Self::Text => "text",
        }
    }
}

impl fmt::Display for PayloadKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A classified text. Kinds whose formats are parsed here carry the parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    Cccd(Cccd),
    /// A text that looks like an ID-card code (12 leading digits and `|`) but
    /// does not parse: the reason is shown so staff can type it in instead.
    BadCccd(CccdError),
    Bhyt(Bhyt),
    /// Shaped like a health-insurance card's code but does not read.
    BadBhyt(BhytError),
    PersonalQr(PersonalQr),
    /// Shaped like a national personal QR code but does not read.
    BadPersonalQr(QrqgError),
    Pass(String),
    Venue(String),
    Enroll(String),
    Dcc(String),
    Url(String),
    Text(String),
}

impl Payload {
    /// The kind reported for this payload (a malformed CCCD is plain text).
    pub fn kind(&self) -> PayloadKind {
        match self {
            Self::Cccd(_) => PayloadKind::Cccd,
            Self::Bhyt(_) | Self::BadBhyt(_) => PayloadKind::Bhyt,
            Self::PersonalQr(_) | Self::BadPersonalQr(_) => PayloadKind::Qrqg,
            Self::Pass(_) => PayloadKind::Pass,
            Self::Venue(_) => PayloadKind::Venue,
            Self::Enroll(_) => PayloadKind::Enroll,
            Self::Dcc(_) => PayloadKind::Dcc,
            Self::Url(_) => PayloadKind::Url,
            Self::BadCccd(_) | Self::Text(_) => PayloadKind::Text,
        }
    }
}

/// Classifies a decoded text. Never fails: unknown text is `Text`.
pub fn classify(raw: &str) -> Payload {
    let text = crate::text::strip_scanner_noise(raw);
    let upper_prefix = |p: &str| {
        text.len() >= p.len()
            && text.is_char_boundary(p.len())
            && text[..p.len()].eq_ignore_ascii_case(p)
    };
    if upper_prefix(PASS_PREFIX) {
        return Payload::Pass(text.to_string());
    }
    if upper_prefix(VENUE_PREFIX) {
        return Payload::Venue(text.to_string());
    }
    if upper_prefix(ENROLL_PREFIX) {
        return Payload::Enroll(text.to_string());
    }
    if text.starts_with(DCC_PREFIX) {
        return Payload::Dcc(text.to_string());
    }
    // A venue's poster links to the citizen page: a gatekeeper who scans
    // it is told it is a venue's code, not a person's.
    if crate::VenueLinkCode::from_url(text).is_some() {
        return Payload::Venue(text.to_string());
    }
    if looks_like_url(text) {
        return Payload::Url(text.to_string());
    }
    if text.contains('|') {
        let cccd = match Cccd::parse(text) {
            Ok(c) => return Payload::Cccd(c),
            Err(e) => e,
        };
        // The personal QR may start with the same 12 digits as an ID card:
        // a text the card's reader refuses is tried as the other formats.
        if looks_like_personal_qr(text) {
            return PersonalQr::parse(text)
                .map_or_else(Payload::BadPersonalQr, Payload::PersonalQr);
        }
        if looks_like_bhyt(text) {
            return Bhyt::parse(text).map_or_else(Payload::BadBhyt, Payload::Bhyt);
        }
        if text.len() >= 12 && text.as_bytes()[..12].iter().all(u8::is_ascii_digit) {
            return Payload::BadCccd(cccd);
        }
    }
    Payload::Text(text.to_string())
}

fn looks_like_url(text: &str) -> bool {
    let lower: String = text
        .chars()
        .take(8)
        .collect::<String>()
        .to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && !text.contains(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_table() {
        let cases = [
            (
                "001098012345|012345678|NGUYỄN VĂN A|15081998|Nam|Hà Nội|25052021",
                PayloadKind::Cccd,
            ),
            (
                "\u{feff}001098012345||B|01012000|Nữ|Hà Nội|01012022\r\n",
                PayloadKind::Cccd,
            ),
            ("CKP1:abc", PayloadKind::Pass),
            ("ckv1:01-00001-AB", PayloadKind::Venue),
            ("CKE1:token", PayloadKind::Enroll),
            ("HC1:NCFOXN%TS3DH", PayloadKind::Dcc),
            (
                "https://checkin.thanhhoa.gov.vn/c/38-14995-K7QM2A.ABCDEFGHJKMNPQ23",
                PayloadKind::Venue,
            ),
            (
                "http://10.0.0.5:8080/so-y-te/c/38-14995-k7qm2a.abcdefghjkmnpq23?src=poster",
                PayloadKind::Venue,
            ),
            // A tag of the wrong length or alphabet, or a deeper path: a URL.
            (
                "https://x.vn/c/38-14995-K7QM2A.ABCDEFGHJKMNPQ2",
                PayloadKind::Url,
            ),
            (
                "https://x.vn/c/38-14995-K7QM2A.ABCDEFGHJKMNPQ28",
                PayloadKind::Url,
            ),
            (
                "https://x.vn/c/38-14995-K7QM2A.ABCDEFGHJKMNPQ23/x",
                PayloadKind::Url,
            ),
            (
                "ftp://x.vn/c/38-14995-K7QM2A.ABCDEFGHJKMNPQ23",
                PayloadKind::Text,
            ),
            ("https://tokhaiyte.vn/?v=1", PayloadKind::Url),
            ("HTTP://EXAMPLE.ORG", PayloadKind::Url),
            ("http://a b", PayloadKind::Text),
            ("hello", PayloadKind::Text),
            ("", PayloadKind::Text),
            ("a|b|c", PayloadKind::Text),
            (
                "0123456789|4e677579e1bb856e2056c4836e20416e|15/08/1990|1|-|38 - 123|01/01/2021|-|05/01/2021|$",
                PayloadKind::Bhyt,
            ),
            (
                "HS4380120878837|4cc3b22056c4836e2043c6b0e1bb9d6e67|07/09/2008|1|-|38 - 387|$",
                PayloadKind::Bhyt,
            ),
            (
                "001090012345|NGUYEN VAN AN|1990-08-15|0|162979388586171100|1<GD4010123456789<<<",
                PayloadKind::Qrqg,
            ),
            (
                "******509|TRAN THI BINH|1985-04-30|0|163012345678901234|2<<0943******<<",
                PayloadKind::Qrqg,
            ),
        ];
        for (text, kind) in cases {
            assert_eq!(classify(text).kind(), kind, "{text:?}");
        }
    }

    #[test]
    fn malformed_cccd_keeps_its_reason() {
        match classify("001098012345|x|A|99999999|Nam|X|01012020") {
            Payload::BadCccd(e) => assert!(e.to_string().contains("old ID")),
            other => panic!("{other:?}"),
        }
    }

    proptest::proptest! {
        #[test]
        fn classify_never_panics(s in "\\PC*") {
            let _ = classify(&s);
        }
    }
}
