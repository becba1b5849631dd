//! Helpers shared by the server's integration tests.
// Each test binary uses some of them.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use checkin_server_db::{Database, SqliteDb};
use http_body_util::BodyExt;
use std::process::{Command, Output};
use std::sync::Arc;
use tower::ServiceExt;

/// Sends `req` through the router; the status and the JSON answer (null
/// when the body is empty).
pub async fn call(app: &axum::Router, req: Request<Body>) -> (StatusCode, serde_json::Value) {
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

/// The stores these tests run on, each empty and named for messages.
pub async fn stores() -> Vec<(&'static str, Arc<dyn Database>)> {
    let mut out: Vec<(&'static str, Arc<dyn Database>)> = vec![(
        "sqlite",
        Arc::new(SqliteDb::open_in_memory().await.unwrap()),
    )];
    match std::env::var("CHECKIN_TEST_POSTGRES_URL") {
        Ok(base) => {
            let url = fresh_postgres_db(&base).await;
            out.push(("postgres", checkin_server_db::open(&url).await.unwrap()));
        }
        Err(_) => eprintln!("CHECKIN_TEST_POSTGRES_URL not set: PostgreSQL runs skipped"),
    }
    out
}

/// Creates an empty database next to the one in `base` and returns its URL.
pub async fn fresh_postgres_db(base: &str) -> String {
    let (client, conn) = tokio_postgres::connect(base, tokio_postgres::NoTls)
        .await
        .expect("connect to CHECKIN_TEST_POSTGRES_URL");
    let task = tokio::spawn(conn);
    let name = format!("checkin_api_{}", uuid::Uuid::now_v7().simple());
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    drop(client);
    let _ = task.await;
    let (head, tail) = base.rsplit_once('/').expect("URL ends in /DBNAME");
    let params = tail
        .split_once('?')
        .map(|(_, p)| format!("?{p}"))
        .unwrap_or_default();
    format!("{head}/{name}{params}")
}

/// A database URL per store (SQLite in `dir/file`; PostgreSQL when
/// configured), each with [`UNITS`] imported through the binary.
pub async fn databases(dir: &std::path::Path, file: &str) -> Vec<(&'static str, String)> {
    let mut out = vec![("sqlite", format!("sqlite://{}", dir.join(file).display()))];
    match std::env::var("CHECKIN_TEST_POSTGRES_URL") {
        Ok(base) => out.push(("postgres", fresh_postgres_db(&base).await)),
        Err(_) => eprintln!("CHECKIN_TEST_POSTGRES_URL not set: PostgreSQL runs skipped"),
    }
    let units = dir.join("units.json");
    std::fs::write(&units, UNITS).unwrap();
    for (_, db) in &out {
        stdout_of(&admin_cli(db, &["import-units", units.to_str().unwrap()]));
    }
    out
}

/// The `checkin-server` binary of this build.
pub const BIN: &str = env!("CARGO_BIN_EXE_checkin-server");

/// Runs `checkin-server admin --database DB ARGS…`.
pub fn admin_cli(db: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(["admin", "--database", db])
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("spawn checkin-server")
}

/// The stdout of a command that must have succeeded.
pub fn stdout_of(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// Province 38 with district 387 (communes 14995, 14998) and district 388
/// (commune 15001), in the dvhcvn layout `admin import-units` reads.
pub const UNITS: &str = r#"{"data":[{"level1_id":"38","name":"Tỉnh Thanh Hóa","type":"Tỉnh",
  "level2s":[
    {"level2_id":"387","name":"Huyện Quan Sơn","type":"Huyện","level3s":[
      {"level3_id":"14995","name":"Xã Trung Xuân","type":"Xã"},
      {"level3_id":"14998","name":"Thị trấn Sơn Lư","type":"Thị trấn"}]},
    {"level2_id":"388","name":"Huyện Quan Hóa","type":"Huyện","level3s":[
      {"level3_id":"15001","name":"Xã Phú Nghiêm","type":"Xã"}]}]}]}"#;
