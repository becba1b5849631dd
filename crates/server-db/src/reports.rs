//! Counts for officials.

use crate::DbError;
use async_trait::async_trait;
use checkin_core::{IsoWeek, RecordKind};
use chrono::NaiveDate;
use serde::Serialize;

/// Counts for `admin stats`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub venues: u64,
    pub devices: u64,
    pub checkins: u64,
    pub declarations: u64,
    pub quarantines: u64,
    pub health_updates: u64,
    pub communes: u64,
    pub enrollment_tokens: u64,
}

impl Stats {
    /// Adds `n` stored records of `kind` (a name of [`RecordKind::as_str`]).
    pub(crate) fn add_records(&mut self, kind: &str, n: u64) {
        match RecordKind::parse(kind) {
            Some(RecordKind::Checkin) => self.checkins += n,
            Some(RecordKind::Declaration) => self.declarations += n,
            Some(RecordKind::Quarantine) => self.quarantines += n,
            Some(RecordKind::HealthUpdate) => self.health_updates += n,
            // The schema's CHECK admits no other kind.
            None => {}
        }
    }
}

/// Counts for officials.
#[async_trait]
pub trait ReportStore: Send + Sync {
    /// Counts `q` inside `area`, one row per `by` key that has any.
    async fn count(&self, area: &Area, by: By, q: &CountQuery) -> Result<Vec<CountRow>, DbError>;
    /// The rows of `q`, a read for a report that counts per person.
    async fn rows(&self, q: &RowQuery) -> Result<Vec<TableRow>, DbError>;
    /// Counts for `admin stats`.
    async fn stats(&self) -> Result<Stats, DbError>;
}

/// Reads that return rows of text then numbers, each confined to its area
/// by the same filter as the counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowQuery {
    /// Each roster member of the area's agencies: commune, agency, name,
    /// then 1 when they declared on a local date in `from..=to`, else 0.
    Roster {
        area: Area,
        from: NaiveDate,
        to: NaiveDate,
    },
    /// Each commune's or agency's latest reported figure on or before
    /// `as_of`, with what the system knows about the people it counts:
    /// commune, agency ('' for the commune itself), the figure's date,
    /// then [`Reconciled`]'s numbers in order.
    Reconciliation { area: Area, as_of: NaiveDate },
}

/// One row of a [`RowQuery`]: its text columns, then its numbers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TableRow {
    pub texts: Vec<String>,
    pub numbers: Vec<i64>,
}

/// The numbers of a reconciliation row, in the order the query gives them.
/// Each counts people on the unit's rows in `declarants` (for an agency,
/// its roster members) relative to the figure's date D:
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Reconciled {
    pub reported: i64,
    /// First declared here by D, and the system had it by D.
    pub system: i64,
    /// Declared by D but typed in from paper after D.
    pub paper_late: i64,
    /// Declared by D on a device that synced after D.
    pub synced_late: i64,
    /// Declared here by D but counted where they first declared.
    pub other_units: i64,
    /// Reached the server by D dated after D (clock or typing error, or a
    /// paper form dated later).
    pub outside_period: i64,
}

impl Reconciled {
    pub fn of(numbers: &[i64]) -> Self {
        let n = |i: usize| numbers.get(i).copied().unwrap_or_default();
        Self {
            reported: n(0),
            system: n(1),
            paper_late: n(2),
            synced_late: n(3),
            other_units: n(4),
            outside_period: n(5),
        }
    }
}

/// An official's area. Every report query is confined to one: the SQL
/// builder below is the one place that adds its filter, so no report can
/// read outside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Area {
    Province(String),
    District { province: String, district: String },
    Commune { province: String, commune: String },
}

impl Area {
    pub fn province(&self) -> &str {
        match self {
            Self::Province(p) => p,
            Self::District { province, .. } | Self::Commune { province, .. } => province,
        }
    }

    /// The unit's own code.
    pub fn code(&self) -> &str {
        match self {
            Self::Province(p) => p,
            Self::District { district, .. } => district,
            Self::Commune { commune, .. } => commune,
        }
    }
}

/// What rows are counted per.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    District,
    Commune,
    Venue,
}

