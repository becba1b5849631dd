//! `e-vs-paper`: per venue, visits (entries) in a date range, electronic
//! (sources qr, kiosk, self) and on paper (paper, manual).

use super::{Table, UnitIndex, UnitName};
use crate::ServerError;
use checkin_core::{RecordKind, Source};
use checkin_server_db::{By, CountQuery, CountRow, Database, UnitFilter};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub venue_id: String,
    pub venue_name: String,
    pub commune_code: String,
    pub total: i64,
    pub electronic: i64,
    pub paper: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Total {
    pub total: i64,
    pub electronic: i64,
    pub paper: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EVsPaper {
    pub unit: UnitName,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rows: Vec<Row>,
    pub total: Total,
}

/// Whether a source (as stored) is electronic; `None` for one this server
/// does not know (counted in the total only).
pub fn is_electronic(source: &str) -> Option<bool> {
    source.parse::<Source>().ok().map(|s| !s.on_paper())
}

/// The report from per-venue, per-source counts; venues as
/// (id, name, commune) in listing order.
pub fn build(
    unit: UnitName,
    from: NaiveDate,
    to: NaiveDate,
    venues: &[(String, String, String)],
    counts: &[CountRow],
) -> EVsPaper {
    let mut by_venue: HashMap<&str, Total> = HashMap::new();
    for c in counts {
        let t = by_venue.entry(c.key.as_str()).or_default();
        t.total += c.n;
        match c.source.as_deref().and_then(is_electronic) {
            Some(true) => t.electronic += c.n,
            Some(false) => t.paper += c.n,
            None => {}
        }
    }
    let rows: Vec<Row> = venues
        .iter()
        .map(|(id, name, commune)| {
            let t = by_venue.get(id.as_str()).copied().unwrap_or_default();
            Row {
                venue_id: id.clone(),
                venue_name: name.clone(),
                commune_code: commune.clone(),
                total: t.total,
                electronic: t.electronic,
                paper: t.paper,
            }
        })
        .collect();
    let total = rows.iter().fold(Total::default(), |a, r| Total {
        total: a.total + r.total,
        electronic: a.electronic + r.electronic,
        paper: a.paper + r.paper,
    });
    EVsPaper {
        unit,
        from,
        to,
        rows,
        total,
    }
}

pub async fn run(
    db: &dyn Database,
    units: &UnitIndex,
    code: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<EVsPaper, ServerError> {
    super::check_period(from, to)?;
    let (area, unit) = units.area(code)?;
    let listing = db.list_venues(&UnitFilter::from_code(code)?).await?;
    let counts = db.count(&area, By::Venue, &visits(from, to)).await?;
    let venues: Vec<(String, String, String)> = listing
        .into_iter()
        .map(|v| (v.venue.id.to_string(), v.venue.name, v.venue.commune_code))
        .collect();
    Ok(build(unit, from, to, &venues, &counts))
}

/// Entries on local dates `from..=to`, per source: what the report counts.
fn visits(from: NaiveDate, to: NaiveDate) -> CountQuery {
    CountQuery::Records {
        kind: RecordKind::Checkin,
        from: Some(from),
        to,
        entries_only: true,
        by_source: true,
    }
}

/// The visits of a district or province per commune instead of per venue
/// (one row per commune with visits, its code as `venue_id` and
/// `commune_code`, no name), from the per-commune day counts: what the
/// weekly report sums per unit, without listing and counting every venue
/// of a province. Totals are the same as [`run`]'s.
pub async fn run_by_commune(
    db: &dyn Database,
    units: &UnitIndex,
    code: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<EVsPaper, ServerError> {
    super::check_period(from, to)?;
    let (area, unit) = units.area(code)?;
    let counts = db.count(&area, By::Commune, &visits(from, to)).await?;
    let mut communes: Vec<(String, String, String)> = counts
        .iter()
        .map(|c| (c.key.clone(), String::new(), c.key.clone()))
        .collect();
    communes.dedup();
    Ok(build(unit, from, to, &communes, &counts))
}

pub fn table(r: &EVsPaper) -> Table {
    let mut rows: Vec<Vec<String>> = r
        .rows
        .iter()
        .enumerate()
        .map(|(i, x)| {
            vec![
                (i + 1).to_string(),
                x.venue_name.clone(),
                x.venue_id.clone(),
                x.total.to_string(),
                x.electronic.to_string(),
                x.paper.to_string(),
            ]
        })
        .collect();
    rows.push(vec![
        String::new(),
        "Tổng cộng".into(),
        String::new(),
        r.total.total.to_string(),
        r.total.electronic.to_string(),
        r.total.paper.to_string(),
    ]);
    Table::new(
        &[
            "STT",
            "Địa điểm",
            "Mã địa điểm",
            "Tổng lượt người",
            "Điện tử",
            "Giấy",
        ],
        rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_split_into_electronic_and_paper() {
        let row = |key: &str, source: &str, n| CountRow {
            key: key.into(),
            source: Some(source.into()),
            n,
        };
        let venues = [
            ("v1".to_string(), "Chợ".to_string(), "14995".to_string()),
            ("v2".to_string(), "Trường".to_string(), "14995".to_string()),
            ("v3".to_string(), "Trạm".to_string(), "14998".to_string()),
        ];
        let counts = [
            row("v1", "qr", 10),
            row("v1", "kiosk", 3),
            row("v1", "self", 2),
            row("v1", "paper", 4),
            row("v2", "manual", 1),
            row("v2", "paper", 6),
            row("other", "qr", 99), // a venue outside the listing
        ];
        let d: NaiveDate = "2021-08-09".parse().unwrap();
        let unit = UnitName {
            code: "387".into(),
            name: "Huyện Quan Sơn".into(),
        };
        let r = build(unit, d, d, &venues, &counts);
        let got: Vec<(i64, i64, i64)> = r
            .rows
            .iter()
            .map(|x| (x.total, x.electronic, x.paper))
            .collect();
        assert_eq!(got, [(19, 15, 4), (7, 0, 7), (0, 0, 0)]);
        assert_eq!(
            r.total,
            Total {
                total: 26,
                electronic: 15,
                paper: 11
            }
        );
    }
}
