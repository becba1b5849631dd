//! `weekly`: the weekly report of a unit for an ISO week ("Báo cáo tuần"),
//! the document the dashboard prints, put together from the other reports:
//! qr-points as of the week's Sunday against the Sunday before (and the
//! same a week earlier), silent-points and e-vs-paper of the week and of
//! the week before, with the comparisons between the two weeks.

use super::e_vs_paper::{self, EVsPaper};
use super::qr_points::{self, QrPoints};
use super::silent_points::{self, Point, SilentPoints};
use super::{Section, Table, UnitIndex, UnitName};
use crate::ServerError;
use checkin_core::IsoWeek;
use checkin_server_db::Database;
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use std::collections::HashMap;

/// A count this week against the week before.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Compared {
    pub this_week: i64,
    pub previous_week: i64,
    pub change: i64,
}

impl Compared {
    pub fn new(this_week: i64, previous_week: i64) -> Self {
        Self {
            this_week,
            previous_week,
            change: this_week - previous_week,
        }
    }
}

/// The electronic share of visits (percent, one decimal) this week and
/// the week before; `change` in percentage points, from the unrounded
/// shares. `None` for a week without visits.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ShareCompared {
    pub this_week: Option<f64>,
    pub previous_week: Option<f64>,
    pub change: Option<f64>,
}

/// Section I of the document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overview {
    /// QR points registered by the end of each week.
    pub venues: Compared,
    /// Scans recorded during each week.
    pub scans: Compared,
    /// Scans recorded up to the end of each week (none for a commune:
    /// qr-points counts per commune or district).
    pub cumulative_scans: Option<Compared>,
    /// Entries ("lượt người") during each week, and of them electronic
    /// and on paper.
    pub visits: Compared,
    pub electronic: Compared,
    pub paper: Compared,
    pub electronic_share: ShareCompared,
    /// QR points without a scan in the week, of them those that reported
    /// zero and those that sent no data.
    pub silent: Compared,
    pub reported_zero: Compared,
    pub sent_no_data: Compared,
}

/// A commune of a district, or a district of a province, in section II.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitRow {
    pub code: String,
    pub name: String,
    /// QR points registered by the week's Sunday, and of them during the week.
    pub venues: i64,
    pub new_venues: i64,
    /// Scans during the week and during the week before.
    pub scans: i64,
    pub previous_scans: i64,
    pub scans_change: i64,
    /// The week's entries, electronic and on paper.
    pub visits: i64,
    pub electronic: i64,
    pub paper: i64,
    pub electronic_share: Option<f64>,
    /// As qr-points marks it at the week's Sunday.
    pub low: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UnitsTotal {
    pub venues: i64,
    pub new_venues: i64,
    pub scans: i64,
    pub previous_scans: i64,
    pub scans_change: i64,
    pub visits: i64,
    pub electronic: i64,
    pub paper: i64,
    pub electronic_share: Option<f64>,
}

/// A venue of a commune in section II: the week's entries against the
/// week before's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VenueRow {
    pub venue_id: String,
    pub venue_name: String,
    pub visits: i64,
    pub electronic: i64,
    pub paper: i64,
    pub previous_visits: i64,
    pub visits_change: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Weekly {
    pub unit: UnitName,
    /// `province`, `district` or `commune`: a commune's section II lists
    /// venues, the others' list units.
    pub level: &'static str,
    pub week: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub previous_week: String,
    pub previous_from: NaiveDate,
    pub previous_to: NaiveDate,
    /// The day the report was made (Vietnam).
    pub made_on: NaiveDate,
    /// False while the week has not ended: its figures run up to
    /// `made_on`.
    pub complete: bool,
    pub overview: Overview,
    /// Section II of a district or province; `None` for a commune.
    pub units: Option<Vec<UnitRow>>,
    pub units_total: Option<UnitsTotal>,
    /// Section II of a commune; `None` for a district or province.
    pub venues: Option<Vec<VenueRow>>,
    /// Section III: the week's QR points without a scan.
    pub reported_zero: Vec<Point>,
    pub sent_no_data: Vec<Point>,
    /// From qr-points at the week's Sunday (empty for a commune).
    pub leaders: Vec<String>,
    pub laggards: Vec<String>,
    pub low_rule: Option<&'static str>,
    /// Section IV: the remarks, worded as the printed page words them.
    pub notes: Vec<String>,
}

/// The reports a weekly report is made of.
#[derive(Debug, Clone)]
pub struct Parts {
    /// qr-points at the week's Sunday against the Sunday before, and the
    /// same a week earlier; `None` for a commune.
    pub qr: Option<(QrPoints, QrPoints)>,
    /// silent-points of the week and of the week before.
    pub silent: (SilentPoints, SilentPoints),
    /// e-vs-paper of the week and of the week before.
    pub evp: (EVsPaper, EVsPaper),
}

