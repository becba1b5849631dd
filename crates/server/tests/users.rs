//! Admins manage the accounts of their area from the dashboard, on each
//! store: create, list, disable (the open session ends at once), enable,
//! reset a password, change a role, each change in the audit log; a
//! district admin reaches nothing outside the district, viewers and tracers
//! nothing at all, and nobody disables or demotes themselves. The CLI lists,
//! disables and enables.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use checkin_server::{accounts, router, AppState, Clock};
use checkin_server_db::{Database, NewSession, Role, Units};
use chrono::{DateTime, Utc};
use http_body_util::BodyExt;
use std::sync::Arc;
use tower::ServiceExt;

mod common;
use common::{stores, UNITS};

const PASSWORD: &str = "mật khẩu đủ dài";
const NEW_PASSWORD: &str = "mật khẩu mới cũng dài";
const API: &str = "/api/v1/dashboard";

fn now() -> DateTime<Utc> {
    "2021-08-16T02:00:00Z".parse().unwrap()
}

/// Province 38 with its admin and a viewer; district 387 with its admin, a
/// viewer and a tracer; a viewer of a commune of district 388.
async fn seeded(db: Arc<dyn Database>) -> axum::Router {
    db.import_units(&Units::from_dvhcvn_json(UNITS).unwrap())
        .await
        .unwrap();
    for (login, role, unit) in [
        ("qt.tinh", Role::Admin, "38"),
        ("xem.tinh", Role::Viewer, "38"),
        ("qt.huyen", Role::Admin, "387"),
        ("xem.huyen", Role::Viewer, "387"),
        ("tv.huyen", Role::Tracer, "387"),
        ("xa.phunghiem", Role::Viewer, "15001"),
    ] {
        accounts::add_user(db.as_ref(), login, PASSWORD, role, unit, now())
            .await
            .unwrap();
    }
    let mut state = AppState::new(db);
    state.clock = Clock::from_fn(now);
    router(state)
}

