//! The officials' reports: each one reads counts through
//! [`checkin_server_db::ReportStore::count`] inside an [`Area`], and turns
//! them into rows with pure functions (tested by tables, no store needed).
//! Dates are local dates in Asia/Ho_Chi_Minh.

pub mod coverage;
pub mod e_vs_paper;
pub mod qr_points;
pub mod reconciliation;
pub mod roster;
pub mod silent_points;
mod table;
pub mod weekly;

pub use table::{sections_csv, workbook, Section, Table};

use crate::ServerError;
use checkin_core::IsoWeek;
use checkin_server_db::{Area, Database};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// The reports the CLI and the dashboard both serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Name {
    QrPoints,
    SilentPoints,
    EVsPaper,
    Coverage,
    Reconciliation,
    Roster,
    Weekly,
}

impl Name {
    pub const ALL: [Name; 7] = [
        Name::QrPoints,
        Name::SilentPoints,
        Name::EVsPaper,
        Name::Coverage,
        Name::Reconciliation,
        Name::Roster,
        Name::Weekly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Name::QrPoints => "qr-points",
            Name::SilentPoints => "silent-points",
            Name::EVsPaper => "e-vs-paper",
            Name::Coverage => "coverage",
            Name::Reconciliation => "reconciliation",
            Name::Roster => "roster",
            Name::Weekly => "weekly",
        }
    }
}

impl std::str::FromStr for Name {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Name::ALL
            .into_iter()
            .find(|n| n.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Name::ALL.iter().map(|n| n.as_str()).collect();
                format!("unknown report {s:?}; available: {}", names.join(", "))
            })
    }
}

/// What a report is asked for; each report reads the dates it needs and
/// says which are missing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    pub unit: String,
    pub as_of: Option<NaiveDate>,
    pub compare: Option<NaiveDate>,
    pub week: Option<IsoWeek>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// A report's answer in every shape it is served in.
#[derive(Debug, Clone)]
pub struct Output {
    pub json: serde_json::Value,
    /// One table for most reports; the weekly report has one per section.
    pub sections: Vec<Section>,
    /// `<report>-<unit>-<date>`, for downloads.
    pub file_stem: String,
}

impl Output {
    /// One section: the report's table, titled as officials name the report.
    fn single(
        json: serde_json::Value,
        name: Name,
        table: Table,
        stem: String,
        title: String,
    ) -> Self {
        Self {
            json,
            sections: vec![Section {
                sheet: name.as_str().to_string(),
                title,
                table,
            }],
            file_stem: stem,
        }
    }

    /// CSV (UTF-8 with a byte-order mark; sections one after the other).
    pub fn csv(&self) -> String {
        sections_csv(&self.sections)
    }

    /// An XLSX workbook, a sheet per section.
    pub fn xlsx(&self) -> Result<Vec<u8>, ServerError> {
        workbook(&self.sections)
    }
}

/// Runs report `name` for `params`; `today` is the local date defaults
/// count from.
pub async fn run(
    db: &dyn Database,
    units: &UnitIndex,
    name: Name,
    params: &Params,
    today: NaiveDate,
) -> Result<Output, ServerError> {
    let unit = params.unit.trim();
    let stem = |date: &dyn std::fmt::Display| format!("{}-{unit}-{date}", name.as_str());
    Ok(match name {
        Name::QrPoints => {
            let as_of = params.as_of.unwrap_or(today);
            let r = qr_points::run(db, units, unit, as_of, params.compare).await?;
            Output::single(
                json(&r)?,
                name,
                qr_points::table(&r, unit.len() == 2),
                stem(&as_of),
                format!("Địa điểm QR {} đến {as_of}", r.unit.name),
            )
        }
        Name::SilentPoints => {
            let week = params.week.unwrap_or_else(|| IsoWeek::of(today).previous());
            let r = silent_points::run(db, units, unit, week).await?;
            Output::single(
                json(&r)?,
                name,
                silent_points::table(&r),
                stem(&week),
                format!("Điểm không quét {} tuần {week}", r.unit.name),
            )
        }
        Name::EVsPaper => {
            let (from, to) = period(name, params)?;
            let r = e_vs_paper::run(db, units, unit, from, to).await?;
            Output::single(
                json(&r)?,
                name,
                e_vs_paper::table(&r),
                stem(&format_args!("{from}-{to}")),
                format!("Điện tử và giấy {} {from} đến {to}", r.unit.name),
            )
        }
        Name::Coverage => {
            let as_of = params.as_of.unwrap_or(today);
            let r = coverage::run(db, units, unit, as_of).await?;
            Output::single(
                json(&r)?,
                name,
                coverage::table(&r, unit.len() == 2),
                stem(&as_of),
                format!("Tỷ lệ khai báo y tế {} đến {as_of}", r.unit.name),
            )
        }
        Name::Reconciliation => {
            let as_of = params.as_of.unwrap_or(today);
            let r = reconciliation::run(db, units, unit, as_of).await?;
            Output::single(
                json(&r)?,
                name,
                reconciliation::table(&r),
                stem(&as_of),
                format!("Đối chiếu số liệu {} đến {as_of}", r.unit.name),
            )
        }
        Name::Roster => {
            let (from, to) = period(name, params)?;
            let r = roster::run(db, units, unit, from, to).await?;
            Output::single(
                json(&r)?,
                name,
                roster::table(&r),
                stem(&format_args!("{from}-{to}")),
                format!("Cán bộ khai báo y tế {} {from} đến {to}", r.unit.name),
            )
        }
        Name::Weekly => {
            let week = params.week.unwrap_or_else(|| IsoWeek::of(today).previous());
            let r = weekly::run(db, units, unit, week, today).await?;
            Output {
                json: json(&r)?,
                sections: weekly::sections(&r),
                file_stem: stem(&week),
            }
        }
    })
}

