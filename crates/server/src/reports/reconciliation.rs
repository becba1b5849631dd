//! `reconciliation`: the people communes and agencies reported as having
//! declared, against the system's distinct count on the same date, and
//! the difference split into what the system can explain and what it
//! cannot. For each figure (its latest on or before the as-of date), with
//! D its date, and people on the unit's declarant rows:
//! - `system`: first declared here by D, and the server had it by D;
//! - `paper_late`, `synced_late`: declared by D, reached the server after
//!   D (typed in from paper later; a device offline until after D);
//! - `other_units`: declared here by D but counted where they first
//!   declared (the same person counted by several units);
//! - `outside_period`: reached the server by D but dated after D;
//! - `unexplained`: reported − system − the four above.
//!
//! An agency's figure counts its roster members, each once.

use super::{Table, UnitIndex, UnitName};
use crate::ServerError;
use checkin_server_db::{Database, Reconciled, RowQuery, TableRow};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub commune_code: String,
    pub commune_name: String,
    /// Empty for the commune's own figure.
    pub agency: String,
    /// The figure's date.
    pub date: NaiveDate,
    #[serde(flatten)]
    pub counts: Reconciled,
    /// reported − system.
    pub difference: i64,
    pub explained: i64,
    pub unexplained: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reconciliation {
    pub unit: UnitName,
    pub as_of: NaiveDate,
    pub rows: Vec<Row>,
    pub total: Row,
}

/// The explained part of `c`'s difference, and what remains.
pub fn split(c: &Reconciled) -> (i64, i64, i64) {
    let difference = c.reported - c.system;
    let explained = c.paper_late + c.synced_late + c.other_units + c.outside_period;
    (difference, explained, difference - explained)
}

fn row(
    commune_code: String,
    commune_name: String,
    agency: String,
    date: NaiveDate,
    counts: Reconciled,
) -> Row {
    let (difference, explained, unexplained) = split(&counts);
    Row {
        commune_code,
        commune_name,
        agency,
        date,
        counts,
        difference,
        explained,
        unexplained,
    }
}

pub fn build(
    unit: UnitName,
    as_of: NaiveDate,
    found: &[TableRow],
    units: &UnitIndex,
) -> Result<Reconciliation, ServerError> {
    let mut rows = found
        .iter()
        .map(|t| {
            let date = t.texts[2].parse().map_err(|e| {
                ServerError::Invalid(format!("stored figure date {:?}: {e}", t.texts[2]))
            })?;
            let commune = t.texts[0].clone();
            let name = units.name(&commune).unwrap_or_default().to_string();
            Ok(row(
                commune,
                name,
                t.texts[1].clone(),
                date,
                Reconciled::of(&t.numbers),
            ))
        })
        .collect::<Result<Vec<Row>, ServerError>>()?;
    rows.sort_by(|a, b| (&a.commune_code, &a.agency).cmp(&(&b.commune_code, &b.agency)));
    let sum = rows.iter().fold(Reconciled::default(), |a, r| Reconciled {
        reported: a.reported + r.counts.reported,
        system: a.system + r.counts.system,
        paper_late: a.paper_late + r.counts.paper_late,
        synced_late: a.synced_late + r.counts.synced_late,
        other_units: a.other_units + r.counts.other_units,
        outside_period: a.outside_period + r.counts.outside_period,
    });
    let total = row(
        unit.code.clone(),
        unit.name.clone(),
        String::new(),
        as_of,
        sum,
    );
    Ok(Reconciliation {
        unit,
        as_of,
        rows,
        total,
    })
}

pub async fn run(
    db: &dyn Database,
    units: &UnitIndex,
    code: &str,
    as_of: NaiveDate,
) -> Result<Reconciliation, ServerError> {
    let (area, unit) = units.area(code)?;
    let found = db.rows(&RowQuery::Reconciliation { area, as_of }).await?;
    build(unit, as_of, &found, units)
}

pub fn table(r: &Reconciliation) -> Table {
    let cells = |stt: String, x: &Row| {
        let c = &x.counts;
        vec![
            stt,
            x.commune_name.clone(),
            x.agency.clone(),
            x.date.format("%d/%m/%Y").to_string(),
            c.reported.to_string(),
            c.system.to_string(),
            x.difference.to_string(),
            c.other_units.to_string(),
            c.paper_late.to_string(),
            c.synced_late.to_string(),
            c.outside_period.to_string(),
            x.unexplained.to_string(),
        ]
    };
    let mut rows: Vec<Vec<String>> = r
        .rows
        .iter()
        .enumerate()
        .map(|(i, x)| cells((i + 1).to_string(), x))
        .collect();
    let mut total = cells(String::new(), &r.total);
    total[1] = "Tổng cộng".into();
    total[3] = String::new();
    rows.push(total);
    Table::new(
        &[
            "STT",
            "Xã/phường/thị trấn",
            "Cơ quan, đơn vị",
            "Ngày báo cáo",
            "Số báo cáo",
            "Số trên hệ thống",
            "Chênh lệch",
            "Trùng giữa các đơn vị",
            "Phiếu giấy nhập sau",
            "Đồng bộ sau",
            "Ngoài kỳ báo cáo",
            "Chưa giải thích được",
        ],
        rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_difference_splits_into_explained_and_the_rest() {
        let c = Reconciled {
            reported: 120,
            system: 100,
            paper_late: 6,
            synced_late: 4,
            other_units: 3,
            outside_period: 2,
        };
        assert_eq!(split(&c), (20, 15, 5));
        // A unit that reported fewer than the system knows.
        let c = Reconciled {
            reported: 90,
            system: 100,
            ..Reconciled::default()
        };
        assert_eq!(split(&c), (-10, 0, -10));
        let t = |c: &str, a: &str, d: &str, n: [i64; 6]| TableRow {
            texts: vec![c.into(), a.into(), d.into()],
            numbers: n.to_vec(),
        };
        let unit = UnitName {
            code: "387".into(),
            name: "Quan Sơn".into(),
        };
        let r = build(
            unit,
            "2021-08-15".parse().unwrap(),
            &[
                t("14998", "", "2021-08-14", [10, 8, 1, 0, 0, 0]),
                t("14995", "Trạm Y tế", "2021-08-15", [5, 5, 0, 0, 0, 0]),
                t("14995", "", "2021-08-15", [50, 40, 2, 3, 4, 1]),
            ],
            &UnitIndex::new(Vec::new()),
        )
        .unwrap();
        let order: Vec<(&str, &str)> = r
            .rows
            .iter()
            .map(|x| (x.commune_code.as_str(), x.agency.as_str()))
            .collect();
        assert_eq!(
            order,
            [("14995", ""), ("14995", "Trạm Y tế"), ("14998", "")]
        );
        assert_eq!(r.rows[0].unexplained, 0);
        assert_eq!(r.rows[2].unexplained, 1);
        assert_eq!((r.total.counts.reported, r.total.counts.system), (65, 53));
        assert_eq!(r.total.unexplained, 1);
    }
}
