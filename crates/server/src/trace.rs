//! Contact tracing: who was at a venue during a window, and where a
//! person went. The pairing of entries and exits is a pure function over
//! stored visits (tested by tables); [`trace_venue`] and [`trace_person`]
//! read, write the lookup to the audit log and only then answer, for the
//! dashboard and the console alike (each checks who may ask first).

use crate::reports::{Table, UnitIndex};
use crate::ServerError;
use checkin_core::{IdentityKey, Record, Subject};
use checkin_server_db::{AuditEntry, Database, UnitFilter, VenueListing, Visit, MAX_TRACE_ROWS};
use chrono::{DateTime, Duration, FixedOffset, NaiveDateTime, TimeZone, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// How long a visitor is taken to stay when no exit was recorded.
pub const DEFAULT_STAY_MINUTES: i64 = 120;
/// How far before the window entries are read: a stay longer than this
/// with no exit in the window is not seen.
pub const LOOKBACK_HOURS: i64 = 24;
/// The widest window one lookup may cover.
pub const MAX_WINDOW_DAYS: i64 = 31;

/// A time window, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Window {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// Reads a time as RFC 3339, or as `YYYY-MM-DDTHH:MM` local time in Vietnam
/// (what a datetime-local field sends).
pub fn parse_time(name: &str, text: &str) -> Result<DateTime<Utc>, ServerError> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.to_utc());
    }
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .and_then(|t| {
            checkin_core::calendar::vietnam()
                .from_local_datetime(&t)
                .single()
        })
        .map(|t| t.to_utc())
        .ok_or_else(|| {
            ServerError::Invalid(format!(
                "{name}: {text:?} is not a time (YYYY-MM-DDTHH:MM, Vietnam time, or RFC 3339)"
            ))
        })
}

impl Window {
    pub fn new(from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Self, ServerError> {
        if to < from {
            return Err(ServerError::Invalid(
                "the window ends before it starts".into(),
            ));
        }
        if to - from > Duration::days(MAX_WINDOW_DAYS) {
            return Err(ServerError::Invalid(format!(
                "the window is longer than {MAX_WINDOW_DAYS} days: narrow it"
            )));
        }
        Ok(Self { from, to })
    }
}

/// A reason is required and is kept in the audit log.
pub fn check_reason(reason: &str) -> Result<String, ServerError> {
    let r = reason.trim();
    let n = r.chars().count();
    if !(5..=500).contains(&n) {
        return Err(ServerError::Invalid(
            "give the reason for this lookup (5 to 500 characters), e.g. the case it is for".into(),
        ));
    }
    Ok(r.to_string())
}

/// How long a visitor is taken to stay without an exit, checked (1 to
/// 1440 minutes; the default when none is given).
pub fn check_stay(minutes: Option<i64>) -> Result<i64, ServerError> {
    let stay = minutes.unwrap_or(DEFAULT_STAY_MINUTES);
    if !(1..=24 * 60).contains(&stay) {
        return Err(ServerError::Invalid("stay_minutes: give 1 to 1440".into()));
    }
    Ok(stay)
}

/// The identity key of a person looked up by ID-card number or phone.
pub fn person_key(id_number: Option<&str>, phone: Option<&str>) -> Result<String, ServerError> {
    let id = id_number.map(str::trim).filter(|s| !s.is_empty());
    let phone = phone.map(str::trim).filter(|s| !s.is_empty());
    if id.is_some() == phone.is_some() {
        return Err(ServerError::Invalid(
            "look a person up by one of: ID-card number, phone".into(),
        ));
    }
    let key = match (id, phone) {
        (Some(id), _) => IdentityKey::best(Some(id), None, "", "")
            .filter(|k| matches!(k, IdentityKey::IdCard(_))),
        (_, Some(p)) => {
            IdentityKey::best(None, Some(p), "", "").filter(|k| matches!(k, IdentityKey::Phone(_)))
        }
        _ => None,
    };
    key.map(|k| k.to_string())
        .ok_or_else(|| ServerError::Invalid("that ID-card number or phone is not valid".into()))
}

/// Who a stored record names: name, ID-card number, phone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Person {
    pub name: Option<String>,
    pub id_number: Option<String>,
    pub phone: Option<String>,
}