/// What reports read for `week`: qr-points' (as-of, compare) dates of the
/// week and of the week before, and the two weeks.
pub fn plan(week: IsoWeek) -> ([(NaiveDate, NaiveDate); 2], [IsoWeek; 2]) {
    let prev = week.previous();
    let before_prev = prev.monday() - Duration::days(1);
    (
        [(week.sunday(), prev.sunday()), (prev.sunday(), before_prev)],
        [week, prev],
    )
}

/// Percent with one decimal, rounded half up as the pages round.
fn one_decimal(x: f64) -> f64 {
    (x * 10.0 + 0.5).floor() / 10.0
}

fn raw_share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
}

/// The electronic share of `whole` visits, percent with one decimal.
pub fn share(electronic: i64, whole: i64) -> Option<f64> {
    raw_share(electronic, whole).map(one_decimal)
}

fn share_compared(now: &e_vs_paper::Total, before: &e_vs_paper::Total) -> ShareCompared {
    let (a, b) = (
        raw_share(now.electronic, now.total),
        raw_share(before.electronic, before.total),
    );
    ShareCompared {
        this_week: a.map(one_decimal),
        previous_week: b.map(one_decimal),
        change: a.zip(b).map(|(a, b)| one_decimal(a - b)),
    }
}

fn silent_count(s: &SilentPoints) -> i64 {
    (s.reported_zero.len() + s.sent_no_data.len()) as i64
}

/// The report from its parts. `child` names the unit directly under the
/// report's unit that holds a commune (for summing venues' visits per
/// unit); `today` is the day the report is made.
pub fn build(
    week: IsoWeek,
    today: NaiveDate,
    parts: &Parts,
    child: &dyn Fn(&str) -> Option<String>,
) -> Weekly {
    let (silent, silent_prev) = &parts.silent;
    let (evp, evp_prev) = &parts.evp;
    let prev = week.previous();
    let overview = Overview {
        venues: Compared::new(silent.venues as i64, silent_prev.venues as i64),
        scans: Compared::new(silent.scans.this_week, silent.scans.previous_week),
        cumulative_scans: parts
            .qr
            .as_ref()
            .map(|(q, p)| Compared::new(q.total.scans, p.total.scans)),
        visits: Compared::new(evp.total.total, evp_prev.total.total),
        electronic: Compared::new(evp.total.electronic, evp_prev.total.electronic),
        paper: Compared::new(evp.total.paper, evp_prev.total.paper),
        electronic_share: share_compared(&evp.total, &evp_prev.total),
        silent: Compared::new(silent_count(silent), silent_count(silent_prev)),
        reported_zero: Compared::new(
            silent.reported_zero.len() as i64,
            silent_prev.reported_zero.len() as i64,
        ),
        sent_no_data: Compared::new(
            silent.sent_no_data.len() as i64,
            silent_prev.sent_no_data.len() as i64,
        ),
    };
    let (units, units_total) = match &parts.qr {
        Some((q, q_prev)) => {
            let (rows, total) = unit_rows(q, q_prev, evp, child);
            (Some(rows), Some(total))
        }
        None => (None, None),
    };
    let venues = parts.qr.is_none().then(|| venue_rows(evp, evp_prev));
    let level = match (silent.unit.code.len(), parts.qr.is_some()) {
        (2, _) => "province",
        (_, true) => "district",
        _ => "commune",
    };
    let mut w = Weekly {
        unit: silent.unit.clone(),
        level,
        week: week.to_string(),
        from: week.monday(),
        to: week.sunday(),
        previous_week: prev.to_string(),
        previous_from: prev.monday(),
        previous_to: prev.sunday(),
        made_on: today,
        complete: week.sunday() < today,
        overview,
        units,
        units_total,
        venues,
        reported_zero: silent.reported_zero.clone(),
        sent_no_data: silent.sent_no_data.clone(),
        leaders: parts
            .qr
            .as_ref()
            .map(|(q, _)| q.leaders.clone())
            .unwrap_or_default(),
        laggards: parts
            .qr
            .as_ref()
            .map(|(q, _)| q.laggards.clone())
            .unwrap_or_default(),
        low_rule: parts.qr.as_ref().map(|(q, _)| q.low_rule),
        notes: Vec::new(),
    };
    w.notes = notes(&w, parts.qr.as_ref().map(|(q, _)| q.total.venues));
    w
}

