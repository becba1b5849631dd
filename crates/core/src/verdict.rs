//! The verdict shown at the door: green, amber or red, with the reasons.

use crate::certificate::{CertificateRules, RuleProblem};
use crate::declaration::{Declaration, Exposure, Symptom};
use crate::pass::PassProblem;
use crate::payload::PayloadKind;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How the gatekeeper should treat the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Let in.
    Green,
    /// Let in after a check by staff (screening, manual entry).
    Amber,
    /// Do not let in; direct to the health station.
    Red,
}

impl Level {
    /// The stable name used on the wire and in the server's store.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Green => "green",
            Self::Amber => "amber",
            Self::Red => "red",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a verdict is not green.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "reason", content = "detail", rename_all = "snake_case")]
pub enum Reason {
    Symptom(Symptom),
    Exposure(Exposure),
    /// The code is not a kind the gatekeeper accepts; offer manual entry.
    NotRecognised,
    /// The code is readable but not valid (e.g. a malformed ID-card code).
    InvalidCode(String),
    /// Only an identity was scanned; the venue wants a health declaration.
    NoDeclaration,
    /// The declaration shown (pass) or found is from an earlier day: declare again.
    DeclarationNotToday(NaiveDate),
    /// The declaration behind a pass had this verdict (the pass carries no details).
    Declared(Level),
    /// A visitor pass that failed verification.
    PassInvalid(PassProblem),
    /// The person is under quarantine registered at this station, until this date.
    InQuarantine(NaiveDate),
    /// A vaccine passport (EU DCC) that is not authentic or not valid: the
    /// verification step that refused it.
    CertificateInvalid(checkin_dcc::Reason),
    /// An authentic, valid certificate that does not meet the venue's rules.
    CertificateRule(RuleProblem),
    /// This station holds no trust list yet (it has not synced since one was
    /// imported), so a certificate cannot be verified.
    NoTrustList,
}

/// A level with the reasons that led to it (empty for a plain green).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Verdict {
    pub level: Level,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<Reason>,
}

impl Verdict {
    /// A green verdict with no reasons.
    pub fn green() -> Self {
        Self {
            level: Level::Green,
            reasons: Vec::new(),
        }
    }

    /// A verdict of `level` for one reason.
    pub fn with(level: Level, reason: Reason) -> Self {
        Self {
            level,
            reasons: vec![reason],
        }
    }

    /// Raises the level to at least `level` and adds the reason.
    pub fn add(&mut self, level: Level, reason: Reason) {
        self.level = self.level.max(level);
        self.reasons.push(reason);
    }
}

/// What a venue decides about symptoms, exposures and codes. Sent to devices
/// in the sync config so every gatekeeper of a venue applies the same rules.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    pub red_symptoms: Vec<Symptom>,
    pub amber_symptoms: Vec<Symptom>,
    pub red_exposures: Vec<Exposure>,
    pub amber_exposures: Vec<Exposure>,
    /// When set, an identity scan without a declaration is amber.
    pub require_declaration: bool,
    /// Days a visitor pass stays valid after its declaration (it is amber
    /// after the day of the declaration, and refused after these days).
    pub pass_valid_days: u32,
    /// What a vaccine passport (EU DCC) must prove here.
    pub certificates: CertificateRules,
}

impl Default for Policy {
    /// The Ministry of Health's screening rule of 2021: respiratory symptoms
    /// or contact with a case turn people away; milder signs and indirect
    /// contact send them to screening.
    fn default() -> Self {
        Self {
            red_symptoms: vec![
                Symptom::Fever,
                Symptom::ShortnessOfBreath,
                Symptom::Pneumonia,
            ],
            amber_symptoms: vec![Symptom::Cough, Symptom::SoreThroat, Symptom::Fatigue],
            red_exposures: vec![Exposure::ConfirmedOrSuspectedCase],
            amber_exposures: vec![
                Exposure::PersonFromAffectedArea,
                Exposure::PersonWithSymptoms,
            ],
            require_declaration: false,
            pass_valid_days: 14,
            certificates: CertificateRules::default(),
        }
    }
}

