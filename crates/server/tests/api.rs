//! Drives the router with `oneshot` (no socket) over an in-memory SQLite store.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use checkin_core::{CheckIn, DeviceId, Direction, Policy, Record, Source, VenueCategory, VenueId};
use checkin_server::admin::{self, NewVenue, TokenTarget};
use checkin_server::{router, AppState};
use checkin_server_db::{Database, SqliteDb};
use checkin_sync::protocol::{EnrollResponse, RecordStatus, SyncConfig, SyncResponse};
use chrono::{Duration, Utc};
use http_body_util::BodyExt;
use std::io::Write;
use std::sync::Arc;
use tower::ServiceExt;

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

async fn call(app: &axum::Router, req: Request<Body>) -> (StatusCode, serde_json::Value) {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let json = if bytes.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| panic!("not JSON ({status}): {}", String::from_utf8_lossy(&bytes)))
    };
    (status, json)
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
