//! Devices under abuse (issue 8): revocation and re-enrollment take effect
//! on the very next request, a record the database refuses is rejected
//! alone, readiness needs the write lock, and `admin device list|revoke`.
//! Store-backed tests run on SQLite, and on PostgreSQL too when
//! `CHECKIN_TEST_POSTGRES_URL` is set.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use checkin_core::{CheckIn, DeviceId, Direction, Policy, Record, Source, VenueCategory, VenueId};
use checkin_server::admin::{self, NewVenue, TokenTarget};
use checkin_server::{router, AppState};
use checkin_server_db::{Database, PostgresDb, SqliteDb};
use checkin_sync::protocol::{RecordStatus, SyncResponse};
use chrono::{Duration, Utc};
use std::path::Path;
use std::sync::Arc;

mod common;
use common::{admin_cli, call, fresh_postgres_db, stdout_of};

struct Fixture {
    name: &'static str,
    db: Arc<dyn Database>,
    app: axum::Router,
    venue: VenueId,
    /// The SQLite file or the PostgreSQL URL, to reach the store directly.
    place: String,
}

/// One fixture per store: SQLite in a file under `dir`, and PostgreSQL when
/// configured; each with one venue, served with the default state (whose
/// scope cache keeps entries 10 s: nothing here waits for it).
async fn fixtures(dir: &Path) -> Vec<Fixture> {
    let path = dir.join("srv.db");
    let sqlite: Arc<dyn Database> = Arc::new(SqliteDb::open(&path).await.unwrap());
    let mut stores = vec![("sqlite", sqlite, path.display().to_string())];
    match std::env::var("CHECKIN_TEST_POSTGRES_URL") {
        Ok(base) => {
            let url = fresh_postgres_db(&base).await;
            let pg: Arc<dyn Database> = Arc::new(PostgresDb::connect(&url).await.unwrap());
            stores.push(("postgres", pg, url));
        }
        Err(_) => eprintln!("CHECKIN_TEST_POSTGRES_URL not set: PostgreSQL runs skipped"),
    }
    let mut out = Vec::new();
    for (name, db, place) in stores {
        let venue = admin::add_venue(
            db.as_ref(),
            NewVenue {
                name: "Trạm y tế".into(),
                category: VenueCategory::Clinic,
                commune_code: "14995".into(),
                address: "1 Main St".into(),
                province_code: Some("38".into()),
            },
        )
        .await
        .unwrap();
        out.push(Fixture {
            name,
            app: router(AppState::new(db.clone())),
            db,
            venue: venue.id,
            place,
        });
    }
    out
}

async fn pg_client(url: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("connect to PostgreSQL");
    tokio::spawn(conn);
    client
}

/// Enrolls `device` with a new token for the fixture's venue, presenting
/// `proof` (a current credential) when given; the answer as it came.
async fn enroll_as(
    f: &Fixture,
    device: DeviceId,
    proof: Option<&str>,
) -> (StatusCode, serde_json::Value) {
    let token = admin::enrollment_token(
        f.db.as_ref(),
        TokenTarget::Venue(f.venue.clone()),
        Duration::hours(1),
    )
    .await
    .unwrap();
    let mut req = Request::post("/api/v1/enroll").header(header::CONTENT_TYPE, "application/json");
    if let Some(c) = proof {
        req = req.header(header::AUTHORIZATION, format!("Bearer {c}"));
    }
    let body = serde_json::json!({"token": token, "device_id": device}).to_string();
    call(&f.app, req.body(Body::from(body)).unwrap()).await
}

async fn enroll(f: &Fixture, device: DeviceId, proof: Option<&str>) -> String {
    let (st, json) = enroll_as(f, device, proof).await;
    assert_eq!(st, StatusCode::OK, "{}: {json}", f.name);
    json["credential"].as_str().unwrap().to_string()
}

fn checkin(venue: &VenueId, device: DeviceId) -> Record {
    Record::Checkin(
        CheckIn::from_code(
            "001098012345|012345678|NGUYỄN VĂN A|15081998|Nam|Hà Nội|25052021",
            venue.clone(),
            Direction::In,
            Source::Qr,
            device,
            Utc::now().fixed_offset(),
            &Policy::default(),
        )
        .unwrap(),
    )
}

