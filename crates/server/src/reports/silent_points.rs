//! `silent-points`: in an ISO week, the QR points that reported zero (a
//! device of the venue contacted the server, but no scan was recorded) and
//! those that sent no data (no device of the venue contacted the server,
//! and no scan); with the unit's scans against the week before.

use super::{Table, UnitIndex, UnitName};
use crate::ServerError;
use checkin_core::{IsoWeek, RecordKind};
use checkin_server_db::{Area, By, CountQuery, Database, UnitFilter, VenueListing};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Point {
    pub venue_id: String,
    pub venue_name: String,
    pub commune_code: String,
    pub commune_name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Scans {
    pub this_week: i64,
    pub previous_week: i64,
    pub change: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SilentPoints {
    pub unit: UnitName,
    pub week: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// QR points registered by the end of the week.
    pub venues: usize,
    pub reported_zero: Vec<Point>,
    pub sent_no_data: Vec<Point>,
    pub scans: Scans,
}

/// What was seen of one venue in the week.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Seen {
    /// Any scan recorded.
    pub scanned: bool,
    pub contact_days: i64,
}

/// The report from what was seen of each venue and the unit's scans this
/// week and the week before; `venues` in listing order.
pub fn build(
    unit: UnitName,
    week: IsoWeek,
    venues: &[(Point, NaiveDate)],
    seen: &HashMap<String, Seen>,
    (this_week, previous_week): (i64, i64),
) -> SilentPoints {
    let mut reported_zero = Vec::new();
    let mut sent_no_data = Vec::new();
    let mut counted = 0;
    for (p, registered_on) in venues {
        if *registered_on > week.sunday() {
            continue;
        }
        counted += 1;
        let s = seen.get(&p.venue_id).copied().unwrap_or_default();
        if !s.scanned {
            if s.contact_days > 0 {
                reported_zero.push(p.clone());
            } else {
                sent_no_data.push(p.clone());
            }
        }
    }
    SilentPoints {
        unit,
        week: week.to_string(),
        from: week.monday(),
        to: week.sunday(),
        venues: counted,
        reported_zero,
        sent_no_data,
        scans: Scans {
            this_week,
            previous_week,
            change: this_week - previous_week,
        },
    }
}

pub async fn run(
    db: &dyn Database,
    units: &UnitIndex,
    code: &str,
    week: IsoWeek,
) -> Result<SilentPoints, ServerError> {
    let (area, unit) = units.area(code)?;
    let (venues, this_week, previous_week, seen) = tokio::try_join!(
        points(db, units, code),
        unit_scans(db, &area, week),
        unit_scans(db, &area, week.previous()),
        seen_in(db, &area, week),
    )?;
    Ok(build(
        unit,
        week,
        &venues,
        &seen,
        (this_week, previous_week),
    ))
}

/// The report for `week` and for the week before, as two [`run`]s give
/// them, from the unit's QR points read once ([`points`]) and the week
/// before's scans counted once (the weekly report's pair).
pub async fn run_pair(
    db: &dyn Database,
    units: &UnitIndex,
    code: &str,
    week: IsoWeek,
    venues: &[(Point, NaiveDate)],
) -> Result<(SilentPoints, SilentPoints), ServerError> {
    let (area, unit) = units.area(code)?;
    let prev = week.previous();
    // Independent reads: PostgreSQL answers them on separate connections.
    let (this_scans, prev_scans, before_scans, seen, seen_prev) = tokio::try_join!(
        unit_scans(db, &area, week),
        unit_scans(db, &area, prev),
        unit_scans(db, &area, prev.previous()),
        seen_in(db, &area, week),
        seen_in(db, &area, prev),
    )?;
    Ok((
        build(unit.clone(), week, venues, &seen, (this_scans, prev_scans)),
        build(unit, prev, venues, &seen_prev, (prev_scans, before_scans)),
    ))
}

/// The unit's QR points with their registration dates.
pub async fn points(
    db: &dyn Database,
    units: &UnitIndex,
    code: &str,
) -> Result<Vec<(Point, NaiveDate)>, ServerError> {
    let listing: Vec<VenueListing> = db.list_venues(&UnitFilter::from_code(code)?).await?;
    Ok(listing
        .into_iter()
        .map(|v| {
            let commune_name = units.name(&v.venue.commune_code).unwrap_or("").to_string();
            (
                Point {
                    venue_id: v.venue.id.to_string(),
                    venue_name: v.venue.name,
                    commune_code: v.venue.commune_code,
                    commune_name,
                },
                v.registered_on,
            )
        })
        .collect())
}

/// The unit's scans in a week, read from the per-commune counts: every
/// scan in the unit, those of commune-wide stations too, as qr-points
/// counts them.
async fn unit_scans(db: &dyn Database, area: &Area, week: IsoWeek) -> Result<i64, ServerError> {
    let q = CountQuery::Records {
        kind: RecordKind::Checkin,
        from: Some(week.monday()),
        to: week.sunday(),
        entries_only: false,
        by_source: false,
    };
    let rows = db.count(area, By::Commune, &q).await?;
    Ok(rows.iter().map(|r| r.n).sum())
}

/// Per venue, whether it scanned in the week and on how many days its
/// devices contacted the server.
async fn seen_in(
    db: &dyn Database,
    area: &Area,
    week: IsoWeek,
) -> Result<HashMap<String, Seen>, ServerError> {
    let mut seen: HashMap<String, Seen> = HashMap::new();
    let active = CountQuery::ActiveVenues {
        kind: RecordKind::Checkin,
        week,
    };
    let contacts = CountQuery::Contacts {
        from: week.monday(),
        to: week.sunday(),
    };
    let (active, contacts) = tokio::try_join!(
        db.count(area, By::Venue, &active),
        db.count(area, By::Venue, &contacts),
    )?;
    for r in active {
        seen.entry(r.key).or_default().scanned = r.n > 0;
    }
    for r in contacts {
        seen.entry(r.key).or_default().contact_days = r.n;
    }
    Ok(seen)
}

/// One line per silent point: STT, Thị trấn/xã, Địa điểm, Tình trạng.
pub fn table(r: &SilentPoints) -> Table {
    points_table(&r.reported_zero, &r.sent_no_data)
}

/// The points that reported zero, then those that sent no data, one line
/// each (the weekly report's section III too).
pub fn points_table(reported_zero: &[Point], sent_no_data: &[Point]) -> Table {
    let rows = reported_zero
        .iter()
        .map(|p| (p, "Không có lượt quét"))
        .chain(sent_no_data.iter().map(|p| (p, "Không gửi dữ liệu")))
        .enumerate()
        .map(|(i, (p, status))| {
            vec![
                (i + 1).to_string(),
                p.commune_name.clone(),
                p.venue_name.clone(),
                p.venue_id.clone(),
                status.to_string(),
            ]
        })
        .collect();
    Table::new(
        &[
            "STT",
            "Thị trấn/xã",
            "Địa điểm",
            "Mã địa điểm",
            "Tình trạng",
        ],
        rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(id: &str) -> Point {
        Point {
            venue_id: id.into(),
            venue_name: format!("Điểm {id}"),
            commune_code: "14995".into(),
            commune_name: "Xã Trung Xuân".into(),
        }
    }

    #[test]
    fn zero_and_no_data_are_told_apart() {
        let week: IsoWeek = "2021-W32".parse().unwrap();
        let early: NaiveDate = "2021-08-01".parse().unwrap();
        let late: NaiveDate = "2021-08-16".parse().unwrap(); // after the week
        let venues = [
            (point("scanned"), early),
            (point("alive"), early),
            (point("silent"), early),
            (point("new"), late),
            (point("last-week-only"), early),
        ];
        let seen: HashMap<String, Seen> = [
            (
                "scanned",
                Seen {
                    scanned: true,
                    contact_days: 5,
                },
            ),
            (
                "alive",
                Seen {
                    scanned: false,
                    contact_days: 2,
                },
            ),
            (
                "last-week-only",
                Seen {
                    scanned: false,
                    contact_days: 0,
                },
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let r = build(point("u").into_unit(), week, &venues, &seen, (40, 17));
        let ids = |v: &[Point]| v.iter().map(|p| p.venue_id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&r.reported_zero), ["alive"]);
        assert_eq!(ids(&r.sent_no_data), ["silent", "last-week-only"]);
        assert_eq!(r.venues, 4);
        assert_eq!(
            r.scans,
            Scans {
                this_week: 40,
                previous_week: 17,
                change: 23
            }
        );
        assert_eq!(
            (r.from.to_string(), r.to.to_string()),
            ("2021-08-09".into(), "2021-08-15".into())
        );
    }

    impl Point {
        fn into_unit(self) -> UnitName {
            UnitName {
                code: self.venue_id,
                name: self.venue_name,
            }
        }
    }
}
