//! The trust list: document-signer certificates (DSCs) whose keys may sign
//! a DCC, found by key id.

use crate::cose::Alg;
use crate::{Kind, TrustError};
use chrono::{DateTime, Utc};
use data_encoding::BASE64;
use der::asn1::UintRef;
use der::{Decode, Reader, SliceReader};
use ring::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_FIXED, RSA_PSS_2048_8192_SHA256};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use x509_cert::ext::pkix::ExtendedKeyUsage;
use x509_cert::Certificate;

const OID_EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
const OID_P256: &str = "1.2.840.10045.3.1.7";
const OID_RSA: &str = "1.2.840.113549.1.1.1";
const OID_RSA_PSS: &str = "1.2.840.113549.1.1.10";

/// Extended-key-usage OIDs that limit a DSC to certificate kinds (DCC
/// specification, "Key usage policy"); the second arc is the variant some
/// issuers used (`1.3.6.1.4.1.0.1847...`), accepted alike.
const USAGE_OIDS: [(&str, Kind); 6] = [
    ("1.3.6.1.4.1.1847.2021.1.1", Kind::Test),
    ("1.3.6.1.4.1.1847.2021.1.2", Kind::Vaccination),
    ("1.3.6.1.4.1.1847.2021.1.3", Kind::Recovery),
    ("1.3.6.1.4.1.0.1847.2021.1.1", Kind::Test),
    ("1.3.6.1.4.1.0.1847.2021.1.2", Kind::Vaccination),
    ("1.3.6.1.4.1.0.1847.2021.1.3", Kind::Recovery),
];

/// The smallest RSA modulus accepted (bits), as the DCC specification asks.
const RSA_MIN_BITS: usize = 2048;

#[derive(Debug, Clone, PartialEq, Eq)]
enum PublicKey {
    /// Uncompressed SEC1 point (65 bytes).
    P256(Vec<u8>),
    /// PKCS#1 RSAPublicKey DER.
    Rsa(Vec<u8>),
}

/// One document signer of the trust list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentSigner {
    kid: Vec<u8>,
    country: Option<String>,
    der: Vec<u8>,
    key: PublicKey,
    /// `None`: any kind; else only these (from extended key usage).
    usage: Option<Vec<Kind>>,
}

impl DocumentSigner {
    /// Parses a DER certificate. `kid` defaults to the first 8 bytes of the
    /// certificate's SHA-256, as the DCC specification defines it.
    pub fn from_der(
        der: &[u8],
        kid: Option<Vec<u8>>,
        country: Option<String>,
    ) -> Result<Self, TrustError> {
        let cert =
            Certificate::from_der(der).map_err(|e| TrustError::BadCertificate(e.to_string()))?;
        let spki = &cert.tbs_certificate.subject_public_key_info;
        let algorithm = spki.algorithm.oid.to_string();
        let bits = spki
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| TrustError::UnsupportedKey("public key is not whole bytes".into()))?;
        let key = match algorithm.as_str() {
            OID_EC_PUBLIC_KEY => {
                let curve = spki
                    .algorithm
                    .parameters
                    .as_ref()
                    .and_then(|p| p.decode_as::<der::asn1::ObjectIdentifier>().ok())
                    .map(|o| o.to_string());
                if curve.as_deref() != Some(OID_P256) {
                    return Err(TrustError::UnsupportedKey(format!(
                        "elliptic curve {} (only P-256)",
                        curve.as_deref().unwrap_or("unnamed")
                    )));
                }
                if bits.len() != 65 || bits[0] != 4 {
                    return Err(TrustError::UnsupportedKey(
                        "P-256 point is not uncompressed".into(),
                    ));
                }
                PublicKey::P256(bits.to_vec())
            }
            OID_RSA | OID_RSA_PSS => {
                let modulus_bits = rsa_modulus_bits(bits).ok_or_else(|| {
                    TrustError::UnsupportedKey("RSA public key does not parse".into())
                })?;
                if modulus_bits < RSA_MIN_BITS {
                    return Err(TrustError::UnsupportedKey(format!(
                        "RSA key of {modulus_bits} bits (at least {RSA_MIN_BITS})"
                    )));
                }
                PublicKey::Rsa(bits.to_vec())
            }
            other => {
                return Err(TrustError::UnsupportedKey(format!(
                    "algorithm {other} (ECDSA P-256 or RSA)"
                )))
            }
        };
        let usage = match cert.tbs_certificate.get::<ExtendedKeyUsage>() {
            Ok(Some((_, eku))) => {
                let kinds: Vec<Kind> = USAGE_OIDS
                    .iter()
                    .filter(|(oid, _)| eku.0.iter().any(|o| o.to_string() == *oid))
                    .map(|(_, kind)| *kind)
                    .collect();
                (!kinds.is_empty()).then_some(kinds)
            }
            Ok(None) => None,
            Err(e) => {
                return Err(TrustError::BadCertificate(format!(
                    "extended key usage: {e}"
                )))
            }
        };
        let kid = kid.unwrap_or_else(|| default_kid(der));
        Ok(DocumentSigner {
            kid,
            country,
            der: der.to_vec(),
            key,
            usage,
        })
    }

    /// The key id a DCC names this signer by.
    pub fn kid(&self) -> &[u8] {
        &self.kid
    }

    /// The country that published this signer, when the list says.
    pub fn country(&self) -> Option<&str> {
        self.country.as_deref()
    }

    /// The certificate, DER.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The kinds of certificate this signer may issue; `None` for all.
    pub fn usage(&self) -> Option<&[Kind]> {
        self.usage.as_deref()
    }

    /// Whether this signer's key type fits the algorithm.
    pub(crate) fn fits(&self, alg: Alg) -> bool {
        matches!(
            (&self.key, alg),
            (PublicKey::P256(_), Alg::Es256) | (PublicKey::Rsa(_), Alg::Ps256)
        )
    }

    /// Checks a signature; pure computation, no side effect.
    pub(crate) fn verifies(&self, alg: Alg, message: &[u8], signature: &[u8]) -> bool {
        let result = match (&self.key, alg) {
            (PublicKey::P256(k), Alg::Es256) => {
                UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, k).verify(message, signature)
            }
            (PublicKey::Rsa(k), Alg::Ps256) => {
                UnparsedPublicKey::new(&RSA_PSS_2048_8192_SHA256, k).verify(message, signature)
            }
            _ => return false,
        };
        result.is_ok()
    }

    /// Whether this signer may issue certificates of `kind`.
    pub(crate) fn may_issue(&self, kind: Kind) -> bool {
        self.usage
            .as_ref()
            .is_none_or(|kinds| kinds.contains(&kind))
    }
}

