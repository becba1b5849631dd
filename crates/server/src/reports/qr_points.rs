//! `qr-points`: per child unit, QR points registered and scans recorded up
//! to a date, and the change of each since an earlier date; the units that
//! lag are marked.

use super::{Table, UnitIndex, UnitName};
use crate::ServerError;
use checkin_core::RecordKind;
use checkin_server_db::{Area, By, CountQuery, CountRow, Database};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// How `low` is decided, as the report states it.
pub const LOW_RULE: &str = "low: no QR point, or scans per QR point among the lowest quarter \
    of the units with QR points (the ceil(n/4) lowest, ties included)";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub code: String,
    pub name: String,
    pub venues: i64,
    pub scans: i64,
    pub venues_change: i64,
    pub scans_change: i64,
    pub low: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Total {
    pub venues: i64,
    pub scans: i64,
    pub venues_change: i64,
    pub scans_change: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QrPoints {
    pub unit: UnitName,
    pub as_of: NaiveDate,
    pub compare: NaiveDate,
    pub rows: Vec<Row>,
    pub total: Total,
    pub low_rule: &'static str,
    /// Names of the three units with the most scans per QR point.
    pub leaders: Vec<String>,
    /// Names of the units marked low.
    pub laggards: Vec<String>,
}

/// Counts of one unit at the two dates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub venues_now: i64,
    pub scans_now: i64,
    pub venues_then: i64,
    pub scans_then: i64,
}

/// Scans per QR point, for ranking; `None` without a QR point.
fn rate(r: &Row) -> Option<f64> {
    (r.venues > 0).then(|| r.scans as f64 / r.venues as f64)
}

/// The report from its counts: one row per child, in the children's order.
pub fn build(
    unit: UnitName,
    as_of: NaiveDate,
    compare: NaiveDate,
    children: &[UnitName],
    counts: &HashMap<String, Counts>,
) -> QrPoints {
    let mut rows: Vec<Row> = children
        .iter()
        .map(|c| {
            let n = counts.get(&c.code).copied().unwrap_or_default();
            Row {
                code: c.code.clone(),
                name: c.name.clone(),
                venues: n.venues_now,
                scans: n.scans_now,
                venues_change: n.venues_now - n.venues_then,
                scans_change: n.scans_now - n.scans_then,
                low: false,
            }
        })
        .collect();
    let mut rates: Vec<f64> = rows.iter().filter_map(rate).collect();
    rates.sort_by(f64::total_cmp);
    let threshold = (!rates.is_empty()).then(|| rates[rates.len().div_ceil(4) - 1]);
    for r in &mut rows {
        r.low = match (rate(r), threshold) {
            (None, _) => true,
            (Some(x), Some(t)) => x <= t,
            (Some(_), None) => false,
        };
    }
    let total = rows.iter().fold(Total::default(), |t, r| Total {
        venues: t.venues + r.venues,
        scans: t.scans + r.scans,
        venues_change: t.venues_change + r.venues_change,
        scans_change: t.scans_change + r.scans_change,
    });
    let mut ranked: Vec<&Row> = rows.iter().filter(|r| rate(r).is_some()).collect();
    ranked.sort_by(|a, b| {
        rate(b)
            .unwrap_or(0.0)
            .total_cmp(&rate(a).unwrap_or(0.0))
            .then_with(|| a.code.cmp(&b.code))
    });
    let leaders = ranked
        .iter()
        .filter(|r| !r.low)
        .take(3)
        .map(|r| r.name.clone())
        .collect();
    let laggards = rows
        .iter()
        .filter(|r| r.low)
        .map(|r| r.name.clone())
        .collect();
    QrPoints {
        unit,
        as_of,
        compare,
        rows,
        total,
        low_rule: LOW_RULE,
        leaders,
        laggards,
    }
}

fn add(counts: &mut HashMap<String, Counts>, rows: Vec<CountRow>, set: fn(&mut Counts, i64)) {
    for r in rows {
        set(counts.entry(r.key).or_default(), r.n);
    }
}

/// Runs the report for a district (rows per commune) or a province (rows
/// per district). `compare` defaults to a week before `as_of`.
pub async fn run(
    db: &dyn Database,
    units: &UnitIndex,
    code: &str,
    as_of: NaiveDate,
    compare: Option<NaiveDate>,
) -> Result<QrPoints, ServerError> {
    let (area, unit) = units.area(code)?;
    let by = match area {
        Area::Province(_) => By::District,
        Area::District { .. } => By::Commune,
        Area::Commune { .. } => {
            return Err(ServerError::Invalid(
                "qr-points counts per commune or district: give a district or province code".into(),
            ))
        }
    };
    let compare = compare.unwrap_or(as_of - chrono::Duration::days(7));
    if compare > as_of {
        return Err(ServerError::Invalid(format!(
            "--compare {compare} is after --as-of {as_of}"
        )));
    }
    let scans = |to| CountQuery::Records {
        kind: RecordKind::Checkin,
        from: None,
        to,
        entries_only: false,
        by_source: false,
    };
    let mut counts = HashMap::new();
    add(
        &mut counts,
        db.count(&area, by, &CountQuery::Venues { up_to: as_of })
            .await?,
        |c, n| c.venues_now = n,
    );
    add(
        &mut counts,
        db.count(&area, by, &CountQuery::Venues { up_to: compare })
            .await?,
        |c, n| c.venues_then = n,
    );
    add(
        &mut counts,
        db.count(&area, by, &scans(as_of)).await?,
        |c, n| c.scans_now = n,
    );
    add(
        &mut counts,
        db.count(&area, by, &scans(compare)).await?,
        |c, n| c.scans_then = n,
    );
    Ok(build(unit, as_of, compare, &units.children(code), &counts))
}