/// The queries reports are built from. Each reads the day counts, venues
/// and device days, never the records themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CountQuery {
    /// QR points registered on or before `up_to`.
    Venues { up_to: NaiveDate },
    /// Stored records of `kind` on local dates `from..=to` (`from: None`:
    /// since the first), only entries when `entries_only`, split by source
    /// when `by_source`.
    Records {
        kind: RecordKind,
        from: Option<NaiveDate>,
        to: NaiveDate,
        entries_only: bool,
        by_source: bool,
    },
    /// QR points with any stored record of `kind` in an ISO week (per
    /// venue 1; per commune or district, how many). Read from the venues'
    /// active weeks: a province's week is one row per active venue.
    ActiveVenues { kind: RecordKind, week: IsoWeek },
    /// Days on which a device enrolled for the venue contacted the server,
    /// within `from..=to`.
    Contacts { from: NaiveDate, to: NaiveDate },
    /// Distinct people who declared on or before `as_of`, by home commune
    /// (`By::Venue` is not meaningful here and counts by home commune).
    Declarants { as_of: NaiveDate },
}

/// One row of a count: the unit code or venue id, the source where split
/// by source, and the count.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CountRow {
    pub key: String,
    pub source: Option<String>,
    pub n: i64,
}

/// A bound value of a report query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Param {
    Text(String),
    Date(NaiveDate),
    Time(chrono::DateTime<chrono::Utc>),
}

/// A report query as SQL with `?N` placeholders (PostgreSQL's `$N` are
/// made from them) and its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sql {
    pub text: String,
    pub params: Vec<Param>,
}

impl Sql {
    fn bind(&mut self, p: Param) -> String {
        self.params.push(p);
        format!("?{}", self.params.len())
    }

    /// The text with `$N` placeholders, for PostgreSQL.
    pub fn dollar_text(&self) -> String {
        crate::ingest::dollars(&self.text)
    }
}

/// Confines table alias `t` (which has `province_code` and `commune_code`)
/// to `area`. The only place reports filter by area.
fn area_filter(sql: &mut Sql, area: &Area, t: &str) -> String {
    let p = sql.bind(Param::Text(area.province().to_string()));
    match area {
        Area::Province(_) => format!("{t}.province_code = {p}"),
        Area::District { district, .. } => {
            let d = sql.bind(Param::Text(district.clone()));
            format!(
                "{t}.province_code = {p} AND {t}.commune_code IN \
                 (SELECT code FROM communes WHERE province_code = {p} AND district_code = {d})"
            )
        }
        Area::Commune { commune, .. } => {
            let c = sql.bind(Param::Text(commune.clone()));
            format!("{t}.province_code = {p} AND {t}.commune_code = {c}")
        }
    }
}

/// The grouping column for `by` over alias `t`, whose venue id is the
/// column `venue` (`id` in `venues`, `venue_id` elsewhere), and the join it
/// needs.
fn group_key(by: By, t: &str, venue: &str) -> (String, String) {
    match by {
        By::Commune => (format!("{t}.commune_code"), String::new()),
        By::Venue => (format!("{t}.{venue}"), String::new()),
        By::District => (
            "u.district_code".into(),
            format!(
                " JOIN communes u ON u.province_code = {t}.province_code AND u.code = {t}.commune_code"
            ),
        ),
    }
}