/// First 8 bytes of the SHA-256 of the DER certificate.
fn default_kid(der: &[u8]) -> Vec<u8> {
    ring::digest::digest(&ring::digest::SHA256, der).as_ref()[..8].to_vec()
}

/// The modulus size of a PKCS#1 RSAPublicKey, in bits.
fn rsa_modulus_bits(der: &[u8]) -> Option<usize> {
    let mut reader = SliceReader::new(der).ok()?;
    let modulus = reader
        .sequence(|r| {
            let n = UintRef::decode(r)?;
            let _e = UintRef::decode(r)?;
            Ok(n.as_bytes().to_vec())
        })
        .ok()?;
    reader.finish(()).ok()?;
    let first = *modulus.first()?;
    Some(modulus.len() * 8 - first.leading_zeros() as usize)
}

/// The document signers a station trusts, found by key id.
///
/// Built from DER or PEM certificates, or from the trust-list JSON (see the
/// crate docs for the format).
#[derive(Debug, Clone, Default)]
pub struct TrustList {
    signers: Vec<DocumentSigner>,
    by_kid: HashMap<Vec<u8>, Vec<usize>>,
    updated_at: Option<DateTime<Utc>>,
}

/// One entry of the trust-list JSON: a document signer's certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustListEntry {
    /// Key id, base64; defaults to the first 8 bytes of the certificate's SHA-256.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    /// The X.509 certificate, base64 of the DER.
    pub der: String,
    /// ISO 3166-1 alpha-2 country of the issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// The trust-list JSON as it is carried (files, the server's sync config),
/// before its certificates are read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustListDocument {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
    pub certificates: Vec<TrustListEntry>,
}

fn base64_any(text: &str) -> Option<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let padded = match compact.len() % 4 {
        2 => format!("{compact}=="),
        3 => format!("{compact}="),
        _ => compact,
    };
    BASE64
        .decode(padded.as_bytes())
        .or_else(|_| data_encoding::BASE64URL.decode(padded.as_bytes()))
        .ok()
}

impl TrustList {
    /// An empty list: every code is then `unknown_key`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one signer.
    pub fn push(&mut self, signer: DocumentSigner) {
        self.by_kid
            .entry(signer.kid.clone())
            .or_default()
            .push(self.signers.len());
        self.signers.push(signer);
    }

