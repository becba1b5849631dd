//! QR points moved in from a province's own list (CSV), and venue listings.

use crate::admin::csv_field;
use crate::{csv_import, secrets, ServerError};
use checkin_core::{Venue, VenueCategory, VenueId};
use checkin_server_db::{Database, DbError, VenueListing, VenueRegistration};
use chrono::NaiveDate;
use std::collections::HashMap;

/// The columns of an import file, in order, on its header line.
pub const IMPORT_COLUMNS: [&str; 5] = [
    "name",
    "category",
    "commune_code",
    "address",
    "registered_on",
];

/// The earliest registration date accepted: QR check-in began in 2020.
const FIRST_DAY: (i32, u32, u32) = (2020, 1, 1);

/// A row that passed its checks, waiting for an id.
struct GoodRow {
    name: String,
    category: VenueCategory,
    commune_code: String,
    address: String,
    province_code: String,
    registered_on: NaiveDate,
}

/// One row checked, or why it cannot be imported.
fn check_row(
    row: &csv::StringRecord,
    provinces: &HashMap<String, Option<String>>,
    today: NaiveDate,
) -> Result<GoodRow, String> {
    let field = |i: usize| csv_import::field(row, i);
    let name = field(0);
    if name.is_empty() {
        return Err("name is empty".into());
    }
    checkin_core::admission::check_text("name", name, 200).map_err(|e| e.to_string())?;
    let category: VenueCategory = field(1).parse()?;
    let commune = field(2);
    let province = match provinces.get(commune) {
        Some(Some(p)) => p.clone(),
        _ if commune.len() != 5 || !commune.bytes().all(|b| b.is_ascii_digit()) => {
            return Err(format!(
                "commune_code {commune:?} must be 5 digits (GSO code)"
            ))
        }
        _ => {
            return Err(format!(
                "unknown commune {commune:?}: import the administrative units first"
            ))
        }
    };
    let address = field(3);
    checkin_core::admission::check_text("address", address, 300).map_err(|e| e.to_string())?;
    let date = field(4);
    let registered_on = csv_import::parse_date(date).ok_or_else(|| {
        format!("registered_on {date:?} is not a date (YYYY-MM-DD or DD/MM/YYYY)")
    })?;
    let first = NaiveDate::from_ymd_opt(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2).expect("a date");
    if registered_on < first || registered_on > today {
        return Err(format!(
            "registered_on {registered_on} is outside {first} to today ({today})"
        ));
    }
    Ok(GoodRow {
        name: name.to_string(),
        category,
        commune_code: commune.to_string(),
        address: address.to_string(),
        province_code: province,
        registered_on,
    })
}

/// Registers every venue of a CSV file (header
/// `name,category,commune_code,address,registered_on`, UTF-8) in one
/// transaction and returns their new ids in file order. Any bad row fails
/// the whole import, naming each bad line (up to 20); nothing is stored.
pub async fn import_venues(
    db: &dyn Database,
    csv_text: &str,
    today: NaiveDate,
) -> Result<Vec<VenueId>, ServerError> {
    let rows = csv_import::rows(csv_text, &IMPORT_COLUMNS, "venues")?;
    let mut provinces: HashMap<String, Option<String>> = HashMap::new();
    for (_, row) in &rows {
        let code = row.get(2).unwrap_or("").trim().to_string();
        if code.len() == 5 && !provinces.contains_key(&code) {
            let p = db.commune(&code).await?.map(|c| c.province_code);
            provinces.insert(code, p);
        }
    }
    let good = csv_import::check_all(&rows, |row| check_row(row, &provinces, today))?;
    // Random suffixes collide once in ~10^9 venues per commune; the whole
    // import is tried again with new ids then.
    for _ in 0..5 {
        let regs: Vec<VenueRegistration> = good
            .iter()
            .map(|g| {
                let id = format!(
                    "{}-{}-{}",
                    g.province_code,
                    g.commune_code,
                    secrets::random_code(6)
                )
                .parse()
                .map_err(|e| ServerError::Invalid(format!("venue id: {e}")))?;
                Ok(VenueRegistration {
                    venue: Venue {
                        id,
                        name: g.name.clone(),
                        category: g.category,
                        commune_code: g.commune_code.clone(),
                        address: g.address.clone(),
                    },
                    province_code: g.province_code.clone(),
                    registered_on: g.registered_on,
                })
            })
            .collect::<Result<_, ServerError>>()?;
        match db.add_venues(&regs).await {
            Ok(()) => return Ok(regs.into_iter().map(|r| r.venue.id).collect()),
            Err(DbError::Duplicate(_)) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ServerError::Invalid(
        "could not find free venue ids; run the import again".into(),
    ))
}

/// The venues inside `unit` (a province, district or commune code, or a
/// venue id), or all.
pub async fn list(db: &dyn Database, unit: Option<&str>) -> Result<Vec<VenueListing>, ServerError> {
    Ok(db.list_venues(&crate::admin::unit_filter(unit)?).await?)
}

const LIST_COLUMNS: [&str; 9] = [
    "id",
    "name",
    "category",
    "commune_code",
    "district_code",
    "province_code",
    "address",
    "registered_on",
    "created_at",
];

fn fields(v: &VenueListing) -> [String; 9] {
    [
        v.venue.id.to_string(),
        v.venue.name.clone(),
        v.venue.category.as_str().to_string(),
        v.venue.commune_code.clone(),
        v.district_code.clone().unwrap_or_default(),
        v.province_code.clone(),
        v.venue.address.clone(),
        v.registered_on.to_string(),
        v.created_at.to_rfc3339(),
    ]
}

/// Venue lists as CSV with a header line, CRLF line ends (RFC 4180); names
/// and addresses that a spreadsheet would run as formulas are quoted.
pub fn list_csv(venues: &[VenueListing]) -> String {
    let mut out = LIST_COLUMNS.join(",") + "\r\n";
    for v in venues {
        let line: Vec<String> = fields(v)
            .iter()
            .enumerate()
            .map(|(i, f)| csv_field(f, matches!(LIST_COLUMNS[i], "name" | "address")))
            .collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// Venue lists as an aligned table for a terminal.
pub fn list_table(venues: &[VenueListing]) -> String {
    let clean = |s: &str| -> String {
        let s: String = s
            .chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .collect();
        s.chars().take(40).collect()
    };
    let mut out = format!(
        "{:<18} {:<8} {:<10} {:<40}\n",
        "VENUE", "COMMUNE", "REGISTERED", "NAME"
    );
    for v in venues {
        out.push_str(&format!(
            "{:<18} {:<8} {:<10} {:<40}\n",
            v.venue.id.as_str(),
            v.venue.commune_code,
            v.registered_on,
            clean(&v.venue.name)
        ));
    }
    out
}