fn person_of(body: &str) -> Person {
    let Ok(record) = serde_json::from_str::<Record>(body) else {
        return Person::default();
    };
    match record {
        Record::Checkin(c) => match c.subject {
            Subject::IdCard {
                id_number,
                full_name,
                ..
            } => Person {
                name: Some(full_name),
                id_number: Some(id_number),
                phone: None,
            },
            Subject::Pass { full_name, .. } => Person {
                name: Some(full_name),
                ..Default::default()
            },
            Subject::PersonCode { full_name, key, .. } => Person {
                name: Some(full_name),
                id_number: match key {
                    checkin_core::IdentityKey::IdCard(id) => Some(id),
                    _ => None,
                },
                phone: None,
            },
            Subject::Typed(p) => Person {
                name: Some(p.full_name),
                id_number: p.id_number,
                phone: p.phone,
            },
            _ => Person::default(),
        },
        Record::Declaration(d) => Person {
            name: Some(d.declaration.full_name.clone()),
            id_number: d.declaration.id_number.clone(),
            phone: Some(d.declaration.phone.clone()),
        },
        _ => Person::default(),
    }
}

/// Someone present at a venue: from the entry (unknown when only the exit
/// is in reach) to the exit, or to the entry plus the default stay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Presence {
    #[serde(flatten)]
    pub person: Person,
    pub entered_at: Option<DateTime<FixedOffset>>,
    pub left_at: DateTime<FixedOffset>,
    /// The exit is the entry plus the default stay (no exit recorded).
    pub left_estimated: bool,
    pub source: Option<String>,
}

fn local(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&checkin_core::calendar::vietnam())
}

/// Pairs entries and exits per person (records with no identity key stand
/// alone) and keeps the stays that overlap `window`, in entry order.
pub fn presences(visits: &[Visit], window: Window, stay: Duration) -> Vec<Presence> {
    let mut by_person: BTreeMap<String, Vec<&Visit>> = BTreeMap::new();
    for v in visits {
        let key = v
            .person_key
            .clone()
            .unwrap_or_else(|| format!("record:{}", v.record_id));
        by_person.entry(key).or_default().push(v);
    }
    let mut out = Vec::new();
    for mut vs in by_person.into_values() {
        vs.sort_by_key(|v| v.visit_time);
        let mut open: Option<&Visit> = None;
        let mut close = |entry: Option<&Visit>, exit: Option<&Visit>| {
            let (start, end, estimated) = match (entry, exit) {
                (Some(e), Some(x)) => (Some(e.visit_time), x.visit_time, false),
                (Some(e), None) => (Some(e.visit_time), e.visit_time + stay, true),
                (None, Some(x)) => (None, x.visit_time, false),
                (None, None) => return,
            };
            if start.is_none_or(|s| s <= window.to) && end >= window.from {
                let named = entry.or(exit).expect("one of them");
                out.push(Presence {
                    person: person_of(&named.body),
                    entered_at: start.map(local),
                    left_at: local(end),
                    left_estimated: estimated,
                    source: named.source.clone(),
                });
            }
        };
        for v in vs {
            if v.direction.as_deref() == Some("out") {
                close(open.take(), Some(v));
            } else {
                if let Some(e) = open.take() {
                    close(Some(e), None);
                }
                open = Some(v);
            }
        }
        close(open, None);
    }
    out.sort_by(|a, b| {
        (a.entered_at.map(|t| t.to_utc()), a.left_at)
            .cmp(&(b.entered_at.map(|t| t.to_utc()), b.left_at))
    });
    out
}

/// One place a person went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PlaceVisit {
    pub at: DateTime<FixedOffset>,
    pub venue_id: Option<String>,
    pub venue_name: Option<String>,
    pub commune_code: Option<String>,
    /// `in`, `out`, or none for a declaration.
    pub direction: Option<String>,
    pub source: Option<String>,
}

