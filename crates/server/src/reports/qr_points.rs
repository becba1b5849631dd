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
    let by = grouping(&area)?;
    let compare = compare.unwrap_or(as_of - chrono::Duration::days(7));
    if compare > as_of {
        return Err(ServerError::Invalid(format!(
            "--compare {compare} is after --as-of {as_of}"
        )));
    }
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
        db.count(&area, by, &scans(None, as_of)).await?,
        |c, n| c.scans_now = n,
    );
    add(
        &mut counts,
        db.count(&area, by, &scans(None, compare)).await?,
        |c, n| c.scans_then = n,
    );
    Ok(build(unit, as_of, compare, &units.children(code), &counts))
}

/// Rows per district of a province, per commune of a district.
fn grouping(area: &Area) -> Result<By, ServerError> {
    match area {
        Area::Province(_) => Ok(By::District),
        Area::District { .. } => Ok(By::Commune),
        Area::Commune { .. } => Err(ServerError::Invalid(
            "qr-points counts per commune or district: give a district or province code".into(),
        )),
    }
}

/// Check-ins (entries and exits) on local dates `from..=to`.
fn scans(from: Option<NaiveDate>, to: NaiveDate) -> CountQuery {
    CountQuery::Records {
        kind: RecordKind::Checkin,
        from,
        to,
        entries_only: false,
        by_source: false,
    }
}

/// The report at two consecutive dates at once, for the weekly report: as
/// of `dates[0]` against `dates[1]`, and as of `dates[1]` against
/// `dates[2]` (dates in that order, latest first). The same answers as two
/// [`run`]s, with one count of every scan up to the earliest date and two
/// counts of the scans between the dates, instead of four counts of every
/// scan since the start (the slow part at a province's scale).
///
/// QR points are counted from `venues` (each one's commune and
/// registration date: the unit's listing, which the weekly report reads
/// anyway) instead of three more counts in the store.
pub async fn run_pair(
    db: &dyn Database,
    units: &UnitIndex,
    code: &str,
    dates: [NaiveDate; 3],
    venues: &[(&str, NaiveDate)],
) -> Result<(QrPoints, QrPoints), ServerError> {
    let [d0, d1, d2] = dates;
    if !(d2 <= d1 && d1 <= d0) {
        return Err(ServerError::Invalid(format!(
            "dates {d0}, {d1}, {d2} are not latest first"
        )));
    }
    let (area, unit) = units.area(code)?;
    let by = grouping(&area)?;
    let listed = venues;
    let mut venues: [HashMap<String, i64>; 3] = Default::default();
    for (commune, registered) in listed {
        let key = match by {
            By::District => units.parent(commune),
            _ => Some(*commune),
        };
        let Some(key) = key else { continue };
        for (i, d) in dates.iter().enumerate() {
            if registered <= d {
                *venues[i].entry(key.to_string()).or_default() += 1;
            }
        }
    }
    let day_after = |d: NaiveDate| d.succ_opt().unwrap_or(d);
    let mut at_d2: HashMap<String, i64> = HashMap::new();
    for r in db.count(&area, by, &scans(None, d2)).await? {
        *at_d2.entry(r.key).or_default() += r.n;
    }
    let mut at_d1 = at_d2.clone();
    if d1 > d2 {
        for r in db.count(&area, by, &scans(Some(day_after(d2)), d1)).await? {
            *at_d1.entry(r.key).or_default() += r.n;
        }
    }
    let mut at_d0 = at_d1.clone();
    if d0 > d1 {
        for r in db.count(&area, by, &scans(Some(day_after(d1)), d0)).await? {
            *at_d0.entry(r.key).or_default() += r.n;
        }
    }
    let scans_at = [at_d0, at_d1, at_d2];
    let counts_between = |now: usize, then: usize| -> HashMap<String, Counts> {
        let keys = venues[now]
            .keys()
            .chain(venues[then].keys())
            .chain(scans_at[now].keys())
            .chain(scans_at[then].keys());
        keys.map(|k| {
            let get = |m: &HashMap<String, i64>| m.get(k).copied().unwrap_or(0);
            (
                k.clone(),
                Counts {
                    venues_now: get(&venues[now]),
                    scans_now: get(&scans_at[now]),
                    venues_then: get(&venues[then]),
                    scans_then: get(&scans_at[then]),
                },
            )
        })
        .collect()
    };
    let children = units.children(code);
    Ok((
        build(unit.clone(), d0, d1, &children, &counts_between(0, 1)),
        build(unit, d1, d2, &children, &counts_between(1, 2)),
    ))
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
