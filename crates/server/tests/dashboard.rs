//! The dashboard's HTTP API on each store: logins and their limit, sessions
//! and CSRF, every report inside the official's area (and every read outside
//! it refused, in every format), downloads.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use checkin_core::{Venue, VenueCategory, VenueId};
use checkin_server::{accounts, router, AppState, Clock};
use checkin_server_db::{Database, Role, Units, VenueRegistration};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use http_body_util::BodyExt;
use std::io::Read;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use tower::ServiceExt;

mod common;
use common::{stores, UNITS};

const PASSWORD: &str = "mật khẩu đủ dài";

/// A clock the test moves.
#[derive(Clone)]
struct TestClock(Arc<AtomicI64>);

impl TestClock {
    fn at(t: &str) -> Self {
        let t: DateTime<Utc> = t.parse().unwrap();
        Self(Arc::new(AtomicI64::new(t.timestamp_millis())))
    }
    fn advance(&self, d: Duration) {
        self.0.fetch_add(d.num_milliseconds(), Ordering::SeqCst);
    }
    fn clock(&self) -> Clock {
        let ms = self.0.clone();
        Clock::from_fn(move || DateTime::from_timestamp_millis(ms.load(Ordering::SeqCst)).unwrap())
    }
}

async fn seeded(db: Arc<dyn Database>, clock: &TestClock) -> axum::Router {
    db.import_units(&Units::from_dvhcvn_json(UNITS).unwrap())
        .await
        .unwrap();
    for (id, commune) in [
        ("38-14995-AAAAAA", "14995"),
        ("38-14998-CCCCCC", "14998"),
        ("38-15001-DDDDDD", "15001"),
    ] {
        db.add_venues(&[VenueRegistration {
            venue: Venue {
                id: id.parse::<VenueId>().unwrap(),
                name: format!("Chợ {id}"),
                category: VenueCategory::Market,
                commune_code: commune.into(),
                address: String::new(),
            },
            province_code: "38".into(),
            registered_on: NaiveDate::from_ymd_opt(2021, 8, 2).unwrap(),
        }])
        .await
        .unwrap();
    }
    let now = clock.clock().now();
    for (login, unit) in [("tinh", "38"), ("huyen", "387"), ("xa.trungxuan", "14995")] {
        accounts::add_user(db.as_ref(), login, PASSWORD, Role::Viewer, unit, now)
            .await
            .unwrap();
    }
    let mut state = AppState::new(db);
    state.clock = clock.clock();
    router(state)
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| {
            panic!(
                "not JSON ({}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

async fn send(app: &axum::Router, req: Request<Body>) -> Answer {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

async fn login(app: &axum::Router, login: &str, password: &str) -> Answer {
    send(
        app,
        Request::post("/api/v1/dashboard/login")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                serde_json::json!({"login": login, "password": password}).to_string(),
            ))
            .unwrap(),
    )
    .await
}

/// A logged-in session: the cookie pair and the CSRF token.
struct Session {
    cookie: String,
    csrf: String,
}

async fn session(app: &axum::Router, name: &str) -> Session {
    let a = login(app, name, PASSWORD).await;
    assert_eq!(
        a.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&a.body)
    );
    let set = a.headers[header::SET_COOKIE].to_str().unwrap().to_string();
    Session {
        cookie: set.split(';').next().unwrap().to_string(),
        csrf: a.json()["csrf"].as_str().unwrap().to_string(),
    }
}

async fn get(app: &axum::Router, s: &Session, uri: &str) -> Answer {
    send(
        app,
        Request::get(uri)
            .header(header::COOKIE, &s.cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn logging_in_and_out() {
    for (store, db) in stores().await {
        let clock = TestClock::at("2021-08-16T02:00:00Z");
        let app = seeded(db, &clock).await;

        let wrong = login(&app, "huyen", "mật khẩu sai rồi").await;
        let unknown = login(&app, "nobody", PASSWORD).await;
        for a in [&wrong, &unknown] {
            assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{store}");
            assert_eq!(a.json()["error"], "bad_credentials", "{store}");
            assert!(!a.headers.contains_key(header::SET_COOKIE), "{store}");
        }

        let ok = login(&app, "Huyen ", PASSWORD).await;
        assert_eq!(ok.status, StatusCode::OK, "{store}");
        let set = ok.headers[header::SET_COOKIE].to_str().unwrap();
        for attr in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
            assert!(set.contains(attr), "{store}: {set} lacks {attr}");
        }
        let me = ok.json();
        assert_eq!(me["user"]["login"], "huyen");
        assert_eq!(me["user"]["role"], "viewer");
        assert_eq!(me["user"]["area"]["name"], "Huyện Quan Sơn");
        assert_eq!(me["user"]["area"]["level"], "district");
        assert_eq!(me["user"]["area"]["parent"], "38");

        let s = session(&app, "huyen").await;
        let a = get(&app, &s, "/api/v1/dashboard/me").await;
        assert_eq!(a.status, StatusCode::OK, "{store}");
        assert_eq!(a.json()["csrf"], s.csrf.as_str());
        assert_eq!(a.headers[header::CACHE_CONTROL], "no-store");

        // Logout needs the CSRF token: a page of another site cannot end it.
        let logout = |csrf: Option<&str>| {
            let mut r = Request::post("/api/v1/dashboard/logout").header(header::COOKIE, &s.cookie);
            if let Some(c) = csrf {
                r = r.header("x-csrf-token", c);
            }
            r.body(Body::empty()).unwrap()
        };
        let a = send(&app, logout(None)).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{store}");
        assert_eq!(a.json()["error"], "csrf");
        let a = send(&app, logout(Some("0".repeat(64).as_str()))).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{store}");
        let a = send(&app, logout(Some(&s.csrf))).await;
        assert_eq!(a.status, StatusCode::NO_CONTENT, "{store}");
        assert!(a.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0"));
        let a = get(&app, &s, "/api/v1/dashboard/me").await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{store}");
        assert_eq!(a.json()["error"], "not_logged_in");

        // No cookie, a forged one, a malformed one.
        for cookie in [
            "",
            "checkin_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "checkin_session=../../x",
        ] {
            let a = send(
                &app,
                Request::get("/api/v1/dashboard/reports/qr-points")
                    .header(header::COOKIE, cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{store}: {cookie}");
        }
    }
}

#[tokio::test]
async fn sessions_end_when_idle_or_old() {
    for (store, db) in stores().await {
        let clock = TestClock::at("2021-08-16T02:00:00Z");
        let app = seeded(db, &clock).await;
        let s = session(&app, "tinh").await;
        // Active every 11 hours: alive past 12 hours in all…
        for _ in 0..3 {
            clock.advance(Duration::hours(11));
            let a = get(&app, &s, "/api/v1/dashboard/me").await;
            assert_eq!(a.status, StatusCode::OK, "{store}");
        }
        // …but not after 12 idle hours.
        clock.advance(Duration::hours(12) + Duration::seconds(1));
        let a = get(&app, &s, "/api/v1/dashboard/me").await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{store}");

        // Nor past 7 days, however active.
        let s = session(&app, "tinh").await;
        for _ in 0..16 {
            clock.advance(Duration::hours(10));
            let _ = get(&app, &s, "/api/v1/dashboard/me").await;
        }
        clock.advance(Duration::hours(9));
        let a = get(&app, &s, "/api/v1/dashboard/me").await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{store}: 169 h");
    }
}

#[tokio::test]
async fn failed_logins_are_limited_per_login() {
    for (store, db) in stores().await {
        let clock = TestClock::at("2021-08-16T02:00:00Z");
        let app = seeded(db, &clock).await;
        for _ in 0..5 {
            let a = login(&app, "xa.trungxuan", "không phải mật khẩu").await;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{store}");
        }
        // Even the right password waits now; another official does not.
        let a = login(&app, "xa.trungxuan", PASSWORD).await;
        assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{store}");
        assert_eq!(a.json()["error"], "too_many_attempts");
        let wait: i64 = a.headers[header::RETRY_AFTER]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=900).contains(&wait), "{store}: {wait}");
        assert_eq!(login(&app, "huyen", PASSWORD).await.status, StatusCode::OK);

        clock.advance(Duration::minutes(15) + Duration::seconds(1));
        assert_eq!(
            login(&app, "xa.trungxuan", PASSWORD).await.status,
            StatusCode::OK,
            "{store}"
        );
        // A success clears the count.
        for _ in 0..4 {
            let _ = login(&app, "xa.trungxuan", "không phải mật khẩu").await;
        }
        assert_eq!(
            login(&app, "xa.trungxuan", PASSWORD).await.status,
            StatusCode::OK
        );
    }
}

fn unzip(xlsx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).expect("an xlsx is a zip");
    let mut text = String::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the xlsx"))
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[tokio::test]
async fn reports_in_every_format_inside_the_area() {
    let mut answers = Vec::new();
    for (store, db) in stores().await {
        let clock = TestClock::at("2021-08-16T02:00:00Z");
        let app = seeded(db, &clock).await;
        let tinh = session(&app, "tinh").await;
        let huyen = session(&app, "huyen").await;

        // The district official's picker: the district and its communes.
        let a = get(&app, &huyen, "/api/v1/dashboard/areas").await;
        assert_eq!(a.status, StatusCode::OK, "{store}");
        let codes: Vec<_> = a.json()["units"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["code"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(codes, ["387", "14995", "14998"], "{store}");

        // Defaults: the official's own area, today's date (16 August).
        let a = get(&app, &huyen, "/api/v1/dashboard/reports/qr-points").await;
        assert_eq!(a.status, StatusCode::OK, "{store}");
        let j = a.json();
        assert_eq!(j["unit"]["code"], "387");
        assert_eq!(j["as_of"], "2021-08-16");
        assert_eq!(j["total"]["venues"], 2);

        let province = get(
            &app,
            &tinh,
            "/api/v1/dashboard/reports/qr-points?unit=38&as_of=2021-08-15&compare=2021-08-01",
        )
        .await;
        assert_eq!(province.status, StatusCode::OK, "{store}");
        let j = province.json();
        assert_eq!(j["rows"].as_array().unwrap().len(), 2, "{store}: {j}");
        assert_eq!(j["total"]["venues_change"], 3);

        let a = get(
            &app,
            &huyen,
            "/api/v1/dashboard/reports/silent-points?unit=14995&week=2021-W32",
        )
        .await;
        assert_eq!(a.status, StatusCode::OK, "{store}");
        assert_eq!(a.json()["sent_no_data"][0]["venue_id"], "38-14995-AAAAAA");

        let a = get(
            &app,
            &tinh,
            "/api/v1/dashboard/reports/e-vs-paper?from=2021-08-01&to=2021-08-15",
        )
        .await;
        assert_eq!(a.status, StatusCode::OK, "{store}");
        answers.push((store, province.json(), a.json()));

        let csv = get(
            &app,
            &tinh,
            "/api/v1/dashboard/reports/qr-points?unit=38&as_of=2021-08-15&format=csv",
        )
        .await;
        assert_eq!(csv.status, StatusCode::OK, "{store}");
        assert_eq!(csv.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
        assert_eq!(
            csv.headers[header::CONTENT_DISPOSITION],
            "attachment; filename=\"qr-points-38-2021-08-15.csv\""
        );
        let text = String::from_utf8(csv.body.clone()).unwrap();
        assert!(text.starts_with("\u{feff}STT,Huyện,"), "{text}");
        assert!(text.contains("Huyện Quan Sơn"), "{text}");

        let xlsx = get(
            &app,
            &tinh,
            "/api/v1/dashboard/reports/qr-points?unit=38&as_of=2021-08-15&format=xlsx",
        )
        .await;
        assert_eq!(xlsx.status, StatusCode::OK, "{store}");
        assert!(xlsx.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .ends_with(".xlsx\""));
        let strings = unzip(&xlsx.body, "xl/sharedStrings.xml");
        assert!(strings.contains("Huyện Quan Sơn"), "{strings}");
        assert!(strings.contains("Tổng số địa điểm tạo mã QR"), "{strings}");
        // Counts are numbers in the sheet, not text.
        let sheet = unzip(&xlsx.body, "xl/worksheets/sheet1.xml");
        assert!(sheet.contains("<v>2</v>"), "{sheet}");

        // The weekly report: JSON by default, a section per sheet in XLSX,
        // the sections one after the other in CSV.
        let a = get(&app, &huyen, "/api/v1/dashboard/reports/weekly").await;
        assert_eq!(a.status, StatusCode::OK, "{store}");
        let j = a.json();
        assert_eq!(j["week"], "2021-W32", "{store}: last week by default");
        assert_eq!(j["unit"]["code"], "387");
        assert_eq!(j["overview"]["venues"]["this_week"], 2, "{store}");
        let xlsx = get(
            &app,
            &tinh,
            "/api/v1/dashboard/reports/weekly?unit=38&week=2021-W32&format=xlsx",
        )
        .await;
        assert_eq!(xlsx.status, StatusCode::OK, "{store}");
        assert_eq!(
            xlsx.headers[header::CONTENT_DISPOSITION],
            "attachment; filename=\"weekly-38-2021-W32.xlsx\""
        );
        let book = unzip(&xlsx.body, "xl/workbook.xml");
        for sheet in [
            "Tình hình chung",
            "Theo đơn vị",
            "Không có lượt quét",
            "Nhận xét",
        ] {
            assert!(book.contains(sheet), "{store}: {sheet} in {book}");
        }
        let strings = unzip(&xlsx.body, "xl/sharedStrings.xml");
        assert!(strings.contains("Huyện Quan Hóa"), "{strings}");
        // The district codes are text, the counts numbers.
        let units_sheet = unzip(&xlsx.body, "xl/worksheets/sheet2.xml");
        assert!(!units_sheet.contains("<v>387</v>"), "{units_sheet}");
        assert!(units_sheet.contains("<v>2</v>"), "{units_sheet}");
        let csv = get(
            &app,
            &huyen,
            "/api/v1/dashboard/reports/weekly?week=2021-W32&format=csv",
        )
        .await;
        let text = String::from_utf8(csv.body).unwrap();
        assert!(
            text.contains(": III. ĐỊA ĐIỂM KHÔNG CÓ LƯỢT QUÉT TRONG TUẦN\r\nSTT,Thị trấn/xã,Địa điểm,Mã địa điểm,Tình trạng\r\n"),
            "{text}"
        );

        // Bad parameters: a clear 400 each.
        for q in [
            "qr-points?as_of=2021-13-01",
            "qr-points?unit=38&compare=2021-09-01&as_of=2021-08-01",
            "silent-points?week=2021-W60",
            "weekly?week=2021-32",
            "e-vs-paper?from=2021-08-01",
            "qr-points?format=pdf",
        ] {
            let a = get(&app, &tinh, &format!("/api/v1/dashboard/reports/{q}")).await;
            assert_eq!(a.status, StatusCode::BAD_REQUEST, "{store}: {q}");
            assert_eq!(a.json()["error"], "invalid", "{store}: {q}");
        }
        let a = get(&app, &tinh, "/api/v1/dashboard/reports/nope").await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{store}");
    }
    if let [(_, qa, ea), (_, qb, eb)] = &answers[..] {
        assert_eq!(qa, qb, "qr-points differs between stores");
        assert_eq!(ea, eb, "e-vs-paper differs between stores");
    }
}

#[tokio::test]
async fn every_read_outside_the_area_is_refused() {
    for (store, db) in stores().await {
        let clock = TestClock::at("2021-08-16T02:00:00Z");
        let app = seeded(db, &clock).await;
        let huyen = session(&app, "huyen").await;
        let xa = session(&app, "xa.trungxuan").await;
        let reports = [
            "qr-points?as_of=2021-08-15",
            "silent-points?week=2021-W32",
            "e-vs-paper?from=2021-08-01&to=2021-08-15",
            "coverage?as_of=2021-08-15",
            "reconciliation?as_of=2021-08-15",
            "roster?from=2021-08-01&to=2021-08-15",
            "weekly?week=2021-W32",
        ];
        // Every report the dashboard serves is tried.
        assert_eq!(reports.len(), checkin_server::reports::Name::ALL.len());
        // (session, units outside its area, including unknown codes)
        let cases = [
            (&huyen, vec!["38", "388", "15001", "99", "00000"]),
            (&xa, vec!["38", "387", "14998", "388", "15001"]),
        ];
        for (s, outside) in cases {
            for r in reports {
                for unit in &outside {
                    for format in ["json", "csv", "xlsx"] {
                        let uri =
                            format!("/api/v1/dashboard/reports/{r}&unit={unit}&format={format}");
                        let a = get(&app, s, &uri).await;
                        assert_eq!(a.status, StatusCode::FORBIDDEN, "{store}: {uri}");
                        assert_eq!(a.json()["error"], "outside_area", "{store}: {uri}");
                    }
                }
            }
        }
        let a = get(&app, &xa, "/api/v1/dashboard/areas").await;
        let codes: Vec<_> = a.json()["units"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["code"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(codes, ["14995"], "{store}");
    }
}

#[tokio::test]
async fn the_pages_are_served_when_configured() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><title>t</title>",
    )
    .unwrap();
    let db: Arc<dyn Database> =
        Arc::new(checkin_server_db::SqliteDb::open_in_memory().await.unwrap());
    let bare = router(AppState::new(db.clone()));
    let a = send(
        &bare,
        Request::get("/dashboard/").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(a.json()["error"], "dashboard_not_installed");

    let mut state = AppState::new(db);
    state.dashboard = Arc::new(checkin_server::dashboard::DashboardConfig {
        pages: Some(dir.path().to_path_buf()),
        ..Default::default()
    });
    let app = router(state);
    let a = send(
        &app,
        Request::get("/dashboard").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(a.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(a.headers[header::LOCATION], "/dashboard/");
    let a = send(
        &app,
        Request::get("/dashboard/").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&a.body).contains("<title>t</title>"));
    assert!(a.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
    let a = send(
        &app,
        Request::get("/dashboard/../Cargo.toml")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
}

/// `admin user add` with the password on standard input.
fn user_add(db: &str, args: &[&str], password: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(common::BIN)
        .args(["admin", "--database", db, "user", "add"])
        .args(args)
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(password.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn the_cli_adds_users_and_writes_spreadsheets() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let db = format!("sqlite://{}", path.display());
    let units = dir.path().join("units.json");
    std::fs::write(&units, UNITS).unwrap();
    common::stdout_of(&common::admin_cli(
        &db,
        &["import-units", units.to_str().unwrap()],
    ));

    let out = user_add(
        &db,
        &["--login", "hanh.nt", "--role", "tracer", "--unit", "387"],
        &format!("{PASSWORD}\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("hanh.nt"));
    for (args, password, want) in [
        (
            ["--login", "hanh.nt", "--role", "viewer", "--unit", "387"],
            PASSWORD,
            "taken",
        ),
        (
            ["--login", "other", "--role", "viewer", "--unit", "387"],
            "ngắn",
            "too short",
        ),
        (
            ["--login", "other", "--role", "viewer", "--unit", "999"],
            PASSWORD,
            "unknown unit",
        ),
        (
            ["--login", "other", "--role", "boss", "--unit", "387"],
            PASSWORD,
            "unknown role",
        ),
        (
            ["--login", "Other User", "--role", "viewer", "--unit", "387"],
            PASSWORD,
            "lower-case",
        ),
        (
            ["--login", "other", "--role", "viewer", "--unit", "387"],
            "",
            "no password",
        ),
    ] {
        let out = user_add(&db, &args, password);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(
            !err.contains(PASSWORD),
            "the password is never echoed: {err}"
        );
    }
    // The stored account logs in; the password itself is nowhere in the file.
    let store = checkin_server_db::open(&db).await.unwrap();
    let user = store.user("hanh.nt").await.unwrap().unwrap();
    assert_eq!(user.role, Role::Tracer);
    assert_eq!(user.province_code, "38");
    assert!(accounts::verify_password(&user.password_hash, PASSWORD));
    drop(store);
    let file = std::fs::read(&path).unwrap();
    assert!(!file
        .windows(PASSWORD.len())
        .any(|w| w == PASSWORD.as_bytes()));

    let purge = common::admin_cli(&db, &["purge", "--retention-days", "0"]);
    assert_eq!(purge.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&purge.stderr).contains("1 to 3650"));
    let purge = common::stdout_of(&common::admin_cli(&db, &["purge"]));
    assert!(purge.contains("older than 28 days"), "{purge}");

    let xlsx = dir.path().join("q.xlsx");
    let out = std::process::Command::new(common::BIN)
        .args([
            "report",
            "qr-points",
            "--unit",
            "38",
            "--as-of",
            "2021-08-15",
        ])
        .args(["--format", "xlsx", "--output", xlsx.to_str().unwrap()])
        .args(["--database", &db])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&xlsx).unwrap();
    assert!(unzip(&bytes, "xl/sharedStrings.xml").contains("Huyện Quan Hóa"));
}

#[tokio::test]
async fn venue_lists_stay_inside_the_area() {
    for (store, db) in stores().await {
        let clock = TestClock::at("2021-08-16T02:00:00Z");
        let app = seeded(db, &clock).await;
        let huyen = session(&app, "huyen").await;
        let ids = |a: &Answer| -> Vec<String> {
            a.json()["venues"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v["id"].as_str().unwrap().to_string())
                .collect()
        };
        let all = get(&app, &huyen, "/api/v1/dashboard/venues").await;
        assert_eq!(all.status, StatusCode::OK, "{store}");
        assert_eq!(ids(&all), ["38-14995-AAAAAA", "38-14998-CCCCCC"], "{store}");
        assert_eq!(all.json()["venues"][0]["commune_name"], "Xã Trung Xuân");
        // Names match without diacritics, codes in any case.
        let q = get(&app, &huyen, "/api/v1/dashboard/venues?q=cho%2038-14998").await;
        assert_eq!(ids(&q), ["38-14998-CCCCCC"], "{store}");
        let q = get(&app, &huyen, "/api/v1/dashboard/venues?q=ccccc").await;
        assert_eq!(ids(&q), ["38-14998-CCCCCC"], "{store}");
        for unit in ["388", "15001", "38"] {
            let a = get(
                &app,
                &huyen,
                &format!("/api/v1/dashboard/venues?unit={unit}"),
            )
            .await;
            assert_eq!(a.status, StatusCode::FORBIDDEN, "{store}: {unit}");
        }
        let xa = session(&app, "xa.trungxuan").await;
        assert_eq!(
            ids(&get(&app, &xa, "/api/v1/dashboard/venues").await),
            ["38-14995-AAAAAA"]
        );
    }
}
