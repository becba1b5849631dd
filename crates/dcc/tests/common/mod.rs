//! Fixtures shared by the tests: document signers made here (a fresh P-256
//! key, and a fixed RSA-2048 test key since ring cannot generate RSA keys),
//! and HC1 codes built and signed step by step, so each step can be broken.

#![allow(dead_code)]

use checkin_dcc::Kind;
use chrono::{DateTime, Utc};
use ciborium::Value;
use coset::{iana, CborSerializable, CoseSign1Builder, HeaderBuilder, TaggedCborSerializable};
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, RsaKeyPair, ECDSA_P256_SHA256_FIXED_SIGNING, RSA_PSS_SHA256};
use std::io::Write;

/// An RSA-2048 key made with `openssl genpkey` for these tests only.
const RSA_TEST_KEY: &str = include_str!("rsa-2048-test-key.pem");

/// A document signer: its certificate and its private key.
pub struct Dsc {
    pub der: Vec<u8>,
    pub alg: iana::Algorithm,
    key: Key,
}

enum Key {
    P256(EcdsaKeyPair),
    Rsa(RsaKeyPair),
}

/// The EKU OID arcs that limit a DSC to a kind (`1.3.6.1.4.1.1847.2021.1.x`).
pub fn usage_oid(kind: Kind, alternative: bool) -> Vec<u64> {
    let x = match kind {
        Kind::Test => 1,
        Kind::Vaccination => 2,
        Kind::Recovery => 3,
    };
    if alternative {
        vec![1, 3, 6, 1, 4, 1, 0, 1847, 2021, 1, x]
    } else {
        vec![1, 3, 6, 1, 4, 1, 1847, 2021, 1, x]
    }
}

fn certificate(key: &rcgen::KeyPair, usage: &[Vec<u64>]) -> Vec<u8> {
    let mut params = rcgen::CertificateParams::new(vec!["dsc.checkin.test".to_string()]).unwrap();
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "checkin test DSC");
    params.extended_key_usages = usage
        .iter()
        .map(|oid| rcgen::ExtendedKeyUsagePurpose::Other(oid.clone()))
        .collect();
    params.self_signed(key).unwrap().der().to_vec()
}

impl Dsc {
    /// A fresh P-256 key and a self-signed certificate with these EKU OIDs.
    pub fn p256(usage: &[Vec<u64>]) -> Dsc {
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(
            &ECDSA_P256_SHA256_FIXED_SIGNING,
            &key.serialize_der(),
            &SystemRandom::new(),
        )
        .unwrap();
        Dsc {
            der: certificate(&key, usage),
            alg: iana::Algorithm::ES256,
            key: Key::P256(pair),
        }
    }

    /// The RSA test key and a self-signed certificate (PS256).
    pub fn rsa() -> Dsc {
        let key = rcgen::KeyPair::from_pem(RSA_TEST_KEY).unwrap();
        let pair = RsaKeyPair::from_pkcs8(&key.serialize_der()).unwrap();
        Dsc {
            der: certificate(&key, &[]),
            alg: iana::Algorithm::PS256,
            key: Key::Rsa(pair),
        }
    }

    /// The certificate as PEM text.
    pub fn pem(&self) -> String {
        let b64 = data_encoding::BASE64.encode(&self.der);
        let lines: Vec<&str> = b64
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            lines.join("\n")
        )
    }

    /// The kid the DCC specification gives this certificate.
    pub fn kid(&self) -> Vec<u8> {
        ring::digest::digest(&ring::digest::SHA256, &self.der).as_ref()[..8].to_vec()
    }

    /// Signs `message` in the COSE signature format of its algorithm.
    pub fn sign(&self, message: &[u8]) -> Vec<u8> {
        let rng = SystemRandom::new();
        match &self.key {
            Key::P256(k) => k.sign(&rng, message).unwrap().as_ref().to_vec(),
            Key::Rsa(k) => {
                let mut sig = vec![0; k.public().modulus_len()];
                k.sign(&RSA_PSS_SHA256, &rng, message, &mut sig).unwrap();
                sig
            }
        }
    }
}

/// A vaccination certificate (schema 1.3.0) as JSON.
pub fn vaccination() -> serde_json::Value {
    serde_json::json!({
        "ver": "1.3.0",
        "nam": {"fn": "Nguyễn", "fnt": "NGUYEN", "gn": "Văn An", "gnt": "VAN<AN"},
        "dob": "1990-08-15",
        "v": [{"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528",
               "ma": "ORG-100030215", "dn": 2, "sd": 2, "dt": "2021-09-01",
               "co": "VN", "is": "Bộ Y tế", "ci": "URN:UVCI:01:VN:TEST0001#X"}]
    })
}