/// Decides the verdict for a declaration under a policy. Pure: same inputs,
/// same verdict, on every device and the server.
pub fn verdict(declaration: &Declaration, policy: &Policy) -> Verdict {
    let mut v = Verdict::green();
    for s in declaration.symptoms.present() {
        if policy.red_symptoms.contains(&s) {
            v.add(Level::Red, Reason::Symptom(s));
        } else if policy.amber_symptoms.contains(&s) {
            v.add(Level::Amber, Reason::Symptom(s));
        }
    }
    for e in declaration.exposures.present() {
        if policy.red_exposures.contains(&e) {
            v.add(Level::Red, Reason::Exposure(e));
        } else if policy.amber_exposures.contains(&e) {
            v.add(Level::Amber, Reason::Exposure(e));
        }
    }
    v
}

/// Decides the verdict for a scanned code that carries no health answers.
pub fn code_verdict(kind: PayloadKind, policy: &Policy) -> Verdict {
    let mut v = Verdict::green();
    match kind {
        // Cards that name a person: like an ID card.
        PayloadKind::Cccd | PayloadKind::Bhyt | PayloadKind::Qrqg if policy.require_declaration => {
            v.add(Level::Amber, Reason::NoDeclaration)
        }
        PayloadKind::Cccd | PayloadKind::Bhyt | PayloadKind::Qrqg | PayloadKind::Pass => {}
        _ => v.add(Level::Amber, Reason::NotRecognised),
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declaration::tests::sample;
    use crate::declaration::{Exposures, Symptoms};

    #[test]
    fn verdict_table() {
        let none = Symptoms::default();
        let no_exp = Exposures::default();
        let cases: Vec<(Symptoms, Exposures, Level, usize)> = vec![
            (none, no_exp, Level::Green, 0),
            (
                Symptoms {
                    fever: true,
                    ..none
                },
                no_exp,
                Level::Red,
                1,
            ),
            (
                Symptoms {
                    cough: true,
                    ..none
                },
                no_exp,
                Level::Amber,
                1,
            ),
            (
                Symptoms {
                    sore_throat: true,
                    fatigue: true,
                    ..none
                },
                no_exp,
                Level::Amber,
                2,
            ),
            (
                Symptoms {
                    cough: true,
                    shortness_of_breath: true,
                    ..none
                },
                no_exp,
                Level::Red,
                2,
            ),
            (
                none,
                Exposures {
                    confirmed_or_suspected_case: true,
                    ..no_exp
                },
                Level::Red,
                1,
            ),
            (
                none,
                Exposures {
                    person_with_symptoms: true,
                    ..no_exp
                },
                Level::Amber,
                1,
            ),
            (
                none,
                Exposures {
                    person_from_affected_area: true,
                    ..no_exp
                },
                Level::Amber,
                1,
            ),
            (
                Symptoms {
                    fatigue: true,
                    ..none
                },
                Exposures {
                    confirmed_or_suspected_case: true,
                    ..no_exp
                },
                Level::Red,
                2,
            ),
        ];
        for (i, (symptoms, exposures, level, n)) in cases.into_iter().enumerate() {
            let d = Declaration {
                symptoms,
                exposures,
                ..sample()
            };
            let v = verdict(&d, &Policy::default());
            assert_eq!(v.level, level, "case {i}: {v:?}");
            assert_eq!(v.reasons.len(), n, "case {i}: {v:?}");
        }
    }

    #[test]
    fn a_policy_can_ignore_symptoms() {
        let d = Declaration {
            symptoms: Symptoms {
                fatigue: true,
                ..Default::default()
            },
            ..sample()
        };
        let lenient = Policy {
            amber_symptoms: vec![],
            ..Policy::default()
        };
        assert_eq!(verdict(&d, &lenient), Verdict::green());
    }

    #[test]
    fn code_verdicts() {
        let p = Policy::default();
        assert_eq!(code_verdict(PayloadKind::Cccd, &p).level, Level::Green);
        assert_eq!(
            code_verdict(PayloadKind::Text, &p).reasons,
            vec![Reason::NotRecognised]
        );
        let strict = Policy {
            require_declaration: true,
            ..p
        };
        assert_eq!(
            code_verdict(PayloadKind::Cccd, &strict).reasons,
            vec![Reason::NoDeclaration]
        );
    }
}
