//! Core behaviour on codes made here (no shared test data needed): valid
//! ES256 and PS256 codes, key lookup, expiry, key usage, and a failure at
//! every step of the pipeline with its own reason.

mod common;

use checkin_dcc::{decode, verify, DccError, Entry, Kind, Reason, TrustList, Verdict};
use chrono::{DateTime, Duration, Utc};
use ciborium::Value;
use common::*;
use coset::iana;

fn trust(dscs: &[&Dsc]) -> TrustList {
    let mut t = TrustList::new();
    for d in dscs {
        t.add_text(&d.pem()).unwrap();
    }
    t
}

fn at() -> DateTime<Utc> {
    issued() + Duration::days(30)
}

fn reason(v: &Verdict) -> Option<Reason> {
    v.reason()
}

#[test]
fn a_valid_vaccination_signed_with_p256() {
    let dsc = Dsc::p256(&[]);
    let code = code(&dsc, &vaccination());
    let v = verify(&code, &trust(&[&dsc]), at());
    assert!(v.is_valid(), "{:?}", v.error);
    let dcc = v.dcc.expect("the certificate");
    assert_eq!(dcc.kind(), Kind::Vaccination);
    assert_eq!(dcc.name.full(), "Nguyễn Văn An");
    assert_eq!(dcc.birth_date, "1990-08-15");
    assert_eq!(dcc.issuer_country.as_deref(), Some("VN"));
    assert_eq!((dcc.issued_at, dcc.expires_at), (issued(), expires()));
    let Entry::Vaccination(vac) = &dcc.entry else {
        panic!("{:?}", dcc.entry)
    };
    assert_eq!((vac.dose_number, vac.total_doses), (2, 2));
    assert_eq!(vac.product, "EU/1/20/1528");
    assert_eq!(vac.date.to_string(), "2021-09-01");
    let signer = v.signer.expect("signer");
    assert_eq!(signer.kid, data_encoding::BASE64.encode(&dsc.kid()));
    assert_eq!(
        decode(&code).unwrap(),
        dcc,
        "decode reads the same certificate"
    );
}

#[test]
fn a_valid_test_and_recovery_signed_with_rsa_pss() {
    let dsc = Dsc::rsa();
    let t = trust(&[&dsc]);
    let v = verify(&code(&dsc, &test_entry()), &t, at());
    assert!(v.is_valid(), "{:?}", v.error);
    let dcc = v.dcc.unwrap();
    let Entry::Test(test) = &dcc.entry else {
        panic!()
    };
    assert!(test.is_negative());
    assert_eq!(dcc.birth_date, "1985-04");
    assert_eq!(test.sampled_at.to_rfc3339(), "2021-10-01T08:00:00+07:00");
    let v = verify(&code(&dsc, &recovery()), &t, at());
    assert!(v.is_valid(), "{:?}", v.error);
    let dcc = v.dcc.unwrap();
    assert_eq!(dcc.kind(), Kind::Recovery);
    assert_eq!(dcc.name.full(), "LE HOA", "the transliteration stands in");
}

#[test]
fn expired_and_not_yet_valid_at_the_given_clock() {
    let dsc = Dsc::p256(&[]);
    let code = code(&dsc, &vaccination());
    let t = trust(&[&dsc]);
    let v = verify(&code, &t, expires());
    assert_eq!(
        v.error,
        Some(DccError::Expired(expires())),
        "expired at exp"
    );
    assert!(
        v.dcc.is_some(),
        "an expired certificate still shows whose it is"
    );
    assert!(verify(&code, &t, expires() - Duration::seconds(1)).is_valid());
    let v = verify(&code, &t, issued() - Duration::seconds(1));
    assert_eq!(v.error, Some(DccError::NotYetValid(issued())));
    assert!(verify(&code, &t, issued()).is_valid());
}