/// The SQL of a count in an area, grouped by `by`; each backend runs it.
pub(crate) fn count_sql(area: &Area, by: By, q: &CountQuery) -> Sql {
    let mut sql = Sql {
        text: String::new(),
        params: Vec::new(),
    };
    match q {
        CountQuery::Venues { up_to } => {
            let filter = area_filter(&mut sql, area, "v");
            let (key, join) = group_key(by, "v", "id");
            let d = sql.bind(Param::Date(*up_to));
            sql.text = format!(
                "SELECT {key}, CAST(NULL AS TEXT), COUNT(*) FROM venues v{join}
                 WHERE {filter} AND v.registered_on <= {d} GROUP BY {key}"
            );
        }
        CountQuery::Records {
            kind,
            from,
            to,
            entries_only,
            by_source,
        } => {
            let filter = area_filter(&mut sql, area, "c");
            let (key, join) = group_key(by, "c", "venue_id");
            let k = sql.bind(Param::Text(kind.as_str().into()));
            let mut cond = format!("{filter} AND c.kind = {k}");
            if let Some(from) = from {
                let f = sql.bind(Param::Date(*from));
                cond.push_str(&format!(" AND c.local_date >= {f}"));
            }
            let t = sql.bind(Param::Date(*to));
            cond.push_str(&format!(" AND c.local_date <= {t}"));
            if *entries_only {
                cond.push_str(" AND c.direction = 'in'");
            }
            let source = if *by_source {
                "c.source"
            } else {
                "CAST(NULL AS TEXT)"
            };
            let group = if *by_source {
                format!("{key}, c.source")
            } else {
                key.clone()
            };
            // Counts per commune or district read the per-commune table,
            // about 17 times smaller.
            let table = match by {
                By::Venue => "daily_counts",
                By::Commune | By::District => "commune_counts",
            };
            sql.text = format!(
                "SELECT {key}, {source}, CAST(SUM(c.n) AS BIGINT) FROM {table} c{join}
                 WHERE {cond} GROUP BY {group}"
            );
        }
        CountQuery::ActiveVenues { kind, week } => {
            let filter = area_filter(&mut sql, area, "v");
            let (key, join) = group_key(by, "v", "id");
            let k = sql.bind(Param::Text(kind.as_str().into()));
            let w = sql.bind(Param::Date(week.monday()));
            sql.text = format!(
                "SELECT {key}, CAST(NULL AS TEXT), COUNT(*) FROM venue_weeks a
                 JOIN venues v ON v.province_code = a.province_code AND v.id = a.venue_id{join}
                 WHERE {filter} AND a.week = {w} AND a.kind = {k}
                 GROUP BY {key}"
            );
        }
        CountQuery::Contacts { from, to } => {
            let filter = area_filter(&mut sql, area, "v");
            let (key, join) = group_key(by, "v", "id");
            let f = sql.bind(Param::Date(*from));
            let t = sql.bind(Param::Date(*to));
            sql.text = format!(
                "SELECT {key}, CAST(NULL AS TEXT), COUNT(*) FROM device_days dd
                 JOIN devices d ON d.province_code = dd.province_code AND d.id = dd.device_id
                 JOIN venues v ON v.province_code = d.province_code AND v.id = d.venue_id{join}
                 WHERE {filter} AND dd.local_date >= {f} AND dd.local_date <= {t}
                 GROUP BY {key}"
            );
        }
        CountQuery::Declarants { as_of } => {
            let filter = area_filter(&mut sql, area, "h");
            let d = sql.bind(Param::Date(*as_of));
            let (key, join) = match by {
                By::District => group_key(by, "h", "commune_code"),
                By::Commune | By::Venue => group_key(By::Commune, "h", "commune_code"),
            };
            // The home commune stands in for the commune the area filter
            // and the grouping read.
            sql.text = format!(
                "SELECT {key}, CAST(NULL AS TEXT), COUNT(*) FROM
                   (SELECT province_code, home_commune AS commune_code FROM declarants
                    WHERE is_first = 1 AND first_date <= {d}) h{join}
                 WHERE {filter} GROUP BY {key}"
            );
        }
    }
    sql
}

