//! The `checkin-server` binary: what scripts read from `admin` and how
//! `serve --policy` starts (or refuses to).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

mod common;
use common::{admin_cli as admin, stdout_of, BIN};

fn is_token(line: &str) -> bool {
    line.len() == 37
        && line.starts_with("CKE1:")
        && line[5..]
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

fn venue(db: &str) -> String {
    let out = stdout_of(&admin(
        db,
        &[
            "venue",
            "add",
            "--name",
            "Trạm y tế",
            "--category",
            "clinic",
            "--commune",
            "14995",
            "--province",
            "38",
        ],
    ));
    out.lines().next().unwrap().to_string()
}

#[test]
fn enrollment_token_prints_the_bare_token_then_the_full_code_and_its_qr() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("srv.db").display());
    let v = venue(&db);

    // Without --server-url: the token, then the QR of the token.
    let out = stdout_of(&admin(&db, &["enrollment-token", "--venue", &v]));
    let (token, qr) = out.split_once('\n').unwrap();
    assert!(is_token(token), "{token}");
    assert_eq!(
        qr,
        format!("{}\n", checkin_server::admin::terminal_qr(token).unwrap())
    );

    // With it: the token, the full code, then the QR of the full code.
    let url = "https://Checkin.SoYTe.vn/";
    let out = stdout_of(&admin(
        &db,
        &[
            "enrollment-token",
            "--commune",
            "14995",
            "--province",
            "38",
            "--server-url",
            url,
        ],
    ));
    let mut lines = out.splitn(3, '\n');
    let (token, code, qr) = (
        lines.next().unwrap(),
        lines.next().unwrap(),
        lines.next().unwrap(),
    );
    assert!(is_token(token), "{token}");
    assert_eq!(code, format!("{token}@https://Checkin.SoYTe.vn"));
    assert_eq!(
        qr,
        format!("{}\n", checkin_server::admin::terminal_qr(code).unwrap())
    );
    let out = stdout_of(&admin(
        &db,
        &[
            "enrollment-token",
            "--venue",
            &v,
            "--server-url",
            "http://10.0.0.2:8080",
            "--no-qr",
        ],
    ));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert_eq!(lines[1], format!("{}@http://10.0.0.2:8080", lines[0]));

    // A bad URL is refused clearly, and no token is made for nothing.
    let tokens = |db: &str| {
        let s: serde_json::Value =
            serde_json::from_str(&stdout_of(&admin(db, &["stats", "--json"]))).unwrap();
        s["enrollment_tokens"].as_u64().unwrap()
    };
    let before = tokens(&db);
    for bad in ["ftp://x.vn", "checkin.soyte.vn", "http://"] {
        let out = admin(
            &db,
            &["enrollment-token", "--venue", &v, "--server-url", bad],
        );
        assert!(!out.status.success(), "{bad}");
        assert!(out.stdout.is_empty(), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("--server-url") && err.contains("http"),
            "{err}"
        );
    }
    assert_eq!(tokens(&db), before);
}

#[test]
fn stats_json_counts_every_record_kind() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("srv.db").display());
    let s: serde_json::Value =
        serde_json::from_str(&stdout_of(&admin(&db, &["stats", "--json"]))).unwrap();
    for key in ["checkins", "declarations", "quarantines", "health_updates"] {
        assert_eq!(s[key], 0, "{key} in {s}");
    }
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

#[test]
fn serve_refuses_a_policy_with_unknown_fields_and_serves_a_good_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("srv.db").display());
    let bad = dir.path().join("bad.json");
    write(&bad, r#"{"require_declaraton": true}"#);
    let out = Command::new(BIN)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database",
            &db,
            "--policy",
        ])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown policy field(s) require_declaraton") && err.contains("bad.json"),
        "{err}"
    );

    // A good one reaches the devices' config.
    let v = venue(&db);
    let token = stdout_of(&admin(&db, &["enrollment-token", "--venue", &v, "--no-qr"]));
    let good = dir.path().join("policy.json");
    write(
        &good,
        r#"{"require_declaration": true, "pass_valid_days": 3}"#,
    );
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database",
            &db,
            "--policy",
        ])
        .arg(&good)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("{line:?}"))
        .to_string();
    let device = checkin_core::DeviceId::new();
    let enroll = serde_json::json!({"token": token.trim(), "device_id": device}).to_string();
    let answer = http(
        &addr,
        &format!(
            "POST /api/v1/enroll HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{enroll}",
            enroll.len()
        ),
    );
    let credential = answer["credential"].as_str().unwrap().to_string();
    let config = http(
        &addr,
        &format!(
            "GET /api/v1/sync/config HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {credential}\r\n\
             Connection: close\r\n\r\n"
        ),
    );
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(config["policy"]["require_declaration"], true, "{config}");
    assert_eq!(config["policy"]["pass_valid_days"], 3, "{config}");
}

/// One HTTP/1.1 exchange on a fresh connection; the JSON body of a 200.
fn http(addr: &str, request: &str) -> serde_json::Value {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{answer}");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {answer}"))
}

/// Absurd operator input is an error with exit code 2, never a panic (101)
/// and never stored.
#[test]
fn absurd_admin_input_exits_2_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("srv.db").display());
    let v = venue(&db);
    let escape = "Chợ\u{1b}[2J";
    let long_address = "a".repeat(100_000);
    let cases: Vec<Vec<&str>> = vec![
        vec![
            "enrollment-token",
            "--venue",
            &v,
            "--ttl",
            "9999999999999999h",
        ],
        vec![
            "enrollment-token",
            "--venue",
            &v,
            "--ttl",
            "99999999999999999999s",
        ],
        vec!["enrollment-token", "--venue", "not-a-venue-id"],
        vec!["enrollment-token"],
        vec![
            "venue",
            "add",
            "--name",
            escape,
            "--category",
            "market",
            "--commune",
            "14995",
            "--province",
            "38",
        ],
        vec![
            "venue",
            "add",
            "--name",
            "Chợ",
            "--category",
            "market",
            "--commune",
            "14995",
            "--province",
            "38",
            "--address",
            &long_address,
        ],
        vec![
            "venue",
            "add",
            "--name",
            "Chợ",
            "--category",
            "spaceship",
            "--commune",
            "14995",
            "--province",
            "38",
        ],
        vec![
            "venue",
            "add",
            "--name",
            "Chợ",
            "--category",
            "market",
            "--commune",
            "1",
        ],
    ];
    let stats = || stdout_of(&admin(&db, &["stats", "--json"]));
    let before = stats();
    for args in cases {
        let out = admin(&db, &args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    assert_eq!(stats(), before, "nothing was stored");
}

/// `| head -1` closes the pipe early; the rest of the output is not wanted,
/// and that is not a crash. The read end is closed before the server has
/// opened its database, so its first write meets the closed pipe.
#[test]
fn a_closed_stdout_is_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("srv.db").display());
    let v = venue(&db);
    let mut child = Command::new(BIN)
        .args([
            "admin",
            "--database",
            &db,
            "enrollment-token",
            "--venue",
            &v,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
}
