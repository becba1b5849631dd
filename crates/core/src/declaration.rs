//! The Vietnamese domestic health declaration (tờ khai y tế nội địa).

use crate::person::{normalise_id_number, normalise_phone, IdentityKey};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

/// Gender as declared on the form.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
    Other,
}

/// Birth date, or only the year where the person does not know or give the date.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Birth {
    Date(NaiveDate),
    Year(i32),
}

impl Birth {
    /// The year of birth.
    pub fn year(self) -> i32 {
        match self {
            Self::Date(d) => d.year(),
            Self::Year(y) => y,
        }
    }
}

impl fmt::Display for Birth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Date(d) => write!(f, "{d}"),
            Self::Year(y) => write!(f, "{y}"),
        }
    }
}

/// Residence address: GSO codes of province, district and commune, plus street.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    pub province_code: String,
    pub district_code: String,
    pub commune_code: String,
    #[serde(default)]
    pub street: String,
}

/// Symptoms in the last 14 days, as the form lists them.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Symptoms {
    pub fever: bool,
    pub cough: bool,
    pub shortness_of_breath: bool,
    pub pneumonia: bool,
    pub sore_throat: bool,
    pub fatigue: bool,
}

/// One symptom of the form, for policies and reasons.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Symptom {
    Fever,
    Cough,
    ShortnessOfBreath,
    Pneumonia,
    SoreThroat,
    Fatigue,
}

impl Symptoms {
    /// The form with exactly these symptoms ticked.
    pub fn from_list(list: &[Symptom]) -> Self {
        let has = |s| list.contains(&s);
        Self {
            fever: has(Symptom::Fever),
            cough: has(Symptom::Cough),
            shortness_of_breath: has(Symptom::ShortnessOfBreath),
            pneumonia: has(Symptom::Pneumonia),
            sore_throat: has(Symptom::SoreThroat),
            fatigue: has(Symptom::Fatigue),
        }
    }

    /// The symptoms ticked, in form order.
    pub fn present(&self) -> Vec<Symptom> {
        [
            (self.fever, Symptom::Fever),
            (self.cough, Symptom::Cough),
            (self.shortness_of_breath, Symptom::ShortnessOfBreath),
            (self.pneumonia, Symptom::Pneumonia),
            (self.sore_throat, Symptom::SoreThroat),
            (self.fatigue, Symptom::Fatigue),
        ]
        .into_iter()
        .filter_map(|(on, s)| on.then_some(s))
        .collect()
    }
}

/// Exposures in the last 14 days, as the form asks them.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Exposures {
    /// Contact with a confirmed or suspected COVID-19 case.
    pub confirmed_or_suspected_case: bool,
    /// Contact with someone from a country or area with cases.
    pub person_from_affected_area: bool,
    /// Contact with someone with fever, cough or shortness of breath.
    pub person_with_symptoms: bool,
}

/// One exposure question of the form.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exposure {
    ConfirmedOrSuspectedCase,
    PersonFromAffectedArea,
    PersonWithSymptoms,
}

impl Exposures {
    /// The form with exactly these exposures answered "yes".
    pub fn from_list(list: &[Exposure]) -> Self {
        let has = |e| list.contains(&e);
        Self {
            confirmed_or_suspected_case: has(Exposure::ConfirmedOrSuspectedCase),
            person_from_affected_area: has(Exposure::PersonFromAffectedArea),
            person_with_symptoms: has(Exposure::PersonWithSymptoms),
        }
    }

    /// The exposures answered "yes", in form order.
    pub fn present(&self) -> Vec<Exposure> {
        [
            (
                self.confirmed_or_suspected_case,
                Exposure::ConfirmedOrSuspectedCase,
            ),
            (
                self.person_from_affected_area,
                Exposure::PersonFromAffectedArea,
            ),
            (self.person_with_symptoms, Exposure::PersonWithSymptoms),
        ]
        .into_iter()
        .filter_map(|(on, e)| on.then_some(e))
        .collect()
    }
}

/// A filled-in health declaration: what the citizen (or the staff member
/// copying a paper form) entered. Record metadata lives in the store.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Declaration {
    pub full_name: String,
    /// ID card (CCCD/CMND) or passport number; children may have none.
    #[serde(default)]
    pub id_number: Option<String>,
    pub birth: Birth,
    pub gender: Gender,
    /// ISO 3166-1 alpha-2 code, e.g. "VN".
    pub nationality: String,
    pub phone: String,
    #[serde(default)]
    pub email: Option<String>,
    pub address: Address,
    /// Provinces, cities or places visited in the last 14 days.
    #[serde(default)]
    pub places_visited: Vec<String>,
    #[serde(default)]
    pub symptoms: Symptoms,
    #[serde(default)]
    pub exposures: Exposures,
    /// The citizen confirms the answers are true and agrees to their use for
    /// epidemic control. A declaration without it is not stored.
    pub consent: bool,
}