/// Who asks: a dashboard login and their area, or the server's console
/// ([`crate::accounts::CONSOLE`], the area of the province it reads).
#[derive(Debug, Clone, Copy)]
pub struct Asker<'a> {
    pub login: &'a str,
    pub area_code: &'a str,
}

/// The venue a lookup names: `Invalid` for a malformed id,
/// `UnknownVenue` for one not registered.
pub async fn find_venue(db: &dyn Database, id: &str) -> Result<VenueListing, ServerError> {
    let id: checkin_core::VenueId = id
        .trim()
        .parse()
        .map_err(|e| ServerError::Invalid(format!("venue_id: {e}")))?;
    db.list_venues(&UnitFilter::Venue(id.clone()))
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| ServerError::UnknownVenue(id.to_string()))
}

fn too_many(found: usize) -> Result<(), ServerError> {
    if found > MAX_TRACE_ROWS {
        return Err(ServerError::Invalid(format!(
            "more than {MAX_TRACE_ROWS} check-ins in this window: narrow it"
        )));
    }
    Ok(())
}

/// Writes a lookup to the audit log; the caller answers only once this
/// has returned the entry's id.
#[allow(clippy::too_many_arguments)]
async fn audit(
    db: &dyn Database,
    asker: Asker<'_>,
    province: &str,
    action: &str,
    reason: &str,
    query: serde_json::Value,
    results: usize,
    now: DateTime<Utc>,
) -> Result<i64, ServerError> {
    let entry = AuditEntry {
        id: 0,
        province_code: province.to_string(),
        at: now,
        login: asker.login.to_string(),
        area_code: asker.area_code.to_string(),
        action: action.to_string(),
        reason: reason.to_string(),
        query: query.to_string(),
        results: results as i64,
    };
    let id = db.add_audit(&entry).await?;
    tracing::info!(
        login = asker.login,
        action,
        audit_id = id,
        results,
        "tracing lookup"
    );
    Ok(id)
}

/// The venue an answer names.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VenueRef {
    pub id: String,
    pub name: String,
    pub commune_code: String,
}

/// Who was at a venue: the answer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VenueAnswer {
    pub venue: VenueRef,
    pub window: Window,
    pub stay_minutes: i64,
    pub people: Vec<Presence>,
    /// The audit log entry of this lookup.
    pub audit_id: i64,
}

/// Who was at `venue` during `window` (a stay without an exit lasting
/// `stay_minutes`), written to the audit log as `asker`'s lookup before it
/// is returned. The caller has checked that `asker` may read the venue.
pub async fn trace_venue(
    db: &dyn Database,
    asker: Asker<'_>,
    venue: &VenueListing,
    window: Window,
    stay_minutes: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<VenueAnswer, ServerError> {
    let province = &venue.province_code;
    let visits = db
        .visits_at_venue(
            province,
            venue.venue.id.as_str(),
            window.from - Duration::hours(LOOKBACK_HOURS),
            window.to + Duration::hours(LOOKBACK_HOURS),
        )
        .await?;
    too_many(visits.len())?;
    let people = presences(&visits, window, Duration::minutes(stay_minutes));
    let audit_id = audit(
        db,
        asker,
        province,
        "trace_venue",
        reason,
        serde_json::json!({"venue_id": venue.venue.id.as_str(), "from": window.from, "to": window.to}),
        people.len(),
        now,
    )
    .await?;
    Ok(VenueAnswer {
        venue: VenueRef {
            id: venue.venue.id.as_str().to_string(),
            name: venue.venue.name.clone(),
            commune_code: venue.venue.commune_code.clone(),
        },
        window,
        stay_minutes,
        people,
        audit_id,
    })
}

/// Where a person went: the answer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonAnswer {
    pub window: Window,
    pub visits: Vec<PlaceVisit>,
    /// The audit log entry of this lookup.
    pub audit_id: i64,
}