#[test]
fn a_flipped_signature_byte_is_a_bad_signature() {
    let dsc = Dsc::p256(&[]);
    let mut cose = sign1(&dsc, cwt(&vaccination()));
    let last = cose.len() - 1;
    cose[last] ^= 1; // the signature is the last item
    let v = verify(&hc1(&cose), &trust(&[&dsc]), at());
    assert_eq!(reason(&v), Some(Reason::BadSignature), "{:?}", v.error);
    assert!(
        v.dcc.is_none() && v.signer.is_none(),
        "nothing unverified is shown"
    );
    // The content still reads without a trust list.
    assert!(decode(&hc1(&cose)).is_ok());
}

#[test]
fn a_key_not_in_the_list_is_unknown() {
    let dsc = Dsc::p256(&[]);
    let other = Dsc::p256(&[]);
    let code = code(&dsc, &vaccination());
    let v = verify(&code, &trust(&[&other]), at());
    assert_eq!(reason(&v), Some(Reason::UnknownKey));
    assert_eq!(
        reason(&verify(&code, &TrustList::new(), at())),
        Some(Reason::UnknownKey)
    );
    // In a list of several, the right one is found.
    assert!(verify(&code, &trust(&[&other, &Dsc::rsa(), &dsc]), at()).is_valid());
}

#[test]
fn a_missing_or_unknown_kid_tries_every_key() {
    let dsc = Dsc::p256(&[]);
    let other = Dsc::p256(&[]);
    let t = trust(&[&other, &Dsc::rsa(), &dsc]);
    let payload = cwt(&vaccination());
    for (kid, at_) in [
        (dsc.kid(), KidAt::Unprotected),
        (vec![], KidAt::Nowhere),
        (b"foo".to_vec(), KidAt::Protected),
        (b"foo".to_vec(), KidAt::Unprotected),
    ] {
        let code = hc1(&sign1_with(
            &dsc,
            payload.clone(),
            kid.clone(),
            at_,
            dsc.alg,
        ));
        let v = verify(&code, &t, at());
        assert!(v.is_valid(), "kid {kid:?}: {:?}", v.error);
        assert_eq!(
            v.signer.unwrap().kid,
            data_encoding::BASE64.encode(&dsc.kid())
        );
    }
    // A kid the list holds, on a code another key signed: bad signature,
    // not a search through the other keys.
    let code = hc1(&sign1_with(
        &other,
        payload,
        dsc.kid(),
        KidAt::Protected,
        other.alg,
    ));
    assert_eq!(reason(&verify(&code, &t, at())), Some(Reason::BadSignature));
}

#[test]
fn the_algorithm_must_fit_the_key() {
    let rsa = Dsc::rsa();
    // An RSA-PSS signature labelled ES256: no P-256 key verifies it.
    let code = hc1(&sign1_with(
        &rsa,
        cwt(&vaccination()),
        rsa.kid(),
        KidAt::Protected,
        iana::Algorithm::ES256,
    ));
    let v = verify(&code, &trust(&[&rsa]), at());
    assert_eq!(reason(&v), Some(Reason::BadSignature), "{:?}", v.error);
    // An algorithm outside ES256 / PS256.
    let code = hc1(&sign1_with(
        &rsa,
        cwt(&vaccination()),
        rsa.kid(),
        KidAt::Protected,
        iana::Algorithm::EdDSA,
    ));
    assert_eq!(
        reason(&verify(&code, &trust(&[&rsa]), at())),
        Some(Reason::UnsupportedAlgorithm)
    );
}

