//! The visitor pass: a QR code a kiosk gives a citizen after a health
//! declaration, which any gatekeeper verifies offline.
//!
//! A pass carries only what the gate needs: the name to compare with the
//! person, the declaration it stands for, its date and verdict, and an expiry.
//! It is signed with Ed25519 by the issuing device, whose public key the
//! server learns at enrollment and lists in every device's sync config.
//!
//! Text form: `CKP1:` followed by unpadded RFC 4648 base32 of
//! `payload || signature`. Base32 keeps the whole code in the QR
//! alphanumeric mode and survives keyboard-wedge scanners (letters and digits
//! only). Payload, version 1, big-endian:
//!
//! | bytes | field |
//! |---|---|
//! | 1 | version (1) |
//! | 8 | key id: first 8 bytes of SHA-256 of the issuer's public key |
//! | 16 | declaration record id (UUIDv7) |
//! | 2 | declaration date, days since 2020-01-01 |
//! | 4 | expiry, Unix seconds |
//! | 1 | verdict level: 0 green, 1 amber, 2 red |
//! | 1 + n | name: length, then n bytes of UTF-8 (n ≤ 120) |
//!
//! The signature covers `"checkin-pass-v1" || payload`, so a signature made
//! for anything else can never pass as a visitor pass.

use crate::ids::RecordId;
use crate::verdict::Level;
use chrono::{DateTime, Days, NaiveDate, Utc};
use data_encoding::BASE32_NOPAD;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt;
use thiserror::Error;

use crate::payload::PASS_PREFIX;

/// The pass format this build writes.
pub const PASS_VERSION: u8 = 1;
/// Most bytes of the name a pass carries (longer names are cut at a character).
pub const MAX_PASS_NAME_BYTES: usize = 120;
const DOMAIN: &[u8] = b"checkin-pass-v1";
const HEADER: usize = 1 + 8 + 16 + 2 + 4 + 1;
const SIGNATURE: usize = 64;

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 1, 1).expect("a valid date")
}

/// Identifies a signing key: the first 8 bytes of SHA-256 of its public key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(pub [u8; 8]);

impl KeyId {
    /// The id of a public key.
    pub fn of(key: &VerifyingKey) -> Self {
        let digest = Sha256::digest(key.as_bytes());
        let mut id = [0u8; 8];
        id.copy_from_slice(&digest[..8]);
        Self(id)
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// What a pass says about its holder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassClaims {
    /// The declaration record the pass was issued for.
    pub declaration_id: RecordId,
    pub full_name: String,
    /// The local date of the declaration.
    pub declared_on: NaiveDate,
    /// The verdict of the declaration.
    pub level: Level,
    /// After this instant the pass is refused (second precision).
    pub expires_at: DateTime<Utc>,
}

impl PassClaims {
    /// The claims of a pass for a stored declaration: its person, date and
    /// verdict, valid through `policy.pass_valid_days` (at least 1) after
    /// the declaration's date, to the end of that day in the declaration's
    /// own offset.
    pub fn for_declaration(
        record: &crate::DeclarationRecord,
        policy: &crate::verdict::Policy,
    ) -> Self {
        let at = record.occurred_at.unwrap_or(record.device_time);
        let declared_on = at.date_naive();
        let days = u64::from(policy.pass_valid_days.max(1));
        let last_day = declared_on
            .checked_add_days(Days::new(days))
            .unwrap_or(declared_on);
        let expires_at = last_day
            .and_hms_opt(23, 59, 59)
            .and_then(|end| end.and_local_timezone(*at.offset()).single())
            .map_or(at.with_timezone(&Utc), |t| t.with_timezone(&Utc));
        Self {
            declaration_id: record.id,
            full_name: record.declaration.full_name.trim().to_string(),
            declared_on,
            level: record.verdict.level,
            expires_at,
        }
    }
}

/// A pass whose signature checked out against a known key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedPass {
    pub claims: PassClaims,
    pub issuer: KeyId,
}

/// Why a pass is refused. Each is shown at the gate in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Error)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum PassProblem {
    #[error("the pass is damaged or not a visitor pass")]
    Malformed,
    #[error("the pass was made by a newer version of checkin")]
    UnsupportedVersion,
    #[error("the pass was signed by a device this station does not know (sync to fetch new keys)")]
    UnknownKey,
    #[error("the pass has been altered: its signature does not match")]
    BadSignature,
    #[error("the pass has expired")]
    Expired,
    #[error("the pass is dated in the future: check this station's clock")]
    NotYetValid,
}

