//! Enrollment tokens and device credentials: made from the OS random source,
//! shown once, stored only as SHA-256.

use checkin_core::payload::ENROLL_PREFIX;
use checkin_sync::protocol::CREDENTIAL_PREFIX;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Crockford-like alphabet without look-alikes (no 0/O, 1/I/L), upper case
/// only so the token fits QR alphanumeric mode and survives retyping.
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// Random text of `n` characters from [`ALPHABET`].
pub fn random_code(n: usize) -> String {
    let mut rng = rand::rngs::OsRng;
    (0..n)
        .map(|_| {
            // Rejection sampling keeps every character equally likely.
            loop {
                let b = (rng.next_u32() & 0xff) as u8;
                if (b as usize) < 256 - 256 % ALPHABET.len() {
                    return ALPHABET[b as usize % ALPHABET.len()] as char;
                }
            }
        })
        .collect()
}

/// A new enrollment token: `CKE1:` and 32 characters (about 158 bits).
pub fn new_enrollment_token() -> String {
    format!("{ENROLL_PREFIX}{}", random_code(32))
}

/// The normal form of a token as typed or scanned: scanner noise trimmed,
/// the server address of a full enrollment code (`CKE1:<token>@<url>`)
/// dropped, upper case. Only the token is upper-cased: the address is not
/// part of the secret and is never folded into it.
pub fn normalise_token(text: &str) -> String {
    // Byte-order mark, CR/LF and NULs that USB scanners add around a code.
    let text = text
        .trim_start_matches('\u{feff}')
        .trim_matches(|c: char| c.is_whitespace() || c == '\0');
    let token = text.split_once('@').map_or(text, |(token, _url)| token);
    token.trim().to_ascii_uppercase()
}

/// A new device credential: `CKD1.` and 43 base64url characters (256 bits).
pub fn new_credential() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!(
        "{CREDENTIAL_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// Hex SHA-256, the only form in which secrets are stored.
pub fn hash_hex(text: &[u8]) -> String {
    let digest = Sha256::digest(text);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// A new dashboard session token: 43 base64url characters (256 bits),
/// carried by the session cookie and stored only as its hash.
pub fn new_session_token() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The CSRF token of a session: derived from the session token, so it needs
/// no storage and cannot be guessed without the cookie.
pub fn csrf_of(session_token: &str) -> String {
    hash_hex(format!("checkin csrf\0{session_token}").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_the_prefix_and_classify_as_enroll() {
        let t = new_enrollment_token();
        assert!(t.starts_with("CKE1:"));
        assert_eq!(t.len(), 5 + 32);
        assert_eq!(
            checkin_core::classify(&t).kind(),
            checkin_core::PayloadKind::Enroll
        );
        assert_eq!(normalise_token(&format!(" {} ", t.to_lowercase())), t);
        assert_eq!(
            normalise_token(&format!("{t}@https://Checkin.SoYTe.vn/X\r\n")),
            t
        );
        assert_eq!(
            normalise_token(&format!(
                "\u{feff}{}@http://127.0.0.1:8080",
                t.to_lowercase()
            )),
            t
        );
        assert_ne!(new_enrollment_token(), t);
        assert!(new_credential().starts_with("CKD1."));
        assert_eq!(hash_hex(b"abc").len(), 64);
    }
}
