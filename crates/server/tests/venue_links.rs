//! Venue links: `admin venue url` prints the link a poster carries, the
//! public API names the venue for it, and a forged, altered or moved link is
//! refused; through the binary and the router, on SQLite and on PostgreSQL
//! when configured.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use checkin_server::{router, AppState};
use checkin_server_db::Database;
use std::process::Command;

mod common;
use common::{admin_cli as admin, call, databases, stdout_of, BIN};

const BASE: &str = "https://checkin.thanhhoa.example.vn";

async fn card(db: &std::sync::Arc<dyn Database>, code: &str) -> (StatusCode, serde_json::Value) {
    let app = router(AppState::new(db.clone()));
    call(
        &app,
        Request::get(format!("/api/v1/public/venues/{code}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn a_posters_link_names_its_venue_and_nothing_else_passes() {
    let dir = tempfile::tempdir().unwrap();
    for (name, db) in databases(dir.path(), "links.db").await {
        let add = |n: &str| {
            stdout_of(&admin(
                &db,
                &[
                    "venue",
                    "add",
                    "--name",
                    n,
                    "--category",
                    "market",
                    "--commune",
                    "14995",
                    "--address",
                    "Bản Muống",
                ],
            ))
            .trim()
            .to_string()
        };
        let market = add("Chợ Trung Xuân");
        let other = add("Chợ Bản Muống");
        let url = stdout_of(&admin(
            &db,
            &["venue", "url", &market, "--base", &format!("{BASE}/")],
        ));
        let url = url.lines().next().unwrap().to_string();
        let prefix = format!("{BASE}/c/{market}.");
        assert!(url.starts_with(&prefix), "{name}: {url}");
        // The key is made once and kept: every run prints the same link.
        let again = stdout_of(&admin(&db, &["venue", "url", &market, "--base", BASE]));
        assert_eq!(again.lines().next(), Some(url.as_str()), "{name}");
        let code = url.rsplit('/').next().unwrap().to_string();
        let tag = code.rsplit_once('.').unwrap().1.to_string();

        let store = checkin_server_db::open(&db).await.unwrap();
        let (s, body) = card(&store, &code).await;
        assert_eq!(s, StatusCode::OK, "{name}: {body}");
        assert_eq!(body["venue_id"], market.as_str(), "{name}");
        assert_eq!(body["name"], "Chợ Trung Xuân", "{name}");
        assert_eq!(body["address"], "Bản Muống", "{name}");
        assert_eq!(body["commune_name"], "Xã Trung Xuân", "{name}");
        // Scanned codes may come back in lower case.
        let (s, _) = card(&store, &code.to_ascii_lowercase()).await;
        assert_eq!(s, StatusCode::OK, "{name}");

        // Another venue's id under this tag, an altered tag, a made-up
        // venue, and text that is no code: all refused alike, nothing told.
        let flipped = {
            let mut t = tag.clone();
            let c = if t.starts_with('A') { "B" } else { "A" };
            t.replace_range(0..1, c);
            t
        };
        for bad in [
            format!("{other}.{tag}"),
            format!("{market}.{flipped}"),
            format!("38-14995-ZZZZZZ.{tag}"),
            market.clone(),
            "%3Cscript%3E".to_string(),
        ] {
            let (s, body) = card(&store, &bad).await;
            assert_eq!(s, StatusCode::NOT_FOUND, "{name}: {bad}");
            assert_eq!(body["error"], "unknown_venue", "{name}: {bad}");
        }

        // The poster carries the link when there is a base, else CKV1.
        let svg = dir.path().join(format!("{name}.svg"));
        stdout_of(&admin(
            &db,
            &[
                "venue",
                "poster",
                &market,
                "--out",
                svg.to_str().unwrap(),
                "--base",
                BASE,
            ],
        ));
        let text = std::fs::read_to_string(&svg).unwrap();
        assert!(text.contains(&url), "{name}");
        assert!(text.contains("khai báo y tế"), "{name}");
        let png = dir.path().join(format!("{name}.png"));
        stdout_of(&admin(
            &db,
            &[
                "venue",
                "poster",
                &market,
                "--out",
                png.to_str().unwrap(),
                "--base",
                BASE,
            ],
        ));
        assert!(
            std::fs::read(&png).unwrap().starts_with(b"\x89PNG"),
            "{name}"
        );
    }
}

#[tokio::test]
async fn venue_url_needs_a_base_and_a_known_venue() {
    let dir = tempfile::tempdir().unwrap();
    let (_, db) = databases(dir.path(), "links.db").await.remove(0);
    let venue = stdout_of(&admin(
        &db,
        &[
            "venue",
            "add",
            "--name",
            "Chợ",
            "--category",
            "market",
            "--commune",
            "14995",
        ],
    ));
    let venue = venue.trim();
    let run = |args: &[&str]| {
        Command::new(BIN)
            .args(["admin", "--database", &db, "venue", "url"])
            .args(args)
            .env_remove("CHECKIN_PUBLIC_URL")
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };
    for (args, says) in [
        (vec![venue], "--base"),
        (vec![venue, "--base", "checkin.vn"], "public base URL"),
        (vec!["38-14995-ZZZZZZ", "--base", BASE], "unknown venue"),
    ] {
        let out = run(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    // The base may come from the environment.
    let out = Command::new(BIN)
        .args(["admin", "--database", &db, "venue", "url", venue])
        .env("CHECKIN_PUBLIC_URL", BASE)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with(&format!("{BASE}/c/{venue}.")));
}
