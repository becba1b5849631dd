//! `roster`: per agency, how many of its imported staff declared in a
//! period (anywhere in the province), and who did not. It reads identity
//! keys, so it covers only periods within the retention limit.

use super::{Table, UnitIndex, UnitName};
use crate::ServerError;
use checkin_server_db::{Database, RowQuery, TableRow};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub commune_code: String,
    pub commune_name: String,
    pub agency: String,
    pub staff: i64,
    pub declared: i64,
    /// Percent of the staff, to one decimal.
    pub share: f64,
    /// Names of the staff who did not declare, in roster order.
    pub not_declared: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Total {
    pub staff: i64,
    pub declared: i64,
    pub share: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Roster {
    pub unit: UnitName,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rows: Vec<Row>,
    pub total: Total,
}

/// Groups member rows (commune, agency, name; declared 0/1), which come
/// ordered by commune, agency and roster line, into one row per agency.
pub fn build(
    unit: UnitName,
    from: NaiveDate,
    to: NaiveDate,
    members: &[TableRow],
    units: &UnitIndex,
) -> Roster {
    let mut rows: Vec<Row> = Vec::new();
    for m in members {
        let (commune, agency, name) = (&m.texts[0], &m.texts[1], &m.texts[2]);
        let declared = m.numbers.first().copied().unwrap_or(0) > 0;
        let same = rows
            .last()
            .is_some_and(|r| &r.commune_code == commune && &r.agency == agency);
        if !same {
            rows.push(Row {
                commune_code: commune.clone(),
                commune_name: units.name(commune).unwrap_or_default().to_string(),
                agency: agency.clone(),
                staff: 0,
                declared: 0,
                share: 0.0,
                not_declared: Vec::new(),
            });
        }
        let r = rows.last_mut().expect("pushed above");
        r.staff += 1;
        if declared {
            r.declared += 1;
        } else {
            r.not_declared.push(name.clone());
        }
    }
    for r in &mut rows {
        r.share = super::coverage::share(r.declared, Some(r.staff)).unwrap_or(0.0);
    }
    let staff = rows.iter().map(|r| r.staff).sum();
    let declared = rows.iter().map(|r| r.declared).sum();
    Roster {
        unit,
        from,
        to,
        rows,
        total: Total {
            staff,
            declared,
            share: super::coverage::share(declared, Some(staff)),
        },
    }
}

pub async fn run(
    db: &dyn Database,
    units: &UnitIndex,
    code: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Roster, ServerError> {
    super::check_period(from, to)?;
    let (area, unit) = units.area(code)?;
    let members = db.rows(&RowQuery::Roster { area, from, to }).await?;
    Ok(build(unit, from, to, &members, units))
}

pub fn table(r: &Roster) -> Table {
    let mut rows: Vec<Vec<String>> = r
        .rows
        .iter()
        .enumerate()
        .map(|(i, x)| {
            vec![
                (i + 1).to_string(),
                x.commune_name.clone(),
                x.agency.clone(),
                x.staff.to_string(),
                x.declared.to_string(),
                (x.staff - x.declared).to_string(),
                x.share.to_string(),
                x.not_declared.join("; "),
            ]
        })
        .collect();
    rows.push(vec![
        String::new(),
        "Tổng cộng".into(),
        String::new(),
        r.total.staff.to_string(),
        r.total.declared.to_string(),
        (r.total.staff - r.total.declared).to_string(),
        r.total.share.map(|s| s.to_string()).unwrap_or_default(),
        String::new(),
    ]);
    Table::new(
        &[
            "STT",
            "Xã/phường/thị trấn",
            "Cơ quan, đơn vị",
            "Số cán bộ",
            "Đã khai báo y tế",
            "Chưa khai báo",
            "Tỷ lệ (%)",
            "Người chưa khai báo",
        ],
        rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_group_per_agency_with_who_did_not_declare() {
        let m = |c: &str, a: &str, n: &str, d: i64| TableRow {
            texts: vec![c.into(), a.into(), n.into()],
            numbers: vec![d],
        };
        let members = [
            m("14995", "Trạm Y tế", "An", 1),
            m("14995", "Trạm Y tế", "Bình", 0),
            m("14995", "Trạm Y tế", "Chi", 1),
            m("14995", "UBND xã", "Dũng", 0),
            m("14998", "Trạm Y tế", "Em", 1),
        ];
        let d: NaiveDate = "2021-08-09".parse().unwrap();
        let unit = UnitName {
            code: "387".into(),
            name: "Quan Sơn".into(),
        };
        let r = build(unit, d, d, &members, &UnitIndex::new(Vec::new()));
        let got: Vec<String> = r
            .rows
            .iter()
            .map(|x| {
                format!(
                    "{} {} {}/{} {}% [{}]",
                    x.commune_code,
                    x.agency,
                    x.declared,
                    x.staff,
                    x.share,
                    x.not_declared.join(", ")
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                "14995 Trạm Y tế 2/3 66.7% [Bình]",
                "14995 UBND xã 0/1 0% [Dũng]",
                "14998 Trạm Y tế 1/1 100% []",
            ]
        );
        assert_eq!((r.total.staff, r.total.declared), (5, 3));
        assert_eq!(r.total.share, Some(60.0));
    }
}