/// Signs passes with one device's private key.
pub struct PassSigner {
    key: SigningKey,
    id: KeyId,
}

impl fmt::Debug for PassSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The private key never reaches a log.
        f.debug_struct("PassSigner").field("id", &self.id).finish()
    }
}

impl PassSigner {
    /// A signer from the 32 secret bytes of an Ed25519 key (made by the
    /// caller from a cryptographic random source).
    pub fn from_secret(secret: &[u8; 32]) -> Self {
        let key = SigningKey::from_bytes(secret);
        let id = KeyId::of(&key.verifying_key());
        Self { key, id }
    }

    /// The public key, as the server and other devices hold it.
    pub fn public_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// The public key in the sync config's text form (base64).
    pub fn public_key_text(&self) -> String {
        data_encoding::BASE64.encode(self.key.verifying_key().as_bytes())
    }

    /// The id passes name this key by.
    pub fn key_id(&self) -> KeyId {
        self.id
    }

    /// Makes the pass text for `claims`.
    pub fn sign(&self, claims: &PassClaims) -> String {
        let payload = encode_payload(self.id, claims);
        let sig = self.key.sign(&signed_bytes(&payload));
        let mut all = payload;
        all.extend_from_slice(&sig.to_bytes());
        format!("{PASS_PREFIX}{}", BASE32_NOPAD.encode(&all))
    }
}

/// Standard base64, the text form of keys in configs and stores.
pub fn encode_base64(bytes: &[u8]) -> String {
    data_encoding::BASE64.encode(bytes)
}

/// Reads standard base64 (surrounding whitespace ignored).
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    data_encoding::BASE64.decode(text.trim().as_bytes()).ok()
}

/// Reads a public key in the sync config's text form (base64 of 32 bytes).
pub fn parse_public_key(text: &str) -> Option<VerifyingKey> {
    let bytes = data_encoding::BASE64.decode(text.trim().as_bytes()).ok()?;
    let arr: [u8; 32] = bytes.try_into().ok()?;
    VerifyingKey::from_bytes(&arr).ok()
}

/// The keys a station trusts to sign passes: its own and those in its sync config.
#[derive(Debug, Clone, Default)]
pub struct PassKeys {
    keys: HashMap<KeyId, VerifyingKey>,
}

impl PassKeys {
    /// Trusts `key` from now on.
    pub fn insert(&mut self, key: VerifyingKey) {
        self.keys.insert(KeyId::of(&key), key);
    }

    /// Trusts every well-formed key of a sync config's `public_keys`; returns
    /// how many were unreadable (and skipped).
    pub fn extend_from_text<'a>(&mut self, keys: impl IntoIterator<Item = &'a str>) -> usize {
        let mut bad = 0;
        for k in keys {
            match parse_public_key(k) {
                Some(key) => self.insert(key),
                None => bad += 1,
            }
        }
        bad
    }

    /// How many keys are trusted.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when no key is trusted.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Checks a pass's text at `now`: format, version, issuer, signature and
    /// dates, in that order, and returns what it says.
    pub fn verify(&self, text: &str, now: DateTime<Utc>) -> Result<VerifiedPass, PassProblem> {
        let text = crate::text::strip_scanner_noise(text);
        let body = text
            .get(..PASS_PREFIX.len())
            .filter(|p| p.eq_ignore_ascii_case(PASS_PREFIX))
            .map(|_| &text[PASS_PREFIX.len()..])
            .ok_or(PassProblem::Malformed)?;
        let bytes = BASE32_NOPAD
            .decode(body.to_ascii_uppercase().as_bytes())
            .map_err(|_| PassProblem::Malformed)?;
        if bytes.len() < HEADER + 1 + SIGNATURE {
            return Err(PassProblem::Malformed);
        }
        match bytes[0] {
            PASS_VERSION => {}
            0 => return Err(PassProblem::Malformed),
            _ => return Err(PassProblem::UnsupportedVersion),
        }
        let (payload, sig) = bytes.split_at(bytes.len() - SIGNATURE);
        let (issuer, claims) = decode_payload(payload)?;
        let key = self.keys.get(&issuer).ok_or(PassProblem::UnknownKey)?;
        let sig = Signature::from_slice(sig).map_err(|_| PassProblem::Malformed)?;
        key.verify(&signed_bytes(payload), &sig)
            .map_err(|_| PassProblem::BadSignature)?;
        if now > claims.expires_at {
            return Err(PassProblem::Expired);
        }
        // A day of slack for time zones and a gate clock a little behind.
        if claims.declared_on > now.date_naive() + Days::new(1) {
            return Err(PassProblem::NotYetValid);
        }
        Ok(VerifiedPass { claims, issuer })
    }
}

