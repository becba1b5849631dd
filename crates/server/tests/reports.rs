//! The reports end to end on each store: venues registered on their dates,
//! devices enrolled, check-ins stored through ingest (resent too), contacts
//! without records; then qr-points, silent-points and e-vs-paper, whose
//! answers must be the same on SQLite and PostgreSQL.

use checkin_core::{
    CheckIn, DeviceId, Direction, IsoWeek, Policy, Record, Source, Venue, VenueCategory, VenueId,
};
use checkin_server::reports::{e_vs_paper, qr_points, silent_points, UnitIndex};
use checkin_server_db::{
    Database, IncomingRecord, IngestBatch, NewDevice, TokenGrant, Units, VenueRegistration,
};
use checkin_sync::protocol::Scope;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use std::sync::Arc;

mod common;
use common::{stores, UNITS};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn t(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

async fn venue(db: &dyn Database, id: &str, commune: &str, registered_on: &str) -> VenueId {
    let id: VenueId = id.parse().unwrap();
    db.add_venues(&[VenueRegistration {
        venue: Venue {
            id: id.clone(),
            name: format!("Điểm {id}"),
            category: VenueCategory::Market,
            commune_code: commune.into(),
            address: String::new(),
        },
        province_code: "38".into(),
        registered_on: d(registered_on),
    }])
    .await
    .unwrap();
    id
}

async fn device(db: &dyn Database, venue: &VenueId) -> DeviceId {
    let token = format!("token-{venue}");
    let now = Utc::now();
    db.add_enrollment_token(&TokenGrant {
        token_hash: token.clone(),
        scope: Scope::Venue {
            venue_id: venue.clone(),
        },
        province_code: "38".into(),
        created_at: now,
        expires_at: now + Duration::hours(1),
    })
    .await
    .unwrap();
    let id = DeviceId::new();
    db.enroll(
        &token,
        &NewDevice {
            id,
            credential_hash: format!("cred-{venue}"),
            label: None,
            proof_hash: None,
            pass_key: None,
        },
        now,
    )
    .await
    .unwrap()
    .unwrap();
    id
}

/// A check-in at `venue` made by `device` at `at`; `paper_at` is the time
/// written on a paper logbook typed in at `at`.
fn checkin(
    venue: &VenueId,
    device: DeviceId,
    direction: Direction,
    source: Source,
    at: &str,
    paper_at: Option<&str>,
) -> Record {
    let mut c = CheckIn::from_code(
        "001098012345|012345678|NGUYỄN VĂN A|15081998|Nam|Hà Nội|25052021",
        venue.clone(),
        direction,
        source,
        device,
        t(at),
        &Policy::default(),
    )
    .unwrap();
    c.occurred_at = paper_at.map(t);
    Record::Checkin(c)
}

async fn ingest(db: &dyn Database, device: DeviceId, records: &[Record]) {
    let incoming = records
        .iter()
        .map(|r| {
            let body = serde_json::to_string(r).unwrap();
            let hash = checkin_server::secrets::hash_hex(body.as_bytes());
            IncomingRecord::of(r, body, hash)
        })
        .collect();
    let got = db
        .ingest(&IngestBatch {
            device_id: device,
            province_code: "38".into(),
            received_at: Utc::now(),
            clock_skew_ms: 0,
            records: incoming,
        })
        .await
        .unwrap();
    assert_eq!(got.len(), records.len());
}

/// The story every store is told.
async fn told(db: Arc<dyn Database>) -> Arc<dyn Database> {
    story(db).await.0
}

/// The story, with the device of venue A and its week-32 batch (to send
/// again).
async fn story(db: Arc<dyn Database>) -> (Arc<dyn Database>, DeviceId, Vec<Record>) {
    db.import_units(&Units::from_dvhcvn_json(UNITS).unwrap())
        .await
        .unwrap();
    let a = venue(db.as_ref(), "38-14995-AAAAAA", "14995", "2021-08-02").await;
    let _b = venue(db.as_ref(), "38-14995-BBBBBB", "14995", "2021-08-10").await;
    let c = venue(db.as_ref(), "38-14998-CCCCCC", "14998", "2021-08-02").await;
    let _d = venue(db.as_ref(), "38-15001-DDDDDD", "15001", "2021-08-12").await;
    let _late = venue(db.as_ref(), "38-15001-EEEEEE", "15001", "2021-08-20").await;
    let (da, dc) = (device(db.as_ref(), &a).await, device(db.as_ref(), &c).await);
    let (i, o) = (Direction::In, Direction::Out);
    let week32 = [
        checkin(&a, da, i, Source::Qr, "2021-08-09T08:00:00+07:00", None),
        checkin(&a, da, o, Source::Qr, "2021-08-09T09:00:00+07:00", None),
        checkin(&a, da, i, Source::Kiosk, "2021-08-11T08:00:00+07:00", None),
        // 23:30 on Sunday in Vietnam: still week 32.
        checkin(&a, da, i, Source::Qr, "2021-08-15T16:30:00Z", None),
        // 00:30 on Monday in Vietnam: week 33.
        checkin(&a, da, i, Source::Qr, "2021-08-15T17:30:00Z", None),
        // A paper logbook line of 10 August typed in on the 20th.
        checkin(
            &a,
            da,
            i,
            Source::Paper,
            "2021-08-20T10:00:00+07:00",
            Some("2021-08-10T07:15:00+07:00"),
        ),
        checkin(&a, da, i, Source::Manual, "2021-08-12T10:00:00+07:00", None),
    ];
    ingest(db.as_ref(), da, &week32).await;
    // The answer was lost: the station sends the same batch again.
    ingest(db.as_ref(), da, &week32).await;
    let week31 = [checkin(
        &a,
        da,
        i,
        Source::Qr,
        "2021-08-03T08:00:00+07:00",
        None,
    )];
    ingest(db.as_ref(), da, &week31).await;
    // The station of C synced during week 32 with nothing to send.
    db.touch_device("38", &dc, t("2021-08-11T09:00:00+07:00").to_utc())
        .await
        .unwrap();
    (db, da, week32.to_vec())
}

#[tokio::test]
async fn the_weekly_reports_are_the_same_on_every_store() {
    let mut answers = Vec::new();
    for (name, db) in stores().await {
        let db = told(db).await;
        let units = UnitIndex::load(db.as_ref()).await.unwrap();

        let q = qr_points::run(db.as_ref(), &units, "387", d("2021-08-15"), None)
            .await
            .unwrap();
        assert_eq!(q.compare, d("2021-08-08"), "{name}");
        let rows: Vec<(&str, i64, i64, i64, i64, bool)> = q
            .rows
            .iter()
            .map(|r| {
                (
                    r.code.as_str(),
                    r.venues,
                    r.scans,
                    r.venues_change,
                    r.scans_change,
                    r.low,
                )
            })
            .collect();
        // 14995: A and B by the 15th (A alone by the 8th); scans up to the
        // 15th: 7 of week 32 less the one on Monday the 16th, plus week 31's.
        // 14998: C, no scans.
        assert_eq!(
            rows,
            [("14995", 2, 7, 1, 6, false), ("14998", 1, 0, 0, 0, true),],
            "{name}"
        );
        assert_eq!(q.unit.name, "Huyện Quan Sơn");
        let province = qr_points::run(db.as_ref(), &units, "38", d("2021-08-15"), None)
            .await
            .unwrap();
        let by_district: Vec<(&str, i64, i64)> = province
            .rows
            .iter()
            .map(|r| (r.code.as_str(), r.venues, r.scans))
            .collect();
        assert_eq!(by_district, [("387", 3, 7), ("388", 1, 0)], "{name}");

        let week: IsoWeek = "2021-W32".parse().unwrap();
        let s = silent_points::run(db.as_ref(), &units, "38", week)
            .await
            .unwrap();
        let ids =
            |v: &[silent_points::Point]| v.iter().map(|p| p.venue_id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&s.reported_zero), ["38-14998-CCCCCC"], "{name}");
        assert_eq!(
            ids(&s.sent_no_data),
            ["38-14995-BBBBBB", "38-15001-DDDDDD"],
            "{name}"
        );
        assert_eq!(s.reported_zero[0].commune_name, "Thị trấn Sơn Lư");
        assert_eq!(s.venues, 4, "{name}: E registers after the week");
        assert_eq!(
            (s.scans.this_week, s.scans.previous_week, s.scans.change),
            (6, 1, 5),
            "{name}"
        );

        let e = e_vs_paper::run(
            db.as_ref(),
            &units,
            "14995",
            d("2021-08-09"),
            d("2021-08-15"),
        )
        .await
        .unwrap();
        let a = &e.rows[0];
        assert_eq!(a.venue_id, "38-14995-AAAAAA");
        // Entries only: qr 2 (Monday, Sunday night), kiosk 1, paper 1, manual 1.
        assert_eq!((a.total, a.electronic, a.paper), (5, 3, 2), "{name}");
        assert_eq!(
            (e.total.total, e.total.electronic, e.total.paper),
            (5, 3, 2)
        );

        // Another area sees none of it.
        let other = e_vs_paper::run(db.as_ref(), &units, "388", d("2021-08-01"), d("2021-08-31"))
            .await
            .unwrap();
        assert_eq!(other.total.total, 0, "{name}");
        answers.push((
            serde_json::to_value(&q).unwrap(),
            serde_json::to_value(&s).unwrap(),
            serde_json::to_value(&e).unwrap(),
        ));
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "stores differ");
}

