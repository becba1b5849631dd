//! Decoded QR bytes to text.
//!
//! QR byte mode carries no reliable charset (ECI is rare and `rqrr` drops
//! it), and Kanji mode yields Shift-JIS bytes. We guess as ZXing does: valid
//! UTF-8 wins; otherwise Shift-JIS when the bytes are well-formed Shift-JIS and
//! contain double-byte characters or half-width katakana runs; otherwise
//! ISO-8859-1 (every byte maps to a char). Never panics.

/// Which charset the bytes were read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    Utf8,
    ShiftJis,
    Latin1,
}

/// Decodes QR payload bytes to a string and says which charset was used.
pub fn decode_bytes(bytes: &[u8]) -> (String, Charset) {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_string(), Charset::Utf8);
    }
    if looks_like_shift_jis(bytes) {
        let (s, _, had_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
        if !had_errors {
            return (s.into_owned(), Charset::ShiftJis);
        }
    }
    (bytes.iter().map(|&b| b as char).collect(), Charset::Latin1)
}

/// Well-formed Shift-JIS with at least one double-byte character, and not
/// a text that reads more plausibly as Latin-1 (mostly ASCII with scattered
/// accented letters).
fn looks_like_shift_jis(bytes: &[u8]) -> bool {
    let (mut i, mut double, mut katakana, mut latin1_letters) = (0, 0usize, 0usize, 0usize);
    while i < bytes.len() {
        let b = bytes[i];
        if (0xC0..=0xFF).contains(&b) && b != 0xD7 && b != 0xF7 {
            latin1_letters += 1;
        }
        match b {
            0x00..=0x7F => i += 1,
            0xA1..=0xDF => {
                katakana += 1;
                i += 1;
            }
            0x81..=0x9F | 0xE0..=0xEF => {
                let Some(&t) = bytes.get(i + 1) else {
                    return false;
                };
                if !(0x40..=0xFC).contains(&t) || t == 0x7F {
                    return false;
                }
                double += 1;
                i += 2;
            }
            _ => return false,
        }
    }
    double > 0 || (katakana >= 2 && latin1_letters == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_shift_jis_and_latin1() {
        assert_eq!(
            decode_bytes("Nguyễn Văn A".as_bytes()),
            ("Nguyễn Văn A".to_string(), Charset::Utf8)
        );
        // "日本" in Shift-JIS.
        assert_eq!(
            decode_bytes(&[0x93, 0xFA, 0x96, 0x7B]),
            ("日本".to_string(), Charset::ShiftJis)
        );
        // "café" in ISO-8859-1.
        assert_eq!(
            decode_bytes(b"caf\xe9"),
            ("café".to_string(), Charset::Latin1)
        );
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let mut x = 0x1234_5678u32;
        for len in 0..300 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    x as u8
                })
                .collect();
            let _ = decode_bytes(&bytes);
        }
    }
}