fn unit_rows(
    q: &QrPoints,
    q_prev: &QrPoints,
    evp: &EVsPaper,
    child: &dyn Fn(&str) -> Option<String>,
) -> (Vec<UnitRow>, UnitsTotal) {
    let mut visits: HashMap<String, e_vs_paper::Total> = HashMap::new();
    for r in &evp.rows {
        if let Some(c) = child(&r.commune_code) {
            let v = visits.entry(c).or_default();
            v.total += r.total;
            v.electronic += r.electronic;
            v.paper += r.paper;
        }
    }
    let before: HashMap<&str, i64> = q_prev
        .rows
        .iter()
        .map(|r| (r.code.as_str(), r.scans_change))
        .collect();
    let rows: Vec<UnitRow> = q
        .rows
        .iter()
        .map(|r| {
            let v = visits.get(&r.code).copied().unwrap_or_default();
            let previous_scans = before.get(r.code.as_str()).copied().unwrap_or(0);
            UnitRow {
                code: r.code.clone(),
                name: r.name.clone(),
                venues: r.venues,
                new_venues: r.venues_change,
                scans: r.scans_change,
                previous_scans,
                scans_change: r.scans_change - previous_scans,
                visits: v.total,
                electronic: v.electronic,
                paper: v.paper,
                electronic_share: share(v.electronic, v.total),
                low: r.low,
            }
        })
        .collect();
    let mut total = rows.iter().fold(UnitsTotal::default(), |t, r| UnitsTotal {
        venues: t.venues + r.venues,
        new_venues: t.new_venues + r.new_venues,
        scans: t.scans + r.scans,
        previous_scans: t.previous_scans + r.previous_scans,
        scans_change: t.scans_change + r.scans_change,
        ..t
    });
    // The visits of the whole unit, as e-vs-paper totals them (a venue
    // whose commune is no imported unit still counts here).
    total.visits = evp.total.total;
    total.electronic = evp.total.electronic;
    total.paper = evp.total.paper;
    total.electronic_share = share(evp.total.electronic, evp.total.total);
    (rows, total)
}

fn venue_rows(evp: &EVsPaper, evp_prev: &EVsPaper) -> Vec<VenueRow> {
    let before: HashMap<&str, i64> = evp_prev
        .rows
        .iter()
        .map(|r| (r.venue_id.as_str(), r.total))
        .collect();
    evp.rows
        .iter()
        .map(|r| {
            let previous_visits = before.get(r.venue_id.as_str()).copied().unwrap_or(0);
            VenueRow {
                venue_id: r.venue_id.clone(),
                venue_name: r.venue_name.clone(),
                visits: r.total,
                electronic: r.electronic,
                paper: r.paper,
                previous_visits,
                visits_change: r.total - previous_visits,
            }
        })
        .collect()
}

/// A count as Vietnamese documents write it: dots between thousands.
pub fn vi_number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A share as Vietnamese documents write it: "62,5%", "50%", "—" for none.
pub fn vi_share(share: Option<f64>) -> String {
    match share {
        None => "—".into(),
        Some(s) if s.fract() == 0.0 => format!("{s:.0}%"),
        Some(s) => format!("{s:.1}%").replace('.', ","),
    }
}

/// Section IV, as the printed page words it.
fn notes(w: &Weekly, qr_venues: Option<i64>) -> Vec<String> {
    let o = &w.overview;
    let n = vi_number;
    let trend = match o.scans.change {
        d if d > 0 => format!(
            "tăng {} lượt so với tuần trước ({} lượt)",
            n(d),
            n(o.scans.previous_week)
        ),
        d if d < 0 => format!(
            "giảm {} lượt so với tuần trước ({} lượt)",
            n(-d),
            n(o.scans.previous_week)
        ),
        _ => format!("bằng tuần trước ({} lượt)", n(o.scans.previous_week)),
    };
    let mut out = Vec::new();
    if !w.complete {
        out.push(format!(
            "Tuần chưa kết thúc: số liệu tính đến hết ngày {}.",
            w.made_on.format("%d/%m/%Y")
        ));
    }
    out.push(format!(
        "Trong tuần ghi nhận {} lượt quét, {trend}.",
        n(o.scans.this_week)
    ));
    out.push(match o.electronic_share.this_week {
        None => "Trong tuần không ghi nhận lượt người vào nào.".into(),
        s => format!(
            "Tỷ lệ khai báo điện tử đạt {} số lượt người vào (tuần trước: {}).",
            vi_share(s),
            vi_share(o.electronic_share.previous_week)
        ),
    });
    out.push(if o.silent.this_week == 0 {
        "Mọi địa điểm tạo mã QR đều có lượt quét trong tuần.".into()
    } else {
        format!(
            "Có {} địa điểm không có lượt quét trong tuần ({} địa điểm có kết nối nhưng không \
             có lượt quét, {} địa điểm không gửi dữ liệu); đề nghị các đơn vị liên hệ, đôn đốc \
             các địa điểm này.",
            n(o.silent.this_week),
            n(o.reported_zero.this_week),
            n(o.sent_no_data.this_week)
        )
    });
    if qr_venues.is_some_and(|v| v > 0) {
        let names = |v: &[String]| {
            if v.is_empty() {
                "Không có".to_string()
            } else {
                v.join(", ")
            }
        };
        out.push(format!(
            "Một số đơn vị thực hiện tốt (lượt quét trên mỗi điểm cao nhất): {}.",
            names(&w.leaders)
        ));
        out.push(format!("Một số đơn vị còn thấp: {}.", names(&w.laggards)));
    }
    out
}

