//! Check-ins from citizens' phones (`POST /api/v1/public/checkins`) through
//! the router, on SQLite and on PostgreSQL when configured: stored once
//! however often sent, with source `self` at the venue the link names, a
//! pass any gatekeeper verifies, and every bad request refused with nothing
//! stored.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use checkin_core::{Address, Birth, Declaration, Exposures, Gender, RecordId, Symptoms};
use checkin_server::admin::{self, NewVenue};
use checkin_server::{router, AppState, RateLimiter};
use checkin_server_db::{Database, Units};
use chrono::{Duration, FixedOffset, Utc};
use serde_json::{json, Value};
use std::sync::Arc;

mod common;
use common::{call, stores, UNITS};

/// A venue of commune 14995 and its link's code.
async fn venue(db: &Arc<dyn Database>) -> (String, String) {
    db.import_units(&Units::from_dvhcvn_json(UNITS).unwrap())
        .await
        .unwrap();
    let v = admin::add_venue(
        db.as_ref(),
        NewVenue {
            name: "Chợ Trung Xuân".into(),
            category: "market".parse().unwrap(),
            commune_code: "14995".into(),
            address: "Bản Muống".into(),
            province_code: None,
        },
    )
    .await
    .unwrap();
    let key = checkin_server::venue_links::LinkKey::load(db.as_ref())
        .await
        .unwrap();
    (v.id.to_string(), key.code(&v.id).to_string())
}

fn declaration(consent: bool) -> Declaration {
    Declaration {
        full_name: "Nguyễn Thị Lan".into(),
        id_number: Some("038190001234".into()),
        birth: Birth::Year(1990),
        gender: Gender::Female,
        nationality: "VN".into(),
        phone: "0912345678".into(),
        email: None,
        address: Address {
            province_code: "38".into(),
            district_code: "387".into(),
            commune_code: "14995".into(),
            street: String::new(),
        },
        places_visited: vec![],
        symptoms: Symptoms::default(),
        exposures: Exposures::default(),
        consent,
    }
}

/// When the tests' person declared: five minutes before the test began,
/// in Vietnam. A phone sends the same time with the same declaration id.
fn declared_at() -> chrono::DateTime<FixedOffset> {
    static AT: std::sync::OnceLock<chrono::DateTime<FixedOffset>> = std::sync::OnceLock::new();
    *AT.get_or_init(|| {
        (Utc::now() - Duration::minutes(5)).with_timezone(&FixedOffset::east_opt(7 * 3600).unwrap())
    })
}

/// A check-in as the phone page sends it: the day's declaration and a
/// check-in now.
fn request(code: &str, declaration_id: RecordId, checkin_id: RecordId, direction: &str) -> Value {
    let now = Utc::now().with_timezone(&FixedOffset::east_opt(7 * 3600).unwrap());
    json!({
        "code": code,
        "declaration": declaration(true),
        "declaration_id": declaration_id,
        "declared_at": declared_at().to_rfc3339(),
        "checkin_id": checkin_id,
        "direction": direction,
        "at": now.to_rfc3339(),
    })
}

