//! Vaccine passports (EU DCC) at the gate: the venue's rules for what a
//! certificate must prove, and the verdict a scanned certificate gets.
//!
//! Verification itself (signature, dates, schema) is `checkin_dcc`'s; this
//! module decides what an authentic certificate is worth at this venue, and
//! joins both into the gate's green/amber/red. A pure function of the code,
//! the trust list, the rules and the clock: every gate of a venue, and a
//! test, gives the same answer.

use crate::calendar;
use crate::verdict::{Level, Policy, Reason, Verdict};
use checkin_dcc::{Dcc, Entry, Kind, TrustList};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// How far a station's clock may run slow before a certificate issued
/// moments ago reads "not yet valid": test certificates are often scanned
/// minutes after they are issued.
pub const CLOCK_SKEW_ALLOWANCE: chrono::Duration = chrono::Duration::minutes(5);

/// What a certificate must prove at a venue. Each kind is accepted under
/// its own rule; a kind left out (`null`) is not accepted. Sent to stations
/// in the sync config as part of the [`Policy`].
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CertificateRules {
    /// A completed vaccination series (the last dose of its series).
    pub vaccination: Option<VaccinationRule>,
    /// Recovery: a first positive test within the last days.
    pub recovery: Option<RecoveryRule>,
    /// A negative test sampled within the last hours.
    pub test: Option<TestRule>,
}

/// Full vaccination, counted in days from the last dose (Vietnam's dates).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VaccinationRule {
    /// Days after the last dose before it counts (14: protection builds up).
    pub min_days: u32,
    /// Days after the last dose when it stops counting; `null`: never.
    #[serde(default)]
    pub max_days: Option<u32>,
}

/// Recovery, counted in days from the first positive test.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecoveryRule {
    pub max_days: u32,
}

/// A negative test, counted in hours from sampling.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestRule {
    pub max_hours: u32,
}

impl Default for CertificateRules {
    /// The rule of Vietnam's 2021-2022 guidance for venues that asked for
    /// proof: fully vaccinated at least 14 days before, or recovered within
    /// 6 months, or a negative test within 72 hours.
    fn default() -> Self {
        Self {
            vaccination: Some(VaccinationRule {
                min_days: 14,
                max_days: None,
            }),
            recovery: Some(RecoveryRule { max_days: 180 }),
            test: Some(TestRule { max_hours: 72 }),
        }
    }
}

/// Why an authentic certificate does not meet the venue's rules.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum RuleProblem {
    /// The venue does not accept this kind of certificate.
    KindNotAccepted { kind: Kind },
    /// A dose before the last of its series.
    IncompleteVaccination { dose: u32, total: u32 },
    /// The last dose is too recent: it counts from this date.
    VaccinationTooRecent { counts_from: NaiveDate },
    /// The last dose is too long ago: it counted until this date.
    VaccinationTooOld { counted_until: NaiveDate },
    /// The first positive test is too long ago, or outside the validity the
    /// certificate itself gives.
    RecoveryNotValid { valid_until: NaiveDate },
    /// The recovery certificate is valid only from this date.
    RecoveryNotYetValid { valid_from: NaiveDate },
    /// The test did not come out negative.
    TestNotNegative,
    /// The test was sampled too long ago.
    TestTooOld { sampled_at: DateTime<FixedOffset> },
    /// The test's sampling time is later than now.
    TestInFuture { sampled_at: DateTime<FixedOffset> },
}

impl fmt::Display for RuleProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::KindNotAccepted { kind } => {
                write!(f, "this venue does not accept {kind} certificates")
            }
            Self::IncompleteVaccination { dose, total } => {
                write!(f, "dose {dose} of {total}: the series is not complete")
            }
            Self::VaccinationTooRecent { counts_from } => {
                write!(f, "the last dose counts from {counts_from}")
            }
            Self::VaccinationTooOld { counted_until } => {
                write!(f, "the last dose counted until {counted_until}")
            }
            Self::RecoveryNotValid { valid_until } => {
                write!(f, "the recovery counted until {valid_until}")
            }
            Self::RecoveryNotYetValid { valid_from } => {
                write!(f, "the recovery counts from {valid_from}")
            }
            Self::TestNotNegative => f.write_str("the test is not negative"),
            Self::TestTooOld { sampled_at } => {
                write!(f, "the test was taken too long ago ({sampled_at})")
            }
            Self::TestInFuture { sampled_at } => {
                write!(f, "the test's time is later than now ({sampled_at})")
            }
        }
    }
}