/// What is wrong with one field.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    Missing,
    TooLong { max: usize },
    Format { expected: &'static str },
    OutOfRange { detail: String },
    ConsentRequired,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing => f.write_str("is required"),
            Self::TooLong { max } => write!(f, "is longer than {max} characters"),
            Self::Format { expected } => write!(f, "must be {expected}"),
            Self::OutOfRange { detail } => f.write_str(detail),
            Self::ConsentRequired => f.write_str("must be given to submit the declaration"),
        }
    }
}

/// One invalid field, named by its JSON key (dotted for nested fields).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Error)]
#[error("{field} {problem}")]
pub struct FieldError {
    pub field: &'static str,
    pub problem: Problem,
}

/// Every invalid field of a declaration, so a form can mark all of them at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Error)]
pub struct DeclarationError {
    pub fields: Vec<FieldError>,
}

impl fmt::Display for DeclarationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid declaration: ")?;
        for (i, e) in self.fields.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl DeclarationError {
    /// True when `field` is among the invalid fields.
    pub fn has(&self, field: &str) -> bool {
        self.fields.iter().any(|e| e.field == field)
    }
}

const MAX_TEXT: usize = 200;

impl Declaration {
    /// Checks every field against the form's rules. `today` bounds birth dates
    /// (passed in so validation stays a pure function).
    pub fn validate(&self, today: NaiveDate) -> Result<(), DeclarationError> {
        let mut errs = Vec::new();
        let mut bad = |field, problem| errs.push(FieldError { field, problem });

        text(&mut bad, "full_name", &self.full_name, true);
        if let Some(id) = &self.id_number {
            if !id.trim().is_empty() && normalise_id_number(id).is_none_or(|n| n.len() > 20) {
                bad(
                    "id_number",
                    Problem::Format {
                        expected: "an ID card or passport number of 6 to 20 letters and digits",
                    },
                );
            }
        }
        match self.birth {
            Birth::Date(d) if d > today => bad(
                "birth",
                Problem::OutOfRange {
                    detail: "is in the future".into(),
                },
            ),
            Birth::Year(y) if y > today.year() => bad(
                "birth",
                Problem::OutOfRange {
                    detail: "is in the future".into(),
                },
            ),
            b if b.year() < today.year() - 130 => bad(
                "birth",
                Problem::OutOfRange {
                    detail: "is more than 130 years ago".into(),
                },
            ),
            _ => {}
        }
        let nat = self.nationality.trim();
        if nat.is_empty() {
            bad("nationality", Problem::Missing);
        } else if nat.len() != 2 || !nat.bytes().all(|b| b.is_ascii_uppercase()) {
            bad(
                "nationality",
                Problem::Format {
                    expected: "a two-letter country code such as VN",
                },
            );
        }
        if self.phone.trim().is_empty() {
            bad("phone", Problem::Missing);
        } else if normalise_phone(&self.phone).is_none() {
            bad(
                "phone",
                Problem::Format {
                    expected: "a phone number of 8 to 15 digits",
                },
            );
        }
        if let Some(email) = self
            .email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            let ok = email.len() <= MAX_TEXT
                && email.split_once('@').is_some_and(|(u, d)| {
                    !u.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.')
                })
                && !email.contains(char::is_whitespace);
            if !ok {
                bad(
                    "email",
                    Problem::Format {
                        expected: "an e-mail address like name@example.vn",
                    },
                );
            }
        }
        code(
            &mut bad,
            "address.province_code",
            &self.address.province_code,
            2,
        );
        code(
            &mut bad,
            "address.district_code",
            &self.address.district_code,
            3,
        );
        code(
            &mut bad,
            "address.commune_code",
            &self.address.commune_code,
            5,
        );
        text(&mut bad, "address.street", &self.address.street, false);
        if self.places_visited.len() > 50 {
            bad(
                "places_visited",
                Problem::OutOfRange {
                    detail: "lists more than 50 places".into(),
                },
            );
        }
        if self
            .places_visited
            .iter()
            .any(|p| p.chars().count() > MAX_TEXT)
        {
            bad("places_visited", Problem::TooLong { max: MAX_TEXT });
        }
        if !self.consent {
            bad("consent", Problem::ConsentRequired);
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(DeclarationError { fields: errs })
        }
    }

    /// The key that deduplicates this person in reports.
    pub fn identity_key(&self) -> Option<IdentityKey> {
        IdentityKey::best(
            self.id_number.as_deref(),
            Some(&self.phone),
            &self.full_name,
            &self.birth.to_string(),
        )
    }
}