async fn sync(
    f: &Fixture,
    credential: &str,
    records: &[Record],
) -> (StatusCode, serde_json::Value) {
    let body = serde_json::to_vec(&serde_json::json!({ "records": records })).unwrap();
    let req = Request::post("/api/v1/sync")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {credential}"))
        .header("x-checkin-device-time", Utc::now().to_rfc3339())
        .body(Body::from(body))
        .unwrap();
    call(&f.app, req).await
}

async fn get(f: &Fixture, path: &str, credential: &str) -> (StatusCode, serde_json::Value) {
    let req = Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {credential}"))
        .body(Body::empty())
        .unwrap();
    call(&f.app, req).await
}

fn error_of(answer: &(StatusCode, serde_json::Value)) -> (StatusCode, Option<&str>) {
    (answer.0, answer.1["error"].as_str())
}

#[tokio::test]
async fn a_revoked_device_is_refused_from_its_next_request() {
    let dir = tempfile::tempdir().unwrap();
    for f in fixtures(dir.path()).await {
        let device = DeviceId::new();
        let cred = enroll(&f, device, None).await;
        // Authenticated and its scope cached.
        let (st, j) = sync(&f, &cred, &[checkin(&f.venue, device)]).await;
        assert_eq!(
            (st, &j["accepted"]),
            (StatusCode::OK, &1.into()),
            "{}: {j}",
            f.name
        );
        assert_eq!(
            get(&f, "/api/v1/sync/config", &cred).await.0,
            StatusCode::OK
        );

        assert!(admin::revoke_device(f.db.as_ref(), &device.to_string())
            .await
            .unwrap());
        // At once, with no waiting for any cache.
        let answer = sync(&f, &cred, &[checkin(&f.venue, device)]).await;
        assert_eq!(
            error_of(&answer),
            (StatusCode::UNAUTHORIZED, Some("device_revoked")),
            "{}",
            f.name
        );
        let message = answer.1["message"].as_str().unwrap();
        assert!(
            message.contains("revoked") && message.contains("enrolled again"),
            "{message}"
        );
        for path in ["/api/v1/sync/config", "/api/v1/units"] {
            assert_eq!(
                error_of(&get(&f, path, &cred).await),
                (StatusCode::UNAUTHORIZED, Some("device_revoked")),
                "{}: {path}",
                f.name
            );
        }
        // An unknown credential is still just unauthorized.
        assert_eq!(
            error_of(&get(&f, "/api/v1/sync/config", "not-a-credential").await),
            (StatusCode::UNAUTHORIZED, Some("unauthorized"))
        );
        assert_eq!(f.db.stored_records().await.unwrap().len(), 1, "{}", f.name);

        // The operator issues a new code: the revoked device enrolls with it
        // alone (its credential is what was lost), and works again.
        let fresh = enroll(&f, device, None).await;
        let (st, j) = sync(&f, &fresh, &[checkin(&f.venue, device)]).await;
        assert_eq!(
            (st, &j["accepted"]),
            (StatusCode::OK, &1.into()),
            "{}: {j}",
            f.name
        );
        assert_eq!(
            error_of(&sync(&f, &cred, &[]).await),
            (StatusCode::UNAUTHORIZED, Some("unauthorized")),
            "{}: the revoked credential stays dead",
            f.name
        );
    }
}

#[tokio::test]
async fn re_enrolling_kills_the_old_credential_at_once() {
    let dir = tempfile::tempdir().unwrap();
    for f in fixtures(dir.path()).await {
        let device = DeviceId::new();
        let old = enroll(&f, device, None).await;
        assert_eq!(
            sync(&f, &old, &[checkin(&f.venue, device)]).await.0,
            StatusCode::OK
        );
        // Not revoked: re-enrolling needs the current credential.
        assert_eq!(
            error_of(&enroll_as(&f, device, None).await),
            (StatusCode::CONFLICT, Some("device_exists")),
            "{}",
            f.name
        );
        let new = enroll(&f, device, Some(&old)).await;
        assert_eq!(
            error_of(&sync(&f, &old, &[checkin(&f.venue, device)]).await),
            (StatusCode::UNAUTHORIZED, Some("unauthorized")),
            "{}",
            f.name
        );
        let (st, j) = sync(&f, &new, &[checkin(&f.venue, device)]).await;
        assert_eq!(
            (st, &j["accepted"]),
            (StatusCode::OK, &1.into()),
            "{}: {j}",
            f.name
        );
    }
}

