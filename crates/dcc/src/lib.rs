//! EU Digital COVID Certificates (DCC), decoded and verified offline.
//!
//! The QR text goes through the pipeline of the DCC specification, each step
//! with its own [`Reason`] when it fails:
//!
//! ```text
//! "HC1:" prefix -> Base45 -> zlib -> COSE_Sign1 -> signature (trust list)
//!   -> CWT claims (CBOR) -> key usage -> exp / iat at the given time -> schema
//! ```
//!
//! - [`decode`] reads a code without a trust list or a clock (what it says,
//!   unverified): prefix, Base45, zlib, COSE, CBOR, schema.
//! - [`verify`] also checks the signature against a [`TrustList`] of
//!   document-signer certificates (ES256 = ECDSA P-256, PS256 = RSA-PSS), the
//!   signer's key usage, and the CWT times against the time passed in. The
//!   key is looked up by the `kid` of the protected header (else of the
//!   unprotected one); when the code names no kid, or one the list does not
//!   hold, every key of the list that fits the algorithm is tried.
//!
//! No I/O, no system clock, no panics on any input (proptest in
//! `tests/fuzz.rs`): a station calls [`verify`] on every scan (a few hundred
//! microseconds; see docs/benchmarks.md).
//!
//! # Trust-list JSON
//! ```json
//! {"updated_at": "2022-05-01T00:00:00Z",
//!  "certificates": [{"kid": "base64", "der": "base64", "country": "DE"}]}
//! ```
//! `der` is the document signer's X.509 certificate (standard base64 of the
//! DER); `kid` (base64) defaults to the first 8 bytes of the certificate's
//! SHA-256, as the specification defines it; `kid`, `country` and
//! `updated_at` are optional. Unknown fields are ignored.
//!
//! # Crates used, and why
//! - `ciborium`: CBOR via serde, with a recursion limit (no stack overflow on
//!   nested input); it is the CBOR library of `coset`, so one CBOR stack.
//! - `coset` (Google): the COSE types; it rebuilds the Sig_structure from the
//!   protected header's bytes as received, which signature checks need.
//! - `ring`: ECDSA P-256 with the fixed `r || s` signature COSE uses, and
//!   RSA-PSS 2048-8192 bits; audited, constant-time, and already compiled
//!   into this workspace for rustls.
//! - `x509-cert` (RustCrypto) on `der`: document-signer certificates (public
//!   key, extended key usage); `der` and `spki` were already in the lock.
//! - `flate2`: zlib, already a workspace dependency.
//! - Base45 is our own 30 lines (`base45.rs`): the `base45` crate (3.2)
//!   turns a final pair above 255 into a truncated byte instead of refusing
//!   it (RFC 9285 §4.2) and needs Rust 1.88, above this workspace's 1.85.

mod base45;
mod cert;
mod cose;
mod error;
mod trust;

pub use cert::{Dcc, Entry, Kind, Name, Recovery, Test, Vaccination, TEST_NOT_DETECTED};
pub use error::{DccError, Reason, TrustError};
pub use trust::{DocumentSigner, TrustList, TrustListDocument, TrustListEntry};

use chrono::{DateTime, Utc};
use data_encoding::BASE64;
use std::io::Read;

/// The context prefix of an EU DCC (version 1).
pub const PREFIX: &str = "HC1:";

/// The most a code may inflate to. A DCC is 1-2 KB; a QR code holds under
/// 3 KB compressed, so anything near this is a zip bomb.
const MAX_INFLATED: u64 = 64 * 1024;

/// The document signer that verified a code.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Signer {
    /// Its key id, base64.
    pub kid: String,
    /// The country the trust list gives for it.
    pub country: Option<String>,
}

/// The outcome of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The certificate, whenever its signature verified and it follows the
    /// schema (also when it is expired, not yet valid or of a kind its
    /// signer may not issue), so the gatekeeper can see whose it is. `None`
    /// when its content is not authentic or does not read: a forged name is
    /// never shown.
    pub dcc: Option<Dcc>,
    /// Who signed it, when the signature verified.
    pub signer: Option<Signer>,
    /// Why it is refused; `None` when valid.
    pub error: Option<DccError>,
}

impl Verdict {
    /// Valid: authentic, well-formed, in its validity period.
    pub fn is_valid(&self) -> bool {
        self.error.is_none()
    }

    /// The reason code when refused.
    pub fn reason(&self) -> Option<Reason> {
        self.error.as_ref().map(DccError::reason)
    }