fn text(
    bad: &mut impl FnMut(&'static str, Problem),
    field: &'static str,
    value: &str,
    required: bool,
) {
    if required && value.trim().is_empty() {
        bad(field, Problem::Missing);
    } else if value.chars().count() > MAX_TEXT {
        bad(field, Problem::TooLong { max: MAX_TEXT });
    }
}

fn code(
    bad: &mut impl FnMut(&'static str, Problem),
    field: &'static str,
    value: &str,
    digits: usize,
) {
    if value.is_empty() {
        bad(field, Problem::Missing);
    } else if value.len() != digits || !value.bytes().all(|b| b.is_ascii_digit()) {
        bad(
            field,
            Problem::Format {
                expected: match digits {
                    2 => "a 2-digit GSO province code",
                    3 => "a 3-digit GSO district code",
                    _ => "a 5-digit GSO commune code",
                },
            },
        );
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn sample() -> Declaration {
        Declaration {
            full_name: "Nguyễn Văn A".into(),
            id_number: Some("001098012345".into()),
            birth: Birth::Date(NaiveDate::from_ymd_opt(1990, 1, 15).unwrap()),
            gender: Gender::Male,
            nationality: "VN".into(),
            phone: "0912345678".into(),
            email: None,
            address: Address {
                province_code: "01".into(),
                district_code: "001".into(),
                commune_code: "00001".into(),
                street: "1 Phúc Xá".into(),
            },
            places_visited: vec![],
            symptoms: Symptoms::default(),
            exposures: Exposures::default(),
            consent: true,
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2021, 8, 1).unwrap()
    }

    #[test]
    fn valid_sample_passes() {
        sample().validate(today()).unwrap();
    }

    #[test]
    fn each_bad_field_is_named() {
        type Edit = fn(&mut Declaration);
        let cases: &[(&str, Edit)] = &[
            ("full_name", |d| d.full_name = "  ".into()),
            ("full_name", |d| d.full_name = "x".repeat(201)),
            ("id_number", |d| d.id_number = Some("12".into())),
            ("birth", |d| d.birth = Birth::Year(2030)),
            ("birth", |d| d.birth = Birth::Year(1800)),
            ("nationality", |d| d.nationality = "Vietnam".into()),
            ("nationality", |d| d.nationality = "".into()),
            ("phone", |d| d.phone = "".into()),
            ("phone", |d| d.phone = "abc".into()),
            ("email", |d| d.email = Some("nobody".into())),
            ("address.province_code", |d| {
                d.address.province_code = "1".into()
            }),
            ("address.district_code", |d| {
                d.address.district_code = "".into()
            }),
            ("address.commune_code", |d| {
                d.address.commune_code = "0000A".into()
            }),
            ("consent", |d| d.consent = false),
        ];
        for (field, edit) in cases {
            let mut d = sample();
            edit(&mut d);
            let err = d.validate(today()).unwrap_err();
            assert!(err.has(field), "{field}: got {err}");
            assert_eq!(
                err.fields.len(),
                1,
                "{field}: only that field is wrong, got {err}"
            );
        }
    }

    #[test]
    fn all_errors_reported_together() {
        let mut d = sample();
        d.full_name.clear();
        d.phone.clear();
        d.consent = false;
        let err = d.validate(today()).unwrap_err();
        assert_eq!(err.fields.len(), 3);
        assert_eq!(err.to_string(), "invalid declaration: full_name is required; phone is required; consent must be given to submit the declaration");
    }

    #[test]
    fn json_shape_is_strict_and_birth_is_date_or_year() {
        let mut v = serde_json::to_value(sample()).unwrap();
        assert_eq!(v["birth"], "1990-01-15");
        v["birth"] = serde_json::json!(1990);
        let d: Declaration = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(d.birth, Birth::Year(1990));
        v["surprise"] = serde_json::json!(true);
        assert!(serde_json::from_value::<Declaration>(v).is_err());
    }
}