#[tokio::test]
async fn a_record_the_database_refuses_is_rejected_alone_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    for f in fixtures(dir.path()).await {
        let device = DeviceId::new();
        let cred = enroll(&f, device, None).await;
        let records: Vec<Record> = (0..3).map(|_| checkin(&f.venue, device)).collect();
        let poison = records[1].id().to_string();
        // The database refuses that one record as a constraint would.
        if f.name == "sqlite" {
            rusqlite::Connection::open(&f.place)
                .unwrap()
                .execute_batch(&format!(
                    "CREATE TRIGGER poison BEFORE INSERT ON records WHEN NEW.id = '{poison}'
                     BEGIN SELECT RAISE(ABORT, 'refused'); END;"
                ))
                .unwrap();
        } else {
            pg_client(&f.place)
                .await
                .batch_execute(&format!(
                    "CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$
                     BEGIN
                         IF NEW.id = '{poison}' THEN
                             RAISE EXCEPTION 'refused' USING ERRCODE = 'check_violation';
                         END IF;
                         RETURN NEW;
                     END $$;
                     CREATE TRIGGER poison BEFORE INSERT ON records
                         FOR EACH ROW EXECUTE FUNCTION poison();"
                ))
                .await
                .unwrap();
        }
        let (st, j) = sync(&f, &cred, &records).await;
        assert_eq!(st, StatusCode::OK, "{}: {j}", f.name);
        let resp: SyncResponse = serde_json::from_value(j).unwrap();
        let got: Vec<_> = resp.results.iter().map(|r| r.status).collect();
        assert_eq!(
            got,
            [
                RecordStatus::Accepted,
                RecordStatus::Rejected,
                RecordStatus::Accepted
            ],
            "{}",
            f.name
        );
        let reason = resp.results[1].reason.as_deref().unwrap();
        assert!(
            reason.starts_with("storage_rejected: "),
            "{}: {reason}",
            f.name
        );
        assert_eq!((resp.accepted, resp.rejected), (2, 1));
    }
}

#[tokio::test]
async fn readyz_fails_while_another_process_holds_the_sqlite_write_lock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("srv.db");
    let db: Arc<dyn Database> = Arc::new(SqliteDb::open(&path).await.unwrap());
    let app = router(AppState::new(db));
    let readyz = || Request::get("/readyz").body(Body::empty()).unwrap();
    assert_eq!(call(&app, readyz()).await.0, StatusCode::OK);
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let (st, j) = call(&app, readyz()).await;
    assert_eq!(st, StatusCode::SERVICE_UNAVAILABLE, "{j}");
    assert_eq!(j["error"], "storage_unavailable");
    other.execute_batch("ROLLBACK").unwrap();
    assert_eq!(call(&app, readyz()).await.0, StatusCode::OK);
}

// ---------------------------------------------------------------------------
// `checkin-server admin device …`

