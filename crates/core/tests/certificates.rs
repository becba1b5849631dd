//! Vaccine passports at the gate: a real signed certificate (the fixtures
//! `checkin dcc verify` is tested on, signed by a test document signer)
//! through `identify`, with and without a trust list, under venue rules.

use checkin_core::{
    identify, CertificateRules, GateKeys, Level, PassKeys, Policy, Reason, RuleProblem, Subject,
    TrustList,
};
use chrono::{DateTime, FixedOffset};

fn fixture(name: &str) -> String {
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let path = std::path::Path::new(&dir)
        .join("../cli/tests/dcc")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn trust() -> TrustList {
    TrustList::from_json(&fixture("trust-list.json")).unwrap()
}

fn at(rfc3339: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap()
}

fn check(
    code: &str,
    trust: Option<&TrustList>,
    now: &str,
    policy: &Policy,
) -> checkin_core::Identified {
    let passes = PassKeys::default();
    identify(
        code.trim(),
        GateKeys {
            passes: &passes,
            certificates: trust,
        },
        at(now),
        policy,
    )
    .unwrap()
}

#[test]
fn a_valid_certificate_is_green_and_kept_by_kind_only() {
    let trust = trust();
    // Second dose on 2021-09-01; issued 2021-10-01, expires 2022-10-01.
    let found = check(
        &fixture("vaccination.txt"),
        Some(&trust),
        "2021-10-15T09:00:00+07:00",
        &Policy::default(),
    );
    assert_eq!(found.verdict.level, Level::Green, "{:?}", found.verdict);
    assert_eq!(
        found.subject,
        Subject::Certificate {
            certificate: Some(checkin_dcc::Kind::Vaccination)
        }
    );
    assert_eq!(found.raw_code, None);
    let holder = found
        .holder
        .expect("an authentic certificate shows whose it is");
    assert_eq!(holder.full_name, "Nguyễn Văn An");
    assert_eq!(holder.birth_date, "1990-08-15");
    // Nothing of the certificate is in what is stored.
    let stored = serde_json::to_string(&found.subject).unwrap();
    assert_eq!(
        stored,
        r#"{"type":"certificate","certificate":"vaccination"}"#
    );
}

#[test]
fn expired_unknown_and_rule_failures_are_red_with_their_reason() {
    let trust = trust();
    let code = fixture("vaccination.txt");
    let expired = check(
        &code,
        Some(&trust),
        "2022-10-02T09:00:00+07:00",
        &Policy::default(),
    );
    assert_eq!(expired.verdict.level, Level::Red);
    assert_eq!(
        expired.verdict.reasons,
        [Reason::CertificateInvalid(checkin_dcc::Reason::Expired)]
    );
    // Still authentic: the guard sees whose it is.
    assert!(expired.holder.is_some());

    let mut other = TrustList::new();
    other.add_text(&fixture("other-dsc.pem")).unwrap();
    let unknown = check(
        &code,
        Some(&other),
        "2021-10-15T09:00:00+07:00",
        &Policy::default(),
    );
    assert_eq!(
        unknown.verdict.reasons,
        [Reason::CertificateInvalid(checkin_dcc::Reason::UnknownKey)]
    );
    assert_eq!(unknown.holder, None, "a forged name is never shown");
    assert_eq!(unknown.subject, Subject::Certificate { certificate: None });

    let tests_only = Policy {
        certificates: CertificateRules {
            vaccination: None,
            ..CertificateRules::default()
        },
        ..Policy::default()
    };
    let refused = check(
        &code,
        Some(&trust),
        "2021-10-15T09:00:00+07:00",
        &tests_only,
    );
    assert_eq!(refused.verdict.level, Level::Red);
    assert_eq!(
        refused.verdict.reasons,
        [Reason::CertificateRule(RuleProblem::KindNotAccepted {
            kind: checkin_dcc::Kind::Vaccination
        })]
    );

    // The PCR test was sampled 2021-10-01 08:00 in Vietnam: 72 hours later
    // it no longer counts.
    let test = fixture("test.txt");
    let fresh = check(
        &test,
        Some(&trust),
        "2021-10-02T08:00:00+07:00",
        &Policy::default(),
    );
    assert_eq!(fresh.verdict.level, Level::Green, "{:?}", fresh.verdict);
    let old = check(
        &test,
        Some(&trust),
        "2021-10-04T08:01:00+07:00",
        &Policy::default(),
    );
    assert!(matches!(
        old.verdict.reasons.as_slice(),
        [Reason::CertificateRule(RuleProblem::TestTooOld { .. })]
    ));
}

#[test]
fn without_a_trust_list_a_certificate_is_amber() {
    let found = check(
        &fixture("vaccination.txt"),
        None,
        "2021-10-15T09:00:00+07:00",
        &Policy::default(),
    );
    assert_eq!(found.verdict.level, Level::Amber);
    assert_eq!(found.verdict.reasons, [Reason::NoTrustList]);
    assert_eq!(found.holder, None);
}

#[test]
fn a_station_clock_a_little_slow_still_accepts_a_fresh_certificate() {
    // Issued at 2021-10-01T00:00:00Z; a station 3 minutes slow reads it at
    // 23:57 the day before. Ten minutes slow is refused.
    let trust = trust();
    let code = fixture("vaccination.txt");
    let slow = check(
        &code,
        Some(&trust),
        "2021-09-30T23:57:00Z",
        &Policy {
            certificates: CertificateRules {
                vaccination: Some(checkin_core::certificate::VaccinationRule {
                    min_days: 0,
                    max_days: None,
                }),
                ..CertificateRules::default()
            },
            ..Policy::default()
        },
    );
    assert_eq!(slow.verdict.level, Level::Green, "{:?}", slow.verdict);
    let slower = check(
        &code,
        Some(&trust),
        "2021-09-30T23:50:00Z",
        &Policy::default(),
    );
    assert_eq!(
        slower.verdict.reasons,
        [Reason::CertificateInvalid(checkin_dcc::Reason::NotYetValid)]
    );
}