/// Runs the six reports the weekly report is made of, for a province,
/// district or commune, and puts them together.
pub async fn run(
    db: &dyn Database,
    units: &UnitIndex,
    code: &str,
    week: IsoWeek,
    today: NaiveDate,
) -> Result<Weekly, ServerError> {
    let (area, _) = units.area(code)?;
    let ([(as_of, compare), (as_of_prev, compare_prev)], [this, prev]) = plan(week);
    debug_assert_eq!(compare, as_of_prev);
    let commune = matches!(area, checkin_server_db::Area::Commune { .. });
    // The unit's QR points, read once for qr-points and silent-points.
    let points = silent_points::points(db, units, code).await?;
    let registered: Vec<(&str, NaiveDate)> = points
        .iter()
        .map(|(p, on)| (p.commune_code.as_str(), *on))
        .collect();
    // The parts are independent reads: run together (PostgreSQL answers
    // them on separate connections).
    let qr = async {
        if commune {
            Ok(None)
        } else {
            qr_points::run_pair(db, units, code, [as_of, compare, compare_prev], &registered)
                .await
                .map(Some)
        }
    };
    debug_assert_eq!(this.previous(), prev);
    let silent = silent_points::run_pair(db, units, code, this, &points);
    // A commune's section II lists its venues; above it, units: visits per
    // commune are enough, and far cheaper than per venue.
    let evp = async {
        if commune {
            tokio::try_join!(
                e_vs_paper::run(db, units, code, this.monday(), this.sunday()),
                e_vs_paper::run(db, units, code, prev.monday(), prev.sunday()),
            )
        } else {
            tokio::try_join!(
                e_vs_paper::run_by_commune(db, units, code, this.monday(), this.sunday()),
                e_vs_paper::run_by_commune(db, units, code, prev.monday(), prev.sunday()),
            )
        }
    };
    let (qr, silent, evp) = tokio::try_join!(qr, silent, evp)?;
    let child = |commune: &str| child_under(units, commune, code);
    Ok(build(week, today, &Parts { qr, silent, evp }, &child))
}

/// The unit directly under `parent` that holds `code` (itself when it is
/// directly under).
pub fn child_under(units: &UnitIndex, code: &str, parent: &str) -> Option<String> {
    let mut at = code;
    // Commune, district, province: a few steps at most, even if the
    // imported parents ever made a loop.
    for _ in 0..3 {
        let up = units.parent(at)?;
        if up == parent {
            return Some(at.to_string());
        }
        at = up;
    }
    None
}

fn opt_share(s: Option<f64>) -> String {
    s.map(|s| s.to_string()).unwrap_or_default()
}

