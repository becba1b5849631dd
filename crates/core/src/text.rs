//! Text folding shared by the parsers: Vietnamese diacritics and scanner noise.

/// Removes a UTF-8 byte-order mark and the CR/LF (and other surrounding
/// whitespace) that USB and serial QR scanners add around a code.
pub fn strip_scanner_noise(s: &str) -> &str {
    s.trim_start_matches('\u{feff}')
        .trim_matches(|c: char| c.is_whitespace() || c == '\0')
}

/// Lower-cases and removes Vietnamese diacritics so "Nữ", "NỮ", "Nu" and the
/// decomposed (NFD) spelling all compare equal. "đ" folds to "d".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        if ('\u{0300}'..='\u{036f}').contains(&c) {
            continue; // combining marks of decomposed text
        }
        out.push(base_letter(c));
    }
    out
}

fn base_letter(c: char) -> char {
    const GROUPS: [(&str, char); 7] = [
        ("àáảãạăằắẳẵặâầấẩẫậ", 'a'),
        ("èéẻẽẹêềếểễệ", 'e'),
        ("ìíỉĩị", 'i'),
        ("òóỏõọôồốổỗộơờớởỡợ", 'o'),
        ("ùúủũụưừứửữự", 'u'),
        ("ỳýỷỹỵ", 'y'),
        ("đ", 'd'),
    ];
    GROUPS
        .iter()
        .find(|(set, _)| set.contains(c))
        .map_or(c, |(_, base)| *base)
}

/// Collapses runs of whitespace to one space and trims the ends.
pub fn squash_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Nữ"), "nu");
        assert_eq!(fold("NỮ"), "nu");
        assert_eq!(fold("Nu\u{031b}\u{0303}"), "nu");
        assert_eq!(fold("Đặng Thị Ánh"), "dang thi anh");
    }

    #[test]
    fn strips_noise() {
        assert_eq!(strip_scanner_noise("\u{feff}abc\r\n"), "abc");
        assert_eq!(strip_scanner_noise("  abc\0"), "abc");
    }
}
