//! The health certificate inside the CWT (claim -260/1), read from CBOR and
//! checked against the EU DCC schema (versions 1.0.0 to 1.3.x).

use crate::DccError;
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use ciborium::Value;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The three kinds of EU DCC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "CertificateKind"))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Vaccination,
    Test,
    Recovery,
}

impl Kind {
    /// The stable name: `vaccination`, `test` or `recovery`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Vaccination => "vaccination",
            Kind::Test => "test",
            Kind::Recovery => "recovery",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An EU Digital COVID Certificate: the CWT claims and the one entry it
/// carries. Texts are as issued (value-set codes are not translated).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dcc {
    /// CWT `iss`: the issuing country (ISO 3166-1 alpha-2), when given.
    pub issuer_country: Option<String>,
    /// CWT `iat`.
    pub issued_at: DateTime<Utc>,
    /// CWT `exp`.
    pub expires_at: DateTime<Utc>,
    /// CWT `nbf`, rarely present.
    pub not_before: Option<DateTime<Utc>>,
    /// Schema version the issuer used, e.g. `1.3.0`.
    pub version: String,
    pub name: Name,
    /// As issued: `YYYY-MM-DD`, `YYYY-MM`, `YYYY` or empty (unknown).
    pub birth_date: String,
    pub entry: Entry,
}

impl Dcc {
    /// Which kind of certificate this is.
    pub fn kind(&self) -> Kind {
        self.entry.kind()
    }

    /// Checks the CWT times against `at`: expired at or after `exp`
    /// (RFC 8392), not yet valid before `iat` (and `nbf` when present).
    pub fn check_time(&self, at: DateTime<Utc>) -> Result<(), DccError> {
        check_time(self.issued_at, self.expires_at, self.not_before, at)
    }
}

fn check_time(
    issued_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    not_before: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
) -> Result<(), DccError> {
    if at >= expires_at {
        return Err(DccError::Expired(expires_at));
    }
    let from = not_before.map_or(issued_at, |nbf| nbf.max(issued_at));
    if at < from {
        return Err(DccError::NotYetValid(from));
    }
    Ok(())
}

/// The holder's name: as written (`fn`, `gn`) and transliterated to ICAO
/// 9303 letters (`fnt`, `gnt`: A-Z and `<`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Name {
    pub family: Option<String>,
    pub family_std: String,
    pub given: Option<String>,
    pub given_std: Option<String>,
}

impl Name {
    /// Family name then given name, as written; the transliteration stands
    /// in for a part not written (`<` read as a space).
    pub fn full(&self) -> String {
        let std = |s: &str| s.replace('<', " ").trim().to_string();
        let family = match self.family.as_deref().map(str::trim) {
            Some(f) if !f.is_empty() => f.to_string(),
            _ => std(&self.family_std),
        };
        let given = match self.given.as_deref().map(str::trim) {
            Some(g) if !g.is_empty() => g.to_string(),
            _ => self.given_std.as_deref().map(std).unwrap_or_default(),
        };
        [family, given]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The one vaccination, test or recovery statement of a certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Entry {
    Vaccination(Vaccination),
    Test(Test),
    Recovery(Recovery),
}

impl Entry {
    /// Which kind of statement this is.
    pub fn kind(&self) -> Kind {
        match self {
            Entry::Vaccination(_) => Kind::Vaccination,
            Entry::Test(_) => Kind::Test,
            Entry::Recovery(_) => Kind::Recovery,
        }
    }

    /// The unique certificate identifier (UVCI).
    pub fn certificate_id(&self) -> &str {
        match self {
            Entry::Vaccination(v) => &v.certificate_id,
            Entry::Test(t) => &t.certificate_id,
            Entry::Recovery(r) => &r.certificate_id,
        }
    }
}

/// A vaccination statement (`v`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vaccination {
    /// `tg`: disease targeted (840539006 = COVID-19).
    pub disease: String,
    /// `vp`: vaccine or prophylaxis (SNOMED CT / ATC code).
    pub vaccine: String,
    /// `mp`: medicinal product, e.g. `EU/1/20/1528`.
    pub product: String,
    /// `ma`: marketing authorisation holder or manufacturer, e.g. `ORG-100030215`.
    pub manufacturer: String,
    /// `dn`: number of this dose.
    pub dose_number: u32,
    /// `sd`: doses in the series.
    pub total_doses: u32,
    /// `dt`: date of this dose.
    pub date: NaiveDate,
    /// `co`: country of vaccination.
    pub country: String,
    /// `is`: certificate issuer.
    pub issuer: String,
    /// `ci`: unique certificate identifier.
    pub certificate_id: String,
}

/// SNOMED CT code of a test result "not detected" (`tr`).
pub const TEST_NOT_DETECTED: &str = "260415000";

/// A test statement (`t`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Test {
    /// `tg`: disease targeted.
    pub disease: String,
    /// `tt`: type of test (LP6464-4 = NAA/PCR, LP217198-3 = rapid antigen).
    pub test_type: String,
    /// `nm`: NAA test name.
    pub name: Option<String>,
    /// `ma`: rapid antigen test device identifier.
    pub device: Option<String>,
    /// `sc`: when the sample was collected.
    pub sampled_at: DateTime<FixedOffset>,
    /// `tr`: result (see [`TEST_NOT_DETECTED`]).
    pub result: String,
    /// `tc`: testing centre.
    pub centre: Option<String>,
    /// `co`: country of test.
    pub country: String,
    /// `is`: certificate issuer.
    pub issuer: String,
    /// `ci`: unique certificate identifier.
    pub certificate_id: String,
}

