//! `admin import-population`, `import-roster` and `import-reported`: the
//! figures coverage, roster and reconciliation compare the system with.

use crate::csv_import::{self, field};
use crate::reports::UnitIndex;
use crate::ServerError;
use checkin_core::IdentityKey;
use checkin_server_db::{Database, Population, ReportedFigure, RosterMember};
use chrono::NaiveDate;
use std::collections::HashSet;

pub const POPULATION_COLUMNS: [&str; 2] = ["unit_code", "population"];
pub const ROSTER_COLUMNS: [&str; 5] = ["agency", "commune_code", "full_name", "id_number", "phone"];
pub const REPORTED_COLUMNS: [&str; 4] = ["unit_code", "agency", "date", "reported"];

/// No Vietnamese unit comes near this; a larger number is a typing slip.
const MAX_POPULATION: i64 = 50_000_000;

fn count(text: &str, what: &str, max: i64) -> Result<i64, String> {
    let t = text.replace(['.', ' '], "");
    match t.parse::<i64>() {
        Ok(n) if (0..=max).contains(&n) => Ok(n),
        _ => Err(format!(
            "{what} {text:?} is not a whole number from 0 to {max}"
        )),
    }
}

/// The province of a commune among the imported units.
fn commune_province<'a>(units: &'a UnitIndex, code: &str) -> Result<&'a str, String> {
    if code.len() != 5 || units.name(code).is_none() {
        return Err(format!(
            "commune_code {code:?} is not a commune (5-digit GSO code) among the imported units"
        ));
    }
    units
        .province_of(code)
        .ok_or_else(|| format!("commune {code:?} has no province"))
}

fn text(what: &'static str, value: &str, max: usize) -> Result<String, String> {
    if value.is_empty() {
        return Err(format!("{what} is empty"));
    }
    checkin_core::admission::check_text(what, value, max).map_err(|e| e.to_string())?;
    Ok(value.to_string())
}

/// Imports `unit_code,population` rows; returns how many.
pub async fn import_population(db: &dyn Database, csv: &str) -> Result<u64, ServerError> {
    let units = UnitIndex::load(db).await?;
    let rows = csv_import::rows(csv, &POPULATION_COLUMNS, "populations")?;
    let mut seen = HashSet::new();
    let good = csv_import::check_all(&rows, |row| {
        let code = field(row, 0);
        let province = units
            .province_of(code)
            .ok_or_else(|| format!("unit_code {code:?} is not among the imported units"))?;
        if !seen.insert(code.to_string()) {
            return Err(format!("unit {code} appears twice"));
        }
        let population = count(field(row, 1), "population", MAX_POPULATION)?;
        if population == 0 {
            return Err("population is 0".into());
        }
        Ok(Population {
            province_code: province.to_string(),
            unit_code: code.to_string(),
            population,
        })
    })?;
    Ok(db.import_populations(&good).await?)
}

/// Imports `agency,commune_code,full_name,id_number,phone` rows, replacing
/// the roster of each agency in the file; returns how many members.
pub async fn import_roster(db: &dyn Database, csv: &str) -> Result<u64, ServerError> {
    let units = UnitIndex::load(db).await?;
    let rows = csv_import::rows(csv, &ROSTER_COLUMNS, "roster members")?;
    let mut seen = HashSet::new();
    let good = csv_import::check_all(&rows, |row| {
        let agency = text("agency", field(row, 0), 200)?;
        let commune = field(row, 1);
        let province = commune_province(&units, commune)?;
        let full_name = text("full_name", field(row, 2), 100)?;
        let (id, phone) = (field(row, 3), field(row, 4));
        // The same key a declaration of this person carries: the ID-card
        // number where there is one, else the phone.
        let key = IdentityKey::best(Some(id).filter(|s| !s.is_empty()), Some(phone), "", "")
            .filter(|k| !matches!(k, IdentityKey::NameBirth(_)))
            .ok_or_else(|| {
                "give a valid id_number (CCCD/CMND) or phone for each member".to_string()
            })?;
        if !id.is_empty() && !matches!(key, IdentityKey::IdCard(_)) {
            return Err(format!("id_number {id:?} is not an ID-card number"));
        }
        let person_key = key.to_string();
        if !seen.insert((commune.to_string(), agency.clone(), person_key.clone())) {
            return Err(format!("{full_name} is listed twice for {agency}"));
        }
        Ok(RosterMember {
            province_code: province.to_string(),
            commune_code: commune.to_string(),
            agency,
            full_name,
            person_key,
        })
    })?;
    Ok(db.import_roster(&good).await?)
}

/// Imports `unit_code,agency,date,reported` rows (agency empty for the
/// commune's own figure); returns how many.
pub async fn import_reported(
    db: &dyn Database,
    csv: &str,
    today: NaiveDate,
) -> Result<u64, ServerError> {
    let units = UnitIndex::load(db).await?;
    let rows = csv_import::rows(csv, &REPORTED_COLUMNS, "figures")?;
    let first = NaiveDate::from_ymd_opt(2020, 1, 1).expect("a date");
    let mut seen = HashSet::new();
    let good = csv_import::check_all(&rows, |row| {
        let commune = field(row, 0);
        let province = commune_province(&units, commune)?;
        let agency = field(row, 1);
        if !agency.is_empty() {
            text("agency", agency, 200)?;
        }
        let d = field(row, 2);
        let date = csv_import::parse_date(d)
            .ok_or_else(|| format!("date {d:?} is not a date (YYYY-MM-DD or DD/MM/YYYY)"))?;
        if date < first || date > today {
            return Err(format!("date {date} is outside {first} to today ({today})"));
        }
        if !seen.insert((commune.to_string(), agency.to_string(), date)) {
            return Err(format!("a second figure for {commune} {agency} on {date}"));
        }
        Ok(ReportedFigure {
            province_code: province.to_string(),
            commune_code: commune.to_string(),
            agency: agency.to_string(),
            date,
            reported: count(field(row, 3), "reported", MAX_POPULATION)?,
        })
    })?;
    Ok(db.import_reported(&good).await?)
}