fn signed_bytes(payload: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(DOMAIN.len() + payload.len());
    m.extend_from_slice(DOMAIN);
    m.extend_from_slice(payload);
    m
}

/// The name as carried: NFC is the caller's business; here it is only cut,
/// at a character boundary, to the format's limit.
fn pass_name(name: &str) -> &str {
    let name = name.trim();
    if name.len() <= MAX_PASS_NAME_BYTES {
        return name;
    }
    let mut end = MAX_PASS_NAME_BYTES;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

fn encode_payload(issuer: KeyId, c: &PassClaims) -> Vec<u8> {
    let name = pass_name(&c.full_name);
    let days = (c.declared_on - epoch())
        .num_days()
        .clamp(0, i64::from(u16::MAX)) as u16;
    let expires = c.expires_at.timestamp().clamp(0, i64::from(u32::MAX)) as u32;
    let mut out = Vec::with_capacity(HEADER + 1 + name.len());
    out.push(PASS_VERSION);
    out.extend_from_slice(&issuer.0);
    out.extend_from_slice(c.declaration_id.0.as_bytes());
    out.extend_from_slice(&days.to_be_bytes());
    out.extend_from_slice(&expires.to_be_bytes());
    out.push(match c.level {
        Level::Green => 0,
        Level::Amber => 1,
        Level::Red => 2,
    });
    out.push(name.len() as u8);
    out.extend_from_slice(name.as_bytes());
    out
}

fn decode_payload(p: &[u8]) -> Result<(KeyId, PassClaims), PassProblem> {
    let bad = PassProblem::Malformed;
    if p.len() < HEADER + 1 {
        return Err(bad);
    }
    let issuer = KeyId(p[1..9].try_into().map_err(|_| bad)?);
    let id = uuid::Uuid::from_slice(&p[9..25]).map_err(|_| bad)?;
    let days = u16::from_be_bytes([p[25], p[26]]);
    let expires = u32::from_be_bytes([p[27], p[28], p[29], p[30]]);
    let level = match p[31] {
        0 => Level::Green,
        1 => Level::Amber,
        2 => Level::Red,
        _ => return Err(bad),
    };
    let n = usize::from(p[32]);
    if p.len() != HEADER + 1 + n || n > MAX_PASS_NAME_BYTES {
        return Err(bad);
    }
    let full_name = std::str::from_utf8(&p[HEADER + 1..])
        .map_err(|_| bad)?
        .to_string();
    let declared_on = epoch()
        .checked_add_days(Days::new(u64::from(days)))
        .ok_or(bad)?;
    let expires_at = DateTime::from_timestamp(i64::from(expires), 0).ok_or(bad)?;
    Ok((
        issuer,
        PassClaims {
            declaration_id: RecordId(id),
            full_name,
            declared_on,
            level,
            expires_at,
        },
    ))
}

/// A pass (or any text) as a QR code in an SVG document, the way kiosks and
/// the phone page show it: medium error correction, quiet zone kept, at least
/// 240 px.
pub fn qr_svg(text: &str) -> Result<String, qrcode::types::QrError> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer(seed: u8) -> PassSigner {
        PassSigner::from_secret(&[seed; 32])
    }

    fn claims() -> PassClaims {
        PassClaims {
            declaration_id: RecordId::new(),
            full_name: "Nguyễn Thị Ánh Tuyết".into(),
            declared_on: NaiveDate::from_ymd_opt(2021, 8, 1).unwrap(),
            level: Level::Green,
            expires_at: "2021-08-15T00:00:00Z".parse().unwrap(),
        }
    }

    fn now() -> DateTime<Utc> {
        "2021-08-01T03:00:00Z".parse().unwrap()
    }

    fn trusting(s: &PassSigner) -> PassKeys {
        let mut k = PassKeys::default();
        k.insert(s.public_key());
        k
    }

    #[test]
    fn round_trip_is_compact_and_alphanumeric() {
        let s = signer(1);
        let c = claims();
        let text = s.sign(&c);
        assert!(text.starts_with("CKP1:"));
        assert!(
            text.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b':'),
            "{text}"
        );
        assert!(text.len() < 260, "{} chars", text.len());
        let v = trusting(&s).verify(&text, now()).unwrap();
        assert_eq!(v.claims, c);
        assert_eq!(v.issuer, s.key_id());
        // Scanners add CR/LF; people type lower case.
        let typed = format!("{}\r\n", text.to_ascii_lowercase());
        assert_eq!(trusting(&s).verify(&typed, now()).unwrap().claims, c);
        assert_eq!(crate::classify(&text).kind(), crate::PayloadKind::Pass);
    }

    #[test]
    fn every_refusal_has_its_reason() {
        let s = signer(1);
        let keys = trusting(&s);
        let text = s.sign(&claims());
        let body = BASE32_NOPAD.decode(&text.as_bytes()[5..]).unwrap();
        let reencode = |b: &[u8]| format!("CKP1:{}", BASE32_NOPAD.encode(b));

        // Any changed byte of the payload breaks the signature (or the format).
        for i in [9usize, 20, 26, 30, 31, 40] {
            let mut t = body.clone();
            t[i] ^= 0x01;
            let got = keys.verify(&reencode(&t), now()).unwrap_err();
            assert!(
                matches!(got, PassProblem::BadSignature | PassProblem::Malformed),
                "byte {i}: {got:?}"
            );
        }
        // The classic forgery: a red declaration's pass made green.
        let mut level = body.clone();
        level[31] = 2;
        assert_eq!(
            keys.verify(&reencode(&level), now()),
            Err(PassProblem::BadSignature)
        );
        let mut sig = body.clone();
        let last = sig.len() - 1;
        sig[last] ^= 0x80;
        assert_eq!(
            keys.verify(&reencode(&sig), now()),
            Err(PassProblem::BadSignature)
        );
        assert_eq!(
            PassKeys::default().verify(&text, now()),
            Err(PassProblem::UnknownKey)
        );
        let other = signer(2).sign(&claims());
        assert_eq!(keys.verify(&other, now()), Err(PassProblem::UnknownKey));
        let late: DateTime<Utc> = "2021-08-15T00:00:01Z".parse().unwrap();
        assert_eq!(keys.verify(&text, late), Err(PassProblem::Expired));
        let early: DateTime<Utc> = "2021-07-30T03:00:00Z".parse().unwrap();
        assert_eq!(keys.verify(&text, early), Err(PassProblem::NotYetValid));
        let mut v2 = body.clone();
        v2[0] = 2;
        assert_eq!(
            keys.verify(&reencode(&v2), now()),
            Err(PassProblem::UnsupportedVersion)
        );
        for junk in [
            "CKP1:",
            "CKP1:!!!!",
            "CKP1:AAAA",
            "hello",
            "CKP1:MZXW6YTBOI",
        ] {
            assert_eq!(
                keys.verify(junk, now()),
                Err(PassProblem::Malformed),
                "{junk}"
            );
        }
        assert_eq!(
            keys.verify(&reencode(&body[..body.len() - 1]), now()),
            Err(PassProblem::Malformed),
            "a cut signature"
        );
    }

    #[test]
    fn long_names_are_cut_at_a_character() {
        let s = signer(3);
        let c = PassClaims {
            full_name: "Ư".repeat(100),
            ..claims()
        };
        let v = trusting(&s).verify(&s.sign(&c), now()).unwrap();
        assert_eq!(v.claims.full_name, "Ư".repeat(60));
    }

    #[test]
    fn config_keys_are_read_and_bad_ones_counted() {
        let s = signer(4);
        let mut keys = PassKeys::default();
        let bad = keys.extend_from_text([s.public_key_text().as_str(), "not base64", "AAAA"]);
        assert_eq!((keys.len(), bad), (1, 2));
        assert!(keys.verify(&s.sign(&claims()), now()).is_ok());
        assert!(!format!("{s:?}").contains("key:"));
    }

    proptest::proptest! {
        #[test]
        fn verify_never_panics(text in "CKP1:[A-Z2-7]{0,300}") {
            let _ = trusting(&signer(5)).verify(&text, now());
        }
    }
}