async fn send(app: &axum::Router, body: &Value) -> (StatusCode, Value) {
    call(
        app,
        Request::post("/api/v1/public/checkins")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn a_phone_checks_in_once_however_often_it_sends() {
    for (name, db) in stores().await {
        let (venue_id, code) = venue(&db).await;
        let app = router(AppState::new(db.clone()));
        let (decl, entry) = (RecordId::new(), RecordId::new());
        let first = request(&code, decl, entry, "in");
        let (s, got) = send(&app, &first).await;
        assert_eq!(s, StatusCode::OK, "{name}: {got}");
        assert_eq!(got["venue_id"], venue_id.as_str(), "{name}");
        assert_eq!(got["venue_name"], "Chợ Trung Xuân", "{name}");
        assert_eq!(
            (got["declaration"].as_str(), got["checkin"].as_str()),
            (Some("accepted"), Some("accepted")),
            "{name}"
        );
        assert_eq!(got["level"], "green", "{name}");
        // The pass verifies with the keys every station gets.
        let signer = checkin_server::passes::signer(db.as_ref()).await.unwrap();
        let mut keys = checkin_core::PassKeys::default();
        keys.extend_from_text([signer.public_key_text().as_str()]);
        let pass = keys
            .verify(got["pass"].as_str().unwrap(), Utc::now())
            .unwrap();
        assert_eq!(pass.claims.full_name, "Nguyễn Thị Lan", "{name}");
        assert_eq!(pass.claims.declaration_id, decl, "{name}");
        // The same pass as a QR code the page shows.
        let svg = got["pass_svg"].as_str().unwrap();
        assert!(
            svg.starts_with("<?xml") && svg.contains("<svg"),
            "{name}: {svg:.80}"
        );

        // The answer was lost and the phone sends again: stored once.
        let (s, got) = send(&app, &first).await;
        assert_eq!(s, StatusCode::OK, "{name}: {got}");
        assert_eq!(
            (got["declaration"].as_str(), got["checkin"].as_str()),
            (Some("duplicate"), Some("duplicate")),
            "{name}"
        );
        // Leaving: the day's declaration again, a new check-in.
        let (s, got) = send(&app, &request(&code, decl, RecordId::new(), "out")).await;
        assert_eq!(s, StatusCode::OK, "{name}: {got}");
        assert_eq!(got["checkin"], "accepted", "{name}");
        let stats = db.stats().await.unwrap();
        assert_eq!((stats.declarations, stats.checkins), (1, 2), "{name}");
        let stored = db.stored_records().await.unwrap();
        assert!(
            stored.iter().all(|r| r.source.as_deref() == Some("self")),
            "{name}"
        );
        assert!(
            stored
                .iter()
                .all(|r| r.person_key.as_deref() == Some("id:038190001234")),
            "{name}"
        );
        // Reports count them at the venue: one visit (the entry), electronic.
        let units = checkin_server::reports::UnitIndex::load(db.as_ref())
            .await
            .unwrap();
        let today = checkin_core::calendar::local_date(&Utc::now());
        let e = checkin_server::reports::e_vs_paper::run(
            db.as_ref(),
            &units,
            "14995",
            today - Duration::days(1),
            today,
        )
        .await
        .unwrap();
        assert_eq!(
            (e.total.total, e.total.electronic, e.total.paper),
            (1, 1, 0),
            "{name}"
        );
        assert_eq!(e.rows.len(), 1, "{name}");
        // The venue's phone check-ins have a device of their own, which no
        // credential opens.
        let devices = db
            .devices(&checkin_server_db::UnitFilter::All)
            .await
            .unwrap();
        assert_eq!(devices.len(), 1, "{name}");
        assert_eq!(
            devices[0].label.as_deref(),
            Some("Tự check-in bằng điện thoại"),
            "{name}"
        );

        // The same check-in id with other content is a conflict, not stored.
        let (s, got) = send(&app, &request(&code, decl, entry, "out")).await;
        assert_eq!(s, StatusCode::CONFLICT, "{name}: {got}");
        assert_eq!(db.stats().await.unwrap().checkins, 2, "{name}");
    }
}

#[tokio::test]
async fn bad_requests_are_refused_and_store_nothing() {
    for (name, db) in stores().await {
        let (venue_id, code) = venue(&db).await;
        let app = router(AppState::new(db.clone()));
        let ok = || request(&code, RecordId::new(), RecordId::new(), "in");
        let tag = code.rsplit_once('.').unwrap().1.to_string();
        let cases: Vec<(Value, StatusCode, &str)> = vec![
            // A forged venue, another venue's id under this tag.
            (
                {
                    let mut b = ok();
                    b["code"] = json!(format!("38-14995-ZZZZZZ.{tag}"));
                    b
                },
                StatusCode::NOT_FOUND,
                "unknown_venue",
            ),
            (
                {
                    let mut b = ok();
                    b["code"] = json!(venue_id.clone());
                    b
                },
                StatusCode::NOT_FOUND,
                "unknown_venue",
            ),
            // No consent, a time a month ahead, an empty name.
            (
                {
                    let mut b = ok();
                    b["declaration"] = json!(declaration(false));
                    b
                },
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_record",
            ),
            (
                {
                    let mut b = ok();
                    b["at"] = json!((Utc::now() + Duration::days(30)).to_rfc3339());
                    b
                },
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_record",
            ),
            (
                {
                    let mut b = ok();
                    b["declaration"]["full_name"] = json!("  ");
                    b
                },
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_record",
            ),
            // Not a check-in at all.
            (
                json!({"code": code, "direction": "sideways"}),
                StatusCode::BAD_REQUEST,
                "invalid_json",
            ),
        ];
        for (body, status, error) in cases {
            let (s, got) = send(&app, &body).await;
            assert_eq!(
                (s, got["error"].as_str()),
                (status, Some(error)),
                "{name}: {body}"
            );
        }
        let (s, got) = call(
            &app,
            Request::post("/api/v1/public/checkins")
                .body(Body::from(ok().to_string()))
                .unwrap(),
        )
        .await;
        assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{name}: {got}");
        let stats = db.stats().await.unwrap();
        assert_eq!((stats.declarations, stats.checkins), (0, 0), "{name}");
    }
}

#[tokio::test]
async fn check_ins_are_limited_per_client_address() {
    for (name, db) in stores().await {
        let (_, code) = venue(&db).await;
        let mut st = AppState::new(db.clone());
        // Three at once, then (practically) no refill: the fourth waits.
        st.citizen_limiter = Arc::new(RateLimiter::new(0.001, 3.0));
        let app = router(st);
        for _ in 0..3 {
            let (s, got) = send(
                &app,
                &request(&code, RecordId::new(), RecordId::new(), "in"),
            )
            .await;
            assert_eq!(s, StatusCode::OK, "{name}: {got}");
        }
        let (s, got) = send(
            &app,
            &request(&code, RecordId::new(), RecordId::new(), "in"),
        )
        .await;
        assert_eq!(s, StatusCode::TOO_MANY_REQUESTS, "{name}: {got}");
        assert_eq!(got["error"], "rate_limited", "{name}");
        assert_eq!(db.stats().await.unwrap().checkins, 3, "{name}");
    }
}

#[tokio::test]
async fn the_address_pickers_get_one_level_of_units_at_a_time() {
    for (name, db) in stores().await {
        venue(&db).await;
        let app = router(AppState::new(db.clone()));
        let get = |uri: &str| Request::get(uri).body(Body::empty()).unwrap();
        let (s, provinces) = call(&app, get("/api/v1/public/units")).await;
        assert_eq!(s, StatusCode::OK, "{name}");
        assert_eq!(
            provinces,
            json!([{"code": "38", "name": "Tỉnh Thanh Hóa", "kind": "Tỉnh"}]),
            "{name}"
        );
        let (_, districts) = call(&app, get("/api/v1/public/units?parent=38")).await;
        let codes: Vec<_> = districts
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["code"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(codes, ["387", "388"], "{name}");
        let (_, communes) = call(&app, get("/api/v1/public/units?parent=387")).await;
        assert_eq!(
            communes[0],
            json!({"code": "14995", "name": "Xã Trung Xuân", "kind": "Xã"}),
            "{name}"
        );
        assert_eq!(communes.as_array().unwrap().len(), 2, "{name}");
        let (s, e) = call(&app, get("/api/v1/public/units?parent=99")).await;
        assert_eq!(
            (s, e["error"].as_str()),
            (StatusCode::NOT_FOUND, Some("unknown_unit")),
            "{name}"
        );
        for bad in ["14995", "3x", "'%20or%201=1"] {
            let (s, e) = call(&app, get(&format!("/api/v1/public/units?parent={bad}"))).await;
            assert_eq!(
                (s, e["error"].as_str()),
                (StatusCode::BAD_REQUEST, Some("invalid")),
                "{name} {bad}"
            );
        }
    }
}

#[tokio::test]
async fn the_venue_card_says_how_long_personal_data_is_kept() {
    for (name, db) in stores().await {
        let (_, code) = venue(&db).await;
        let mut state = AppState::new(db.clone());
        state.retention_days = 14;
        let app = router(state);
        let (s, card) = call(
            &app,
            Request::get(format!("/api/v1/public/venues/{code}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{name}");
        assert_eq!(card["retention_days"], 14, "{name}");
        assert_eq!(card["commune_name"], "Xã Trung Xuân", "{name}");
    }
}
