//! Two server instances on one PostgreSQL, as a province behind a load
//! balancer runs them: stations enrolled through one sync through the
//! other, an official logged in on one is logged in on both (and logged
//! out of both), failed logins count across instances, and both answer the
//! same reports. Needs CHECKIN_TEST_POSTGRES_URL (scripts/with-postgres.sh).

use checkin_e2e::{admin, bin, first_line, fresh_postgres_db, Server, Station};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};

const UNITS: &str = r#"{"data":[{"level1_id":"38","name":"Tỉnh Thanh Hóa","type":"Tỉnh",
  "level2s":[{"level2_id":"387","name":"Huyện Quan Sơn","type":"Huyện","level3s":[
      {"level3_id":"14995","name":"Xã Trung Xuân","type":"Xã"}]}]}]}"#;
const PASSWORD: &str = "mật khẩu dài đủ 10";

/// An HTTP/1.1 exchange over a fresh connection: status, headers, body.
fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

/// Logs in; the session cookie and CSRF token, or the status on failure.
fn login(addr: SocketAddr, password: &str) -> Result<(String, String), u16> {
    let body = serde_json::json!({"login": "quantri.thanhhoa", "password": password}).to_string();
    let (status, head, body) = http(
        addr,
        "POST",
        "/api/v1/dashboard/login",
        &[("Content-Type", "application/json")],
        &body,
    );
    if status != 200 {
        return Err(status);
    }
    let cookie = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or(l.strip_prefix("Set-Cookie: "))
        })
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_string();
    let csrf = serde_json::from_str::<serde_json::Value>(&body).unwrap()["csrf"]
        .as_str()
        .unwrap()
        .to_string();
    Ok((cookie, csrf))
}

#[test]
fn two_instances_share_devices_sessions_limits_and_reports() {
    let Ok(base) = std::env::var("CHECKIN_TEST_POSTGRES_URL") else {
        eprintln!(
            "SKIPPED: CHECKIN_TEST_POSTGRES_URL not set (run under scripts/with-postgres.sh)"
        );
        return;
    };
    let db = fresh_postgres_db(&base);
    let tmp = tempfile::tempdir().unwrap();
    let units = tmp.path().join("units.json");
    std::fs::write(&units, UNITS).unwrap();
    admin(&db, &["import-units", units.to_str().unwrap()]);
    let venue = first_line(&admin(
        &db,
        &[
            "venue",
            "add",
            "--name",
            "Chợ Trung Xuân",
            "--category",
            "market",
            "--commune",
            "14995",
            "--address",
            "Thôn 1",
        ],
    ));
    let mut add = Command::new(bin("checkin-server"))
        .args(["admin", "--database", &db, "user", "add"])
        .args([
            "--login",
            "quantri.thanhhoa",
            "--role",
            "admin",
            "--unit",
            "38",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    writeln!(add.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    assert!(add.wait().unwrap().success());

    let a = Server::start(&db, &["--insecure-cookies"]);
    let b = Server::start(&db, &["--insecure-cookies"]);
    let token = || {
        first_line(&admin(
            &db,
            &["enrollment-token", "--venue", &venue, "--no-qr"],
        ))
    };

    // Enrolled through A, synced through B; and the other way round.
    let s1 = Station::new(&tmp.path().join("s1"));
    s1.ok(&["enroll", "--server", &a.url, "--token", &token()]);
    s1.record_many(&venue, 3, chrono::Duration::zero());
    s1.ok(&["sync", "--server", &b.url]);
    let s2 = Station::new(&tmp.path().join("s2"));
    s2.ok(&["enroll", "--server", &b.url, "--token", &token()]);
    s2.record_many(&venue, 2, chrono::Duration::zero());
    s2.ok(&["sync", "--server", &a.url]);
    // A resend through the other instance is still a duplicate.
    assert_eq!(s1.status()["pending"], 0);
    let stats: serde_json::Value = serde_json::from_str(&admin(&db, &["stats", "--json"])).unwrap();
    assert_eq!(stats["checkins"], 5, "{stats}");

    // A session made on A is good on B; logging out on B ends it on A.
    let (cookie, csrf) = login(a.addr, PASSWORD).unwrap();
    let me = |addr| {
        http(
            addr,
            "GET",
            "/api/v1/dashboard/me",
            &[("Cookie", &cookie)],
            "",
        )
        .0
    };
    assert_eq!((me(a.addr), me(b.addr)), (200, 200));
    let today = chrono::Utc::now()
        .with_timezone(&checkin_core::calendar::vietnam())
        .date_naive();
    let path = format!("/api/v1/dashboard/reports/e-vs-paper?unit=14995&from={today}&to={today}");
    let report = |addr| http(addr, "GET", &path, &[("Cookie", &cookie)], "");
    let (sa, _, ra) = report(a.addr);
    let (sb, _, rb) = report(b.addr);
    assert_eq!((sa, sb), (200, 200), "{ra}");
    let ra: serde_json::Value = serde_json::from_str(&ra).unwrap();
    assert_eq!(ra["total"]["total"], 5, "{ra}");
    assert_eq!(ra, serde_json::from_str::<serde_json::Value>(&rb).unwrap());
    let (status, _, _) = http(
        b.addr,
        "POST",
        "/api/v1/dashboard/logout",
        &[("Cookie", &cookie), ("X-CSRF-Token", &csrf)],
        "",
    );
    assert_eq!(status, 204);
    assert_eq!((me(a.addr), me(b.addr)), (401, 401));

    // Five failures spread over both instances lock the login on both.
    for (i, addr) in [a.addr, b.addr, a.addr, b.addr, a.addr]
        .into_iter()
        .enumerate()
    {
        assert_eq!(login(addr, "sai mật khẩu rồi"), Err(401), "failure {i}");
    }
    assert_eq!(login(b.addr, PASSWORD), Err(429));
    assert_eq!(login(a.addr, PASSWORD), Err(429));
}