#[tokio::test]
async fn admin_device_list_and_revoke() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cli.db");
    let url = format!("sqlite://{}", path.display());
    let (venue, labelled, plain) = {
        let db: Arc<dyn Database> = Arc::new(SqliteDb::open(&path).await.unwrap());
        let venue = |commune: &str| NewVenue {
            name: "Trạm y tế".into(),
            category: VenueCategory::Clinic,
            commune_code: commune.into(),
            address: String::new(),
            province_code: Some("38".into()),
        };
        let a = admin::add_venue(db.as_ref(), venue("14995"))
            .await
            .unwrap()
            .id;
        let b = admin::add_venue(db.as_ref(), venue("14998"))
            .await
            .unwrap()
            .id;
        let app = router(AppState::new(db.clone()));
        let mut ids = Vec::new();
        for (target, label) in [
            (a.clone(), Some("Cổng \"chính\", quầy 1")),
            (b.clone(), Some("=HYPERLINK(\"x\")")),
            (b, None),
        ] {
            let token = admin::enrollment_token(
                db.as_ref(),
                TokenTarget::Venue(target),
                Duration::hours(1),
            )
            .await
            .unwrap();
            let id = DeviceId::new();
            let mut body = serde_json::json!({"token": token, "device_id": id});
            if let Some(l) = label {
                body["label"] = l.into();
            }
            let req = Request::post("/api/v1/enroll")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap();
            assert_eq!(call(&app, req).await.0, StatusCode::OK);
            ids.push(id);
        }
        (a, ids[0], ids[2])
    };

    // JSON: every device of the province, with its scope and times.
    let json: serde_json::Value = serde_json::from_str(&stdout_of(&admin_cli(
        &url,
        &["device", "list", "--format", "json"],
    )))
    .unwrap();
    let list = json.as_array().unwrap();
    assert_eq!(list.len(), 3);
    let first = list
        .iter()
        .find(|d| d["id"] == labelled.to_string())
        .unwrap();
    assert_eq!(first["label"], "Cổng \"chính\", quầy 1");
    assert_eq!(first["province_code"], "38");
    assert_eq!(
        first["scope"],
        serde_json::json!({"type": "venue", "venue_id": venue.to_string()})
    );
    assert!(first["enrolled_at"].is_string());
    assert!(first["revoked_at"].is_null());

    // --unit: a commune holds the devices of its venues.
    let json: serde_json::Value = serde_json::from_str(&stdout_of(&admin_cli(
        &url,
        &["device", "list", "--unit", "14995", "--format", "json"],
    )))
    .unwrap();
    assert_eq!(json.as_array().unwrap().len(), 1);
    assert_eq!(json[0]["id"], labelled.to_string());

    // Revoke: said so, exit 0; again: already, exit 0; unknown or not an id: exit 2.
    let out = admin_cli(&url, &["device", "revoke", &plain.to_string()]);
    assert!(stdout_of(&out).contains("revoked"));
    let out = admin_cli(&url, &["device", "revoke", &plain.to_string()]);
    assert!(stdout_of(&out).contains("already revoked"));
    for bad in [DeviceId::new().to_string(), "not-a-uuid".to_string()] {
        let out = admin_cli(&url, &["device", "revoke", &bad]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{bad}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!String::from_utf8_lossy(&out.stderr).is_empty());
    }
    let out = admin_cli(&url, &["device", "list", "--unit", "1234"]);
    assert_eq!(out.status.code(), Some(2));

    // CSV: a header, fields quoted as RFC 4180 wants, formulas defused.
    let csv = stdout_of(&admin_cli(
        &url,
        &["device", "list", "--format", "csv", "--unit", "38"],
    ));
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "id,label,province_code,scope,venue_id,commune_code,enrolled_at,last_seen_at,last_skew_ms,revoked_at"
    );
    assert_eq!(lines.len(), 5, "{csv:?}");
    assert_eq!(lines[4], "");
    let line_of = |id: DeviceId| {
        *lines
            .iter()
            .find(|l| l.starts_with(&id.to_string()))
            .unwrap()
    };
    assert!(
        line_of(labelled).starts_with(&format!(
            "{labelled},\"Cổng \"\"chính\"\", quầy 1\",38,venue,{venue},,"
        )),
        "{csv}"
    );
    assert!(
        csv.contains(",\"'=HYPERLINK(\"\"x\"\")\",38,venue,"),
        "{csv}"
    );
    let revoked = line_of(plain);
    assert!(
        revoked.starts_with(&format!("{plain},,38,venue,")),
        "{revoked}"
    );
    assert!(revoked.ends_with('Z'), "revoked_at is filled: {revoked}");

    // Table: one line per device under a header.
    let table = stdout_of(&admin_cli(&url, &["device", "list"]));
    assert_eq!(table.lines().count(), 4, "{table}");
    assert!(table.starts_with("DEVICE"), "{table}");
}