/// The table officials write: STT, Huyện, Thị trấn/xã, the totals and the
/// changes, and a total line.
pub fn table(r: &QrPoints, district_rows: bool) -> Table {
    let header = [
        "STT",
        "Huyện",
        "Thị trấn/xã",
        "Tổng số địa điểm tạo mã QR",
        "Tổng lượt quét",
        "Tăng/giảm địa điểm",
        "Tăng/giảm lượt quét",
        "Thấp",
    ];
    let mut rows: Vec<Vec<String>> = r
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let (district, commune) = if district_rows {
                (row.name.clone(), String::new())
            } else {
                (r.unit.name.clone(), row.name.clone())
            };
            vec![
                (i + 1).to_string(),
                district,
                commune,
                row.venues.to_string(),
                row.scans.to_string(),
                row.venues_change.to_string(),
                row.scans_change.to_string(),
                if row.low { "x".into() } else { String::new() },
            ]
        })
        .collect();
    rows.push(vec![
        String::new(),
        "Tổng cộng".into(),
        String::new(),
        r.total.venues.to_string(),
        r.total.scans.to_string(),
        r.total.venues_change.to_string(),
        r.total.scans_change.to_string(),
        String::new(),
    ]);
    Table::new(&header, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(code: &str) -> UnitName {
        UnitName {
            code: code.into(),
            name: format!("Xã {code}"),
        }
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn changes_totals_and_the_units_that_lag() {
        // (code, venues now, scans now, venues then, scans then)
        let data = [
            ("01", 10, 1000, 8, 700), // 100 per point
            ("02", 5, 100, 5, 100),   // 20 per point: lowest quarter
            ("03", 0, 0, 0, 0),       // no QR point: low
            ("04", 4, 300, 2, 50),    // 75 per point
            ("05", 2, 100, 2, 60),    // 50 per point
        ];
        let children: Vec<UnitName> = data.iter().map(|r| unit(r.0)).collect();
        let counts: HashMap<String, Counts> = data
            .iter()
            .map(|&(c, vn, sn, vt, st)| {
                (
                    c.to_string(),
                    Counts {
                        venues_now: vn,
                        scans_now: sn,
                        venues_then: vt,
                        scans_then: st,
                    },
                )
            })
            .collect();
        let r = build(
            unit("387"),
            d("2021-08-15"),
            d("2021-08-08"),
            &children,
            &counts,
        );
        let got: Vec<(&str, i64, i64, bool)> = r
            .rows
            .iter()
            .map(|x| (x.code.as_str(), x.venues_change, x.scans_change, x.low))
            .collect();
        assert_eq!(
            got,
            [
                ("01", 2, 300, false),
                ("02", 0, 0, true),
                ("03", 0, 0, true),
                ("04", 2, 250, false),
                ("05", 0, 40, false),
            ]
        );
        assert_eq!(
            r.total,
            Total {
                venues: 21,
                scans: 1500,
                venues_change: 4,
                scans_change: 590
            }
        );
        assert_eq!(r.leaders, ["Xã 01", "Xã 04", "Xã 05"]);
        assert_eq!(r.laggards, ["Xã 02", "Xã 03"]);
    }

    #[test]
    fn ties_at_the_quartile_are_all_low_and_units_without_counts_are_zero() {
        let children: Vec<UnitName> = ["a", "b", "c"].iter().map(|c| unit(c)).collect();
        let same = Counts {
            venues_now: 2,
            scans_now: 10,
            ..Counts::default()
        };
        let counts: HashMap<String, Counts> =
            [("a".to_string(), same), ("b".to_string(), same)].into();
        let r = build(
            unit("x"),
            d("2021-08-15"),
            d("2021-08-08"),
            &children,
            &counts,
        );
        assert!(r.rows.iter().all(|x| x.low), "{:?}", r.rows);
        assert_eq!((r.rows[2].venues, r.rows[2].scans), (0, 0));
        assert_eq!(r.rows[0].venues_change, 2);
        assert!(r.leaders.is_empty());
    }

    #[test]
    fn the_table_reads_as_officials_write_it() {
        let children = [unit("14995")];
        let counts: HashMap<String, Counts> = [(
            "14995".to_string(),
            Counts {
                venues_now: 3,
                scans_now: 120,
                venues_then: 1,
                scans_then: 150,
            },
        )]
        .into();
        let mut u = unit("387");
        u.name = "Huyện Quan Sơn".into();
        let r = build(u, d("2021-08-15"), d("2021-08-08"), &children, &counts);
        let csv = table(&r, false).to_csv();
        assert_eq!(
            csv,
            "\u{feff}STT,Huyện,Thị trấn/xã,Tổng số địa điểm tạo mã QR,Tổng lượt quét,\
             Tăng/giảm địa điểm,Tăng/giảm lượt quét,Thấp\r\n\
             1,Huyện Quan Sơn,Xã 14995,3,120,2,-30,x\r\n\
             ,Tổng cộng,,3,120,2,-30,\r\n"
        );
    }
}