/// The document's four sections as tables, with the officials' headings.
pub fn sections(w: &Weekly) -> Vec<Section> {
    // "2021-W05" -> "5", as the page writes "Tuần 5".
    let number = |week: &str| {
        week.rsplit_once('W').map_or(String::new(), |(_, n)| {
            n.trim_start_matches('0').to_string()
        })
    };
    let (week_no, prev_no) = (number(&w.week), number(&w.previous_week));
    let year = w.week.split_once('-').map_or("", |(y, _)| y);
    let this_col = format!("Tuần {week_no}");
    let prev_col = format!("Tuần {prev_no}");
    let heading = |s: &str| {
        format!(
            "Báo cáo tuần {week_no}/{year} {} (từ {} đến {}): {s}",
            w.unit.name,
            w.from.format("%d/%m/%Y"),
            w.to.format("%d/%m/%Y")
        )
    };
    let o = &w.overview;
    let line = |no: &str, label: &str, c: &Compared| {
        vec![
            no.to_string(),
            label.to_string(),
            c.this_week.to_string(),
            c.previous_week.to_string(),
            c.change.to_string(),
        ]
    };
    let mut rows = vec![
        line("1", "Tổng số địa điểm tạo mã QR (đến hết tuần)", &o.venues),
        line("2", "Lượt quét trong tuần", &o.scans),
    ];
    let mut no = 3;
    if let Some(c) = &o.cumulative_scans {
        rows.push(line("3", "Tổng lượt quét (cộng dồn đến hết tuần)", c));
        no = 4;
    }
    rows.push(line(&no.to_string(), "Lượt người vào", &o.visits));
    rows.push(line("", "trong đó khai báo điện tử", &o.electronic));
    rows.push(line("", "trong đó ghi sổ giấy", &o.paper));
    rows.push(vec![
        String::new(),
        "Tỷ lệ khai báo điện tử (%)".into(),
        opt_share(o.electronic_share.this_week),
        opt_share(o.electronic_share.previous_week),
        opt_share(o.electronic_share.change),
    ]);
    rows.push(line(
        &(no + 1).to_string(),
        "Địa điểm không có lượt quét",
        &o.silent,
    ));
    rows.push(line(
        "",
        "trong đó có kết nối nhưng không có lượt quét",
        &o.reported_zero,
    ));
    rows.push(line("", "trong đó không gửi dữ liệu", &o.sent_no_data));
    let overview = Table::new(
        &["STT", "Nội dung", &this_col, &prev_col, "Tăng/giảm"],
        rows,
    );

    let second = match (&w.units, &w.units_total, &w.venues) {
        (Some(units), Some(t), _) => {
            let name_col = if w.level == "province" {
                "Huyện"
            } else {
                "Thị trấn/xã"
            };
            let visits_col = format!("Lượt người vào tuần {week_no}");
            let scans_col = format!("Lượt quét {}", this_col.to_lowercase());
            let prev_scans_col = format!("Lượt quét {}", prev_col.to_lowercase());
            let mut rows: Vec<Vec<String>> = units
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    vec![
                        (i + 1).to_string(),
                        r.name.clone(),
                        r.code.clone(),
                        r.venues.to_string(),
                        r.new_venues.to_string(),
                        r.scans.to_string(),
                        r.previous_scans.to_string(),
                        r.scans_change.to_string(),
                        r.visits.to_string(),
                        r.electronic.to_string(),
                        r.paper.to_string(),
                        opt_share(r.electronic_share),
                        if r.low { "x".into() } else { String::new() },
                    ]
                })
                .collect();
            rows.push(vec![
                String::new(),
                "Tổng cộng".into(),
                String::new(),
                t.venues.to_string(),
                t.new_venues.to_string(),
                t.scans.to_string(),
                t.previous_scans.to_string(),
                t.scans_change.to_string(),
                t.visits.to_string(),
                t.electronic.to_string(),
                t.paper.to_string(),
                opt_share(t.electronic_share),
                String::new(),
            ]);
            Section {
                sheet: "Theo đơn vị".into(),
                title: heading("II. KẾT QUẢ THEO ĐƠN VỊ"),
                table: Table::new(
                    &[
                        "STT",
                        name_col,
                        "Mã đơn vị",
                        "Tổng số địa điểm tạo mã QR",
                        "Địa điểm mới trong tuần",
                        &scans_col,
                        &prev_scans_col,
                        "Tăng/giảm lượt quét",
                        &visits_col,
                        "Điện tử",
                        "Giấy",
                        "Tỷ lệ điện tử (%)",
                        "Thấp",
                    ],
                    rows,
                ),
            }
        }
        (_, _, venues) => {
            let visits_col = format!("Lượt người vào tuần {week_no}");
            let prev_visits_col = format!("Lượt người vào tuần {prev_no}");
            let rows = venues
                .iter()
                .flatten()
                .enumerate()
                .map(|(i, r)| {
                    vec![
                        (i + 1).to_string(),
                        r.venue_name.clone(),
                        r.venue_id.clone(),
                        r.visits.to_string(),
                        r.electronic.to_string(),
                        r.paper.to_string(),
                        r.previous_visits.to_string(),
                        r.visits_change.to_string(),
                    ]
                })
                .collect();
            Section {
                sheet: "Theo địa điểm".into(),
                title: heading("II. KẾT QUẢ THEO ĐỊA ĐIỂM"),
                table: Table::new(
                    &[
                        "STT",
                        "Địa điểm",
                        "Mã địa điểm",
                        &visits_col,
                        "Điện tử",
                        "Giấy",
                        &prev_visits_col,
                        "Tăng/giảm",
                    ],
                    rows,
                ),
            }
        }
    };

    let silent = silent_points::points_table(&w.reported_zero, &w.sent_no_data);
    let notes = Table::new(
        &["STT", "Nội dung"],
        w.notes
            .iter()
            .enumerate()
            .map(|(i, n)| vec![(i + 1).to_string(), n.clone()])
            .collect(),
    );
    vec![
        Section {
            sheet: "Tình hình chung".into(),
            title: heading("I. TÌNH HÌNH CHUNG"),
            table: overview,
        },
        second,
        Section {
            sheet: "Không có lượt quét".into(),
            title: heading("III. ĐỊA ĐIỂM KHÔNG CÓ LƯỢT QUÉT TRONG TUẦN"),
            table: silent,
        },
        Section {
            sheet: "Nhận xét".into(),
            title: heading("IV. NHẬN XÉT, ĐỀ XUẤT"),
            table: notes,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn unit(code: &str, name: &str) -> UnitName {
        UnitName {
            code: code.into(),
            name: name.into(),
        }
    }

    fn point(id: &str) -> Point {
        Point {
            venue_id: id.into(),
            venue_name: format!("Điểm {id}"),
            commune_code: "14995".into(),
            commune_name: "Xã Trung Xuân".into(),
        }
    }

    fn silent(code: &str, week: &str, venues: usize, zero: &[&str], none: &[&str]) -> SilentPoints {
        silent_points::build(
            unit(code, "Huyện Quan Sơn"),
            week.parse().unwrap(),
            &[],
            &HashMap::new(),
            (0, 0),
        )
        .with(venues, zero, none)
    }

    impl SilentPoints {
        fn with(mut self, venues: usize, zero: &[&str], none: &[&str]) -> Self {
            self.venues = venues;
            self.reported_zero = zero.iter().map(|id| point(id)).collect();
            self.sent_no_data = none.iter().map(|id| point(id)).collect();
            self
        }
    }

    fn evp(rows: &[(&str, &str, i64, i64)]) -> EVsPaper {
        // (venue, commune, electronic, paper)
        let rows: Vec<e_vs_paper::Row> = rows
            .iter()
            .map(|&(v, c, e, p)| e_vs_paper::Row {
                venue_id: v.into(),
                venue_name: format!("Điểm {v}"),
                commune_code: c.into(),
                total: e + p,
                electronic: e,
                paper: p,
            })
            .collect();
        let total = rows
            .iter()
            .fold(e_vs_paper::Total::default(), |t, r| e_vs_paper::Total {
                total: t.total + r.total,
                electronic: t.electronic + r.electronic,
                paper: t.paper + r.paper,
            });
        EVsPaper {
            unit: unit("387", "Huyện Quan Sơn"),
            from: d("2021-08-09"),
            to: d("2021-08-15"),
            rows,
            total,
        }
    }

    fn qr(as_of: &str, rows: &[(&str, i64, i64, i64, i64)]) -> QrPoints {
        // (commune, venues now, scans now, venues then, scans then)
        let children: Vec<UnitName> = rows
            .iter()
            .map(|r| unit(r.0, &format!("Xã {}", r.0)))
            .collect();
        let counts = rows
            .iter()
            .map(|&(c, vn, sn, vt, st)| {
                (
                    c.to_string(),
                    qr_points::Counts {
                        venues_now: vn,
                        scans_now: sn,
                        venues_then: vt,
                        scans_then: st,
                    },
                )
            })
            .collect();
        let as_of = d(as_of);
        qr_points::build(
            unit("387", "Huyện Quan Sơn"),
            as_of,
            as_of - Duration::days(7),
            &children,
            &counts,
        )
    }

    #[test]
    fn the_days_of_a_week_and_the_week_before() {
        for (week, this, prev, weeks) in [
            (
                "2021-W32",
                ("2021-08-15", "2021-08-08"),
                ("2021-08-08", "2021-08-01"),
                ("2021-W32", "2021-W31"),
            ),
            // Across the new year: 2020 had 53 ISO weeks.
            (
                "2021-W01",
                ("2021-01-10", "2021-01-03"),
                ("2021-01-03", "2020-12-27"),
                ("2021-W01", "2020-W53"),
            ),
        ] {
            let ([a, b], [w, p]) = plan(week.parse().unwrap());
            assert_eq!(a, (d(this.0), d(this.1)), "{week}");
            assert_eq!(b, (d(prev.0), d(prev.1)), "{week}");
            assert_eq!(
                (w.to_string(), p.to_string()),
                (weeks.0.into(), weeks.1.into())
            );
        }
    }

    #[test]
    fn shares_round_to_a_tenth_and_change_from_the_unrounded() {
        let t = |total, electronic| e_vs_paper::Total {
            total,
            electronic,
            paper: total - electronic,
        };
        for (now, before, want) in [
            (t(3, 2), t(3, 1), (Some(66.7), Some(33.3), Some(33.3))),
            (t(8, 1), t(8, 0), (Some(12.5), Some(0.0), Some(12.5))),
            (t(0, 0), t(4, 4), (None, Some(100.0), None)),
            // 1/6 = 16.67 and 1/7 = 14.29: 2.38 points, not 16.7 - 14.3.
            (t(6, 1), t(7, 1), (Some(16.7), Some(14.3), Some(2.4))),
            (t(7, 1), t(6, 1), (Some(14.3), Some(16.7), Some(-2.4))),
        ] {
            let s = share_compared(&now, &before);
            assert_eq!(
                (s.this_week, s.previous_week, s.change),
                want,
                "{now:?} {before:?}"
            );
        }
        for (n, text) in [
            (0, "0"),
            (999, "999"),
            (1000, "1.000"),
            (1234567, "1.234.567"),
            (-4500, "-4.500"),
        ] {
            assert_eq!(vi_number(n), text);
        }
        for (s, text) in [
            (None, "—"),
            (Some(62.5), "62,5%"),
            (Some(50.0), "50%"),
            (Some(0.0), "0%"),
        ] {
            assert_eq!(vi_share(s), text);
        }
    }

    #[test]
    fn a_district_week_against_the_week_before() {
        let week: IsoWeek = "2021-W32".parse().unwrap();
        let parts = Parts {
            qr: Some((
                // By the 15th against the 8th; the week before: the 8th against the 1st.
                qr(
                    "2021-08-15",
                    &[("14995", 3, 1500, 2, 1000), ("14998", 1, 20, 1, 20)],
                ),
                qr(
                    "2021-08-08",
                    &[("14995", 2, 1000, 2, 700), ("14998", 1, 20, 0, 0)],
                ),
            )),
            silent: (
                silent("387", "2021-W32", 4, &["z"], &["n1", "n2"]).scans(520, 320),
                silent("387", "2021-W31", 3, &[], &["n1"]).scans(320, 100),
            ),
            evp: (
                evp(&[
                    ("a", "14995", 30, 10),
                    ("b", "14995", 5, 0),
                    ("c", "14998", 0, 0),
                    ("x", "99999", 1, 0),
                ]),
                evp(&[("a", "14995", 10, 10)]),
            ),
        };
        let child = |c: &str| ["14995", "14998"].contains(&c).then(|| c.to_string());
        let w = build(week, d("2021-08-16"), &parts, &child);
        assert_eq!(w.level, "district");
        assert_eq!((w.from, w.to), (d("2021-08-09"), d("2021-08-15")));
        assert_eq!(
            (w.previous_from, w.previous_to),
            (d("2021-08-02"), d("2021-08-08"))
        );
        assert!(w.complete);
        let o = &w.overview;
        assert_eq!(o.venues, Compared::new(4, 3));
        assert_eq!(
            o.scans,
            Compared {
                this_week: 520,
                previous_week: 320,
                change: 200
            }
        );
        assert_eq!(o.cumulative_scans, Some(Compared::new(1520, 1020)));
        assert_eq!(o.visits, Compared::new(46, 20));
        assert_eq!((o.electronic.change, o.paper.change), (26, 0));
        assert_eq!(o.silent, Compared::new(3, 1));
        assert_eq!((o.reported_zero.change, o.sent_no_data.change), (1, 1));
        let rows: Vec<_> = w
            .units
            .as_ref()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r.code.as_str(),
                    r.venues,
                    r.new_venues,
                    r.scans,
                    r.previous_scans,
                    r.scans_change,
                    r.visits,
                    r.electronic_share,
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("14995", 3, 1, 500, 300, 200, 45, Some(77.8)),
                ("14998", 1, 0, 0, 20, -20, 0, None),
            ]
        );
        let t = w.units_total.as_ref().unwrap();
        // The venue of an unknown commune counts in the unit's total only.
        assert_eq!(
            (t.venues, t.new_venues, t.scans, t.previous_scans, t.visits),
            (4, 1, 500, 320, 46)
        );
        assert!(w.venues.is_none());
        assert_eq!(
            w.notes,
            [
                "Trong tuần ghi nhận 520 lượt quét, tăng 200 lượt so với tuần trước (320 lượt).",
                "Tỷ lệ khai báo điện tử đạt 78,3% số lượt người vào (tuần trước: 50%).",
                "Có 3 địa điểm không có lượt quét trong tuần (1 địa điểm có kết nối nhưng không có \
                 lượt quét, 2 địa điểm không gửi dữ liệu); đề nghị các đơn vị liên hệ, đôn đốc các \
                 địa điểm này.",
                "Một số đơn vị thực hiện tốt (lượt quét trên mỗi điểm cao nhất): Xã 14995.",
                "Một số đơn vị còn thấp: Xã 14998.",
            ]
        );

        let s = sections(&w);
        let sheets: Vec<&str> = s.iter().map(|s| s.sheet.as_str()).collect();
        assert_eq!(
            sheets,
            [
                "Tình hình chung",
                "Theo đơn vị",
                "Không có lượt quét",
                "Nhận xét"
            ]
        );
        assert_eq!(
            s[0].table.header,
            ["STT", "Nội dung", "Tuần 32", "Tuần 31", "Tăng/giảm"]
        );
        assert_eq!(
            s[0].table.rows[2],
            [
                "3",
                "Tổng lượt quét (cộng dồn đến hết tuần)",
                "1520",
                "1020",
                "500"
            ]
        );
        assert_eq!(
            s[0].table.rows[6],
            ["", "Tỷ lệ khai báo điện tử (%)", "78.3", "50", "28.3"]
        );
        assert_eq!(s[1].table.header[1], "Thị trấn/xã");
        assert_eq!(
            s[1].table.rows[0],
            [
                "1",
                "Xã 14995",
                "14995",
                "3",
                "1",
                "500",
                "300",
                "200",
                "45",
                "35",
                "10",
                "77.8",
                ""
            ]
        );
        assert_eq!(s[1].table.rows[2][1], "Tổng cộng");
        assert_eq!(s[2].table.rows.len(), 3);
        assert!(
            s[3].title
                .starts_with("Báo cáo tuần 32/2021 Huyện Quan Sơn (từ 09/08/2021 đến 15/08/2021)"),
            "{}",
            s[3].title
        );
        let csv = super::super::sections_csv(&s);
        assert!(
            csv.starts_with("\u{feff}Báo cáo tuần 32/2021 Huyện Quan Sơn"),
            "{csv}"
        );
        assert!(csv.contains("\r\n\r\nBáo cáo tuần 32/2021 Huyện Quan Sơn (từ 09/08/2021 đến 15/08/2021): II. KẾT QUẢ THEO ĐƠN VỊ\r\nSTT,Thị trấn/xã,Mã đơn vị,"), "{csv}");
    }

    #[test]
    fn a_commune_week_lists_its_venues_and_an_unfinished_week_says_so() {
        let week: IsoWeek = "2021-W32".parse().unwrap();
        let parts = Parts {
            qr: None,
            silent: (
                silent("14995", "2021-W32", 2, &[], &[]).scans(7, 7),
                silent("14995", "2021-W31", 2, &[], &["b"]).scans(7, 0),
            ),
            evp: (
                evp(&[("a", "14995", 3, 1), ("b", "14995", 0, 2)]),
                evp(&[("a", "14995", 6, 0)]),
            ),
        };
        let w = build(week, d("2021-08-15"), &parts, &|_| None);
        assert_eq!(w.level, "commune");
        assert!(!w.complete, "Sunday the 15th is still week 32");
        assert!(w.units.is_none() && w.units_total.is_none() && w.low_rule.is_none());
        let rows: Vec<_> = w
            .venues
            .as_ref()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r.venue_id.as_str(),
                    r.visits,
                    r.previous_visits,
                    r.visits_change,
                )
            })
            .collect();
        assert_eq!(rows, [("a", 4, 6, -2), ("b", 2, 0, 2)]);
        assert_eq!(w.overview.cumulative_scans, None);
        assert_eq!(
            w.notes,
            [
                "Tuần chưa kết thúc: số liệu tính đến hết ngày 15/08/2021.",
                "Trong tuần ghi nhận 7 lượt quét, bằng tuần trước (7 lượt).",
                "Tỷ lệ khai báo điện tử đạt 50% số lượt người vào (tuần trước: 100%).",
                "Mọi địa điểm tạo mã QR đều có lượt quét trong tuần.",
            ]
        );
        let s = sections(&w);
        assert_eq!(s[1].sheet, "Theo địa điểm");
        assert_eq!(s[1].table.header[3], "Lượt người vào tuần 32");
        assert_eq!(
            s[1].table.rows[0],
            ["1", "Điểm a", "a", "4", "3", "1", "6", "-2"]
        );
        // Without the cumulative line the numbering closes up.
        let numbers: Vec<&str> = s[0].table.rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(numbers, ["1", "2", "3", "", "", "", "4", "", ""]);
    }

    impl SilentPoints {
        fn scans(mut self, this_week: i64, previous_week: i64) -> Self {
            self.scans = silent_points::Scans {
                this_week,
                previous_week,
                change: this_week - previous_week,
            };
            self
        }
    }
}