/// Whether an (authentic, valid) certificate meets the venue's rules at
/// `at`. Days are counted on Vietnam's calendar, hours on the instant.
pub fn check_rules(
    dcc: &Dcc,
    rules: &CertificateRules,
    at: DateTime<Utc>,
) -> Result<(), RuleProblem> {
    let today = calendar::local_date(&at);
    let refused = || RuleProblem::KindNotAccepted { kind: dcc.kind() };
    match &dcc.entry {
        Entry::Vaccination(v) => {
            let rule = rules.vaccination.ok_or_else(refused)?;
            if v.dose_number < v.total_doses {
                return Err(RuleProblem::IncompleteVaccination {
                    dose: v.dose_number,
                    total: v.total_doses,
                });
            }
            let counts_from = add_days(v.date, rule.min_days);
            if today < counts_from {
                return Err(RuleProblem::VaccinationTooRecent { counts_from });
            }
            if let Some(max) = rule.max_days {
                let counted_until = add_days(v.date, max);
                if today > counted_until {
                    return Err(RuleProblem::VaccinationTooOld { counted_until });
                }
            }
            Ok(())
        }
        Entry::Recovery(r) => {
            let rule = rules.recovery.ok_or_else(refused)?;
            if today < r.valid_from {
                return Err(RuleProblem::RecoveryNotYetValid {
                    valid_from: r.valid_from,
                });
            }
            let valid_until = r.valid_until.min(add_days(r.first_positive, rule.max_days));
            if today > valid_until {
                return Err(RuleProblem::RecoveryNotValid { valid_until });
            }
            Ok(())
        }
        Entry::Test(t) => {
            let rule = rules.test.ok_or_else(refused)?;
            if !t.is_negative() {
                return Err(RuleProblem::TestNotNegative);
            }
            let sampled = t.sampled_at.with_timezone(&Utc);
            if sampled > at + CLOCK_SKEW_ALLOWANCE {
                return Err(RuleProblem::TestInFuture {
                    sampled_at: t.sampled_at,
                });
            }
            if at - sampled > chrono::Duration::hours(i64::from(rule.max_hours)) {
                return Err(RuleProblem::TestTooOld {
                    sampled_at: t.sampled_at,
                });
            }
            Ok(())
        }
    }
}

fn add_days(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_days(chrono::Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

/// A scanned certificate as the gate shows it. The holder's name and birth
/// date appear only for an authentic certificate, and only on the screen:
/// the stored check-in keeps the certificate's kind and the verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateCheck {
    /// The kind, when the certificate is authentic and reads.
    pub kind: Option<Kind>,
    pub holder: Option<Holder>,
    pub verdict: Verdict,
}

/// Whose certificate it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub full_name: String,
    /// As issued: `YYYY-MM-DD`, `YYYY-MM`, `YYYY` or empty.
    pub birth_date: String,
}

