//! COSE_Sign1 (RFC 9052) and the CWT claims (RFC 8392) of a DCC.

use crate::cert::Times;
use crate::DccError;
use chrono::{DateTime, Utc};
use ciborium::Value;
use coset::{iana, AsCborValue, CoseSign1, RegisteredLabelWithPrivate};

/// CBOR tag of a CWT (RFC 8392), which some issuers put around the COSE tag.
const TAG_CWT: u64 = 61;
/// CBOR tag of a COSE_Sign1 message.
const TAG_SIGN1: u64 = 18;

/// The signature algorithms of the DCC specification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Alg {
    /// ECDSA P-256 with SHA-256, signature `r || s` (64 bytes).
    Es256,
    /// RSASSA-PSS with SHA-256, MGF1 SHA-256, salt of 32 bytes.
    Ps256,
}

/// A parsed COSE_Sign1: what the signature covers and what names the key.
pub(crate) struct Signed {
    /// The key id: protected header, else unprotected header.
    pub kid: Option<Vec<u8>>,
    /// The algorithm, or why it cannot be used (reported after the key
    /// lookup, so an unsupported algorithm reads as such).
    pub alg: Result<Alg, DccError>,
    /// The Sig_structure that was signed, built from the protected header's
    /// bytes as received.
    pub to_be_signed: Vec<u8>,
    pub signature: Vec<u8>,
    pub payload: Vec<u8>,
}

/// Reads one CBOR item that must fill `bytes` exactly.
fn read_value(bytes: &[u8]) -> Result<Value, String> {
    let mut rest = bytes;
    let value: Value = ciborium::de::from_reader(&mut rest).map_err(|e| e.to_string())?;
    if !rest.is_empty() {
        return Err(format!("{} bytes after the CBOR item", rest.len()));
    }
    Ok(value)
}

/// Parses a COSE_Sign1, tagged (18), double-tagged (61 then 18) or bare.
pub(crate) fn parse(bytes: &[u8]) -> Result<Signed, DccError> {
    let bad = |m: String| DccError::BadCose(m);
    let mut value = read_value(bytes).map_err(bad)?;
    if let Value::Tag(TAG_CWT, inner) = value {
        value = *inner;
    }
    if let Value::Tag(TAG_SIGN1, inner) = value {
        value = *inner;
    }
    if let Value::Tag(tag, _) = value {
        return Err(bad(format!("CBOR tag {tag} instead of COSE_Sign1 (18)")));
    }
    let sign1 = CoseSign1::from_cbor_value(value).map_err(|e| bad(e.to_string()))?;
    let Some(payload) = sign1.payload.clone() else {
        return Err(bad("no payload (detached content)".into()));
    };
    let kid = [&sign1.protected.header.key_id, &sign1.unprotected.key_id]
        .into_iter()
        .find(|k| !k.is_empty())
        .cloned();
    let alg = match sign1
        .protected
        .header
        .alg
        .as_ref()
        .or(sign1.unprotected.alg.as_ref())
    {
        Some(RegisteredLabelWithPrivate::Assigned(iana::Algorithm::ES256)) => Ok(Alg::Es256),
        Some(RegisteredLabelWithPrivate::Assigned(iana::Algorithm::PS256)) => Ok(Alg::Ps256),
        Some(RegisteredLabelWithPrivate::Assigned(other)) => {
            Err(DccError::UnsupportedAlgorithm(format!("{other:?}")))
        }
        Some(RegisteredLabelWithPrivate::PrivateUse(n)) => {
            Err(DccError::UnsupportedAlgorithm(n.to_string()))
        }
        Some(RegisteredLabelWithPrivate::Text(t)) => {
            Err(DccError::UnsupportedAlgorithm(format!("{t:?}")))
        }
        None => return Err(bad("no algorithm in the headers".into())),
    };
    Ok(Signed {
        kid,
        alg,
        to_be_signed: sign1.tbs_data(b""),
        signature: sign1.signature,
        payload,
    })
}

/// CWT claim keys (RFC 8392) and the DCC's `hcert` claim.
const ISS: i128 = 1;
const EXP: i128 = 4;
const NBF: i128 = 5;
const IAT: i128 = 6;
const HCERT: i128 = -260;
/// Key of the EU DCC inside `hcert`.
const HCERT_EU_DCC: i128 = 1;

/// Reads the CWT claims: the times and the health certificate.
pub(crate) fn claims(payload: &[u8]) -> Result<(Times, Value), DccError> {
    let bad = |m: &str| DccError::BadCbor(m.to_string());
    let value = read_value(payload).map_err(DccError::BadCbor)?;
    let Value::Map(entries) = value else {
        return Err(bad("the CWT claims are not a map"));
    };
    let mut times = (None, None, None, None);
    let mut hcert = None;
    for (k, v) in entries {
        let Some(k) = k.as_integer().map(i128::from) else {
            continue;
        };
        match k {
            ISS => times.0 = Some(v.into_text().map_err(|_| bad("iss is not text"))?),
            EXP => times.1 = Some(epoch(&v).ok_or_else(|| bad("exp is not a time"))?),
            NBF => times.2 = Some(epoch(&v).ok_or_else(|| bad("nbf is not a time"))?),
            IAT => times.3 = Some(epoch(&v).ok_or_else(|| bad("iat is not a time"))?),
            HCERT => hcert = Some(v),
            _ => {}
        }
    }
    let (issuer_country, exp, nbf, iat) = times;
    let Some(Value::Map(hcert)) = hcert else {
        return Err(bad("no health certificate claim (-260)"));
    };
    let dcc = hcert
        .into_iter()
        .find(|(k, _)| k.as_integer().map(i128::from) == Some(HCERT_EU_DCC))
        .map(|(_, v)| v)
        .ok_or_else(|| bad("no EU DCC (-260/1) in the health certificate claim"))?;
    if !matches!(dcc, Value::Map(_)) {
        return Err(bad("the EU DCC (-260/1) is not a CBOR map"));
    }
    let times = Times {
        issuer_country,
        expires_at: exp.ok_or_else(|| bad("no expiry (exp)"))?,
        issued_at: iat.ok_or_else(|| bad("no issue time (iat)"))?,
        not_before: nbf,
    };
    Ok((times, dcc))
}

/// A NumericDate: seconds since the epoch, integer or (leniently) float.
fn epoch(v: &Value) -> Option<DateTime<Utc>> {
    let secs = match v {
        Value::Integer(i) => i64::try_from(i128::from(*i)).ok()?,
        Value::Float(f) if f.is_finite() && f.abs() < 1e15 => f.floor() as i64,
        Value::Tag(1, inner) => return epoch(inner),
        _ => return None,
    };
    DateTime::from_timestamp(secs, 0)
}