/// Refuses a period that ends before it starts.
pub(crate) fn check_period(from: NaiveDate, to: NaiveDate) -> Result<(), ServerError> {
    if from > to {
        return Err(ServerError::Invalid(format!(
            "--from {from} is after --to {to}"
        )));
    }
    Ok(())
}

/// The `from` and `to` dates a report over a period needs.
fn period(name: Name, params: &Params) -> Result<(NaiveDate, NaiveDate), ServerError> {
    match (params.from, params.to) {
        (Some(from), Some(to)) => Ok((from, to)),
        _ => Err(ServerError::Invalid(format!(
            "{} needs both dates, from and to (--from DATE --to DATE), as YYYY-MM-DD",
            name.as_str()
        ))),
    }
}

fn json<T: Serialize>(v: &T) -> Result<serde_json::Value, ServerError> {
    serde_json::to_value(v)
        .map_err(|e| ServerError::Invalid(format!("report not serialisable: {e}")))
}

/// A unit as reports name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitName {
    pub code: String,
    pub name: String,
}

/// The administrative units, by code, for names and children.
#[derive(Debug)]
pub struct UnitIndex {
    units: Vec<checkin_core::AdminUnit>,
    by_code: HashMap<String, usize>,
}

impl UnitIndex {
    pub async fn load(db: &dyn Database) -> Result<Self, ServerError> {
        Ok(Self::new(db.units().await?))
    }

    pub fn new(units: Vec<checkin_core::AdminUnit>) -> Self {
        let by_code = units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.code.clone(), i))
            .collect();
        Self { units, by_code }
    }

    pub fn name(&self, code: &str) -> Option<&str> {
        self.by_code.get(code).map(|&i| self.units[i].name.as_str())
    }

    pub(crate) fn parent(&self, code: &str) -> Option<&str> {
        self.by_code
            .get(code)
            .and_then(|&i| self.units[i].parent.as_deref())
    }

    /// Whether `code` is the unit `area` or lies inside it.
    pub fn within(&self, code: &str, area: &str) -> bool {
        let mut at = Some(code);
        // Province, district, commune: three steps at most, even if the
        // imported parents ever made a loop.
        for _ in 0..3 {
            match at {
                Some(c) if c == area => return true,
                Some(c) => at = self.parent(c),
                None => return false,
            }
        }
        false
    }

    /// `area` and every unit inside it, `area` first, then in code order.
    pub fn inside(&self, area: &str) -> Vec<&checkin_core::AdminUnit> {
        let mut out: Vec<_> = self
            .units
            .iter()
            .filter(|u| u.code != area && self.within(&u.code, area))
            .collect();
        out.sort_by(|a, b| a.code.cmp(&b.code));
        if let Some(&i) = self.by_code.get(area) {
            out.insert(0, &self.units[i]);
        }
        out
    }

    /// The province a unit belongs to (itself for a province).
    pub fn province_of(&self, code: &str) -> Option<&str> {
        let mut at = self
            .by_code
            .get(code)
            .map(|&i| self.units[i].code.as_str())?;
        for _ in 0..2 {
            match self.parent(at) {
                Some(p) => at = p,
                None => break,
            }
        }
        Some(at)
    }

    /// The units directly under `code`, by code.
    pub fn children(&self, code: &str) -> Vec<UnitName> {
        self.units
            .iter()
            .filter(|u| u.parent.as_deref() == Some(code))
            .map(|u| UnitName {
                code: u.code.clone(),
                name: u.name.clone(),
            })
            .collect()
    }

    /// The provinces (no parent), or the units directly below `parent`, in
    /// code order; `None` when `parent` is no imported unit.
    pub fn below(&self, parent: Option<&str>) -> Option<Vec<&checkin_core::AdminUnit>> {
        if let Some(p) = parent {
            self.by_code.get(p)?;
        }
        let mut out: Vec<_> = self
            .units
            .iter()
            .filter(|u| u.parent.as_deref() == parent)
            .collect();
        out.sort_by(|a, b| a.code.cmp(&b.code));
        Some(out)
    }

    /// The area of a province, district or commune code among the
    /// imported units.
    pub fn area(&self, code: &str) -> Result<(Area, UnitName), ServerError> {
        let code = code.trim();
        let name = self.name(code).ok_or_else(|| {
            ServerError::Invalid(format!(
                "unknown unit {code:?}: give a province (2 digits), district (3) or commune (5) \
                 code among the imported units"
            ))
        })?;
        let unit = UnitName {
            code: code.to_string(),
            name: name.to_string(),
        };
        let area = match code.len() {
            2 => Area::Province(code.to_string()),
            3 => Area::District {
                province: self.parent(code).unwrap_or_default().to_string(),
                district: code.to_string(),
            },
            _ => {
                let district = self.parent(code).unwrap_or_default();
                Area::Commune {
                    province: self.parent(district).unwrap_or_default().to_string(),
                    commune: code.to_string(),
                }
            }
        };
        Ok((area, unit))
    }
}