/// Where the person of identity key `key` went during `window`, at venues
/// inside `area` (a unit of `province`), written to the audit log as
/// `asker`'s lookup in the province's log before it is returned.
#[allow(clippy::too_many_arguments)]
pub async fn trace_person(
    db: &dyn Database,
    units: &UnitIndex,
    asker: Asker<'_>,
    (province, area): (&str, &str),
    key: &str,
    window: Window,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<PersonAnswer, ServerError> {
    let found = db
        .visits_of_person(province, key, window.from, window.to)
        .await?;
    too_many(found.len())?;
    let names: HashMap<String, String> = db
        .list_venues(&crate::admin::unit_filter(Some(area))?)
        .await?
        .into_iter()
        .map(|v| (v.venue.id.as_str().to_string(), v.venue.name))
        .collect();
    let visits: Vec<PlaceVisit> = found
        .into_iter()
        .filter(|v| {
            v.commune_code
                .as_deref()
                .is_some_and(|c| units.within(c, area))
        })
        .map(|v| PlaceVisit {
            at: local(v.visit_time),
            venue_name: v.venue_id.as_ref().and_then(|id| names.get(id).cloned()),
            venue_id: v.venue_id,
            commune_code: v.commune_code,
            direction: v.direction,
            source: v.source,
        })
        .collect();
    // The audit keeps which kind of number was asked, and the number: an
    // official may have to answer for whom they looked up.
    let audit_id = audit(
        db,
        asker,
        province,
        "trace_person",
        reason,
        serde_json::json!({"person": key, "from": window.from, "to": window.to}),
        visits.len(),
        now,
    )
    .await?;
    Ok(PersonAnswer {
        window,
        visits,
        audit_id,
    })
}

fn time(t: &DateTime<FixedOffset>) -> String {
    t.format("%d/%m/%Y %H:%M").to_string()
}

/// The presences as officials' CSV columns.
pub fn presence_table(rows: &[Presence]) -> Table {
    Table::new(
        &[
            "STT",
            "Họ và tên",
            "Số CCCD",
            "Số điện thoại",
            "Giờ vào",
            "Giờ ra",
            "Ghi chú",
        ],
        rows.iter()
            .enumerate()
            .map(|(i, p)| {
                vec![
                    (i + 1).to_string(),
                    p.person.name.clone().unwrap_or_default(),
                    p.person.id_number.clone().unwrap_or_default(),
                    p.person.phone.clone().unwrap_or_default(),
                    p.entered_at.as_ref().map(time).unwrap_or_default(),
                    time(&p.left_at),
                    if p.left_estimated {
                        "giờ ra ước tính".into()
                    } else {
                        String::new()
                    },
                ]
            })
            .collect(),
    )
}

/// A person's visits as officials' CSV columns.
pub fn place_table(rows: &[PlaceVisit]) -> Table {
    Table::new(
        &["STT", "Thời gian", "Địa điểm", "Mã địa điểm", "Chiều"],
        rows.iter()
            .enumerate()
            .map(|(i, v)| {
                vec![
                    (i + 1).to_string(),
                    time(&v.at),
                    v.venue_name.clone().unwrap_or_default(),
                    v.venue_id.clone().unwrap_or_default(),
                    match v.direction.as_deref() {
                        Some("in") => "vào".into(),
                        Some("out") => "ra".into(),
                        _ => "khai báo".into(),
                    },
                ]
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    fn v(id: &str, key: Option<&str>, dir: &str, at: &str) -> Visit {
        Visit {
            record_id: id.into(),
            venue_id: Some("38-14995-AAAAAA".into()),
            commune_code: Some("14995".into()),
            direction: Some(dir.into()),
            source: Some("qr".into()),
            visit_time: t(at),
            person_key: key.map(Into::into),
            body: String::new(),
        }
    }

    fn spans(p: &[Presence]) -> Vec<(Option<String>, String, bool)> {
        p.iter()
            .map(|p| {
                (
                    p.entered_at.map(|t| t.format("%H:%M").to_string()),
                    p.left_at.format("%H:%M").to_string(),
                    p.left_estimated,
                )
            })
            .collect()
    }

    #[test]
    fn entries_and_exits_pair_per_person() {
        // Window 10:00–11:00 Vietnam (03:00–04:00 UTC).
        let w = Window::new(t("2021-08-10T03:00:00Z"), t("2021-08-10T04:00:00Z")).unwrap();
        let stay = Duration::minutes(DEFAULT_STAY_MINUTES);
        type Span<'a> = (Option<&'a str>, &'a str, bool);
        let cases: Vec<(Vec<Visit>, Vec<Span>)> = vec![
            // In 09:00, out 10:30: overlaps.
            (
                vec![
                    v("1", Some("id:A"), "in", "2021-08-10T02:00:00Z"),
                    v("2", Some("id:A"), "out", "2021-08-10T03:30:00Z"),
                ],
                vec![(Some("09:00"), "10:30", false)],
            ),
            // In 07:00, out 09:59: left before the window.
            (
                vec![
                    v("1", Some("id:A"), "in", "2021-08-10T00:00:00Z"),
                    v("2", Some("id:A"), "out", "2021-08-10T02:59:00Z"),
                ],
                vec![],
            ),
            // In 08:30, no exit: estimated 10:30, overlaps.
            (
                vec![v("1", Some("id:A"), "in", "2021-08-10T01:30:00Z")],
                vec![(Some("08:30"), "10:30", true)],
            ),
            // In 07:00, no exit: estimated 09:00, does not.
            (
                vec![v("1", Some("id:A"), "in", "2021-08-10T00:00:00Z")],
                vec![],
            ),
            // In twice without an exit: the first stay is estimated.
            (
                vec![
                    v("1", Some("id:A"), "in", "2021-08-10T01:30:00Z"),
                    v("2", Some("id:A"), "in", "2021-08-10T03:50:00Z"),
                ],
                vec![
                    (Some("08:30"), "10:30", true),
                    (Some("10:50"), "12:50", true),
                ],
            ),
            // Only an exit in reach (10:15): present until then.
            (
                vec![v("1", Some("id:A"), "out", "2021-08-10T03:15:00Z")],
                vec![(None, "10:15", false)],
            ),
            // Two people with no key: each entry stands alone.
            (
                vec![
                    v("1", None, "in", "2021-08-10T03:10:00Z"),
                    v("2", None, "out", "2021-08-10T03:20:00Z"),
                ],
                vec![(None, "10:20", false), (Some("10:10"), "12:10", true)],
            ),
            // Entered after the window ends.
            (
                vec![v("1", Some("id:A"), "in", "2021-08-10T04:01:00Z")],
                vec![],
            ),
        ];
        for (visits, want) in cases {
            let got = spans(&presences(&visits, w, stay));
            let want: Vec<_> = want
                .into_iter()
                .map(|(a, b, c)| (a.map(String::from), b.to_string(), c))
                .collect();
            assert_eq!(got, want, "{visits:?}");
        }
    }

    #[test]
    fn times_windows_reasons_and_keys() {
        assert_eq!(
            parse_time("from", "2021-08-10T10:00").unwrap(),
            t("2021-08-10T03:00:00Z")
        );
        assert_eq!(
            parse_time("from", "2021-08-10T10:00:00+07:00").unwrap(),
            t("2021-08-10T03:00:00Z")
        );
        assert!(parse_time("from", "10/08/2021").is_err());
        assert!(Window::new(t("2021-08-10T03:00:00Z"), t("2021-08-10T02:00:00Z")).is_err());
        assert!(Window::new(t("2021-08-01T00:00:00Z"), t("2021-09-02T00:00:00Z")).is_err());
        assert!(check_reason("  ca ").is_err());
        assert_eq!(check_reason(" Ca F0 số 12 ").unwrap(), "Ca F0 số 12");
        assert_eq!(
            person_key(Some("001 098 012 345"), None).unwrap(),
            "id:001098012345"
        );
        assert!(person_key(Some("x"), None).is_err());
        assert!(person_key(None, None).is_err());
        assert!(person_key(Some("001098012345"), Some("0912345678")).is_err());
        assert!(person_key(None, Some("0912345678"))
            .unwrap()
            .starts_with("phone:"));
    }
}
