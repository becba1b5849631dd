//! Why a code is refused, as a stable reason code and a message.

use crate::Kind;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a certificate was refused: one stable code per step of the pipeline
/// (`as_str` gives the code the CLI, the JSON output and the UI use).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "CertificateReason"))]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The text does not start with `HC1:`.
    BadPrefix,
    /// A character outside the Base45 alphabet, a dangling character, or a
    /// group that decodes past its range.
    BadBase45,
    /// Not a zlib stream, a damaged one, or one that inflates too far.
    BadCompression,
    /// Not a COSE_Sign1 structure (array of four, headers, payload).
    BadCose,
    /// Signed with an algorithm other than ES256 or PS256.
    UnsupportedAlgorithm,
    /// The payload is not CBOR, or not a CWT carrying a health certificate.
    BadCbor,
    /// No key of the trust list verifies it, and the key id it names (if
    /// any) is not in the trust list.
    UnknownKey,
    /// The key its key id names is in the trust list but the signature does
    /// not verify with it.
    BadSignature,
    /// The document signer's certificate limits it (extended key usage) to
    /// other certificate types than this one.
    WrongKeyUsage,
    /// Past its expiry (CWT `exp`) at the given time.
    Expired,
    /// Before its issue time (CWT `iat`, or `nbf`) at the given time.
    NotYetValid,
    /// The certificate does not follow the EU DCC schema.
    SchemaViolation,
}

impl Reason {
    /// Every reason, in pipeline order.
    pub const ALL: [Reason; 12] = [
        Reason::BadPrefix,
        Reason::BadBase45,
        Reason::BadCompression,
        Reason::BadCose,
        Reason::UnsupportedAlgorithm,
        Reason::BadCbor,
        Reason::UnknownKey,
        Reason::BadSignature,
        Reason::WrongKeyUsage,
        Reason::Expired,
        Reason::NotYetValid,
        Reason::SchemaViolation,
    ];

    /// The stable code, e.g. `bad_signature`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::BadPrefix => "bad_prefix",
            Reason::BadBase45 => "bad_base45",
            Reason::BadCompression => "bad_compression",
            Reason::BadCose => "bad_cose",
            Reason::UnsupportedAlgorithm => "unsupported_algorithm",
            Reason::BadCbor => "bad_cbor",
            Reason::UnknownKey => "unknown_key",
            Reason::BadSignature => "bad_signature",
            Reason::WrongKeyUsage => "wrong_key_usage",
            Reason::Expired => "expired",
            Reason::NotYetValid => "not_yet_valid",
            Reason::SchemaViolation => "schema_violation",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A refused certificate: the reason and what exactly was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DccError {
    /// See [`Reason::BadPrefix`].
    #[error("not an EU digital COVID certificate: the text does not start with HC1:")]
    BadPrefix,
    /// See [`Reason::BadBase45`].
    #[error("bad Base45: {0}")]
    BadBase45(&'static str),
    /// See [`Reason::BadCompression`].
    #[error("bad zlib compression: {0}")]
    BadCompression(String),
    /// See [`Reason::BadCose`].
    #[error("not a COSE_Sign1 message: {0}")]
    BadCose(String),
    /// See [`Reason::UnsupportedAlgorithm`].
    #[error("unsupported signature algorithm {0} (ES256 and PS256 are accepted)")]
    UnsupportedAlgorithm(String),
    /// See [`Reason::BadCbor`].
    #[error("bad CBOR payload: {0}")]
    BadCbor(String),
    /// See [`Reason::UnknownKey`].
    #[error("no key of the trust list verifies the signature (key id {kid})")]
    UnknownKey {
        /// The key id the code names (base64), or `none`.
        kid: String,
    },
    /// See [`Reason::BadSignature`].
    #[error("the signature does not verify with the key {kid}")]
    BadSignature {
        /// The key id the code names (base64).
        kid: String,
    },
    /// See [`Reason::WrongKeyUsage`].
    #[error("the document signer may not issue {0} certificates")]
    WrongKeyUsage(Kind),
    /// See [`Reason::Expired`].
    #[error("expired at {0}")]
    Expired(DateTime<Utc>),
    /// See [`Reason::NotYetValid`].
    #[error("not valid before {0}")]
    NotYetValid(DateTime<Utc>),
    /// See [`Reason::SchemaViolation`].
    #[error("schema violation: {0}")]
    SchemaViolation(String),
}

impl DccError {
    /// The stable reason code of this error.
    pub fn reason(&self) -> Reason {
        match self {
            DccError::BadPrefix => Reason::BadPrefix,
            DccError::BadBase45(_) => Reason::BadBase45,
            DccError::BadCompression(_) => Reason::BadCompression,
            DccError::BadCose(_) => Reason::BadCose,
            DccError::UnsupportedAlgorithm(_) => Reason::UnsupportedAlgorithm,
            DccError::BadCbor(_) => Reason::BadCbor,
            DccError::UnknownKey { .. } => Reason::UnknownKey,
            DccError::BadSignature { .. } => Reason::BadSignature,
            DccError::WrongKeyUsage(_) => Reason::WrongKeyUsage,
            DccError::Expired(_) => Reason::Expired,
            DccError::NotYetValid(_) => Reason::NotYetValid,
            DccError::SchemaViolation(_) => Reason::SchemaViolation,
        }
    }
}

/// A trust list or document-signer certificate that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrustError {
    /// Not PEM, not base64, or not a DER X.509 certificate.
    #[error("not an X.509 certificate: {0}")]
    BadCertificate(String),
    /// A public key other than ECDSA P-256 or RSA (2048 bits or more).
    #[error("unsupported public key: {0}")]
    UnsupportedKey(String),
    /// The trust-list JSON does not follow the format (see the crate docs).
    #[error("bad trust list: {0}")]
    BadList(String),
}
