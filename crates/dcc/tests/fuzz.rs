//! No input makes `decode` or `verify` panic, and every refusal has a
//! reason: random text, random Base45, and a valid code mutated at each
//! layer (its text, its COSE bytes re-wrapped, its CWT payload re-signed so
//! the signature holds over garbage).

mod common;

use checkin_dcc::{decode, verify, TrustList, Verdict};
use chrono::{DateTime, Duration, Utc};
use common::*;
use proptest::prelude::*;
use std::sync::OnceLock;

struct Fixture {
    dsc: Dsc,
    trust: TrustList,
    text: String,
    cose: Vec<u8>,
    payload: Vec<u8>,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dsc = Dsc::p256(&[usage_oid(checkin_dcc::Kind::Vaccination, false)]);
        let mut trust = TrustList::new();
        trust.add_text(&dsc.pem()).unwrap();
        let payload = cwt(&vaccination());
        let cose = sign1(&dsc, payload.clone());
        let text = hc1(&cose);
        Fixture {
            dsc,
            trust,
            text,
            cose,
            payload,
        }
    })
}

fn at() -> DateTime<Utc> {
    issued() + Duration::days(1)
}

/// Runs both entry points; checks the verdict is coherent.
fn judge(text: &str) -> Verdict {
    let decoded = decode(text);
    let v = verify(text, &fixture().trust, at());
    assert_eq!(v.is_valid(), v.reason().is_none());
    assert_eq!(v.is_valid(), v.error.is_none());
    if v.is_valid() {
        assert!(decoded.is_ok(), "valid but does not decode: {decoded:?}");
        assert!(v.dcc.is_some() && v.signer.is_some());
    }
    if v.dcc.is_some() {
        assert!(v.signer.is_some(), "content shown without a signer");
    }
    v
}

#[derive(Debug, Clone)]
enum Edit {
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize),
    Truncate(usize),
}

fn edits(alphabet: bool) -> impl Strategy<Value = Vec<Edit>> {
    let byte = if alphabet {
        prop::sample::select(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".to_vec()).boxed()
    } else {
        any::<u8>().boxed()
    };
    let edit = prop_oneof![
        (any::<usize>(), byte.clone()).prop_map(|(i, b)| Edit::Flip(i, b)),
        (any::<usize>(), byte).prop_map(|(i, b)| Edit::Insert(i, b)),
        any::<usize>().prop_map(Edit::Delete),
        any::<usize>().prop_map(Edit::Truncate),
    ];
    prop::collection::vec(edit, 1..4)
}

fn apply(bytes: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for e in edits {
        let n = out.len().max(1);
        match *e {
            Edit::Flip(i, b) if !out.is_empty() => out[i % n] = b,
            Edit::Insert(i, b) => out.insert(i % (out.len() + 1), b),
            Edit::Delete(i) if !out.is_empty() => {
                out.remove(i % n);
            }
            Edit::Truncate(i) => out.truncate(i % (out.len() + 1)),
            _ => {}
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_text_is_refused_with_a_reason(s in "\\PC*") {
        prop_assert!(!judge(&s).is_valid());
    }

    #[test]
    fn random_base45_is_refused_with_a_reason(s in "HC1:[0-9A-Z $%*+./:-]{0,400}") {
        prop_assert!(!judge(&s).is_valid());
    }

    #[test]
    fn mutated_codes_never_panic(e in edits(true)) {
        let text = apply(fixture().text.as_bytes(), &e);
        judge(&String::from_utf8(text).unwrap());
    }

    #[test]
    fn mutated_cose_bytes_never_panic(e in edits(false)) {
        let cose = apply(&fixture().cose, &e);
        judge(&hc1(&cose));
    }

    #[test]
    fn garbage_under_a_good_signature_never_panics(e in edits(false)) {
        let f = fixture();
        let payload = apply(&f.payload, &e);
        judge(&hc1(&sign1(&f.dsc, payload)));
    }

    #[test]
    fn random_bytes_under_a_good_signature_never_panic(payload in prop::collection::vec(any::<u8>(), 0..300)) {
        let f = fixture();
        prop_assert!(!judge(&hc1(&sign1(&f.dsc, payload))).is_valid());
    }
}

#[test]
fn the_unmutated_fixture_is_valid() {
    assert!(judge(&fixture().text).is_valid());
}