    /// Adds the certificates of a text: one or more PEM `CERTIFICATE`
    /// blocks, or one certificate as base64 DER. Returns how many.
    pub fn add_text(&mut self, text: &str) -> Result<usize, TrustError> {
        const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
        const END: &str = "-----END CERTIFICATE-----";
        let mut ders = Vec::new();
        if text.contains(BEGIN) {
            let mut rest = text;
            while let Some(start) = rest.find(BEGIN) {
                let body = &rest[start + BEGIN.len()..];
                let end = body.find(END).ok_or_else(|| {
                    TrustError::BadCertificate("PEM block without its END line".into())
                })?;
                let der = base64_any(&body[..end])
                    .ok_or_else(|| TrustError::BadCertificate("PEM body is not base64".into()))?;
                ders.push(der);
                rest = &body[end + END.len()..];
            }
        } else {
            ders.push(
                base64_any(text).ok_or_else(|| {
                    TrustError::BadCertificate("neither PEM nor base64 DER".into())
                })?,
            );
        }
        let n = ders.len();
        for der in ders {
            self.push(DocumentSigner::from_der(&der, None, None)?);
        }
        Ok(n)
    }

    /// Reads the trust-list JSON:
    /// `{"updated_at": RFC3339?, "certificates": [{"kid": base64?, "der": base64, "country": "DE"?}]}`.
    /// A certificate that cannot be used fails the whole list, naming it.
    pub fn from_json(json: &str) -> Result<Self, TrustError> {
        let doc: TrustListDocument =
            serde_json::from_str(json).map_err(|e| TrustError::BadList(e.to_string()))?;
        Self::from_document(&doc).map_err(|mut errors| errors.swap_remove(0))
    }

    /// Reads a trust-list document, checking every certificate: all that
    /// cannot be used are named (`certificates[i]: why`), so an operator
    /// fixes a list in one go. An empty list is refused too: it would make
    /// every certificate `unknown_key`.
    pub fn from_document(doc: &TrustListDocument) -> Result<Self, Vec<TrustError>> {
        if doc.certificates.is_empty() {
            return Err(vec![TrustError::BadList(
                "the list holds no certificate".into(),
            )]);
        }
        let mut out = TrustList {
            updated_at: doc.updated_at,
            ..Self::default()
        };
        let mut errors = Vec::new();
        for (i, entry) in doc.certificates.iter().enumerate() {
            match Self::entry_signer(entry) {
                Ok(signer) => out.push(signer),
                Err(e) => errors.push(TrustError::BadList(format!("certificates[{i}]: {e}"))),
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    fn entry_signer(entry: &TrustListEntry) -> Result<DocumentSigner, TrustError> {
        let der = base64_any(&entry.der)
            .ok_or_else(|| TrustError::BadCertificate("der is not base64".into()))?;
        let kid = match entry.kid.as_deref() {
            Some(k) => Some(
                base64_any(k)
                    .filter(|k| !k.is_empty())
                    .ok_or_else(|| TrustError::BadList("kid is not base64".into()))?,
            ),
            None => None,
        };
        DocumentSigner::from_der(&der, kid, entry.country.clone())
    }

    /// The list as a document (every entry with its kid).
    pub fn to_document(&self) -> TrustListDocument {
        TrustListDocument {
            updated_at: self.updated_at,
            certificates: self
                .signers
                .iter()
                .map(|s| TrustListEntry {
                    kid: Some(BASE64.encode(&s.kid)),
                    der: BASE64.encode(&s.der),
                    country: s.country.clone(),
                })
                .collect(),
        }
    }

    /// The list as trust-list JSON (every entry with its kid).
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.to_document()).unwrap_or_default()
    }

    /// When the list was last updated at its source, if it says.
    pub fn updated_at(&self) -> Option<DateTime<Utc>> {
        self.updated_at
    }

    /// Sets when the list was last updated at its source.
    pub fn set_updated_at(&mut self, at: Option<DateTime<Utc>>) {
        self.updated_at = at;
    }

    /// How many signers the list holds.
    pub fn len(&self) -> usize {
        self.signers.len()
    }

    /// Whether the list holds no signer.
    pub fn is_empty(&self) -> bool {
        self.signers.is_empty()
    }

    /// Every signer, in the order added.
    pub fn signers(&self) -> &[DocumentSigner] {
        &self.signers
    }

    /// The signers with this key id.
    pub(crate) fn by_kid(&self, kid: &[u8]) -> impl Iterator<Item = &DocumentSigner> {
        self.by_kid
            .get(kid)
            .into_iter()
            .flatten()
            .map(|&i| &self.signers[i])
    }
}