impl Test {
    /// Whether the result is "not detected".
    pub fn is_negative(&self) -> bool {
        self.result == TEST_NOT_DETECTED
    }
}

/// A recovery statement (`r`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recovery {
    /// `tg`: disease targeted.
    pub disease: String,
    /// `fr`: date of the first positive test.
    pub first_positive: NaiveDate,
    /// `co`: country of test.
    pub country: String,
    /// `is`: certificate issuer.
    pub issuer: String,
    /// `df`: valid from.
    pub valid_from: NaiveDate,
    /// `du`: valid until.
    pub valid_until: NaiveDate,
    /// `ci`: unique certificate identifier.
    pub certificate_id: String,
}

/// The CWT claims other than the certificate.
pub(crate) struct Times {
    pub issuer_country: Option<String>,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub not_before: Option<DateTime<Utc>>,
}

impl Times {
    /// See [`Dcc::check_time`].
    pub fn check(&self, at: DateTime<Utc>) -> Result<(), DccError> {
        check_time(self.issued_at, self.expires_at, self.not_before, at)
    }
}

/// The kind of certificate, read before (and whatever) the schema says:
/// the one group of `v`, `t`, `r` present; `None` when not exactly one.
pub(crate) fn kind_of(hcert: &Value) -> Option<Kind> {
    let Value::Map(entries) = hcert else {
        return None;
    };
    let mut kinds = entries.iter().filter_map(|(k, _)| match k.as_text() {
        Some("v") => Some(Kind::Vaccination),
        Some("t") => Some(Kind::Test),
        Some("r") => Some(Kind::Recovery),
        _ => None,
    });
    match (kinds.next(), kinds.next()) {
        (Some(kind), None) => Some(kind),
        _ => None,
    }
}

fn violation(msg: impl Into<String>) -> DccError {
    DccError::SchemaViolation(msg.into())
}

/// A CBOR map with text keys, read the way the JSON schema reads an object.
struct Object<'a> {
    path: &'a str,
    entries: &'a [(Value, Value)],
}

impl<'a> Object<'a> {
    fn new(path: &'a str, value: &'a Value) -> Result<Self, DccError> {
        match value {
            Value::Map(entries) => Ok(Object { path, entries }),
            _ => Err(violation(format!("{path} is not an object"))),
        }
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.entries
            .iter()
            .find(|(k, _)| k.as_text() == Some(key))
            .map(|(_, v)| v)
    }

    fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    fn opt_text(&self, key: &str, max_chars: usize) -> Result<Option<String>, DccError> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        let Some(s) = v.as_text() else {
            return Err(violation(format!("{}.{key} is not a string", self.path)));
        };
        if s.chars().count() > max_chars {
            return Err(violation(format!(
                "{}.{key} is longer than {max_chars} characters",
                self.path
            )));
        }
        Ok(Some(s.to_string()))
    }

    fn text(&self, key: &str, max_chars: usize) -> Result<String, DccError> {
        self.opt_text(key, max_chars)?
            .ok_or_else(|| violation(format!("{}.{key} is missing", self.path)))
    }

    fn dose(&self, key: &str) -> Result<u32, DccError> {
        let v = self
            .get(key)
            .ok_or_else(|| violation(format!("{}.{key} is missing", self.path)))?;
        let n = v
            .as_integer()
            .and_then(|i| u32::try_from(i).ok())
            .filter(|n| *n >= 1)
            .ok_or_else(|| violation(format!("{}.{key} is not a positive integer", self.path)))?;
        Ok(n)
    }

    /// A full date; a date-time is read as its date part (some issuers
    /// wrote one, and JSON Schema does not enforce `format`).
    fn date(&self, key: &str) -> Result<NaiveDate, DccError> {
        let s = self.text(key, usize::MAX)?;
        let date = match s.split_once('T') {
            Some((day, _)) if date_time(&s).is_some() => full_date(day),
            _ => full_date(&s),
        };
        date.ok_or_else(|| violation(format!("{}.{key} {s:?} is not a date", self.path)))
    }

    /// `^[A-Z]{1,10}$`: the schema's pattern for `co`, anchored.
    fn country(&self, key: &str) -> Result<String, DccError> {
        let s = self.text(key, 10)?;
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(violation(format!(
                "{}.{key} {s:?} is not a country code",
                self.path
            )));
        }
        Ok(s)
    }
}

/// `YYYY-MM-DD`, a real calendar date.
fn full_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// RFC 3339 date-time (the schema's `date-time`), with `+hhmm` offsets
/// also read since some issuers wrote them.
fn date_time(s: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(s)
        .or_else(|_| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z"))
        .ok()
}

/// `^((19|20)\d\d(-\d\d){0,2}){0,1}$` (schema 1.3.0).
fn birth_date_ok(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() {
        return true;
    }
    if !matches!(b.len(), 4 | 7 | 10) || !(b.starts_with(b"19") || b.starts_with(b"20")) {
        return false;
    }
    b.iter().enumerate().all(|(i, c)| {
        if i == 4 || i == 7 {
            *c == b'-'
        } else {
            c.is_ascii_digit()
        }
    })
}

/// `^[A-Z<]*$`, the ICAO 9303 transliteration.
fn icao_ok(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_uppercase() || b == b'<')
}

