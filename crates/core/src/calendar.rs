//! Dates as officials count them: local dates in Asia/Ho_Chi_Minh and ISO
//! weeks (Monday to Sunday).
//!
//! Vietnam has kept UTC+07:00 all year since 1975 (no daylight saving), and
//! every record is after 2020, so a fixed offset is exact and needs no time
//! zone database on the server.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Utc, Weekday};
use std::fmt;
use std::str::FromStr;

/// UTC+07:00, Asia/Ho_Chi_Minh.
pub fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("7 hours is a valid offset")
}

/// The date in Vietnam at instant `t`, whatever offset `t` was written in.
pub fn local_date<Tz: TimeZone>(t: &DateTime<Tz>) -> NaiveDate {
    t.with_timezone(&vietnam()).date_naive()
}

/// The first instant of `date` in Vietnam (its midnight), in UTC.
pub fn start_of_day(date: NaiveDate) -> DateTime<Utc> {
    vietnam()
        .from_local_datetime(&date.and_hms_opt(0, 0, 0).expect("midnight exists"))
        .single()
        .expect("a fixed offset has one midnight")
        .with_timezone(&Utc)
}

/// An ISO week: `2021-W32`, Monday to Sunday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoWeek {
    monday: NaiveDate,
}

impl IsoWeek {
    /// The week holding `date`.
    pub fn of(date: NaiveDate) -> Self {
        let back = date.weekday().num_days_from_monday();
        Self {
            monday: date - Duration::days(back.into()),
        }
    }

    /// The week `week` (1–53) of ISO year `year`, if it exists.
    pub fn new(year: i32, week: u32) -> Option<Self> {
        NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).map(|monday| Self { monday })
    }

    pub fn monday(self) -> NaiveDate {
        self.monday
    }

    pub fn sunday(self) -> NaiveDate {
        self.monday + Duration::days(6)
    }

    /// The week before.
    pub fn previous(self) -> Self {
        Self {
            monday: self.monday - Duration::days(7),
        }
    }
}

impl fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = self.monday.iso_week();
        write!(f, "{}-W{:02}", w.year(), w.week())
    }
}

impl FromStr for IsoWeek {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("{s:?} is not an ISO week; write it as YYYY-Www, e.g. 2021-W32");
        let (y, w) = s.trim().split_once("-W").ok_or_else(bad)?;
        if y.len() != 4 || w.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let week: u32 = w.parse().map_err(|_| bad())?;
        Self::new(year, week).ok_or_else(|| format!("{year} has no week {week}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn local_dates_turn_at_midnight_in_vietnam() {
        let cases = [
            ("2021-08-09T16:59:59.999Z", "2021-08-09"),
            ("2021-08-09T17:00:00Z", "2021-08-10"),
            ("2021-08-10T00:30:00+07:00", "2021-08-10"),
            ("2021-08-09T23:30:00-05:00", "2021-08-10"),
            ("2021-12-31T17:00:00Z", "2022-01-01"),
        ];
        for (t, want) in cases {
            let t = DateTime::parse_from_rfc3339(t).unwrap();
            assert_eq!(local_date(&t), d(want), "{t}");
        }
        assert_eq!(
            start_of_day(d("2021-08-10")).to_rfc3339(),
            "2021-08-09T17:00:00+00:00"
        );
    }

    #[test]
    fn iso_weeks_run_monday_to_sunday() {
        let cases = [
            // (a date, its week, Monday, Sunday)
            ("2021-08-09", "2021-W32", "2021-08-09", "2021-08-15"),
            ("2021-08-15", "2021-W32", "2021-08-09", "2021-08-15"),
            ("2021-01-01", "2020-W53", "2020-12-28", "2021-01-03"),
            ("2024-12-30", "2025-W01", "2024-12-30", "2025-01-05"),
            ("2020-02-29", "2020-W09", "2020-02-24", "2020-03-01"),
        ];
        for (date, week, mon, sun) in cases {
            let w = IsoWeek::of(d(date));
            assert_eq!(w.to_string(), week, "{date}");
            assert_eq!((w.monday(), w.sunday()), (d(mon), d(sun)), "{date}");
            assert_eq!(week.parse::<IsoWeek>(), Ok(w));
        }
        assert_eq!(
            IsoWeek::of(d("2021-01-04")).previous().to_string(),
            "2020-W53"
        );
    }

    #[test]
    fn bad_weeks_are_refused() {
        for s in [
            "2021-32", "2021-W3", "21-W32", "2021-W00", "2021-W53", "2021-Wxx", "",
        ] {
            assert!(s.parse::<IsoWeek>().is_err(), "{s}");
        }
        assert!("2020-W53".parse::<IsoWeek>().is_ok());
    }
}
