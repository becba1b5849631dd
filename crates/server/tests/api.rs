//! Drives the router with `oneshot` (no socket) over an in-memory SQLite store.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use checkin_core::{CheckIn, DeviceId, Direction, Policy, Record, Source, VenueCategory, VenueId};
use checkin_server::admin::{self, NewVenue, TokenTarget};
use checkin_server::{router, AppState};
use checkin_server_db::{Database, SqliteDb};
use checkin_sync::protocol::{EnrollResponse, RecordStatus, SyncConfig, SyncResponse, UnitsList};
use chrono::{Duration, Utc};
use http_body_util::BodyExt;
use std::io::Write;
use std::sync::Arc;
use tower::ServiceExt;

mod common;

struct Fixture {
    db: Arc<dyn Database>,
    app: axum::Router,
    venue_a: VenueId,
    venue_b: VenueId,
}

async fn fixture() -> Fixture {
    let db: Arc<dyn Database> = Arc::new(SqliteDb::open_in_memory().await.unwrap());
    let venue = |name: &str, commune: &str| NewVenue {
        name: name.into(),
        category: VenueCategory::Clinic,
        commune_code: commune.into(),
        address: "1 Main St".into(),
        province_code: Some("38".into()),
    };
    let a = admin::add_venue(db.as_ref(), venue("Trạm y tế A", "14995"))
        .await
        .unwrap();
    let b = admin::add_venue(db.as_ref(), venue("Trạm y tế B", "14998"))
        .await
        .unwrap();
    let app = router(AppState::new(db.clone()));
    Fixture {
        db,
        app,
        venue_a: a.id,
        venue_b: b.id,
    }
}

fn post_json(path: &str) -> axum::http::request::Builder {
    Request::post(path).header(header::CONTENT_TYPE, "application/json")
}

async fn enroll(f: &Fixture, target: TokenTarget, device: DeviceId) -> String {
    let token = admin::enrollment_token(f.db.as_ref(), target, Duration::hours(1))
        .await
        .unwrap();
    let body = serde_json::json!({"token": token, "device_id": device}).to_string();
    let (st, json) = call(
        &f.app,
        post_json("/api/v1/enroll").body(Body::from(body)).unwrap(),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{json}");
    let resp: EnrollResponse = serde_json::from_value(json).unwrap();
    resp.credential
}

fn checkin(venue: &VenueId, device: DeviceId, offset_days: i64) -> Record {
    let time = (Utc::now() + Duration::days(offset_days)).fixed_offset();
    Record::Checkin(
        CheckIn::from_code(
            "001098012345|012345678|NGUYỄN VĂN A|15081998|Nam|Hà Nội|25052021",
            venue.clone(),
            Direction::In,
            Source::Qr,
            device,
            time,
            &Policy::default(),
        )
        .unwrap(),
    )
}

fn sync_req(credential: &str, body: Vec<u8>, encoding: Option<&str>) -> Request<Body> {
    let mut b = post_json("/api/v1/sync")
        .header(header::AUTHORIZATION, format!("Bearer {credential}"))
        .header("x-checkin-device-time", Utc::now().to_rfc3339());
    if let Some(e) = encoding {
        b = b.header(header::CONTENT_ENCODING, e);
    }
    b.body(Body::from(body)).unwrap()
}

fn batch(records: &[Record]) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({ "records": records })).unwrap()
}

#[tokio::test]
async fn enroll_sync_duplicate_conflict_and_scope() {
    let f = fixture().await;
    let device = DeviceId::new();
    let cred = enroll(&f, TokenTarget::Venue(f.venue_a.clone()), device).await;

    let r1 = checkin(&f.venue_a, device, 0);
    let r2 = checkin(&f.venue_a, device, -2);
    let outside = checkin(&f.venue_b, device, 0);
    let other_device = checkin(&f.venue_a, DeviceId::new(), 0);
    let body = batch(&[r1.clone(), r2.clone(), outside, other_device]);
    let (st, json) = call(&f.app, sync_req(&cred, body.clone(), None)).await;
    assert_eq!(st, StatusCode::OK, "{json}");
    let resp: SyncResponse = serde_json::from_value(json).unwrap();
    let statuses: Vec<_> = resp.results.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [
            RecordStatus::Accepted,
            RecordStatus::Accepted,
            RecordStatus::Rejected,
            RecordStatus::Rejected
        ]
    );
    assert!(resp.results[2]
        .reason
        .as_deref()
        .unwrap()
        .starts_with("venue_outside_scope"));
    assert!(resp.results[3]
        .reason
        .as_deref()
        .unwrap()
        .starts_with("device_mismatch"));

    // The same batch again, gzip this time: duplicates, nothing new stored.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&body).unwrap();
    let (st, json) = call(&f.app, sync_req(&cred, gz.finish().unwrap(), Some("gzip"))).await;
    assert_eq!(st, StatusCode::OK);
    let resp: SyncResponse = serde_json::from_value(json).unwrap();
    assert_eq!((resp.accepted, resp.duplicate, resp.rejected), (0, 2, 2));

    // Same id, different content: conflict, original kept.
    let mut changed = r1.clone();
    if let Record::Checkin(c) = &mut changed {
        c.direction = Direction::Out;
    }
    let z = zstd::bulk::compress(&batch(&[changed]), 3).unwrap();
    let (st, json) = call(&f.app, sync_req(&cred, z, Some("zstd"))).await;
    assert_eq!(st, StatusCode::OK);
    let resp: SyncResponse = serde_json::from_value(json).unwrap();
    assert_eq!(resp.results[0].status, RecordStatus::Conflict);

    let stored = f.db.stored_records().await.unwrap();
    assert_eq!(stored.len(), 2);
    assert!(stored.iter().all(|s| s.province_code == "38"));
    // The device clock was right: skew is small.
    assert!(stored.iter().all(|s| s.clock_skew_ms.abs() < 60_000));
    let stats = f.db.stats().await.unwrap();
    assert_eq!((stats.checkins, stats.devices, stats.venues), (2, 1, 2));
}

