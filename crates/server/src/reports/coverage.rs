//! `coverage`: per child unit, the distinct people living there who had
//! declared by a date, as a share of its imported population, ranked.
//! A person is counted once, where their first declaration says they live
//! (deduplicated by ID-card number, else phone, else name and birth date).

use super::{Table, UnitIndex, UnitName};
use crate::ServerError;
use checkin_server_db::{Area, By, CountQuery, Database, Population};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// 1 for the highest share; units without a population come last,
    /// unranked.
    pub rank: Option<usize>,
    pub code: String,
    pub name: String,
    pub population: Option<i64>,
    pub declared: i64,
    /// Percent of the population, to one decimal.
    pub share: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Total {
    pub population: Option<i64>,
    pub declared: i64,
    pub share: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    pub unit: UnitName,
    pub as_of: NaiveDate,
    pub rows: Vec<Row>,
    pub total: Total,
}

/// Percent to one decimal; `None` without a population.
pub fn share(declared: i64, population: Option<i64>) -> Option<f64> {
    population
        .filter(|&p| p > 0)
        .map(|p| (declared as f64 * 1000.0 / p as f64).round() / 10.0)
}

/// A unit's population: its own imported figure, else the sum of its
/// communes' (for a district), else none.
pub fn population_of(code: &str, figures: &HashMap<String, i64>, units: &UnitIndex) -> Option<i64> {
    if let Some(&p) = figures.get(code) {
        return Some(p);
    }
    let parts: Vec<i64> = units
        .children(code)
        .iter()
        .filter_map(|c| population_of(&c.code, figures, units))
        .collect();
    (!parts.is_empty()).then(|| parts.iter().sum())
}

/// Ranks rows by share, highest first (ties share a rank, by code within).
pub fn build(
    unit: UnitName,
    as_of: NaiveDate,
    children: Vec<(UnitName, Option<i64>)>,
    declared: &HashMap<String, i64>,
    total_population: Option<i64>,
) -> Coverage {
    let mut rows: Vec<Row> = children
        .into_iter()
        .map(|(u, population)| {
            let declared = declared.get(&u.code).copied().unwrap_or(0);
            Row {
                rank: None,
                share: share(declared, population),
                code: u.code,
                name: u.name,
                population,
                declared,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.share
            .partial_cmp(&a.share)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.code.cmp(&b.code))
    });
    let mut last: Option<(f64, usize)> = None;
    for (i, r) in rows.iter_mut().enumerate() {
        if let Some(s) = r.share {
            let rank = match last {
                Some((prev, rank)) if prev == s => rank,
                _ => i + 1,
            };
            r.rank = Some(rank);
            last = Some((s, rank));
        }
    }
    let declared: i64 = rows.iter().map(|r| r.declared).sum();
    Coverage {
        unit,
        as_of,
        rows,
        total: Total {
            population: total_population,
            declared,
            share: share(declared, total_population),
        },
    }
}

pub async fn run(
    db: &dyn Database,
    units: &UnitIndex,
    code: &str,
    as_of: NaiveDate,
) -> Result<Coverage, ServerError> {
    let (area, unit) = units.area(code)?;
    let by = match area {
        Area::Province(_) => By::District,
        _ => By::Commune,
    };
    let figures: HashMap<String, i64> = db
        .populations(area.province())
        .await?
        .into_iter()
        .map(
            |Population {
                 unit_code,
                 population,
                 ..
             }| (unit_code, population),
        )
        .collect();
    let children: Vec<UnitName> = match area {
        Area::Commune { .. } => vec![unit.clone()],
        _ => units.children(&unit.code),
    };
    let declared: HashMap<String, i64> = db
        .count(&area, by, &CountQuery::Declarants { as_of })
        .await?
        .into_iter()
        .map(|r| (r.key, r.n))
        .collect();
    let children = children
        .into_iter()
        .map(|u| {
            let p = population_of(&u.code, &figures, units);
            (u, p)
        })
        .collect();
    let total = population_of(&unit.code, &figures, units);
    Ok(build(unit, as_of, children, &declared, total))
}

pub fn table(r: &Coverage, by_district: bool) -> Table {
    let opt = |v: Option<String>| v.unwrap_or_default();
    let mut rows: Vec<Vec<String>> = r
        .rows
        .iter()
        .enumerate()
        .map(|(i, x)| {
            vec![
                (i + 1).to_string(),
                x.name.clone(),
                x.code.clone(),
                opt(x.population.map(|p| p.to_string())),
                x.declared.to_string(),
                opt(x.share.map(|s| s.to_string())),
                opt(x.rank.map(|k| k.to_string())),
            ]
        })
        .collect();
    rows.push(vec![
        String::new(),
        "Tổng cộng".into(),
        r.unit.code.clone(),
        opt(r.total.population.map(|p| p.to_string())),
        r.total.declared.to_string(),
        opt(r.total.share.map(|s| s.to_string())),
        String::new(),
    ]);
    let unit = if by_district {
        "Huyện"
    } else {
        "Xã/phường/thị trấn"
    };
    Table::new(
        &[
            "STT",
            unit,
            "Mã",
            "Dân số",
            "Số người đã khai báo y tế",
            "Tỷ lệ (%)",
            "Xếp hạng",
        ],
        rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(code: &str) -> UnitName {
        UnitName {
            code: code.into(),
            name: format!("Xã {code}"),
        }
    }

    #[test]
    fn shares_round_to_a_tenth_and_rank_with_ties() {
        assert_eq!(share(1, Some(3)), Some(33.3));
        assert_eq!(share(2, Some(3)), Some(66.7));
        assert_eq!(share(5, None), None);
        assert_eq!(share(5, Some(0)), None);
        let declared: HashMap<String, i64> = [("a", 50), ("b", 10), ("c", 50), ("d", 7)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let d: NaiveDate = "2021-08-15".parse().unwrap();
        let r = build(
            u("387"),
            d,
            vec![
                (u("a"), Some(100)),
                (u("b"), Some(20)),
                (u("c"), Some(100)),
                (u("d"), None),
            ],
            &declared,
            Some(220),
        );
        let got: Vec<(&str, Option<usize>, Option<f64>)> = r
            .rows
            .iter()
            .map(|x| (x.code.as_str(), x.rank, x.share))
            .collect();
        assert_eq!(
            got,
            [
                ("a", Some(1), Some(50.0)),
                ("b", Some(1), Some(50.0)),
                ("c", Some(1), Some(50.0)),
                ("d", None, None)
            ]
        );
        assert_eq!(r.total.declared, 117);
        assert_eq!(r.total.share, Some(53.2));
    }

    #[test]
    fn a_district_without_a_figure_sums_its_communes() {
        let unit = |code: &str, parent: Option<&str>| checkin_core::AdminUnit {
            code: code.into(),
            parent: parent.map(Into::into),
            name: format!("Đơn vị {code}"),
            kind: String::new(),
        };
        let units = UnitIndex::new(vec![
            unit("38", None),
            unit("387", Some("38")),
            unit("14995", Some("387")),
            unit("14998", Some("387")),
        ]);
        let mut f: HashMap<String, i64> = [("14995".to_string(), 1200)].into();
        assert_eq!(population_of("387", &f, &units), Some(1200));
        assert_eq!(population_of("38", &f, &units), Some(1200));
        f.insert("387".into(), 5000);
        assert_eq!(population_of("387", &f, &units), Some(5000));
        assert_eq!(population_of("14998", &f, &units), None);
    }
}