    fn refused(error: DccError) -> Self {
        Verdict {
            dcc: None,
            signer: None,
            error: Some(error),
        }
    }
}

/// Removes what a scanner may add around a code: a byte-order mark, CR, LF,
/// tab, NUL and leading spaces. Trailing spaces stay: space is a Base45
/// character.
fn trim_scanner_noise(text: &str) -> &str {
    text.trim_start_matches(|c: char| c == '\u{feff}' || c.is_whitespace() || c == '\0')
        .trim_end_matches(['\r', '\n', '\t', '\0'])
}

/// Prefix, Base45 and zlib: the COSE bytes of a code.
fn cose_bytes(text: &str) -> Result<Vec<u8>, DccError> {
    let body = trim_scanner_noise(text)
        .strip_prefix(PREFIX)
        .ok_or(DccError::BadPrefix)?;
    let compressed = base45::decode(body.as_bytes()).map_err(DccError::BadBase45)?;
    inflate(&compressed)
}

fn inflate(compressed: &[u8]) -> Result<Vec<u8>, DccError> {
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(compressed)
        .take(MAX_INFLATED + 1)
        .read_to_end(&mut out)
        .map_err(|e| DccError::BadCompression(e.to_string()))?;
    if out.len() as u64 > MAX_INFLATED {
        return Err(DccError::BadCompression(format!(
            "inflates past {MAX_INFLATED} bytes"
        )));
    }
    if out.is_empty() {
        return Err(DccError::BadCompression("empty or truncated stream".into()));
    }
    Ok(out)
}

fn read_payload(payload: &[u8]) -> Result<Dcc, DccError> {
    let (times, hcert) = cose::claims(payload)?;
    cert::read(&hcert, times)
}

/// Reads a code without checking its signature or its dates: what it
/// claims. Fails at the first step that does not pass (prefix, Base45,
/// zlib, COSE, CBOR, schema). Pure.
pub fn decode(text: &str) -> Result<Dcc, DccError> {
    let signed = cose::parse(&cose_bytes(text)?)?;
    read_payload(&signed.payload)
}

/// Verifies a code against a trust list at time `at`: the whole pipeline
/// (see the crate docs). Pure: the clock is the caller's.
pub fn verify(text: &str, trust: &TrustList, at: DateTime<Utc>) -> Verdict {
    let signed = match cose_bytes(text).and_then(|b| cose::parse(&b)) {
        Ok(s) => s,
        Err(e) => return Verdict::refused(e),
    };
    let alg = match signed.alg {
        Ok(alg) => alg,
        Err(e) => return Verdict::refused(e),
    };
    let kid_text = signed
        .kid
        .as_deref()
        .map_or_else(|| "none".to_string(), |k| BASE64.encode(k));
    let named: Vec<&DocumentSigner> = signed
        .kid
        .as_deref()
        .map(|k| trust.by_kid(k).collect())
        .unwrap_or_default();
    let signer = if named.is_empty() {
        // No kid, or one the list does not hold: try every key (a kid is a
        // lookup hint; the signature of a trusted key is what counts).
        trust
            .signers()
            .iter()
            .filter(|s| s.fits(alg))
            .find(|s| s.verifies(alg, &signed.to_be_signed, &signed.signature))
            .ok_or(DccError::UnknownKey { kid: kid_text })
    } else {
        named
            .into_iter()
            .find(|s| s.fits(alg) && s.verifies(alg, &signed.to_be_signed, &signed.signature))
            .ok_or(DccError::BadSignature { kid: kid_text })
    };
    let signer = match signer {
        Ok(s) => s,
        Err(e) => return Verdict::refused(e),
    };
    let (times, hcert) = match cose::claims(&signed.payload) {
        Ok(c) => c,
        Err(e) => return Verdict::refused(e),
    };
    // Key usage and time come before the schema: they need only the kind
    // and the CWT claims, and say more to a gatekeeper than a schema detail.
    let mut error = match cert::kind_of(&hcert) {
        Some(kind) if !signer.may_issue(kind) => Some(DccError::WrongKeyUsage(kind)),
        _ => times.check(at).err(),
    };
    let dcc = match cert::read(&hcert, times) {
        Ok(d) => Some(d),
        Err(e) => {
            error.get_or_insert(e);
            None
        }
    };
    Verdict {
        signer: Some(Signer {
            kid: BASE64.encode(signer.kid()),
            country: signer.country().map(str::to_string),
        }),
        dcc,
        error,
    }
}