/// The SQL of a row query; each backend runs every statement and joins
/// their rows. `texts` is how many leading columns are text.
pub(crate) fn row_sql(q: &RowQuery) -> Vec<(Sql, usize)> {
    let new = || Sql {
        text: String::new(),
        params: Vec::new(),
    };
    match q {
        RowQuery::Roster { area, from, to } => {
            let mut sql = new();
            let filter = area_filter(&mut sql, area, "ro");
            // Visit times bound the local dates so the person index alone
            // finds the records (its rows hold no local date).
            let f = sql.bind(Param::Time(checkin_core::calendar::start_of_day(*from)));
            let t = sql.bind(Param::Time(checkin_core::calendar::start_of_day(
                *to + chrono::Duration::days(1),
            )));
            sql.text = format!(
                "SELECT ro.commune_code, ro.agency, ro.full_name,
                        CAST(CASE WHEN EXISTS (SELECT 1 FROM records r
                            WHERE r.province_code = ro.province_code
                              AND r.person_key IS NOT NULL AND r.person_key = ro.person_key
                              AND r.visit_time >= {f} AND r.visit_time < {t}
                              AND r.kind = 'declaration')
                          THEN 1 ELSE 0 END AS BIGINT)
                 FROM roster ro WHERE {filter}
                 ORDER BY ro.commune_code, ro.agency, ro.line"
            );
            vec![(sql, 3)]
        }
        RowQuery::Reconciliation { area, as_of } => {
            let latest = |sql: &mut Sql, agencies: bool| {
                let filter = area_filter(sql, area, "t");
                let d = sql.bind(Param::Date(*as_of));
                let which = if agencies { "<>" } else { "=" };
                format!(
                    "SELECT t.province_code, t.commune_code, t.agency, t.local_date, t.reported,
                            ROW_NUMBER() OVER (PARTITION BY t.commune_code, t.agency
                                               ORDER BY t.local_date DESC) AS rn
                     FROM reported_figures t
                     WHERE {filter} AND t.agency {which} '' AND t.local_date <= {d}"
                )
            };
            // `x` counts people: a commune's are its `declarant_days`; an
            // agency's, each member once, on their earliest row across
            // communes (the one marked first).
            let sums = [
                "x.first_date <= f.local_date AND x.received_date <= f.local_date AND x.is_first = 1",
                "x.first_date <= f.local_date AND x.is_first = 1 AND x.received_date > f.local_date
                 AND x.paper = 1",
                "x.first_date <= f.local_date AND x.is_first = 1 AND x.received_date > f.local_date
                 AND x.paper = 0",
                "x.first_date <= f.local_date AND x.is_first = 0",
                "x.first_date > f.local_date AND x.received_date <= f.local_date",
            ]
            .map(|c| format!("CAST(COALESCE(SUM(CASE WHEN {c} THEN x.n ELSE 0 END), 0) AS BIGINT)"))
            .join(", ");
            let mut communes = new();
            let f = latest(&mut communes, false);
            communes.text = format!(
                "WITH f AS ({f})
                 SELECT f.commune_code, f.agency, CAST(f.local_date AS TEXT),
                        CAST(f.reported AS BIGINT), {sums}
                 FROM f LEFT JOIN declarant_days x
                   ON x.province_code = f.province_code AND x.commune_code = f.commune_code
                 WHERE f.rn = 1
                 GROUP BY f.commune_code, f.agency, f.local_date, f.reported"
            );
            let mut agencies = new();
            let f = latest(&mut agencies, true);
            agencies.text = format!(
                "WITH f AS ({f}),
                 m AS (SELECT ro.province_code, ro.commune_code, ro.agency, d.first_date,
                              d.received_date, d.is_first, 1 AS n,
                              CASE WHEN d.source IN ('paper', 'manual') THEN 1 ELSE 0 END AS paper
                       FROM roster ro JOIN declarants d
                         ON d.province_code = ro.province_code AND d.person_key = ro.person_key
                        AND d.is_first = 1)
                 SELECT f.commune_code, f.agency, CAST(f.local_date AS TEXT),
                        CAST(f.reported AS BIGINT), {sums}
                 FROM f LEFT JOIN m x
                   ON x.province_code = f.province_code AND x.commune_code = f.commune_code
                  AND x.agency = f.agency
                 WHERE f.rn = 1
                 GROUP BY f.commune_code, f.agency, f.local_date, f.reported"
            );
            vec![(communes, 3), (agencies, 3)]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_is_confined_to_its_area() {
        let areas = [
            Area::Province("38".into()),
            Area::District {
                province: "38".into(),
                district: "387".into(),
            },
            Area::Commune {
                province: "38".into(),
                commune: "14995".into(),
            },
        ];
        let d = NaiveDate::from_ymd_opt(2021, 8, 9).unwrap();
        let queries = [
            CountQuery::Venues { up_to: d },
            CountQuery::Records {
                kind: RecordKind::Checkin,
                from: Some(d),
                to: d,
                entries_only: true,
                by_source: true,
            },
            CountQuery::Contacts { from: d, to: d },
            CountQuery::ActiveVenues {
                kind: RecordKind::Checkin,
                week: IsoWeek::of(d),
            },
        ];
        for area in &areas {
            for q in &queries {
                for by in [By::District, By::Commune, By::Venue] {
                    let sql = count_sql(area, by, q);
                    assert_eq!(sql.params[0], Param::Text("38".into()), "{q:?}");
                    assert!(sql.text.contains("province_code = ?1"), "{}", sql.text);
                    if !matches!(area, Area::Province(_)) {
                        assert_eq!(sql.params[1], Param::Text(area.code().into()));
                    }
                    assert!(!sql.dollar_text().contains('?'), "{}", sql.dollar_text());
                }
            }
        }
    }
}