#[test]
fn key_usage_limits_the_kinds_a_signer_may_issue() {
    for alternative in [false, true] {
        let test_only = Dsc::p256(&[usage_oid(Kind::Test, alternative)]);
        let t = trust(&[&test_only]);
        assert!(verify(&code(&test_only, &test_entry()), &t, at()).is_valid());
        let v = verify(&code(&test_only, &vaccination()), &t, at());
        assert_eq!(v.error, Some(DccError::WrongKeyUsage(Kind::Vaccination)));
        assert!(v.dcc.is_some(), "authentic, so shown");
        assert_eq!(t.signers()[0].usage(), Some(&[Kind::Test][..]));
    }
    let two = Dsc::p256(&[
        usage_oid(Kind::Vaccination, false),
        usage_oid(Kind::Recovery, false),
    ]);
    let t = trust(&[&two]);
    assert!(verify(&code(&two, &vaccination()), &t, at()).is_valid());
    assert!(verify(&code(&two, &recovery()), &t, at()).is_valid());
    assert_eq!(
        reason(&verify(&code(&two, &test_entry()), &t, at())),
        Some(Reason::WrongKeyUsage)
    );
    // Other EKU OIDs do not limit anything.
    let plain = Dsc::p256(&[vec![1, 3, 6, 1, 5, 5, 7, 3, 2]]);
    assert!(verify(&code(&plain, &test_entry()), &trust(&[&plain]), at()).is_valid());
}

#[test]
fn cwt_and_cose_tags_are_optional() {
    let dsc = Dsc::p256(&[]);
    let t = trust(&[&dsc]);
    let tagged = sign1(&dsc, cwt(&vaccination()));
    let bare = untagged(&tagged);
    let mut double = vec![0xd8, 61];
    double.extend_from_slice(&tagged);
    for cose in [&tagged, &bare, &double] {
        assert!(verify(&hc1(cose), &t, at()).is_valid());
    }
    let mut wrong = vec![0xd8, 98]; // COSE_Sign, not COSE_Sign1
    wrong.extend_from_slice(&bare);
    assert_eq!(
        reason(&verify(&hc1(&wrong), &t, at())),
        Some(Reason::BadCose)
    );
}

#[test]
fn scanner_noise_around_a_code_is_ignored() {
    let dsc = Dsc::p256(&[]);
    let code = code(&dsc, &vaccination());
    let noisy = format!("\u{feff}  {code}\r\n");
    assert!(verify(&noisy, &trust(&[&dsc]), at()).is_valid());
}

fn decode_reason(text: &str) -> Reason {
    decode(text).expect_err(text).reason()
}

#[test]
fn each_decode_step_fails_with_its_own_reason() {
    let dsc = Dsc::p256(&[]);
    let good = code(&dsc, &vaccination());
    let body = good.strip_prefix("HC1:").unwrap();
    // Prefix.
    for text in ["", "HC1", "hc1:NCF", "HC2:NCF", "HL0:NCF", body] {
        assert_eq!(decode_reason(text), Reason::BadPrefix, "{text:?}");
    }
    // Base45.
    assert_eq!(
        decode_reason(&format!("HC1:{}", body.to_lowercase())),
        Reason::BadBase45
    );
    let mut dangling = good.clone();
    while (dangling.len() - 4) % 3 != 1 {
        dangling.push('A');
    }
    assert_eq!(
        decode_reason(&dangling),
        Reason::BadBase45,
        "a dangling character"
    );
    assert_eq!(
        decode_reason("HC1:GGW"),
        Reason::BadBase45,
        "a group above 65535"
    );
    // Compression: not zlib, cut short, empty.
    let cose = sign1(&dsc, cwt(&vaccination()));
    assert_eq!(
        decode_reason(&format!("HC1:{}", base45(&cose))),
        Reason::BadCompression
    );
    let z = zlib(&cose);
    assert_eq!(
        decode_reason(&format!("HC1:{}", base45(&z[..z.len() / 2]))),
        Reason::BadCompression
    );
    assert_eq!(decode_reason("HC1:"), Reason::BadCompression);
    // A zip bomb: a megabyte of zeros.
    assert_eq!(
        decode_reason(&hc1(&vec![0u8; 1 << 20])),
        Reason::BadCompression
    );
    // COSE: not CBOR, not a COSE_Sign1, no payload, trailing bytes.
    assert_eq!(decode_reason(&hc1(b"\xff\xfe")), Reason::BadCose);
    assert_eq!(
        decode_reason(&hc1(&cbor(&Value::Array(vec![Value::Null; 3])))),
        Reason::BadCose
    );
    let detached = cbor(&Value::Array(vec![
        Value::Bytes(vec![0xa1, 0x01, 0x26]),
        Value::Map(vec![]),
        Value::Null,
        Value::Bytes(vec![0; 64]),
    ]));
    assert_eq!(decode_reason(&hc1(&detached)), Reason::BadCose);
    // Lengths declared huge (a byte string, an array, a map of 2^60) are
    // refused at the end of the input, not allocated.
    for huge in [0x5bu8, 0x9b, 0xbb] {
        let mut bytes = vec![huge, 0x10, 0, 0, 0, 0, 0, 0, 0];
        bytes.extend_from_slice(&[0; 16]);
        assert_eq!(decode_reason(&hc1(&bytes)), Reason::BadCose);
        let v = verify(&hc1(&sign1(&dsc, bytes)), &trust(&[&dsc]), at());
        assert_eq!(reason(&v), Some(Reason::BadCbor));
    }
    let mut trailing = cose.clone();
    trailing.push(0);
    assert_eq!(decode_reason(&hc1(&trailing)), Reason::BadCose);
    // CBOR: payload not CBOR, not a map, no hcert claim, hcert not a map, no exp.
    for payload in [
        b"\xff".to_vec(),
        cbor(&Value::Array(vec![])),
        cbor(&Value::Map(vec![(Value::from(1), Value::from("VN"))])),
        cbor(&cwt_value(Value::Bytes(b"not a map".to_vec()))),
        cbor(&Value::Map(vec![(
            Value::from(-260),
            Value::Map(vec![(
                Value::from(1),
                Value::serialized(&vaccination()).unwrap(),
            )]),
        )])),
    ] {
        let v = verify(&hc1(&sign1(&dsc, payload.clone())), &trust(&[&dsc]), at());
        assert_eq!(reason(&v), Some(Reason::BadCbor), "{:?}", v.error);
        assert_eq!(decode_reason(&hc1(&sign1(&dsc, payload))), Reason::BadCbor);
    }
}