/// Verifies a certificate and applies the venue's rules: green when it is
/// authentic, valid and meets a rule; red when it is not authentic, not
/// valid or meets no rule; amber when this station holds no trust list to
/// verify it with. `trust` is the station's last copy of the trust list.
pub fn check_certificate(
    code: &str,
    trust: Option<&TrustList>,
    policy: &Policy,
    at: DateTime<Utc>,
) -> CertificateCheck {
    let Some(trust) = trust.filter(|t| !t.is_empty()) else {
        return CertificateCheck {
            kind: None,
            holder: None,
            verdict: Verdict::with(Level::Amber, Reason::NoTrustList),
        };
    };
    let mut verified = checkin_dcc::verify(code, trust, at);
    if verified.reason() == Some(checkin_dcc::Reason::NotYetValid) {
        // A station clock a few minutes slow must not turn away a test
        // certificate issued a moment ago.
        let later = checkin_dcc::verify(code, trust, at + CLOCK_SKEW_ALLOWANCE);
        if later.is_valid() {
            verified = later;
        }
    }
    let holder = verified.dcc.as_ref().map(|d| Holder {
        full_name: d.name.full(),
        birth_date: d.birth_date.clone(),
    });
    let kind = verified.dcc.as_ref().map(Dcc::kind);
    let verdict = match (&verified.dcc, verified.reason()) {
        (_, Some(reason)) => Verdict::with(Level::Red, Reason::CertificateInvalid(reason)),
        (Some(dcc), None) => match check_rules(dcc, &policy.certificates, at) {
            Ok(()) => Verdict::green(),
            Err(problem) => Verdict::with(Level::Red, Reason::CertificateRule(problem)),
        },
        // Valid without a certificate cannot happen (verify keeps the
        // certificate whenever it has no error); refuse rather than admit.
        (None, None) => Verdict::with(
            Level::Red,
            Reason::CertificateInvalid(checkin_dcc::Reason::SchemaViolation),
        ),
    };
    CertificateCheck {
        kind,
        holder,
        verdict,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        // Noon-ish in Vietnam is 05:00 UTC; the hour is given in UTC.
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn dcc(entry: Entry) -> Dcc {
        Dcc {
            issuer_country: Some("AT".into()),
            issued_at: at(2022, 1, 1, 0),
            expires_at: at(2023, 1, 1, 0),
            not_before: None,
            version: "1.3.0".into(),
            name: checkin_dcc::Name {
                family: Some("Nguyễn".into()),
                family_std: "NGUYEN".into(),
                given: Some("An".into()),
                given_std: Some("AN".into()),
            },
            birth_date: "1990-01-02".into(),
            entry,
        }
    }

    fn vaccination(dose: u32, total: u32, on: NaiveDate) -> Dcc {
        dcc(Entry::Vaccination(checkin_dcc::Vaccination {
            disease: "840539006".into(),
            vaccine: "1119349007".into(),
            product: "EU/1/20/1528".into(),
            manufacturer: "ORG-100030215".into(),
            dose_number: dose,
            total_doses: total,
            date: on,
            country: "AT".into(),
            issuer: "Ministry".into(),
            certificate_id: "URN:UVCI:01:AT:1".into(),
        }))
    }

    fn recovery(first_positive: NaiveDate, from: NaiveDate, until: NaiveDate) -> Dcc {
        dcc(Entry::Recovery(checkin_dcc::Recovery {
            disease: "840539006".into(),
            first_positive,
            country: "AT".into(),
            issuer: "Ministry".into(),
            valid_from: from,
            valid_until: until,
            certificate_id: "URN:UVCI:01:AT:2".into(),
        }))
    }

    fn test(result: &str, sampled: DateTime<Utc>) -> Dcc {
        dcc(Entry::Test(checkin_dcc::Test {
            disease: "840539006".into(),
            test_type: "LP6464-4".into(),
            name: None,
            device: None,
            sampled_at: sampled.fixed_offset(),
            result: result.into(),
            centre: None,
            country: "AT".into(),
            issuer: "Ministry".into(),
            certificate_id: "URN:UVCI:01:AT:3".into(),
        }))
    }

    #[test]
    fn vaccination_rules() {
        let rules = CertificateRules::default();
        let last = date(2022, 3, 1);
        // (dose, total, when, expected)
        let cases = [
            (2, 2, at(2022, 3, 15, 5), Ok(())),
            (
                2,
                2,
                at(2022, 3, 14, 5),
                Err(RuleProblem::VaccinationTooRecent {
                    counts_from: date(2022, 3, 15),
                }),
            ),
            // 23:30 on 14 March in Vietnam is 16:30 UTC on the 14th: still
            // the 14th. 00:30 on the 15th in Vietnam is 17:30 UTC on the 14th.
            (
                2,
                2,
                at(2022, 3, 14, 16),
                Err(RuleProblem::VaccinationTooRecent {
                    counts_from: date(2022, 3, 15),
                }),
            ),
            (2, 2, at(2022, 3, 14, 17), Ok(())),
            (
                1,
                2,
                at(2022, 6, 1, 5),
                Err(RuleProblem::IncompleteVaccination { dose: 1, total: 2 }),
            ),
            // A booster (3 of 2 in some countries' data) is complete.
            (3, 2, at(2022, 6, 1, 5), Ok(())),
            (1, 1, at(2025, 6, 1, 5), Ok(())),
        ];
        for (i, (dose, total, when, want)) in cases.into_iter().enumerate() {
            assert_eq!(
                check_rules(&vaccination(dose, total, last), &rules, when),
                want,
                "case {i}"
            );
        }
        let limited = CertificateRules {
            vaccination: Some(VaccinationRule {
                min_days: 0,
                max_days: Some(270),
            }),
            ..CertificateRules::default()
        };
        assert_eq!(
            check_rules(&vaccination(2, 2, last), &limited, at(2022, 3, 1, 5)),
            Ok(())
        );
        assert_eq!(
            check_rules(&vaccination(2, 2, last), &limited, at(2022, 11, 27, 5)),
            Err(RuleProblem::VaccinationTooOld {
                counted_until: date(2022, 11, 26)
            })
        );
    }

    #[test]
    fn recovery_and_test_rules() {
        let rules = CertificateRules::default();
        let r = recovery(date(2022, 1, 1), date(2022, 1, 12), date(2022, 12, 31));
        assert_eq!(check_rules(&r, &rules, at(2022, 1, 12, 5)), Ok(()));
        assert_eq!(
            check_rules(&r, &rules, at(2022, 1, 11, 5)),
            Err(RuleProblem::RecoveryNotYetValid {
                valid_from: date(2022, 1, 12)
            })
        );
        // The venue's 180 days end before the certificate's own validity.
        assert_eq!(check_rules(&r, &rules, at(2022, 6, 30, 5)), Ok(()));
        assert_eq!(
            check_rules(&r, &rules, at(2022, 7, 1, 5)),
            Err(RuleProblem::RecoveryNotValid {
                valid_until: date(2022, 6, 30)
            })
        );

        let sampled = at(2022, 5, 1, 8);
        let negative = test(checkin_dcc::TEST_NOT_DETECTED, sampled);
        assert_eq!(check_rules(&negative, &rules, at(2022, 5, 4, 8)), Ok(()));
        assert_eq!(
            check_rules(&negative, &rules, at(2022, 5, 4, 9)),
            Err(RuleProblem::TestTooOld {
                sampled_at: sampled.fixed_offset()
            })
        );
        assert_eq!(
            check_rules(&negative, &rules, sampled - chrono::Duration::minutes(4)),
            Ok(()),
            "a clock up to five minutes slow"
        );
        assert_eq!(
            check_rules(&negative, &rules, sampled - chrono::Duration::hours(1)),
            Err(RuleProblem::TestInFuture {
                sampled_at: sampled.fixed_offset()
            })
        );
        assert_eq!(
            check_rules(&test("260373001", sampled), &rules, at(2022, 5, 1, 9)),
            Err(RuleProblem::TestNotNegative)
        );
    }

    #[test]
    fn a_kind_left_out_is_not_accepted() {
        let vaccinated_only = CertificateRules {
            recovery: None,
            test: None,
            ..CertificateRules::default()
        };
        let negative = test(checkin_dcc::TEST_NOT_DETECTED, at(2022, 5, 1, 8));
        assert_eq!(
            check_rules(&negative, &vaccinated_only, at(2022, 5, 1, 9)),
            Err(RuleProblem::KindNotAccepted { kind: Kind::Test })
        );
        let json: CertificateRules =
            serde_json::from_str(r#"{"test": null, "recovery": {"max_days": 90}}"#).unwrap();
        assert_eq!(json.test, None);
        assert_eq!(json.recovery, Some(RecoveryRule { max_days: 90 }));
        assert_eq!(json.vaccination, CertificateRules::default().vaccination);
        assert!(serde_json::from_str::<CertificateRules>(r#"{"tests": null}"#).is_err());
    }

    #[test]
    fn no_trust_list_is_amber_and_garbage_is_red() {
        let policy = Policy::default();
        let none = check_certificate("HC1:NCFOXN%TS3DH", None, &policy, at(2022, 5, 1, 0));
        assert_eq!(none.verdict.level, Level::Amber);
        assert_eq!(none.verdict.reasons, [Reason::NoTrustList]);
        let empty = TrustList::default();
        assert_eq!(
            check_certificate("HC1:x", Some(&empty), &policy, at(2022, 5, 1, 0))
                .verdict
                .level,
            Level::Amber
        );
    }
}