#[tokio::test]
async fn a_large_batch_gets_the_same_answers_as_a_small_one() {
    // Small batches are checked on the worker that received them, larger
    // ones on the blocking pool: the answers must not depend on which.
    let f = fixture().await;
    let device = DeviceId::new();
    let cred = enroll(&f, TokenTarget::Venue(f.venue_a.clone()), device).await;
    let mut records: Vec<Record> = (0..400).map(|_| checkin(&f.venue_a, device, 0)).collect();
    records.push(checkin(&f.venue_b, device, 0));
    let body = batch(&records);
    assert!(body.len() > 64 * 1024, "{} bytes", body.len());
    let z = zstd::bulk::compress(&body, 3).unwrap();
    let (st, json) = call(&f.app, sync_req(&cred, z, Some("zstd"))).await;
    assert_eq!(st, StatusCode::OK, "{json}");
    let resp: SyncResponse = serde_json::from_value(json).unwrap();
    assert_eq!((resp.accepted, resp.rejected), (400, 1));
    assert!(resp.results[400]
        .reason
        .as_deref()
        .unwrap()
        .starts_with("venue_outside_scope"));
    // A bomb is refused at the server's limit, not at the inline one.
    let bomb = zstd::bulk::compress(&vec![b' '; 9 << 20], 19).unwrap();
    let (st, json) = call(&f.app, sync_req(&cred, bomb, Some("zstd"))).await;
    assert_eq!(st, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(json["error"], "decoded_too_large");
    let limit = checkin_sync::protocol::MAX_DECODED_BYTES.to_string();
    assert!(json.to_string().contains(&limit), "{json}");
    assert_eq!(f.db.stats().await.unwrap().checkins, 400);
}

#[tokio::test]
async fn tokens_are_single_use_and_expire() {
    let f = fixture().await;
    let token = admin::enrollment_token(
        f.db.as_ref(),
        TokenTarget::Venue(f.venue_a.clone()),
        Duration::hours(1),
    )
    .await
    .unwrap();
    let body = |t: &str| serde_json::json!({"token": t, "device_id": DeviceId::new()}).to_string();
    let (st, _) = call(
        &f.app,
        post_json("/api/v1/enroll")
            .body(Body::from(body(&token)))
            .unwrap(),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    let (st, json) = call(
        &f.app,
        post_json("/api/v1/enroll")
            .body(Body::from(body(&token)))
            .unwrap(),
    )
    .await;
    assert_eq!(
        (st, json["error"].as_str()),
        (StatusCode::CONFLICT, Some("token_used"))
    );
    let (st, json) = call(
        &f.app,
        post_json("/api/v1/enroll")
            .body(Body::from(body("CKE1:NOPE")))
            .unwrap(),
    )
    .await;
    assert_eq!(
        (st, json["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("token_invalid"))
    );
    // Expired: store a grant whose expiry has passed.
    let expired = "CKE1:EXPIREDTOKEN";
    f.db.add_enrollment_token(&checkin_server_db::TokenGrant {
        token_hash: checkin_server::secrets::hash_hex(expired.as_bytes()),
        scope: checkin_sync::protocol::Scope::Commune {
            commune_code: "14995".into(),
        },
        province_code: "38".into(),
        created_at: Utc::now() - Duration::hours(2),
        expires_at: Utc::now() - Duration::hours(1),
    })
    .await
    .unwrap();
    let (st, json) = call(
        &f.app,
        post_json("/api/v1/enroll")
            .body(Body::from(body(expired)))
            .unwrap(),
    )
    .await;
    assert_eq!(
        (st, json["error"].as_str()),
        (StatusCode::GONE, Some("token_expired"))
    );
}

#[tokio::test]
async fn bad_input_is_4xx_with_a_code_never_500() {
    let f = fixture().await;
    let device = DeviceId::new();
    let cred = enroll(
        &f,
        TokenTarget::Commune {
            code: "14995".into(),
            province: Some("38".into()),
        },
        device,
    )
    .await;
    let code = |j: &serde_json::Value| j["error"].as_str().unwrap_or("").to_string();

    // No credential, wrong credential.
    let mut req = sync_req("CKD1.wrong", batch(&[]), None);
    let (st, j) = call(&f.app, req).await;
    assert_eq!(
        (st, code(&j).as_str()),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );
    req = Request::post("/api/v1/sync")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{}"))
        .unwrap();
    assert_eq!(call(&f.app, req).await.0, StatusCode::UNAUTHORIZED);

    let cases: Vec<(Request<Body>, StatusCode, &str)> = vec![
        (
            sync_req(&cred, b"{not json".to_vec(), None),
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            sync_req(&cred, br#"{"records":[],"extra":1}"#.to_vec(), None),
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            sync_req(&cred, br#"{"records":{}}"#.to_vec(), None),
            StatusCode::BAD_REQUEST,
            "invalid_json",
        ),
        (
            sync_req(&cred, b"garbage".to_vec(), Some("gzip")),
            StatusCode::BAD_REQUEST,
            "bad_encoding",
        ),
        (
            sync_req(&cred, b"garbage".to_vec(), Some("zstd")),
            StatusCode::BAD_REQUEST,
            "bad_encoding",
        ),
        (
            sync_req(&cred, b"{}".to_vec(), Some("br")),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_encoding",
        ),
        (
            sync_req(&cred, vec![b' '; 3 * 1024 * 1024], None),
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
        ),
        (
            // 64 MiB of zeros compress to ~2 KiB: a bomb.
            sync_req(
                &cred,
                zstd::bulk::compress(&vec![0u8; 64 << 20], 19).unwrap(),
                Some("zstd"),
            ),
            StatusCode::PAYLOAD_TOO_LARGE,
            "decoded_too_large",
        ),
        (
            sync_req(
                &cred,
                serde_json::to_vec(
                    &serde_json::json!({"records": vec![serde_json::json!({}); 1001]}),
                )
                .unwrap(),
                None,
            ),
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_many_records",
        ),
    ];
    for (req, want_status, want_code) in cases {
        let (st, j) = call(&f.app, req).await;
        assert_eq!((st, code(&j).as_str()), (want_status, want_code), "{j}");
    }
    // Wrong content type, missing device clock.
    let req = Request::post("/api/v1/sync")
        .header(header::AUTHORIZATION, format!("Bearer {cred}"))
        .header(header::CONTENT_TYPE, "text/plain")
        .header("x-checkin-device-time", Utc::now().to_rfc3339())
        .body(Body::from("{}"))
        .unwrap();
    let (st, j) = call(&f.app, req).await;
    assert_eq!(
        (st, code(&j).as_str()),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
    );
    let req = post_json("/api/v1/sync")
        .header(header::AUTHORIZATION, format!("Bearer {cred}"))
        .body(Body::from(r#"{"records":[]}"#))
        .unwrap();
    let (st, j) = call(&f.app, req).await;
    assert_eq!(
        (st, code(&j).as_str()),
        (StatusCode::BAD_REQUEST, "missing_device_time")
    );

    // Records that are not records are rejected one by one; the batch goes on.
    let good = checkin(&f.venue_a, device, 0);
    let body = serde_json::to_vec(&serde_json::json!({"records": [
        {"kind": "checkin", "id": "0190c3f4-0000-7000-8000-000000000001"},
        "text",
        {"kind": "spaceship"},
        good,
    ]}))
    .unwrap();
    let (st, j) = call(&f.app, sync_req(&cred, body, None)).await;
    assert_eq!(st, StatusCode::OK, "{j}");
    let resp: SyncResponse = serde_json::from_value(j).unwrap();
    assert_eq!((resp.rejected, resp.accepted), (3, 1));
    assert!(
        resp.results[0].id.is_some(),
        "the id is echoed when readable"
    );
    assert!(resp.results[0]
        .reason
        .as_deref()
        .unwrap()
        .starts_with("invalid_record"));

    // Enrollment with unknown fields or a non-JSON body.
    let req = post_json("/api/v1/enroll")
        .body(Body::from(
            r#"{"token":"CKE1:X","device_id":"x","admin":true}"#,
        ))
        .unwrap();
    let (st, j) = call(&f.app, req).await;
    assert_eq!(
        (st, code(&j).as_str()),
        (StatusCode::BAD_REQUEST, "invalid_json")
    );
    let (st, j) = call(&f.app, Request::get("/nope").body(Body::empty()).unwrap()).await;
    assert_eq!(
        (st, code(&j).as_str()),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let (st, j) = call(
        &f.app,
        Request::get("/api/v1/sync").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(
        (st, code(&j).as_str()),
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
    );
}

#[tokio::test]
async fn config_has_etag_health_and_openapi() {
    let f = fixture().await;
    let device = DeviceId::new();
    let cred = enroll(
        &f,
        TokenTarget::Commune {
            code: "14995".into(),
            province: Some("38".into()),
        },
        device,
    )
    .await;
    let get = |etag: Option<&str>| {
        let mut b = Request::get("/api/v1/sync/config")
            .header(header::AUTHORIZATION, format!("Bearer {cred}"));
        if let Some(e) = etag {
            b = b.header(header::IF_NONE_MATCH, e);
        }
        b.body(Body::empty()).unwrap()
    };
    let resp = f.app.clone().oneshot(get(None)).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let etag = resp.headers()[header::ETAG].to_str().unwrap().to_string();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let config: SyncConfig = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(config.venues.len(), 1, "only the commune's venue");
    assert_eq!(config.venues[0].id, f.venue_a);
    let resp = f.app.clone().oneshot(get(Some(&etag))).await.unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_MODIFIED);

    for path in ["/healthz", "/readyz", "/api/v1/openapi.json"] {
        let (st, j) = call(&f.app, Request::get(path).body(Body::empty()).unwrap()).await;
        assert_eq!(st, StatusCode::OK, "{path}");
        assert!(j.is_object());
    }
}

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after() {
    let db: Arc<dyn Database> = Arc::new(SqliteDb::open_in_memory().await.unwrap());
    let v = admin::add_venue(
        db.as_ref(),
        NewVenue {
            name: "X".into(),
            category: VenueCategory::Market,
            commune_code: "00004".into(),
            address: String::new(),
            province_code: Some("01".into()),
        },
    )
    .await
    .unwrap();
    let mut state = AppState::new(db.clone());
    state.limiter = Arc::new(checkin_server::RateLimiter::new(0.5, 2.0));
    let f = Fixture {
        app: router(state),
        db,
        venue_a: v.id.clone(),
        venue_b: v.id,
    };
    let cred = enroll(&f, TokenTarget::Venue(f.venue_a.clone()), DeviceId::new()).await;
    let mut codes = Vec::new();
    for _ in 0..3 {
        let resp = f
            .app
            .clone()
            .oneshot(sync_req(&cred, batch(&[]), None))
            .await
            .unwrap();
        codes.push(resp.status());
        if resp.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(resp.headers().contains_key(header::RETRY_AFTER));
        }
    }
    assert_eq!(
        codes,
        [
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
}

#[tokio::test]
async fn a_venue_added_after_the_scope_was_cached_is_accepted() {
    let f = fixture().await;
    let device = DeviceId::new();
    let cred = enroll(
        &f,
        TokenTarget::Commune {
            code: "14995".into(),
            province: Some("38".into()),
        },
        device,
    )
    .await;
    let (st, _) = call(
        &f.app,
        sync_req(&cred, batch(&[checkin(&f.venue_a, device, 0)]), None),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    let new = admin::add_venue(
        f.db.as_ref(),
        NewVenue {
            name: "Quầy mới".into(),
            category: VenueCategory::Market,
            commune_code: "14995".into(),
            address: String::new(),
            province_code: Some("38".into()),
        },
    )
    .await
    .unwrap();
    let (st, j) = call(
        &f.app,
        sync_req(&cred, batch(&[checkin(&new.id, device, 0)]), None),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(j["accepted"], 1, "{j}");
}

#[tokio::test]
async fn garbage_never_gets_a_500() {
    use rand::{Rng, SeedableRng};
    let f = fixture().await;
    let device = DeviceId::new();
    let cred = enroll(&f, TokenTarget::Venue(f.venue_a.clone()), device).await;
    // A gzip bomb too, besides the zstd one of the table above.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&vec![b'['; 32 << 20]).unwrap();
    let (st, j) = call(&f.app, sync_req(&cred, gz.finish().unwrap(), Some("gzip"))).await;
    assert_eq!(
        (st, j["error"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("decoded_too_large"))
    );
    let good = String::from_utf8(batch(&[checkin(&f.venue_a, device, 0)])).unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    for round in 0..300 {
        let mut body = good.clone().into_bytes();
        match round % 3 {
            // Random bytes.
            0 => body = (0..rng.gen_range(0..400)).map(|_| rng.gen()).collect(),
            // Truncated.
            1 => body.truncate(rng.gen_range(0..body.len())),
            // A few bytes flipped.
            _ => {
                for _ in 0..rng.gen_range(1..6) {
                    let i = rng.gen_range(0..body.len());
                    body[i] = rng.gen();
                }
            }
        }
        let enc = ["identity", "gzip", "zstd"][rng.gen_range(0..3)];
        let encoded = match enc {
            "gzip" if rng.gen_bool(0.5) => {
                let mut g = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                g.write_all(&body).unwrap();
                g.finish().unwrap()
            }
            "zstd" if rng.gen_bool(0.5) => zstd::bulk::compress(&body, 1).unwrap(),
            _ => body.clone(),
        };
        let resp = f
            .app
            .clone()
            .oneshot(sync_req(&cred, encoded, Some(enc)))
            .await
            .unwrap();
        assert!(
            resp.status().as_u16() < 500,
            "round {round}: {}",
            resp.status()
        );
        let enroll_req = post_json("/api/v1/enroll").body(Body::from(body)).unwrap();
        let resp = f.app.clone().oneshot(enroll_req).await.unwrap();
        assert!(
            resp.status().as_u16() < 500,
            "enroll round {round}: {}",
            resp.status()
        );
    }
}

// ---------------------------------------------------------------------------
// Pass keys, policy, units and the quarantine records: on SQLite, and on
// PostgreSQL too when CHECKIN_TEST_POSTGRES_URL is set (a fresh database).

use common::{call, stores};

/// The fixture's venues (province 38, communes 14995 and 14998) and one in
/// province 01, on `db`, served by a state `tweak` adjusts.
async fn fixture_on(
    db: Arc<dyn Database>,
    tweak: impl FnOnce(&mut AppState),
) -> (Fixture, VenueId) {
    let venue = |name: &str, commune: &str, province: &str| NewVenue {
        name: name.into(),
        category: VenueCategory::Clinic,
        commune_code: commune.into(),
        address: "1 Main St".into(),
        province_code: Some(province.into()),
    };
    let a = admin::add_venue(db.as_ref(), venue("Trạm y tế A", "14995", "38"))
        .await
        .unwrap();
    let b = admin::add_venue(db.as_ref(), venue("Trạm y tế B", "14998", "38"))
        .await
        .unwrap();
    let hanoi = admin::add_venue(db.as_ref(), venue("Phúc Xá", "00004", "01"))
        .await
        .unwrap();
    let mut state = AppState::new(db.clone());
    tweak(&mut state);
    let f = Fixture {
        app: router(state),
        db,
        venue_a: a.id,
        venue_b: b.id,
    };
    (f, hanoi.id)
}

/// Posts an enrollment; `proof` is a current credential (re-enrolling).
async fn enroll_request(
    f: &Fixture,
    token: &str,
    device: DeviceId,
    public_key: Option<&str>,
    proof: Option<&str>,
) -> (StatusCode, serde_json::Value) {
    let mut body = serde_json::json!({"token": token, "device_id": device});
    if let Some(k) = public_key {
        body["public_key"] = k.into();
    }
    let mut req = post_json("/api/v1/enroll");
    if let Some(c) = proof {
        req = req.header(header::AUTHORIZATION, format!("Bearer {c}"));
    }
    call(&f.app, req.body(Body::from(body.to_string())).unwrap()).await
}

/// Enrolls `device` for `target` with a pass key; returns its credential.
async fn enroll_with_key(
    f: &Fixture,
    target: TokenTarget,
    device: DeviceId,
    key: Option<&str>,
) -> String {
    let token = admin::enrollment_token(f.db.as_ref(), target, Duration::hours(1))
        .await
        .unwrap();
    let (st, json) = enroll_request(f, &token, device, key, None).await;
    assert_eq!(st, StatusCode::OK, "{json}");
    json["credential"].as_str().unwrap().to_string()
}

fn key_of(seed: u8) -> String {
    checkin_core::PassSigner::from_secret(&[seed; 32]).public_key_text()
}

/// GETs a device endpoint; returns status, headers and the inflated body.
async fn get_doc(
    app: &axum::Router,
    path: &str,
    credential: &str,
    accept_encoding: Option<&str>,
    if_none_match: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut b = Request::get(path).header(header::AUTHORIZATION, format!("Bearer {credential}"));
    if let Some(a) = accept_encoding {
        b = b.header(header::ACCEPT_ENCODING, a);
    }
    if let Some(e) = if_none_match {
        b = b.header(header::IF_NONE_MATCH, e);
    }
    let resp = app
        .clone()
        .oneshot(b.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let raw = resp.into_body().collect().await.unwrap().to_bytes();
    let encoding = headers
        .get(header::CONTENT_ENCODING)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = checkin_sync::codec::inflate(&encoding, &raw, 64 << 20).unwrap();
    (status, headers, body)
}

fn etag(headers: &axum::http::HeaderMap) -> String {
    headers[header::ETAG].to_str().unwrap().to_string()
}

async fn config_of(f: &Fixture, credential: &str) -> (SyncConfig, String) {
    let (st, headers, body) = get_doc(&f.app, "/api/v1/sync/config", credential, None, None).await;
    assert_eq!(st, StatusCode::OK);
    (serde_json::from_slice(&body).unwrap(), etag(&headers))
}

/// The trust list fixtures `checkin dcc verify` is tested on.
fn dcc_fixture(name: &str) -> String {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    std::fs::read_to_string(
        std::path::Path::new(&dir)
            .join("../cli/tests/dcc")
            .join(name),
    )
    .unwrap()
}

#[tokio::test]
async fn the_trust_list_is_checked_on_import_named_in_the_config_and_downloaded_once() {
    use checkin_sync::protocol::TrustListAnswer;
    for (backend, db) in stores().await {
        let (f, _) = fixture_on(db, |_| {}).await;
        let cred = enroll(&f, TokenTarget::Venue(f.venue_a.clone()), DeviceId::new()).await;
        let (config, _) = config_of(&f, &cred).await;
        assert_eq!(config.trust_list, None, "{backend}: none imported yet");
        let (st, _, _) = get_doc(&f.app, "/api/v1/sync/trust-list", &cred, None, None).await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{backend}");

        // Refused whole, each bad entry named; nothing stored.
        let good: serde_json::Value =
            serde_json::from_str(&dcc_fixture("trust-list.json")).unwrap();
        let mut bad = good.clone();
        let certs = bad["certificates"].as_array_mut().unwrap();
        certs.push(serde_json::json!({"der": "AAAA"}));
        certs.push(serde_json::json!({"der": "bm90IGEgY2VydA=="}));
        let err = checkin_server::trust_list::import(f.db.as_ref(), &bad.to_string(), Utc::now())
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("2 unusable"), "{backend}: {err}");
        assert!(
            err.contains("certificates[1]") && err.contains("certificates[2]"),
            "{err}"
        );
        for junk in ["", "[]", "{\"certificates\": []}", "{\"certificates\": 5}"] {
            assert!(
                checkin_server::trust_list::import(f.db.as_ref(), junk, Utc::now())
                    .await
                    .is_err(),
                "{backend}: {junk}"
            );
        }
        assert_eq!(config_of(&f, &cred).await.0.trust_list, None);

        let at = Utc::now() - Duration::days(3);
        let imported = checkin_server::trust_list::import(f.db.as_ref(), &good.to_string(), at)
            .await
            .unwrap();
        assert_eq!(imported.certificates, 1);
        let (config, config_tag) = config_of(&f, &cred).await;
        let info = config.trust_list.expect("named in the config");
        assert_eq!(info.certificates, 1);
        assert_eq!(
            info.imported_at.timestamp_millis(),
            at.timestamp_millis(),
            "{backend}"
        );

        let (st, headers, body) =
            get_doc(&f.app, "/api/v1/sync/trust-list", &cred, Some("zstd"), None).await;
        assert_eq!(st, StatusCode::OK, "{backend}");
        assert_eq!(headers[header::CONTENT_ENCODING], "zstd");
        assert_eq!(etag(&headers), info.etag, "the config names this download");
        let answer: TrustListAnswer = serde_json::from_slice(&body).unwrap();
        let list = checkin_core::TrustList::from_document(&answer.document).unwrap();
        assert_eq!(list.len(), 1);
        let (st, _, _) = get_doc(
            &f.app,
            "/api/v1/sync/trust-list",
            &cred,
            None,
            Some(&info.etag),
        )
        .await;
        assert_eq!(st, StatusCode::NOT_MODIFIED, "{backend}");

        // A new import moves the config's ETag and the list's.
        checkin_server::trust_list::import(f.db.as_ref(), &good.to_string(), Utc::now())
            .await
            .unwrap();
        let (config, tag) = config_of(&f, &cred).await;
        assert_ne!(tag, config_tag, "{backend}");
        assert!(config.trust_list.unwrap().imported_at > info.imported_at);

        // Only enrolled devices download it.
        let (st, _, _) = get_doc(&f.app, "/api/v1/sync/trust-list", "CKD1.nope", None, None).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn config_lists_the_pass_keys_of_the_province_and_the_policy() {
    for (backend, db) in stores().await {
        let policy = Policy {
            require_declaration: true,
            pass_valid_days: 7,
            ..Policy::default()
        };
        let served = policy.clone();
        let (f, hanoi) = fixture_on(db, |s| s.policy = Arc::new(served)).await;
        let commune = || TokenTarget::Commune {
            code: "14995".into(),
            province: Some("38".into()),
        };
        let (ka, kb, kc) = (key_of(1), key_of(2), key_of(3));
        let dev_a = DeviceId::new();
        let cred_a = enroll_with_key(&f, commune(), dev_a, Some(&ka)).await;
        // Whitespace around a key is not part of it.
        let cred_b = enroll_with_key(
            &f,
            TokenTarget::Venue(f.venue_b.clone()),
            DeviceId::new(),
            Some(&format!(" {kb}\n")),
        )
        .await;
        enroll_with_key(
            &f,
            TokenTarget::Venue(hanoi.clone()),
            DeviceId::new(),
            Some(&kc),
        )
        .await;
        enroll_with_key(&f, commune(), DeviceId::new(), None).await;

        let (config, tag) = config_of(&f, &cred_a).await;
        // The server's own key first (passes from the citizen page), then
        // the devices' of the province.
        let server = checkin_server::passes::signer(f.db.as_ref()).await.unwrap();
        let mut want = vec![ka.clone(), kb.clone()];
        want.sort();
        want.insert(0, server.public_key_text());
        assert_eq!(
            config.public_keys, want,
            "{backend}: the server's, own and province's keys"
        );
        // A pass the server signs verifies with the config's keys alone.
        let mut keys = checkin_core::PassKeys::default();
        keys.extend_from_text(config.public_keys.iter().map(String::as_str));
        let claims = checkin_core::PassClaims {
            declaration_id: checkin_core::RecordId::new(),
            full_name: "Nguyễn Thị Lan".into(),
            declared_on: chrono::Utc::now().date_naive(),
            level: checkin_core::Level::Green,
            expires_at: chrono::Utc::now() + Duration::hours(1),
        };
        let pass = keys
            .verify(&server.sign(&claims), chrono::Utc::now())
            .unwrap();
        assert_eq!(pass.claims.full_name, "Nguyễn Thị Lan", "{backend}");
        assert_eq!(config.policy, policy, "{backend}");
        let (config_b, _) = config_of(&f, &cred_b).await;
        assert_eq!(config_b.public_keys, want, "{backend}");
        // Stable: the same answer and ETag, and 304 for it.
        assert_eq!(config_of(&f, &cred_a).await.1, tag, "{backend}");
        let (st, headers, _) =
            get_doc(&f.app, "/api/v1/sync/config", &cred_a, None, Some(&tag)).await;
        assert_eq!(st, StatusCode::NOT_MODIFIED, "{backend}");
        assert_eq!(etag(&headers), tag);
        // Compressed as asked, same document.
        for enc in ["zstd", "gzip"] {
            let (st, headers, body) =
                get_doc(&f.app, "/api/v1/sync/config", &cred_a, Some(enc), None).await;
            assert_eq!(st, StatusCode::OK);
            assert_eq!(headers[header::CONTENT_ENCODING], enc, "{backend}");
            assert_eq!(headers[header::VARY], "accept-encoding");
            assert_eq!(etag(&headers), tag);
            assert_eq!(serde_json::from_slice::<SyncConfig>(&body).unwrap(), config);
        }

        // An unreadable key is refused before the token is spent.
        let token = admin::enrollment_token(f.db.as_ref(), commune(), Duration::hours(1))
            .await
            .unwrap();
        let half = &ka[..20];
        for bad in ["", "AAAA", half, "not base64!", &"A".repeat(500)] {
            let (st, j) = enroll_request(&f, &token, dev_a, Some(bad), Some(&cred_a)).await;
            assert_eq!(
                (st, j["error"].as_str()),
                (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_public_key")),
                "{backend}: {bad:?}"
            );
        }
        // Re-enrolling (the same token, still unused) replaces the key.
        let ka2 = key_of(4);
        let (st, j) = enroll_request(&f, &token, dev_a, Some(&ka2), Some(&cred_a)).await;
        assert_eq!(st, StatusCode::OK, "{backend}: {j}");
        let cred_a2 = j["credential"].as_str().unwrap();
        let (config, tag2) = config_of(&f, cred_a2).await;
        let mut want = vec![ka2, kb];
        want.sort();
        want.insert(0, server.public_key_text());
        assert_eq!(config.public_keys, want, "{backend}");
        assert_ne!(tag2, tag, "{backend}: a new key changes the ETag");
    }
}

#[tokio::test]
async fn units_are_listed_cached_until_the_next_import_and_compressed() {
    for (backend, db) in stores().await {
        let (f, _) = fixture_on(db, |_| {}).await;
        let device = DeviceId::new();
        let cred = enroll_with_key(&f, TokenTarget::Venue(f.venue_a.clone()), device, None).await;
        let (st, _, _) = get_doc(&f.app, "/api/v1/units", "CKD1.wrong", None, None).await;
        assert_eq!(st, StatusCode::UNAUTHORIZED, "{backend}");

        let (st, headers, body) = get_doc(&f.app, "/api/v1/units", &cred, None, None).await;
        assert_eq!(st, StatusCode::OK, "{backend}");
        assert_eq!(String::from_utf8(body).unwrap(), r#"{"units":[]}"#);
        let empty_tag = etag(&headers);

        let file = |commune_name: &str| {
            format!(
                r#"{{"data":[{{"level1_id":"38","name":"Tỉnh Thanh Hóa","type":"Tỉnh",
                "level2s":[{{"level2_id":"387","name":"Huyện Quan Sơn","type":"Huyện",
                "level3s":[{{"level3_id":"14995","name":"{commune_name}","type":"Xã"}}]}}]}}]}}"#
            )
        };
        let import = |name: String| {
            let db = f.db.clone();
            async move {
                let units = checkin_server_db::Units::from_dvhcvn_json(&name).unwrap();
                db.import_units(&units).await.unwrap();
            }
        };
        import(file("Xã Trung Xuân")).await;
        let (st, headers, body) = get_doc(&f.app, "/api/v1/units", &cred, None, None).await;
        assert_eq!(st, StatusCode::OK);
        let tag = etag(&headers);
        assert_ne!(tag, empty_tag, "{backend}: an import is seen at once");
        let list: UnitsList = serde_json::from_slice(&body).unwrap();
        let flat: Vec<_> = list
            .units
            .iter()
            .map(|u| {
                (
                    u.code.as_str(),
                    u.parent.as_deref(),
                    u.name.as_str(),
                    u.kind.as_str(),
                )
            })
            .collect();
        assert_eq!(
            flat,
            [
                ("38", None, "Tỉnh Thanh Hóa", "Tỉnh"),
                ("387", Some("38"), "Huyện Quan Sơn", "Huyện"),
                ("14995", Some("387"), "Xã Trung Xuân", "Xã"),
            ],
            "{backend}"
        );
        let (st, headers, _) = get_doc(&f.app, "/api/v1/units", &cred, None, Some(&tag)).await;
        assert_eq!(st, StatusCode::NOT_MODIFIED, "{backend}");
        assert_eq!(etag(&headers), tag);
        let weak = format!("\"other\", W/{tag}");
        let (st, _, _) = get_doc(&f.app, "/api/v1/units", &cred, None, Some(&weak)).await;
        assert_eq!(st, StatusCode::NOT_MODIFIED, "{backend}: weak match");
        for (accept, want) in [
            ("zstd, gzip", Some("zstd")),
            ("gzip", Some("gzip")),
            ("br", None),
        ] {
            let (st, headers, decoded) =
                get_doc(&f.app, "/api/v1/units", &cred, Some(accept), None).await;
            assert_eq!(st, StatusCode::OK);
            assert_eq!(
                headers
                    .get(header::CONTENT_ENCODING)
                    .map(|v| v.to_str().unwrap()),
                want,
                "{backend}: {accept}"
            );
            assert_eq!(headers[header::VARY], "accept-encoding");
            assert_eq!(etag(&headers), tag);
            assert_eq!(decoded, body, "{backend}: {accept}");
        }

        // A new import (another process, as `admin import-units`) replaces the cached list.
        import(file("Xã Trung Xuân Mới")).await;
        let (st, headers, body) = get_doc(&f.app, "/api/v1/units", &cred, None, Some(&tag)).await;
        assert_eq!(st, StatusCode::OK, "{backend}");
        assert_ne!(etag(&headers), tag);
        let list: UnitsList = serde_json::from_slice(&body).unwrap();
        assert_eq!(list.units[2].name, "Xã Trung Xuân Mới", "{backend}");
    }
}

#[tokio::test]
async fn units_are_rate_limited_like_the_config() {
    let db: Arc<dyn Database> = Arc::new(SqliteDb::open_in_memory().await.unwrap());
    let (f, _) = fixture_on(db, |s| {
        s.limiter = Arc::new(checkin_server::RateLimiter::new(0.5, 2.0))
    })
    .await;
    let cred = enroll_with_key(
        &f,
        TokenTarget::Venue(f.venue_a.clone()),
        DeviceId::new(),
        None,
    )
    .await;
    let mut codes = Vec::new();
    for path in ["/api/v1/units", "/api/v1/sync/config", "/api/v1/units"] {
        let req = Request::get(path)
            .header(header::AUTHORIZATION, format!("Bearer {cred}"))
            .body(Body::empty())
            .unwrap();
        let resp = f.app.clone().oneshot(req).await.unwrap();
        if resp.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(resp.headers().contains_key(header::RETRY_AFTER));
        }
        codes.push(resp.status());
    }
    assert_eq!(
        codes,
        [
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
}

/// The real list of Vietnam's units (~10,600), when `../shared` is present:
/// every district and commune names an existing parent. Prints the cost of
/// building the answer and of a cached request (for docs/sync.md).
#[tokio::test]
async fn real_units_list() {
    let path =
        std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
            .join("../../../shared/testdata/vn-admin-units/dvhcvn_2021-11-01.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("{} absent: real units test skipped", path.display());
        return;
    };
    let (f, _) = fixture_on(Arc::new(SqliteDb::open_in_memory().await.unwrap()), |_| {}).await;
    let cred = enroll_with_key(
        &f,
        TokenTarget::Venue(f.venue_a.clone()),
        DeviceId::new(),
        None,
    )
    .await;
    let units = checkin_server_db::Units::from_dvhcvn_json(&text).unwrap();
    let counts = f.db.import_units(&units).await.unwrap();
    let started = std::time::Instant::now();
    let (st, headers, body) = get_doc(&f.app, "/api/v1/units", &cred, Some("zstd"), None).await;
    let first = started.elapsed();
    assert_eq!(st, StatusCode::OK);
    let list: UnitsList = serde_json::from_slice(&body).unwrap();
    let total = (counts.provinces + counts.districts + counts.communes) as usize;
    assert_eq!(list.units.len(), total);
    assert!(total > 10_000, "{total}");
    let codes: std::collections::HashSet<&str> =
        list.units.iter().map(|u| u.code.as_str()).collect();
    for u in &list.units {
        match u.code.len() {
            2 => assert!(u.parent.is_none()),
            _ => assert!(codes.contains(u.parent.as_deref().unwrap()), "{u:?}"),
        }
    }
    let started = std::time::Instant::now();
    let (st, _, _) = get_doc(&f.app, "/api/v1/units", &cred, Some("zstd"), None).await;
    let cached = started.elapsed();
    assert_eq!(st, StatusCode::OK);
    let started = std::time::Instant::now();
    let (st, _, _) = get_doc(&f.app, "/api/v1/units", &cred, None, Some(&etag(&headers))).await;
    let not_modified = started.elapsed();
    assert_eq!(st, StatusCode::NOT_MODIFIED);
    eprintln!(
        "units: {total} units, {} bytes JSON; first request (build) {first:?}, \
         cached {cached:?}, 304 {not_modified:?}",
        body.len()
    );
}

fn quarantine(venue: Option<&VenueId>, device: DeviceId) -> Record {
    Record::Quarantine(checkin_core::QuarantineRecord {
        id: checkin_core::RecordId::new(),
        device_seq: 1,
        device_id: device,
        device_time: Utc::now().fixed_offset(),
        venue_id: venue.cloned(),
        subject: checkin_core::Subject::IdCard {
            id_number: "001098012345".into(),
            full_name: "NGUYỄN VĂN A".into(),
            birth_date: "1998-08-15".parse().unwrap(),
            gender: checkin_core::CardGender::Male,
        },
        mode: checkin_core::QuarantineKind::Home,
        place: "Bản Xuân".into(),
        start_date: "2021-08-01".parse().unwrap(),
        end_date: "2021-08-14".parse().unwrap(),
        source: Source::Manual,
    })
}

fn health_update(venue: Option<&VenueId>, device: DeviceId, of: &Record) -> Record {
    Record::HealthUpdate(checkin_core::HealthUpdateRecord {
        id: checkin_core::RecordId::new(),
        device_seq: 2,
        device_id: device,
        device_time: Utc::now().fixed_offset(),
        venue_id: venue.cloned(),
        quarantine_id: of.id(),
        date: "2021-08-02".parse().unwrap(),
        status: checkin_core::UpdateStatus::Missed,
        verdict: checkin_core::Verdict::green(),
        source: Source::Manual,
    })
}

#[tokio::test]
async fn quarantines_and_health_updates_are_ingested_within_scope() {
    for (backend, db) in stores().await {
        let (f, _) = fixture_on(db, |_| {}).await;
        let device = DeviceId::new();
        let cred = enroll_with_key(&f, TokenTarget::Venue(f.venue_a.clone()), device, None).await;
        let q = quarantine(Some(&f.venue_a), device);
        let q_outside = quarantine(Some(&f.venue_b), device);
        let q_no_venue = quarantine(None, device);
        let h = health_update(Some(&f.venue_a), device, &q);
        let h_no_venue = health_update(None, device, &q_no_venue);
        let h_outside = health_update(Some(&f.venue_b), device, &q);
        let body = batch(&[q, q_outside, q_no_venue, h, h_no_venue, h_outside]);
        let (st, j) = call(&f.app, sync_req(&cred, body.clone(), None)).await;
        assert_eq!(st, StatusCode::OK, "{backend}: {j}");
        let resp: SyncResponse = serde_json::from_value(j).unwrap();
        let statuses: Vec<_> = resp.results.iter().map(|r| r.status).collect();
        use RecordStatus::{Accepted, Duplicate, Rejected};
        assert_eq!(
            statuses,
            [Accepted, Rejected, Accepted, Accepted, Accepted, Rejected],
            "{backend}"
        );
        for i in [1, 5] {
            assert!(resp.results[i]
                .reason
                .as_deref()
                .unwrap()
                .starts_with("venue_outside_scope"));
        }
        let (st, j) = call(&f.app, sync_req(&cred, body, Some("identity"))).await;
        assert_eq!(st, StatusCode::OK);
        let resp: SyncResponse = serde_json::from_value(j).unwrap();
        let statuses: Vec<_> = resp.results.iter().map(|r| r.status).collect();
        assert_eq!(
            statuses,
            [Duplicate, Rejected, Duplicate, Duplicate, Duplicate, Rejected],
            "{backend}"
        );
        let stats = f.db.stats().await.unwrap();
        assert_eq!(
            (stats.checkins, stats.quarantines, stats.health_updates),
            (0, 2, 2),
            "{backend}"
        );
    }
}

#[tokio::test]
async fn a_full_enrollment_code_enrolls_with_its_token() {
    let f = fixture().await;
    let token = admin::enrollment_token(
        f.db.as_ref(),
        TokenTarget::Venue(f.venue_a.clone()),
        Duration::hours(1),
    )
    .await
    .unwrap();
    let code = admin::enrollment_code(&token, "https://Checkin.SoYTe.vn/Api").unwrap();
    assert_eq!(code, format!("{token}@https://Checkin.SoYTe.vn/Api"));
    // Scanned with a trailing CR/LF, typed in lower case: still the token.
    let scanned = format!("{}\r\n", code.replacen(&token, &token.to_lowercase(), 1));
    let (st, j) = enroll_request(&f, &scanned, DeviceId::new(), None, None).await;
    assert_eq!(st, StatusCode::OK, "{j}");
    // Spent: the bare token is now used.
    let (st, j) = enroll_request(&f, &token, DeviceId::new(), None, None).await;
    assert_eq!(
        (st, j["error"].as_str()),
        (StatusCode::CONFLICT, Some("token_used"))
    );
}

/// Every `.rs` file under `src/`, as (path, text).
fn server_sources() -> Vec<(String, String)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path.display().to_string(), text));
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut out,
    );
    out
}

/// The router and the document come from one list of routes (utoipa-axum's
/// `routes!`), so a route added that way is documented by construction.
/// This checks the rest: the router serves each documented method and no
/// other on each documented path; no route is registered outside that list
/// (a plain `.route("…")` in the sources) but the dashboard's pages; and
/// the Error schema lists every code the handlers answer, and no other.
#[tokio::test]
async fn openapi_describes_every_route_and_error_code() {
    let doc: serde_json::Value = serde_json::from_str(checkin_server::openapi::json()).unwrap();
    let f = fixture().await;
    const METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];
    let paths = doc["paths"].as_object().unwrap();
    let mut operations = 0;
    for (path, item) in paths {
        let uri = path
            .replace("{name}", "qr-points")
            .replace("{login}", "someone")
            .replace("{code}", "38-14995-AAAAAA.ABCDEFGHJKMNPQ23");
        assert!(!uri.contains('{'), "give {path} a sample parameter");
        for method in METHODS {
            let request = Request::builder()
                .method(method.to_uppercase().as_str())
                .uri(&uri)
                .body(Body::empty())
                .unwrap();
            let (status, j) = call(&f.app, request).await;
            let answer = (status, j["error"].as_str().unwrap_or(""));
            if item.get(method).is_some() {
                operations += 1;
                assert_ne!(
                    answer,
                    (StatusCode::NOT_FOUND, "not_found"),
                    "{method} {path}"
                );
                assert_ne!(
                    answer,
                    (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
                    "{method} {path} is documented but not served"
                );
            } else {
                assert_eq!(
                    answer,
                    (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
                    "{method} {path} is served but not documented"
                );
            }
        }
    }
    assert!(operations >= 16, "{operations}");
    let sources = server_sources();
    // Routes registered beside `routes!`: only the dashboard's pages and
    // the citizen's phone page may be.
    let pages = [
        "/dashboard",
        "/dashboard/",
        "/dashboard/{*rest}",
        "/c",
        "/c/",
        "/c/{*rest}",
    ];
    for (file, text) in &sources {
        for call in [
            ".route(\"",
            ".route_service(\"",
            ".nest_service(\"",
            ".nest(\"",
        ] {
            for rest in text.split(call).skip(1) {
                let route = rest.split('"').next().unwrap();
                let documented = paths.keys().any(|p| p == route || p.starts_with(route));
                assert!(
                    documented || pages.contains(&route),
                    "{file}: route {route} is not in the OpenAPI document: register it with \
                     `.routes(routes!(handler))` and give the handler `#[utoipa::path]`"
                );
            }
        }
    }
    let codes: Vec<&str> = doc["components"]["schemas"]["Error"]["properties"]["error"]["examples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    // The handlers' code: everything but the list of codes itself.
    let source: String = sources
        .iter()
        .map(|(_, text)| match text.split_once("pub const CODES") {
            Some((before, after)) => format!("{before}{}", after.split_once("];").unwrap().1),
            None => text.clone(),
        })
        .collect();
    // Every code the handlers answer (`StatusCode::…, "code"`) is listed.
    let mut rest = source.as_str();
    let mut seen = 0;
    while let Some(i) = rest.find("StatusCode::") {
        rest = &rest[i..];
        let after = rest
            .split_once(',')
            .map(|(_, r)| r.trim_start())
            .unwrap_or("");
        if let Some(code) = after.strip_prefix('"').and_then(|a| a.split_once('"')) {
            let code = code.0;
            if code.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                assert!(
                    codes.contains(&code),
                    "error code {code} is not in checkin_server::error::CODES"
                );
                seen += 1;
            }
        }
        rest = &rest["StatusCode::".len()..];
    }
    assert!(seen > 15, "{seen}");
    // …and every listed code is still answered somewhere.
    for code in &codes {
        assert!(
            source.contains(&format!("\"{code}\"")),
            "error code {code} is listed but no handler answers it"
        );
    }
    // The report names of the path are the reports the server has.
    let names: Vec<&str> = checkin_server::reports::Name::ALL
        .iter()
        .map(|n| n.as_str())
        .collect();
    let report = &doc["paths"]["/api/v1/dashboard/reports/{name}"]["get"];
    let name = report["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "name")
        .unwrap();
    assert_eq!(name["schema"]["enum"], serde_json::json!(names), "{name}");
    // Every schema referred to is in the document.
    let text = doc.to_string();
    for reference in text.split("\"$ref\":\"").skip(1) {
        let reference = reference.split('"').next().unwrap();
        let name = reference.strip_prefix("#/components/schemas/").unwrap();
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{reference} is not in the document"
        );
    }
    let config = &doc["components"]["schemas"]["SyncConfig"]["properties"];
    assert!(config["policy"].is_object());
    assert!(doc["components"]["schemas"]["EnrollRequest"]["properties"]["public_key"].is_object());
}

/// `crates/server/openapi.json` is the generated document, committed for
/// readers and reviews; `UPDATE_OPENAPI=1` rewrites it.
#[test]
fn openapi_copy_is_current() {
    let generated = checkin_server::openapi::json();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(path, generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "crates/server/openapi.json is not the document the handlers generate; \
         regenerate it with `UPDATE_OPENAPI=1 cargo test -p checkin-server --test api openapi_copy_is_current`"
    );
}