/// A change made to a certificate before it is signed.
type Edit = Box<dyn Fn(&mut serde_json::Value)>;

#[test]
fn schema_violations_are_named() {
    let dsc = Dsc::p256(&[]);
    let t = trust(&[&dsc]);
    let edits: Vec<(&str, Edit)> = vec![
        (
            "no name",
            Box::new(|j| drop(j.as_object_mut().unwrap().remove("nam"))),
        ),
        (
            "fnt lower case",
            Box::new(|j| j["nam"]["fnt"] = "Nguyen".into()),
        ),
        (
            "birth before 1900",
            Box::new(|j| j["dob"] = "1815-08-24".into()),
        ),
        (
            "two kinds",
            Box::new(|j| j["t"] = test_entry()["t"].clone()),
        ),
        (
            "two entries",
            Box::new(|j| {
                let e = j["v"][0].clone();
                j["v"].as_array_mut().unwrap().push(e);
            }),
        ),
        (
            "no entry",
            Box::new(|j| drop(j.as_object_mut().unwrap().remove("v"))),
        ),
        ("dose 0", Box::new(|j| j["v"][0]["dn"] = 0.into())),
        ("dose as text", Box::new(|j| j["v"][0]["dn"] = "2".into())),
        (
            "bad date",
            Box::new(|j| j["v"][0]["dt"] = "2021-02-30".into()),
        ),
        (
            "country lower case",
            Box::new(|j| j["v"][0]["co"] = "vn".into()),
        ),
        (
            "long issuer",
            Box::new(|j| j["v"][0]["is"] = "x".repeat(81).into()),
        ),
        ("version", Box::new(|j| j["ver"] = "1.3".into())),
    ];
    for (what, edit) in edits {
        let mut json = vaccination();
        edit(&mut json);
        let code = code(&dsc, &json);
        assert_eq!(decode_reason(&code), Reason::SchemaViolation, "{what}");
        let v = verify(&code, &t, at());
        assert_eq!(reason(&v), Some(Reason::SchemaViolation), "{what}");
        assert!(v.dcc.is_none() && v.signer.is_some(), "{what}");
    }
    // Lenient where issuers were: a date-time in a date field, extra fields.
    let mut json = vaccination();
    json["v"][0]["dt"] = "2021-09-01T10:00:00+02:00".into();
    json["extra"] = "ignored".into();
    assert!(verify(&code(&dsc, &json), &t, at()).is_valid());
}