#[tokio::test]
async fn the_weekly_report_is_the_same_on_every_store() {
    use checkin_server::reports::{self, Name, Params};
    let mut answers = Vec::new();
    for (name, db) in stores().await {
        let db = told(db).await;
        let units = UnitIndex::load(db.as_ref()).await.unwrap();
        let run = |unit: &str| {
            let params = Params {
                unit: unit.into(),
                week: Some("2021-W32".parse().unwrap()),
                ..Default::default()
            };
            let (db, units) = (db.clone(), &units);
            async move {
                reports::run(db.as_ref(), units, Name::Weekly, &params, d("2021-08-20"))
                    .await
                    .unwrap()
            }
        };
        let district = run("387").await;
        let j = &district.json;
        assert_eq!(j["level"], "district", "{name}");
        assert_eq!(
            (j["from"].as_str(), j["to"].as_str()),
            (Some("2021-08-09"), Some("2021-08-15"))
        );
        assert_eq!(j["previous_week"], "2021-W31");
        assert_eq!(j["complete"], true);
        let o = &j["overview"];
        let c = |k: &str| {
            (
                o[k]["this_week"].as_i64().unwrap(),
                o[k]["previous_week"].as_i64().unwrap(),
                o[k]["change"].as_i64().unwrap(),
            )
        };
        // A and C by the 8th, B too by the 15th (D is in the other district).
        assert_eq!(c("venues"), (3, 2, 1), "{name}");
        // Week 32: six scans dated in it (the one at 00:30 on Monday the
        // 16th is week 33's; the resent batch counts once); week 31: one.
        assert_eq!(c("scans"), (6, 1, 5), "{name}");
        assert_eq!(c("cumulative_scans"), (7, 1, 6), "{name}");
        assert_eq!(c("visits"), (5, 1, 4), "{name}");
        assert_eq!(c("electronic"), (3, 1, 2), "{name}");
        assert_eq!(c("paper"), (2, 0, 2), "{name}");
        assert_eq!(
            o["electronic_share"],
            serde_json::json!({"this_week": 60.0, "previous_week": 100.0, "change": -40.0}),
            "{name}"
        );
        // Week 32: C reported zero, B sent nothing; week 31: C sent nothing.
        assert_eq!(c("silent"), (2, 1, 1), "{name}");
        assert_eq!(c("reported_zero"), (1, 0, 1), "{name}");
        assert_eq!(c("sent_no_data"), (1, 1, 0), "{name}");
        let rows: Vec<(String, i64, i64, i64, i64, i64, bool)> = j["units"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["code"].as_str().unwrap().to_string(),
                    r["venues"].as_i64().unwrap(),
                    r["new_venues"].as_i64().unwrap(),
                    r["scans"].as_i64().unwrap(),
                    r["previous_scans"].as_i64().unwrap(),
                    r["visits"].as_i64().unwrap(),
                    r["low"].as_bool().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("14995".into(), 2, 1, 6, 1, 5, false),
                ("14998".into(), 1, 0, 0, 0, 0, true),
            ],
            "{name}"
        );
        assert_eq!(j["laggards"], serde_json::json!(["Thị trấn Sơn Lư"]));
        assert_eq!(j["venues"], serde_json::Value::Null);
        assert_eq!(j["reported_zero"][0]["venue_id"], "38-14998-CCCCCC");
        let csv = district.csv();
        assert!(csv.contains("STT,Nội dung,Tuần 32,Tuần 31,Tăng/giảm\r\n1,Tổng số địa điểm tạo mã QR (đến hết tuần),3,2,1\r\n"), "{csv}");
        assert!(
            csv.contains("\r\n1,Xã Trung Xuân,14995,2,1,6,1,5,5,3,2,60,\r\n"),
            "{csv}"
        );

        // A province: per district, D and E of the other district included.
        let province = run("38").await;
        let codes: Vec<&str> = province.json["units"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["387", "388"], "{name}");
        assert_eq!(province.json["units"][0]["visits"], 5, "{name}");
        assert_eq!(
            province.json["overview"]["venues"]["this_week"], 4,
            "{name}"
        );

        // The weekly report reads fewer and cheaper counts than its six
        // reports would (one count of all scans, visits per commune): its
        // answer is the one they give.
        {
            use checkin_server::reports::{e_vs_paper, qr_points, silent_points, weekly};
            let week: checkin_core::IsoWeek = "2021-W32".parse().unwrap();
            let ([(a0, c0), (a1, c1)], [this, prev]) = weekly::plan(week);
            for unit in ["38", "387"] {
                let parts = weekly::Parts {
                    qr: Some((
                        qr_points::run(db.as_ref(), &units, unit, a0, Some(c0))
                            .await
                            .unwrap(),
                        qr_points::run(db.as_ref(), &units, unit, a1, Some(c1))
                            .await
                            .unwrap(),
                    )),
                    silent: (
                        silent_points::run(db.as_ref(), &units, unit, this)
                            .await
                            .unwrap(),
                        silent_points::run(db.as_ref(), &units, unit, prev)
                            .await
                            .unwrap(),
                    ),
                    evp: (
                        e_vs_paper::run(db.as_ref(), &units, unit, this.monday(), this.sunday())
                            .await
                            .unwrap(),
                        e_vs_paper::run(db.as_ref(), &units, unit, prev.monday(), prev.sunday())
                            .await
                            .unwrap(),
                    ),
                };
                let child = |c: &str| weekly::child_under(&units, c, unit);
                let slow = weekly::build(week, d("2021-08-20"), &parts, &child);
                let fast = weekly::run(db.as_ref(), &units, unit, week, d("2021-08-20"))
                    .await
                    .unwrap();
                assert_eq!(fast, slow, "{name} {unit}");
            }
        }

        // A commune: per venue.
        let commune = run("14995").await;
        let venues = commune.json["venues"].as_array().unwrap();
        let got: Vec<(&str, i64, i64)> = venues
            .iter()
            .map(|v| {
                (
                    v["venue_id"].as_str().unwrap(),
                    v["visits"].as_i64().unwrap(),
                    v["previous_visits"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [("38-14995-AAAAAA", 5, 1), ("38-14995-BBBBBB", 0, 0)],
            "{name}"
        );
        assert_eq!(commune.json["units"], serde_json::Value::Null);
        assert_eq!(
            commune.json["overview"]["cumulative_scans"],
            serde_json::Value::Null
        );
        assert_eq!(commune.sections[1].sheet, "Theo địa điểm");

        answers.push((district.json, province.json, commune.json));
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "stores differ");
}

/// Every report of the story, as the dashboard serves them.
async fn all_reports(db: &dyn Database) -> Vec<serde_json::Value> {
    use checkin_server::reports::{self, Name, Params};
    let units = UnitIndex::load(db).await.unwrap();
    let mut out = Vec::new();
    for unit in ["38", "387", "14995"] {
        let params = Params {
            unit: unit.into(),
            as_of: Some(d("2021-08-15")),
            week: Some("2021-W32".parse().unwrap()),
            from: Some(d("2021-08-01")),
            to: Some(d("2021-08-31")),
            ..Default::default()
        };
        for name in Name::ALL {
            if name == Name::QrPoints && unit.len() == 5 {
                continue;
            }
            let r = reports::run(db, &units, name, &params, d("2021-09-30"))
                .await
                .unwrap();
            out.push(r.json);
        }
    }
    out
}

#[tokio::test]
async fn the_purge_clears_people_and_keeps_every_count() {
    for (name, db) in stores().await {
        let (db, device, week32) = story(db).await;
        let before = all_reports(db.as_ref()).await;
        let people = |rs: &[checkin_server_db::StoredRecord]| {
            rs.iter()
                .filter(|r| r.person_key.is_some() || r.body_bytes > 0)
                .count()
        };
        assert_eq!(people(&db.stored_records().await.unwrap()), 8, "{name}");

        // 28 days before 8 September: visits before 11 August 00:00 UTC,
        // by the visit's time (the paper line of the 10th typed in on the
        // 20th goes too).
        let p =
            checkin_server::retention::purge(db.as_ref(), 28, t("2021-09-08T00:00:00Z").to_utc())
                .await
                .unwrap();
        assert_eq!(p.records, 4, "{name}");
        let stored = db.stored_records().await.unwrap();
        assert_eq!(people(&stored), 4, "{name}");
        for r in stored.iter().filter(|r| r.body_bytes == 0) {
            assert!(r.visit_time.unwrap() < t("2021-08-11T00:00:00Z"), "{name}");
            assert!(r.person_key.is_none(), "{name}");
        }
        assert_eq!(
            all_reports(db.as_ref()).await,
            before,
            "{name}: counts changed"
        );

        // Everything, then a late resend of a purged batch: still duplicates.
        let p =
            checkin_server::retention::purge(db.as_ref(), 28, t("2021-09-30T00:00:00Z").to_utc())
                .await
                .unwrap();
        assert_eq!(p.records, 4, "{name}");
        assert_eq!(people(&db.stored_records().await.unwrap()), 0, "{name}");
        ingest(db.as_ref(), device, &week32).await;
        assert_eq!(people(&db.stored_records().await.unwrap()), 0, "{name}");
        assert_eq!(
            all_reports(db.as_ref()).await,
            before,
            "{name}: counts changed"
        );
        let again =
            checkin_server::retention::purge(db.as_ref(), 28, t("2021-09-30T00:00:00Z").to_utc())
                .await
                .unwrap();
        assert_eq!(again.records, 0, "{name}: nothing left to clear");
        assert!(checkin_server::retention::purge(db.as_ref(), 0, Utc::now())
            .await
            .is_err());
    }
}

mod tracing_api {
    use super::*;
    use axum::body::Body;
    use axum::http::{header, Request, StatusCode};
    use checkin_server::{accounts, router, AppState};
    use checkin_server_db::Role;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    const PASSWORD: &str = "mật khẩu truy vết";

    struct Official {
        cookie: String,
        csrf: String,
    }

    async fn send(app: &axum::Router, req: Request<Body>) -> (StatusCode, Vec<u8>) {
        let resp = app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        (
            status,
            resp.into_body()
                .collect()
                .await
                .unwrap()
                .to_bytes()
                .to_vec(),
        )
    }

    fn json(b: &[u8]) -> serde_json::Value {
        serde_json::from_slice(b).unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(b)))
    }

    async fn official(app: &axum::Router, login: &str) -> Official {
        let resp = app
            .clone()
            .oneshot(
                Request::post("/api/v1/dashboard/login")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(
                        serde_json::json!({"login": login, "password": PASSWORD}).to_string(),
                    ))
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let cookie = resp.headers()[header::SET_COOKIE].to_str().unwrap();
        let cookie = cookie.split(';').next().unwrap().to_string();
        let body = resp.into_body().collect().await.unwrap().to_bytes();
        Official {
            cookie,
            csrf: json(&body)["csrf"].as_str().unwrap().to_string(),
        }
    }

    async fn post(
        app: &axum::Router,
        o: &Official,
        path: &str,
        body: serde_json::Value,
    ) -> (StatusCode, Vec<u8>) {
        send(
            app,
            Request::post(path)
                .header(header::COOKIE, &o.cookie)
                .header("x-csrf-token", &o.csrf)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
    }

    /// The tracing lookups of the audit log (the accounts the test adds
    /// are in it too, as added at the console).
    async fn audit(app: &axum::Router, o: &Official) -> (StatusCode, serde_json::Value) {
        let (s, b) = send(
            app,
            Request::get("/api/v1/dashboard/audit")
                .header(header::COOKIE, &o.cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        let mut log = json(&b);
        if let Some(entries) = log["entries"].as_array_mut() {
            entries.retain(|e| {
                e["action"]
                    .as_str()
                    .is_some_and(|a| a.starts_with("trace_"))
            });
        }
        (s, log)
    }

    #[tokio::test]
    async fn tracing_is_for_tracers_inside_their_area_and_always_audited() {
        for (name, db) in stores().await {
            let db = told(db).await;
            for (login, role, unit) in [
                ("xem.huyen", Role::Viewer, "387"),
                ("truyvet.huyen", Role::Tracer, "387"),
                ("truyvet.quanhoa", Role::Tracer, "388"),
                ("quantri.tinh", Role::Admin, "38"),
            ] {
                accounts::add_user(db.as_ref(), login, PASSWORD, role, unit, Utc::now())
                    .await
                    .unwrap();
            }
            let app = router(AppState::new(db.clone()));
            let viewer = official(&app, "xem.huyen").await;
            let tracer = official(&app, "truyvet.huyen").await;
            let other = official(&app, "truyvet.quanhoa").await;
            let admin = official(&app, "quantri.tinh").await;
            let at_a = |reason: &str| {
                serde_json::json!({"venue_id": "38-14995-AAAAAA", "from": "2021-08-09T08:30",
                    "to": "2021-08-09T09:30", "reason": reason})
            };

            let (s, b) = post(
                &app,
                &viewer,
                "/api/v1/dashboard/trace/venue",
                at_a("Ca F0 số 12"),
            )
            .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{name}");
            assert_eq!(json(&b)["error"], "role");
            let (s, _) = post(&app, &tracer, "/api/v1/dashboard/trace/venue", at_a("")).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{name}: a reason is required");
            let (s, b) = post(
                &app,
                &tracer,
                "/api/v1/dashboard/trace/venue",
                serde_json::json!({"venue_id": "38-15001-DDDDDD", "from": "2021-08-09T08:30",
                    "to": "2021-08-09T09:30", "reason": "Ca F0 số 12"}),
            )
            .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{name}");
            assert_eq!(json(&b)["error"], "outside_area");
            // Nothing was looked up yet, so nothing is in the log.
            assert_eq!(
                audit(&app, &admin).await.1["entries"],
                serde_json::json!([])
            );

            let (s, b) = post(
                &app,
                &tracer,
                "/api/v1/dashboard/trace/venue",
                at_a("Ca F0 số 12"),
            )
            .await;
            assert_eq!(s, StatusCode::OK, "{name}: {}", String::from_utf8_lossy(&b));
            let j = json(&b);
            let people = j["people"].as_array().unwrap();
            // In at 08:00, out at 09:00; the paper line of the 10th (07:15)
            // would stay until 09:15 on the 10th: outside the window.
            assert_eq!(people.len(), 1, "{name}: {j}");
            assert_eq!(people[0]["name"], "NGUYỄN VĂN A");
            assert_eq!(people[0]["id_number"], "001098012345");
            assert_eq!(people[0]["entered_at"], "2021-08-09T08:00:00+07:00");
            assert_eq!(people[0]["left_at"], "2021-08-09T09:00:00+07:00");
            assert_eq!(people[0]["left_estimated"], false);

            let (s, b) = post(
                &app,
                &tracer,
                "/api/v1/dashboard/trace/person",
                serde_json::json!({"id_number": "001098012345", "from": "2021-08-01T00:00",
                    "to": "2021-08-31T23:59", "reason": "Ca F0 số 12, F1", "format": "csv"}),
            )
            .await;
            assert_eq!(s, StatusCode::OK, "{name}");
            let csv = String::from_utf8(b).unwrap();
            assert!(csv.starts_with("\u{feff}STT,Thời gian,Địa điểm"), "{csv}");
            assert_eq!(csv.lines().count(), 1 + 8, "{name}: {csv}");

            // The other district's tracer finds nothing of this district.
            let (s, b) = post(
                &app,
                &other,
                "/api/v1/dashboard/trace/person",
                serde_json::json!({"id_number": "001098012345", "from": "2021-08-01T00:00",
                    "to": "2021-08-31T23:59", "reason": "Ca F0 số 30"}),
            )
            .await;
            assert_eq!(s, StatusCode::OK, "{name}");
            assert_eq!(json(&b)["visits"], serde_json::json!([]), "{name}");

            // A limit that is no number is told as every other error is.
            let (s, b) = send(
                &app,
                Request::get("/api/v1/dashboard/audit?limit=abc")
                    .header(header::COOKIE, &admin.cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{name}");
            assert_eq!(json(&b)["error"], "invalid", "{name}");

            let (s, log) = audit(&app, &admin).await;
            assert_eq!(s, StatusCode::OK, "{name}");
            let entries = log["entries"].as_array().unwrap();
            let seen: Vec<(&str, &str, &str, i64)> = entries
                .iter()
                .map(|e| {
                    (
                        e["login"].as_str().unwrap(),
                        e["action"].as_str().unwrap(),
                        e["reason"].as_str().unwrap(),
                        e["results"].as_i64().unwrap(),
                    )
                })
                .collect();
            assert_eq!(
                seen,
                [
                    ("truyvet.quanhoa", "trace_person", "Ca F0 số 30", 0),
                    ("truyvet.huyen", "trace_person", "Ca F0 số 12, F1", 8),
                    ("truyvet.huyen", "trace_venue", "Ca F0 số 12", 1),
                ],
                "{name}"
            );
            assert!(entries[1]["query"]
                .as_str()
                .unwrap()
                .contains("id:001098012345"));
            // A tracer reads only their own lookups; a viewer none.
            assert_eq!(
                audit(&app, &tracer).await.1["entries"]
                    .as_array()
                    .unwrap()
                    .len(),
                2
            );
            assert_eq!(audit(&app, &viewer).await.0, StatusCode::FORBIDDEN);

            // After the purge nobody can be traced; the lookup is still logged.
            checkin_server::retention::purge(db.as_ref(), 28, t("2021-09-30T00:00:00Z").to_utc())
                .await
                .unwrap();
            let (_, b) = post(
                &app,
                &tracer,
                "/api/v1/dashboard/trace/venue",
                at_a("Ca F0 số 12"),
            )
            .await;
            assert_eq!(json(&b)["people"], serde_json::json!([]), "{name}");
            assert_eq!(
                audit(&app, &admin).await.1["entries"]
                    .as_array()
                    .unwrap()
                    .len(),
                4
            );
        }
    }
}