/// A test certificate (negative PCR) as JSON.
pub fn test_entry() -> serde_json::Value {
    serde_json::json!({
        "ver": "1.3.0",
        "nam": {"fn": "Trần", "fnt": "TRAN", "gn": "Thị Bình", "gnt": "THI<BINH"},
        "dob": "1985-04",
        "t": [{"tg": "840539006", "tt": "LP6464-4", "nm": "Roche LightCycler qPCR",
               "sc": "2021-10-01T08:00:00+07:00", "tr": "260415000",
               "tc": "Bệnh viện Bạch Mai", "co": "VN", "is": "Bộ Y tế",
               "ci": "URN:UVCI:01:VN:TEST0002#Y"}]
    })
}

/// A recovery certificate as JSON.
pub fn recovery() -> serde_json::Value {
    serde_json::json!({
        "ver": "1.3.0",
        "nam": {"fnt": "LE", "gnt": "HOA"},
        "dob": "",
        "r": [{"tg": "840539006", "fr": "2021-07-01", "co": "VN", "is": "Bộ Y tế",
               "df": "2021-07-12", "du": "2021-12-28", "ci": "URN:UVCI:01:VN:TEST0003#Z"}]
    })
}

/// 2021-10-01T00:00:00Z: every fixture is issued then.
pub fn issued() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2021-10-01T00:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// 2022-10-01T00:00:00Z: every fixture expires then.
pub fn expires() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2022-10-01T00:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// CWT claims around a certificate (any CBOR value).
pub fn cwt_value(hcert: Value) -> Value {
    Value::Map(vec![
        (Value::from(1), Value::from("VN")),
        (Value::from(4), Value::from(expires().timestamp())),
        (Value::from(6), Value::from(issued().timestamp())),
        (Value::from(-260), Value::Map(vec![(Value::from(1), hcert)])),
    ])
}

/// CBOR bytes of a value.
pub fn cbor(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    ciborium::ser::into_writer(value, &mut out).unwrap();
    out
}

/// The CWT payload of a JSON certificate.
pub fn cwt(json: &serde_json::Value) -> Vec<u8> {
    cbor(&cwt_value(Value::serialized(json).unwrap()))
}

/// Where the kid goes.
#[derive(Clone, Copy)]
pub enum KidAt {
    Protected,
    Unprotected,
    Nowhere,
}

/// A COSE_Sign1 (tag 18) over `payload`, signed by `dsc` with the kid
/// `kid` placed at `at`, the algorithm `alg`.
pub fn sign1_with(
    dsc: &Dsc,
    payload: Vec<u8>,
    kid: Vec<u8>,
    at: KidAt,
    alg: iana::Algorithm,
) -> Vec<u8> {
    let mut protected = HeaderBuilder::new().algorithm(alg);
    let mut unprotected = HeaderBuilder::new();
    match at {
        KidAt::Protected => protected = protected.key_id(kid),
        KidAt::Unprotected => unprotected = unprotected.key_id(kid),
        KidAt::Nowhere => {}
    }
    CoseSign1Builder::new()
        .protected(protected.build())
        .unprotected(unprotected.build())
        .payload(payload)
        .create_signature(b"", |tbs| dsc.sign(tbs))
        .build()
        .to_tagged_vec()
        .unwrap()
}

/// A COSE_Sign1 signed by `dsc` with its own kid in the protected header.
pub fn sign1(dsc: &Dsc, payload: Vec<u8>) -> Vec<u8> {
    sign1_with(dsc, payload, dsc.kid(), KidAt::Protected, dsc.alg)
}

/// Untagged COSE_Sign1 bytes (the array alone).
pub fn untagged(cose: &[u8]) -> Vec<u8> {
    coset::CoseSign1::from_tagged_slice(cose)
        .unwrap()
        .to_vec()
        .unwrap()
}

/// zlib, Base45 and the prefix around COSE bytes.
pub fn hc1(cose: &[u8]) -> String {
    format!("HC1:{}", base45(&zlib(cose)))
}

pub fn zlib(bytes: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(bytes).unwrap();
    z.finish().unwrap()
}

/// Base45 (RFC 9285) encoding; the crate only decodes.
pub fn base45(bytes: &[u8]) -> String {
    const A: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    let mut out = String::new();
    for pair in bytes.chunks(2) {
        let (mut n, digits) = match pair {
            [a, b] => (u32::from(*a) * 256 + u32::from(*b), 3),
            [a] => (u32::from(*a), 2),
            _ => unreachable!(),
        };
        for _ in 0..digits {
            out.push(A[(n % 45) as usize] as char);
            n /= 45;
        }
    }
    out
}

/// A whole valid code: this certificate, signed by `dsc`.
pub fn code(dsc: &Dsc, json: &serde_json::Value) -> String {
    hc1(&sign1(dsc, cwt(json)))
}
