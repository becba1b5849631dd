//! The report API: the same reports as `checkin-server report`, for the
//! official's area only, as JSON, CSV or XLSX.

use super::Official;
use crate::error::ApiError;
use crate::reports::{self, Name, Params, UnitIndex};
use crate::{AppState, ServerError};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use checkin_sync::protocol::ApiError as ErrorBody;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A unit as the pages show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub(crate) struct UnitView {
    code: String,
    name: String,
    /// `province`, `district` or `commune`.
    level: &'static str,
    /// The province of a district, the district of a commune.
    parent: Option<String>,
}

impl UnitView {
    pub(crate) fn of(units: &UnitIndex, code: &str) -> Self {
        use checkin_core::UnitLevel;
        Self {
            code: code.to_string(),
            name: units.name(code).unwrap_or(code).to_string(),
            level: match UnitLevel::of_code(code) {
                Some(UnitLevel::Province) => "province",
                Some(UnitLevel::District) => "district",
                _ => "commune",
            },
            parent: units.parent(code).map(str::to_string),
        }
    }
}

/// The official's area and the units inside it.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct Areas {
    area: UnitView,
    /// Every unit inside the area, the area itself included.
    units: Vec<UnitView>,
}

pub(crate) async fn unit_index(st: &AppState) -> Result<std::sync::Arc<UnitIndex>, ApiError> {
    st.units
        .index(st.db.as_ref())
        .await
        .map_err(ApiError::storage)
}

/// Units inside the official's area
#[utoipa::path(get, path = "/areas", tag = "dashboard",
    security(("session" = [])),
    responses(
        (status = 200, description = "The area and the units inside it", body = Areas),
        (status = 401, description = "not_logged_in", body = ErrorBody),
        (status = 503, description = "storage_unavailable", body = ErrorBody),
    ))]
pub(crate) async fn areas(State(st): State<AppState>, o: Official) -> Result<Response, ApiError> {
    let units = unit_index(&st).await?;
    let area = &o.user.area_code;
    let body = Areas {
        area: UnitView::of(&units, area),
        units: units
            .inside(area)
            .into_iter()
            .map(|u| UnitView::of(&units, &u.code))
            .collect(),
    };
    Ok(axum::Json(body).into_response())
}

/// What a report is asked for; each report reads the dates it needs.
#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ReportQuery {
    /// A province, district or commune code inside the area (default: the
    /// official's area).
    unit: Option<String>,
    /// YYYY-MM-DD (qr-points, coverage, reconciliation; default today).
    as_of: Option<String>,
    /// YYYY-MM-DD (qr-points: the changes are counted since this date).
    compare: Option<String>,
    /// YYYY-Www (silent-points, weekly; default last week).
    week: Option<String>,
    /// YYYY-MM-DD (e-vs-paper, roster).
    from: Option<String>,
    /// YYYY-MM-DD (e-vs-paper, roster).
    to: Option<String>,
    /// `json` (default), `csv` or `xlsx`: the last two are downloads.
    format: Option<String>,
}

/// A report's JSON, as `checkin-server report NAME --format json` prints
/// it: the unit asked for, the dates, `rows` and a `total`; the weekly
/// report its `overview`, `units` or `venues`, silent points and `notes`
/// (see docs/reports.md for each report's keys).
#[derive(utoipa::ToSchema)]
#[schema(value_type = Object)]
#[allow(dead_code)] // Only documents the answer, which is built as JSON.
pub(crate) struct ReportJson(serde_json::Value);

/// An XLSX workbook: one sheet, or one per section of the weekly report.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)] // Only documents the answer.
pub(crate) struct Spreadsheet(Vec<u8>);

/// The reports the dashboard serves, as the path names them (the same as
/// `checkin-server report NAME`).
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "kebab-case")]
#[allow(dead_code)] // Only documents the path parameter, which stays a string.
pub(crate) enum ReportName {
    QrPoints,
    SilentPoints,
    EVsPaper,
    Coverage,
    Reconciliation,
    Roster,
    Weekly,
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid", message)
}

fn date(name: &str, v: &Option<String>) -> Result<Option<NaiveDate>, ApiError> {
    v.as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                .map_err(|_| invalid(format!("{name}: {s:?} is not a date (YYYY-MM-DD)")))
        })
        .transpose()
}

/// Refuses a unit outside the official's area: the one check every report
/// passes through before it reads anything.
pub(crate) fn require_inside(units: &UnitIndex, o: &Official, unit: &str) -> Result<(), ApiError> {
    if units.within(unit, &o.user.area_code) {
        Ok(())
    } else {
        tracing::info!(login = %o.user.login, unit, "dashboard read outside the area refused");
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "outside_area",
            "this unit is outside your area",
        ))
    }
}

/// The unit a request names (the official's area when it names none),
/// refused when outside the area.
fn asked_unit(units: &UnitIndex, o: &Official, asked: Option<&str>) -> Result<String, ApiError> {
    let unit = asked
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .unwrap_or(&o.user.area_code)
        .to_string();
    require_inside(units, o, &unit)?;
    Ok(unit)
}