#[test]
fn every_reason_has_a_distinct_code() {
    let codes: std::collections::HashSet<&str> = Reason::ALL.iter().map(|r| r.as_str()).collect();
    assert_eq!(codes.len(), Reason::ALL.len());
    assert_eq!(
        serde_json::to_string(&Reason::UnknownKey).unwrap(),
        "\"unknown_key\""
    );
}

#[test]
fn trust_lists_from_pem_base64_and_json() {
    let a = Dsc::p256(&[]);
    let b = Dsc::rsa();
    let mut t = TrustList::new();
    assert_eq!(t.add_text(&format!("{}{}", a.pem(), b.pem())).unwrap(), 2);
    assert_eq!(
        t.add_text(&data_encoding::BASE64.encode(&a.der)).unwrap(),
        1
    );
    assert_eq!(t.len(), 3);
    let json = t.to_json();
    let back = TrustList::from_json(&json).unwrap();
    assert_eq!(back.len(), 3);
    assert_eq!(back.signers()[1].der(), &b.der[..]);
    assert_eq!(back.signers()[0].kid(), &a.kid()[..]);
    // A kid and a country given by the list are kept; updated_at is read.
    let json = format!(
        r#"{{"updated_at":"2022-05-01T00:00:00Z","certificates":[{{"kid":"{}","der":"{}","country":"VN","note":"ignored"}}]}}"#,
        data_encoding::BASE64.encode(b"my-kid!!"),
        data_encoding::BASE64.encode(&a.der)
    );
    let t = TrustList::from_json(&json).unwrap();
    assert_eq!(t.signers()[0].kid(), b"my-kid!!");
    assert_eq!(t.signers()[0].country(), Some("VN"));
    assert_eq!(
        t.updated_at().unwrap().to_rfc3339(),
        "2022-05-01T00:00:00+00:00"
    );
    // Found under the list's kid when the code names it.
    let code = hc1(&sign1_with(
        &a,
        cwt(&vaccination()),
        b"my-kid!!".to_vec(),
        KidAt::Protected,
        a.alg,
    ));
    let v = verify(&code, &t, at());
    assert!(v.is_valid());
    assert_eq!(v.signer.unwrap().country.as_deref(), Some("VN"));
    // Unusable lists say which entry.
    for bad in [
        "",
        "{}",
        r#"{"certificates":[{"der":"!!"}]}"#,
        r#"{"certificates":[{"der":"MIIB"}]}"#,
    ] {
        assert!(TrustList::from_json(bad).is_err(), "{bad}");
    }
    let err = TrustList::from_json(r#"{"certificates":[{"der":"AAAA"}]}"#).unwrap_err();
    assert!(err.to_string().contains("certificates[0]"), "{err}");
    // Checking a document names every unusable entry; an empty list is refused.
    let doc: checkin_dcc::TrustListDocument = serde_json::from_str(&format!(
        r#"{{"certificates":[{{"der":"AAAA"}},{{"der":"{}"}},{{"der":"{}","kid":"!"}}]}}"#,
        data_encoding::BASE64.encode(&a.der),
        data_encoding::BASE64.encode(&b.der)
    ))
    .unwrap();
    let errors: Vec<String> = TrustList::from_document(&doc)
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].contains("certificates[0]"), "{errors:?}");
    assert!(errors[1].contains("certificates[2]"), "{errors:?}");
    assert!(TrustList::from_json(r#"{"certificates":[]}"#).is_err());
    assert_eq!(TrustList::from_document(&t.to_document()).unwrap().len(), 1);
    assert!(TrustList::new().add_text("not a certificate").is_err());
    assert!(TrustList::new()
        .add_text("-----BEGIN CERTIFICATE-----\nAAAA")
        .is_err());
}