struct Answer {
    status: StatusCode,
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
    fn error(&self) -> String {
        self.json()["error"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

async fn send(app: &axum::Router, req: Request<Body>) -> Answer {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let body = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Answer { status, body }
}

async fn login(app: &axum::Router, login: &str, password: &str) -> Answer {
    send(
        app,
        Request::post(format!("{API}/login"))
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

async fn session_with(app: &axum::Router, name: &str, password: &str) -> Session {
    let resp = app
        .clone()
        .oneshot(
            Request::post(format!("{API}/login"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    serde_json::json!({"login": name, "password": password}).to_string(),
                ))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "{name} logs in");
    let cookie = resp.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    let me: serde_json::Value = serde_json::from_slice(&body).unwrap();
    Session {
        cookie,
        csrf: me["csrf"].as_str().unwrap().to_string(),
    }
}

async fn session(app: &axum::Router, name: &str) -> Session {
    session_with(app, name, PASSWORD).await
}

async fn get(app: &axum::Router, s: &Session, path: &str) -> Answer {
    send(
        app,
        Request::get(format!("{API}{path}"))
            .header(header::COOKIE, &s.cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

/// A POST with the session's cookie and (with `csrf`) its token.
async fn post_as(
    app: &axum::Router,
    s: &Session,
    path: &str,
    body: serde_json::Value,
    csrf: bool,
) -> Answer {
    let mut r = Request::post(format!("{API}{path}"))
        .header(header::COOKIE, &s.cookie)
        .header(header::CONTENT_TYPE, "application/json");
    if csrf {
        r = r.header("x-csrf-token", &s.csrf);
    }
    send(app, r.body(Body::from(body.to_string())).unwrap()).await
}

async fn post(app: &axum::Router, s: &Session, path: &str, body: serde_json::Value) -> Answer {
    post_as(app, s, path, body, true).await
}

fn logins(a: &Answer) -> Vec<String> {
    a.json()["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["login"].as_str().unwrap().to_string())
        .collect()
}

/// Every change an admin can make to `login`: path and body.
fn actions(login: &str) -> Vec<(String, serde_json::Value)> {
    vec![
        (format!("/users/{login}/disable"), serde_json::json!({})),
        (format!("/users/{login}/enable"), serde_json::json!({})),
        (
            format!("/users/{login}/password"),
            serde_json::json!({"password": NEW_PASSWORD}),
        ),
        (
            format!("/users/{login}/role"),
            serde_json::json!({"role": "tracer"}),
        ),
    ]
}

fn new_user(login: &str, role: &str, area: &str, password: &str) -> serde_json::Value {
    serde_json::json!({"login": login, "password": password, "role": role, "area_code": area})
}

#[tokio::test]
async fn an_admin_manages_the_accounts_of_the_area() {
    for (store, db) in stores().await {
        let app = seeded(db.clone()).await;
        let admin = session(&app, "qt.tinh").await;

        let list = get(&app, &admin, "/users").await;
        assert_eq!(list.status, StatusCode::OK, "{store}");
        assert_eq!(
            logins(&list),
            [
                "qt.huyen",
                "qt.tinh",
                "tv.huyen",
                "xa.phunghiem",
                "xem.huyen",
                "xem.tinh"
            ],
            "{store}"
        );
        let listed = list.json();
        let huyen = &listed["users"][0];
        assert_eq!(huyen["role"], "admin");
        assert_eq!(huyen["area"]["code"], "387");
        assert_eq!(huyen["area"]["name"], "Huyện Quan Sơn");
        assert_eq!(huyen["created_at"], "2021-08-16T02:00:00Z");
        assert!(huyen["disabled_at"].is_null());
        assert!(!String::from_utf8_lossy(&list.body).contains("argon2"));

        // Created with the rules of `admin user add`.
        let a = post(
            &app,
            &admin,
            "/users",
            new_user("moi.xa", "viewer", "14995", PASSWORD),
        )
        .await;
        assert_eq!(a.status, StatusCode::CREATED, "{store}: {}", a.json());
        assert_eq!(a.json()["login"], "moi.xa");
        assert_eq!(a.json()["role"], "viewer");
        assert_eq!(a.json()["area"]["name"], "Xã Trung Xuân");
        for (body, status, code) in [
            (
                new_user("moi.xa", "viewer", "387", PASSWORD),
                409,
                "login_taken",
            ),
            (new_user("khac", "viewer", "387", "ngắn"), 400, "invalid"),
            (
                new_user("khac", "viewer", "99999", PASSWORD),
                400,
                "invalid",
            ),
            (new_user("khac", "boss", "387", PASSWORD), 400, "invalid"),
            (
                new_user("Khac Moi", "viewer", "387", PASSWORD),
                400,
                "invalid",
            ),
            (serde_json::json!({"login": "khac"}), 400, "invalid"),
        ] {
            let a = post(&app, &admin, "/users", body.clone()).await;
            assert_eq!(a.status.as_u16(), status, "{store}: {body}");
            assert_eq!(a.error(), code, "{store}: {body}");
        }
        assert_eq!(logins(&get(&app, &admin, "/users").await).len(), 7);

        // The new account logs in; disabled, its open session ends at once
        // and it cannot log in again.
        let moi = session(&app, "moi.xa").await;
        assert_eq!(get(&app, &moi, "/me").await.status, StatusCode::OK);
        let a = post(&app, &admin, "/users/moi.xa/disable", serde_json::json!({})).await;
        assert_eq!(a.status, StatusCode::OK, "{store}");
        assert_eq!(a.json()["disabled_at"], "2021-08-16T02:00:00Z");
        let me = get(&app, &moi, "/me").await;
        assert_eq!(me.status, StatusCode::UNAUTHORIZED, "{store}");
        assert_eq!(me.error(), "not_logged_in");
        let a = login(&app, "moi.xa", PASSWORD).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{store}");
        assert_eq!(a.error(), "bad_credentials");
        let listed = get(&app, &admin, "/users").await.json();
        let row = listed["users"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["login"] == "moi.xa")
            .unwrap()
            .clone();
        assert_eq!(row["disabled_at"], "2021-08-16T02:00:00Z");

        // Enabled, it logs in again with the same password.
        let a = post(&app, &admin, "/users/MOI.XA/enable", serde_json::json!({})).await;
        assert_eq!(a.status, StatusCode::OK, "{store}");
        assert!(a.json()["disabled_at"].is_null());
        let moi = session(&app, "moi.xa").await;

        // A new password: the open session ends, the old password is refused.
        let a = post(
            &app,
            &admin,
            "/users/moi.xa/password",
            serde_json::json!({"password": "ngắn"}),
        )
        .await;
        assert_eq!(
            (a.status, a.error().as_str()),
            (StatusCode::BAD_REQUEST, "invalid")
        );
        let a = post(
            &app,
            &admin,
            "/users/moi.xa/password",
            serde_json::json!({"password": NEW_PASSWORD}),
        )
        .await;
        assert_eq!(a.status, StatusCode::OK, "{store}");
        assert_eq!(
            get(&app, &moi, "/me").await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            login(&app, "moi.xa", PASSWORD).await.status,
            StatusCode::UNAUTHORIZED
        );
        let moi = session_with(&app, "moi.xa", NEW_PASSWORD).await;

        // A new role counts from the account's next request.
        let a = post(
            &app,
            &admin,
            "/users/moi.xa/role",
            serde_json::json!({"role": "boss"}),
        )
        .await;
        assert_eq!(
            (a.status, a.error().as_str()),
            (StatusCode::BAD_REQUEST, "invalid")
        );
        assert_eq!(
            get(&app, &moi, "/audit").await.status,
            StatusCode::FORBIDDEN
        );
        let a = post(
            &app,
            &admin,
            "/users/moi.xa/role",
            serde_json::json!({"role": "tracer"}),
        )
        .await;
        assert_eq!(a.status, StatusCode::OK, "{store}");
        assert_eq!(a.json()["role"], "tracer");
        assert_eq!(
            get(&app, &moi, "/me").await.json()["user"]["role"],
            "tracer"
        );
        assert_eq!(get(&app, &moi, "/audit").await.status, StatusCode::OK);

        // An admin of the province manages the district's admin too.
        let a = post(
            &app,
            &admin,
            "/users/qt.huyen/role",
            serde_json::json!({"role": "viewer"}),
        )
        .await;
        assert_eq!(a.status, StatusCode::OK, "{store}");
        let a = post(&app, &admin, "/users/nobody/disable", serde_json::json!({})).await;
        assert_eq!(
            (a.status, a.error().as_str()),
            (StatusCode::NOT_FOUND, "not_found")
        );

        // Every change is in the audit log, by whom and of whom; no password.
        let log = get(&app, &admin, "/audit").await;
        assert_eq!(log.status, StatusCode::OK, "{store}");
        let text = String::from_utf8_lossy(&log.body).to_string();
        assert!(
            !text.contains(PASSWORD) && !text.contains(NEW_PASSWORD),
            "{text}"
        );
        // The accounts the test began with were added at the console.
        let entries: Vec<serde_json::Value> = log.json()["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["login"] != "(admin CLI)")
            .cloned()
            .collect();
        let actions: Vec<&str> = entries
            .iter()
            .rev()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            actions,
            [
                "user_add",
                "user_disable",
                "user_enable",
                "user_password",
                "user_role",
                "user_role"
            ],
            "{store}"
        );
        for e in &entries {
            assert_eq!(e["login"], "qt.tinh");
            assert_eq!(e["area_code"], "38");
        }
        let add: serde_json::Value =
            serde_json::from_str(entries.last().unwrap()["query"].as_str().unwrap()).unwrap();
        assert_eq!(
            add,
            serde_json::json!({"login": "moi.xa", "role": "viewer", "area_code": "14995"})
        );
        let role: serde_json::Value =
            serde_json::from_str(entries[0]["query"].as_str().unwrap()).unwrap();
        assert_eq!(
            role,
            serde_json::json!({"login": "qt.huyen", "role": "viewer", "was": "admin"})
        );
        // Only a hash is stored.
        let stored = db.user("moi.xa").await.unwrap().unwrap();
        assert!(stored.password_hash.starts_with("$argon2id$"));
        assert!(accounts::verify_password(
            &stored.password_hash,
            NEW_PASSWORD
        ));
    }
}

#[tokio::test]
async fn a_district_admin_reaches_nothing_outside_the_district() {
    for (store, db) in stores().await {
        let app = seeded(db).await;
        let admin = session(&app, "qt.huyen").await;
        assert_eq!(
            logins(&get(&app, &admin, "/users").await),
            ["qt.huyen", "tv.huyen", "xem.huyen"],
            "{store}"
        );
        // Another district's commune, and the wider province's accounts:
        // answered like a login that does not exist, so an admin cannot
        // tell which logins exist outside the area.
        for target in ["xa.phunghiem", "xem.tinh", "qt.tinh", "khong.ton.tai"] {
            for (path, body) in actions(target) {
                let a = post(&app, &admin, &path, body).await;
                assert_eq!(a.status, StatusCode::NOT_FOUND, "{store}: {path}");
                assert_eq!(a.error(), "not_found", "{store}: {path}");
            }
        }
        for area in ["388", "15001", "38"] {
            let a = post(
                &app,
                &admin,
                "/users",
                new_user("ngoai", "viewer", area, PASSWORD),
            )
            .await;
            assert_eq!(a.status, StatusCode::FORBIDDEN, "{store}: {area}");
            assert_eq!(a.error(), "outside_area", "{store}: {area}");
        }
        // Nothing changed out there.
        assert_eq!(
            login(&app, "xa.phunghiem", PASSWORD).await.status,
            StatusCode::OK,
            "{store}"
        );
        assert_eq!(
            login(&app, "qt.tinh", PASSWORD).await.status,
            StatusCode::OK
        );
        // Inside the district, a commune's account.
        let a = post(
            &app,
            &admin,
            "/users",
            new_user("xa.sonlu", "tracer", "14998", PASSWORD),
        )
        .await;
        assert_eq!(a.status, StatusCode::CREATED, "{store}");
        let a = post(
            &app,
            &admin,
            "/users/xa.sonlu/disable",
            serde_json::json!({}),
        )
        .await;
        assert_eq!(a.status, StatusCode::OK, "{store}");

        // Never themselves: not disabled, not demoted (their password, yes,
        // and their session stays).
        let a = post(
            &app,
            &admin,
            "/users/qt.huyen/disable",
            serde_json::json!({}),
        )
        .await;
        assert_eq!(
            (a.status, a.error().as_str()),
            (StatusCode::FORBIDDEN, "own_account")
        );
        for role in ["viewer", "tracer"] {
            let a = post(
                &app,
                &admin,
                "/users/qt.huyen/role",
                serde_json::json!({"role": role}),
            )
            .await;
            assert_eq!(
                (a.status, a.error().as_str()),
                (StatusCode::FORBIDDEN, "own_account"),
                "{store}"
            );
        }
        let a = post(
            &app,
            &admin,
            "/users/qt.huyen/password",
            serde_json::json!({"password": NEW_PASSWORD}),
        )
        .await;
        assert_eq!(a.status, StatusCode::OK, "{store}");
        let me = get(&app, &admin, "/me").await;
        assert_eq!(me.status, StatusCode::OK, "{store}");
        assert_eq!(me.json()["user"]["role"], "admin");
        assert_eq!(
            login(&app, "qt.huyen", PASSWORD).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
}

#[tokio::test]
async fn viewers_tracers_and_requests_without_the_token_are_refused() {
    for (store, db) in stores().await {
        let app = seeded(db).await;
        for who in ["xem.huyen", "tv.huyen", "xem.tinh"] {
            let s = session(&app, who).await;
            let a = get(&app, &s, "/users").await;
            assert_eq!(a.status, StatusCode::FORBIDDEN, "{store}: {who}");
            assert_eq!(a.error(), "role");
            let a = post(
                &app,
                &s,
                "/users",
                new_user("moi", "viewer", "14995", PASSWORD),
            )
            .await;
            assert_eq!(
                (a.status, a.error().as_str()),
                (StatusCode::FORBIDDEN, "role")
            );
            for target in [who, "xem.huyen", "qt.huyen"] {
                for (path, body) in actions(target) {
                    let a = post(&app, &s, &path, body).await;
                    assert_eq!(a.status, StatusCode::FORBIDDEN, "{store}: {who} {path}");
                    assert_eq!(a.error(), "role", "{store}: {who} {path}");
                }
            }
        }
        // An admin's page on another site cannot act: no CSRF token, no change.
        let admin = session(&app, "qt.tinh").await;
        let mut all = actions("xem.huyen");
        all.push((
            "/users".to_string(),
            new_user("moi", "viewer", "14995", PASSWORD),
        ));
        for (path, body) in all {
            let a = post_as(&app, &admin, &path, body, false).await;
            assert_eq!(a.status, StatusCode::FORBIDDEN, "{store}: {path}");
            assert_eq!(a.error(), "csrf", "{store}: {path}");
        }
        assert_eq!(
            login(&app, "xem.huyen", PASSWORD).await.status,
            StatusCode::OK
        );
        assert_eq!(logins(&get(&app, &admin, "/users").await).len(), 6);
        // No session at all.
        let a = send(
            &app,
            Request::get(format!("{API}/users"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{store}");
        // Nothing refused reached the log: only the console's additions.
        let log = get(&app, &admin, "/audit").await.json();
        assert!(
            log["entries"]
                .as_array()
                .unwrap()
                .iter()
                .all(|e| e["login"] == "(admin CLI)" && e["action"] == "user_add"),
            "{store}: {log}"
        );
    }
}

#[tokio::test]
async fn disabling_in_the_store_ends_sessions_and_keeps_the_first_time() {
    use checkin_server_db::UserChange;
    for (store, db) in stores().await {
        let _ = seeded(db.clone()).await;
        let session = |hash: &str| NewSession {
            token_hash: hash.to_string(),
            login: "xem.huyen".into(),
            created_at: now(),
            expires_at: now() + chrono::Duration::days(1),
        };
        db.add_session(&session("a")).await.unwrap();
        db.add_session(&session("b")).await.unwrap();
        let idle = chrono::Duration::hours(12);
        // A new password ends every session but the one kept.
        db.change_user(
            "xem.huyen",
            &UserChange::Password {
                hash: "h".into(),
                keep_session: Some("b".into()),
            },
            None,
        )
        .await
        .unwrap();
        assert!(
            db.session_user("a", now(), idle).await.unwrap().is_none(),
            "{store}"
        );
        assert!(
            db.session_user("b", now(), idle).await.unwrap().is_some(),
            "{store}"
        );
        let later = now() + chrono::Duration::hours(1);
        let u = db
            .change_user("xem.huyen", &UserChange::Disable(now()), None)
            .await
            .unwrap();
        assert_eq!(u.disabled_at, Some(now()));
        assert!(
            db.session_user("b", now(), idle).await.unwrap().is_none(),
            "{store}"
        );
        let u = db
            .change_user("xem.huyen", &UserChange::Disable(later), None)
            .await
            .unwrap();
        assert_eq!(u.disabled_at, Some(now()), "{store}: the first time stays");
        let u = db
            .change_user("xem.huyen", &UserChange::Enable, None)
            .await
            .unwrap();
        assert_eq!(u.disabled_at, None);
        assert!(matches!(
            db.change_user("nobody", &UserChange::Enable, None).await,
            Err(checkin_server_db::DbError::NotFound(_))
        ));
        assert_eq!(db.users(Some("38")).await.unwrap().len(), 6);
        assert_eq!(db.users(Some("01")).await.unwrap().len(), 0);
        assert_eq!(db.users(None).await.unwrap().len(), 6);
    }
}

#[tokio::test]
async fn the_cli_lists_disables_and_enables_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("s.db").display());
    let db = checkin_server_db::open(&url).await.unwrap();
    let _ = seeded(db.clone()).await;
    db.add_session(&NewSession {
        token_hash: "t".into(),
        login: "xem.huyen".into(),
        created_at: Utc::now(),
        expires_at: Utc::now() + chrono::Duration::days(1),
    })
    .await
    .unwrap();
    drop(db);

    let json = common::stdout_of(&common::admin_cli(
        &url,
        &["user", "list", "--format", "json"],
    ));
    let users: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(users.as_array().unwrap().len(), 6);
    assert_eq!(users[0]["login"], "qt.huyen");
    assert_eq!(users[0]["area_name"], "Huyện Quan Sơn");
    assert!(!json.contains("argon2") && !json.contains("password"));
    let csv = common::stdout_of(&common::admin_cli(
        &url,
        &["user", "list", "--unit", "388", "--format", "csv"],
    ));
    assert_eq!(
        csv,
        "login,role,area_code,area_name,province_code,created_at,disabled_at\r\n\
         xa.phunghiem,viewer,15001,Xã Phú Nghiêm,38,2021-08-16T02:00:00Z,\r\n"
    );
    let table = common::stdout_of(&common::admin_cli(&url, &["user", "list", "--unit", "387"]));
    assert_eq!(table.lines().count(), 4, "{table}");
    assert!(table.starts_with("LOGIN"), "{table}");

    let out = common::stdout_of(&common::admin_cli(&url, &["user", "disable", "xem.huyen"]));
    assert!(out.contains("xem.huyen disabled"), "{out}");
    let db = checkin_server_db::open(&url).await.unwrap();
    assert!(db
        .user("xem.huyen")
        .await
        .unwrap()
        .unwrap()
        .disabled_at
        .is_some());
    assert!(db
        .session_user("t", Utc::now(), chrono::Duration::hours(12))
        .await
        .unwrap()
        .is_none());
    drop(db);
    let csv = common::stdout_of(&common::admin_cli(
        &url,
        &["user", "list", "--unit", "14995", "--format", "csv"],
    ));
    assert_eq!(
        csv.lines().count(),
        1,
        "nobody's area is inside the commune: {csv}"
    );
    common::stdout_of(&common::admin_cli(&url, &["user", "enable", "xem.huyen"]));
    let db = checkin_server_db::open(&url).await.unwrap();
    assert!(db
        .user("xem.huyen")
        .await
        .unwrap()
        .unwrap()
        .disabled_at
        .is_none());
    // Changes made at the console are in the audit log too, under a name no
    // login can have.
    let log = db.audit_log("38", 10).await.unwrap();
    let seen: Vec<(&str, &str, &str)> = log
        .iter()
        .map(|e| (e.login.as_str(), e.action.as_str(), e.query.as_str()))
        .collect();
    assert_eq!(
        seen[..2],
        [
            ("(admin CLI)", "user_enable", r#"{"login":"xem.huyen"}"#),
            ("(admin CLI)", "user_disable", r#"{"login":"xem.huyen"}"#),
        ]
    );
    // Before them, the six accounts the test began with.
    assert_eq!(seen.len(), 8, "{seen:?}");
    assert!(seen[2..]
        .iter()
        .all(|(who, action, _)| (*who, *action) == ("(admin CLI)", "user_add")));
    drop(db);

    for (args, want) in [
        (&["user", "disable", "nobody"][..], "unknown user"),
        (&["user", "enable", "nobody"][..], "unknown user"),
        (&["user", "list", "--unit", "999"][..], "unknown unit"),
        (&["user", "list", "--format", "xml"][..], "invalid value"),
        (&["user", "disable"][..], "LOGIN"),
    ] {
        let out = common::admin_cli(&url, args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}