/// A report inside the official's area
///
/// The same JSON as `checkin-server report NAME`; `format=csv` or `xlsx`
/// gives a download (columns as officials write them; the weekly report
/// in sections, a sheet each). A unit outside the area answers 403
/// outside_area.
#[utoipa::path(get, path = "/reports/{name}", tag = "dashboard",
    security(("session" = [])),
    params(("name" = inline(ReportName), Path, description = "Which report"), ReportQuery),
    responses(
        (status = 200, description = "The report",
            content(
                (ReportJson = "application/json"),
                (String = "text/csv; charset=utf-8"),
                (inline(Spreadsheet) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ),
            headers(("Content-Disposition" = String, description = "For csv and xlsx: attachment; filename=\"<report>-<unit>-<date>.<ext>\""))),
        (status = 400, description = "invalid: a bad date, week or format, or a date the report needs is missing", body = ErrorBody),
        (status = 401, description = "not_logged_in", body = ErrorBody),
        (status = 403, description = "outside_area", body = ErrorBody),
        (status = 404, description = "not_found: no such report", body = ErrorBody),
        (status = 500, description = "internal: the spreadsheet could not be built", body = ErrorBody),
        (status = 503, description = "storage_unavailable", body = ErrorBody),
    ))]
pub(crate) async fn report(
    State(st): State<AppState>,
    o: Official,
    Path(name): Path<String>,
    query: Result<Query<ReportQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query.map_err(|e| invalid(e.body_text()))?;
    let name: Name = name
        .parse()
        .map_err(|e: String| ApiError::new(StatusCode::NOT_FOUND, "not_found", e))?;
    let format = q.format.as_deref().unwrap_or("json");
    if !matches!(format, "json" | "csv" | "xlsx") {
        return Err(invalid(format!("format {format:?}: use json, csv or xlsx")));
    }
    let units = unit_index(&st).await?;
    let unit = asked_unit(&units, &o, q.unit.as_deref())?;
    let params = Params {
        unit,
        as_of: date("as_of", &q.as_of)?,
        compare: date("compare", &q.compare)?,
        week: q
            .week
            .as_deref()
            .filter(|w| !w.trim().is_empty())
            .map(|w| w.trim().parse().map_err(invalid))
            .transpose()?,
        from: date("from", &q.from)?,
        to: date("to", &q.to)?,
    };
    let today = checkin_core::calendar::local_date(&st.clock.now());
    let out = reports::run(st.db.as_ref(), &units, name, &params, today)
        .await
        .map_err(|e| match e {
            ServerError::Db(e) => ApiError::storage(e),
            e => invalid(e.to_string()),
        })?;
    let attachment = |ext: &str, mime: &'static str, body: Vec<u8>| {
        let disposition = format!("attachment; filename=\"{}.{ext}\"", out.file_stem);
        (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_str(&disposition)
                        .unwrap_or(HeaderValue::from_static("attachment")),
                ),
            ],
            body,
        )
            .into_response()
    };
    Ok(match format {
        "csv" => attachment("csv", "text/csv; charset=utf-8", out.csv().into_bytes()),
        "xlsx" => {
            let bytes = out.xlsx().map_err(|e| {
                tracing::error!(error = %e, "cannot build a report spreadsheet");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "cannot build the spreadsheet; download CSV instead",
                )
            })?;
            attachment(
                "xlsx",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                bytes,
            )
        }
        _ => axum::Json(out.json).into_response(),
    })
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct VenueQuery {
    /// A province, district or commune code inside the area (default: the
    /// official's area).
    unit: Option<String>,
    /// Part of the name (case and diacritics aside) or of the id.
    q: Option<String>,
}

/// A QR point as the pages list it.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct VenueView {
    id: String,
    name: String,
    /// A venue category (`school`, `market`, …).
    category: &'static str,
    commune_code: String,
    commune_name: String,
    registered_on: NaiveDate,
}

/// The venues that matched, the first [`MAX_VENUES`] of them listed.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct VenueList {
    /// At most 200, by commune then name.
    venues: Vec<VenueView>,
    /// How many matched.
    total: usize,
}

/// Most venues one answer lists; the pages narrow with `q`.
const MAX_VENUES: usize = 200;

/// QR points of a unit inside the official's area
///
/// The venues of `unit` whose name (case and diacritics aside) or id
/// contains `q`, by commune then name; at most 200, with `total` the
/// number that matched.
#[utoipa::path(get, path = "/venues", tag = "dashboard",
    security(("session" = [])),
    params(VenueQuery),
    responses(
        (status = 200, description = "The venues", body = VenueList),
        (status = 400, description = "invalid", body = ErrorBody),
        (status = 401, description = "not_logged_in", body = ErrorBody),
        (status = 403, description = "outside_area", body = ErrorBody),
        (status = 503, description = "storage_unavailable", body = ErrorBody),
    ))]
pub(crate) async fn venues(
    State(st): State<AppState>,
    o: Official,
    query: Result<Query<VenueQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = query.map_err(|e| invalid(e.body_text()))?;
    let units = unit_index(&st).await?;
    let unit = asked_unit(&units, &o, q.unit.as_deref())?;
    let needle = checkin_core::fold(q.q.as_deref().unwrap_or("").trim());
    let listing = crate::venues::list(st.db.as_ref(), Some(&unit))
        .await
        .map_err(|e| match e {
            ServerError::Db(e) => ApiError::storage(e),
            e => invalid(e.to_string()),
        })?;
    let matching: Vec<VenueView> = listing
        .into_iter()
        .filter(|v| {
            needle.is_empty()
                || checkin_core::fold(&v.venue.name).contains(&needle)
                || v.venue.id.as_str().to_lowercase().contains(&needle)
        })
        .map(|v| VenueView {
            id: v.venue.id.to_string(),
            commune_name: units
                .name(&v.venue.commune_code)
                .unwrap_or_default()
                .to_string(),
            name: v.venue.name,
            category: v.venue.category.as_str(),
            commune_code: v.venue.commune_code,
            registered_on: v.registered_on,
        })
        .collect();
    let total = matching.len();
    let venues: Vec<VenueView> = matching.into_iter().take(MAX_VENUES).collect();
    Ok(axum::Json(VenueList { venues, total }).into_response())
}