/// `^\d+.\d+.\d+$`.
fn version_ok(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

const NAME_MAX: usize = 80;
const ISSUER_MAX: usize = 80;
const ID_MAX: usize = 80;
const TEXT_MAX: usize = 80;

/// Reads the health certificate and checks it against the schema.
pub(crate) fn read(hcert: &Value, times: Times) -> Result<Dcc, DccError> {
    let top = Object::new("certificate", hcert)?;
    let version = top.text("ver", usize::MAX)?;
    if !version_ok(&version) {
        return Err(violation(format!(
            "ver {version:?} is not a version number"
        )));
    }
    let name = read_name(&Object::new(
        "nam",
        top.get("nam").ok_or_else(|| violation("nam is missing"))?,
    )?)?;
    let birth_date = top.text("dob", usize::MAX)?;
    if !birth_date_ok(&birth_date) {
        return Err(violation(format!(
            "dob {birth_date:?} is not a date between 1900 and 2099"
        )));
    }
    let groups: Vec<&str> = ["v", "t", "r"].into_iter().filter(|g| top.has(g)).collect();
    let group = match groups.as_slice() {
        [g] => *g,
        [] => return Err(violation("no vaccination, test or recovery entry")),
        _ => {
            return Err(violation(format!(
                "more than one kind of entry ({})",
                groups.join(", ")
            )))
        }
    };
    let entries = match top.get(group) {
        Some(Value::Array(a)) => a,
        _ => return Err(violation(format!("{group} is not an array"))),
    };
    let [only] = entries.as_slice() else {
        return Err(violation(format!(
            "{group} has {} entries; a certificate carries exactly one",
            entries.len()
        )));
    };
    let entry = match group {
        "v" => Entry::Vaccination(read_vaccination(&Object::new("v[0]", only)?)?),
        "t" => Entry::Test(read_test(&Object::new("t[0]", only)?)?),
        _ => Entry::Recovery(read_recovery(&Object::new("r[0]", only)?)?),
    };
    Ok(Dcc {
        issuer_country: times.issuer_country,
        issued_at: times.issued_at,
        expires_at: times.expires_at,
        not_before: times.not_before,
        version,
        name,
        birth_date,
        entry,
    })
}

fn read_name(o: &Object) -> Result<Name, DccError> {
    let family = o.opt_text("fn", NAME_MAX)?;
    let family_std = o.text("fnt", NAME_MAX)?;
    let given = o.opt_text("gn", NAME_MAX)?;
    let given_std = o.opt_text("gnt", NAME_MAX)?;
    for (key, v) in [("fnt", Some(&family_std)), ("gnt", given_std.as_ref())] {
        if let Some(v) = v {
            if !icao_ok(v) {
                return Err(violation(format!(
                    "nam.{key} {v:?} has characters other than A-Z and <"
                )));
            }
        }
    }
    Ok(Name {
        family,
        family_std,
        given,
        given_std,
    })
}

fn read_vaccination(o: &Object) -> Result<Vaccination, DccError> {
    Ok(Vaccination {
        disease: o.text("tg", usize::MAX)?,
        vaccine: o.text("vp", usize::MAX)?,
        product: o.text("mp", usize::MAX)?,
        manufacturer: o.text("ma", usize::MAX)?,
        dose_number: o.dose("dn")?,
        total_doses: o.dose("sd")?,
        date: o.date("dt")?,
        country: o.country("co")?,
        issuer: o.text("is", ISSUER_MAX)?,
        certificate_id: o.text("ci", ID_MAX)?,
    })
}

fn read_test(o: &Object) -> Result<Test, DccError> {
    let sc = o.text("sc", usize::MAX)?;
    let sampled_at = date_time(&sc)
        .ok_or_else(|| violation(format!("{}.sc {sc:?} is not a date-time", o.path)))?;
    Ok(Test {
        disease: o.text("tg", usize::MAX)?,
        test_type: o.text("tt", usize::MAX)?,
        name: o.opt_text("nm", TEXT_MAX)?,
        device: o.opt_text("ma", usize::MAX)?,
        sampled_at,
        result: o.text("tr", usize::MAX)?,
        centre: o.opt_text("tc", TEXT_MAX)?,
        country: o.country("co")?,
        issuer: o.text("is", ISSUER_MAX)?,
        certificate_id: o.text("ci", ID_MAX)?,
    })
}

fn read_recovery(o: &Object) -> Result<Recovery, DccError> {
    Ok(Recovery {
        disease: o.text("tg", usize::MAX)?,
        first_positive: o.date("fr")?,
        country: o.country("co")?,
        issuer: o.text("is", ISSUER_MAX)?,
        valid_from: o.date("df")?,
        valid_until: o.date("du")?,
        certificate_id: o.text("ci", ID_MAX)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birth_dates_as_the_schema_reads_them() {
        for ok in ["1979-04-14", "1950", "1901-08", "", "1963-00", "2099-12-31"] {
            assert!(birth_date_ok(ok), "{ok}");
        }
        for bad in [
            "1815-08-24",
            "79-04-14",
            "1979-4-14",
            "1979/04/14",
            "19790414",
            "2100",
        ] {
            assert!(!birth_date_ok(bad), "{bad}");
        }
    }

    #[test]
    fn full_dates_and_date_times() {
        assert!(full_date("2021-02-18").is_some());
        assert!(full_date("2021-02-30").is_none());
        assert!(full_date("2021-2-18").is_none());
        assert!(full_date("+2021-02-1").is_none());
        assert!(date_time("2021-05-24T15:20:00+02:00").is_some());
        assert!(date_time("2021-02-20T12:34:56Z").is_some());
        assert!(date_time("2021-02-20T12:34:56.123+0100").is_some());
        assert!(date_time("2021-02-20").is_none());
    }

    #[test]
    fn names_read_family_first() {
        let n = Name {
            family: Some("Musterfrau-Gößinger".into()),
            family_std: "MUSTERFRAU<GOESSINGER".into(),
            given: Some("Gabriele".into()),
            given_std: Some("GABRIELE".into()),
        };
        assert_eq!(n.full(), "Musterfrau-Gößinger Gabriele");
        let n = Name {
            family: None,
            family_std: "NGUYEN".into(),
            given: Some(" ".into()),
            given_std: Some("VAN<AN".into()),
        };
        assert_eq!(n.full(), "NGUYEN VAN AN");
    }

    #[test]
    fn versions() {
        assert!(version_ok("1.3.0"));
        assert!(!version_ok("1.3"));
        assert!(!version_ok("1.3.0-rc"));
    }
}
