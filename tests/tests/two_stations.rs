//! Two stations enrolled to different venues sync to one server; a device
//! cannot write outside its scope; an unreachable server leaves records
//! queued and the exit code non-zero; `sync --watch` follows new records.

use checkin_e2e::{admin, first_line, Server, Station, CCCD};
use std::time::{Duration, Instant};

/// Found at run time: a test binary reused from a clone at another path
/// keeps that clone's compile-time path.
fn units_file() -> String {
    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("run by cargo");
    format!("{dir}/../../shared/testdata/vn-admin-units/dvhcvn_2021-11-01.json")
}

fn stats(db: &str) -> serde_json::Value {
    serde_json::from_str(&admin(db, &["stats", "--json"])).unwrap()
}

#[test]
fn two_stations_scope_offline_and_watch() {
    let tmp = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", tmp.path().join("srv.db").display());
    story(&tmp, &db);
}

#[test]
fn two_stations_on_postgres_when_configured() {
    let Ok(base) = std::env::var("CHECKIN_TEST_POSTGRES_URL") else {
        eprintln!("CHECKIN_TEST_POSTGRES_URL not set: PostgreSQL end-to-end skipped");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    story(&tmp, &checkin_e2e::fresh_postgres_db(&base));
}

fn story(tmp: &tempfile::TempDir, db: &str) {
    let db = db.to_string();
    // The units file lives outside the repo on dev machines; fall back to
    // explicit province codes when it is absent.
    let units = units_file();
    let have_units = std::path::Path::new(&units).exists();
    if have_units {
        admin(&db, &["import-units", &units]);
    }
    let prov: &[&str] = if have_units {
        &[]
    } else {
        &["--province", "38"]
    };
    let venue_add = |name: &str, commune: &str| {
        let mut args = vec![
            "venue",
            "add",
            "--name",
            name,
            "--category",
            "clinic",
            "--commune",
            commune,
            "--address",
            "Quan Sơn, Thanh Hóa",
        ];
        args.extend_from_slice(prov);
        first_line(&admin(&db, &args))
    };
    let venue_a = venue_add("Trạm y tế xã Trung Xuân", "14995");
    let venue_b = venue_add("Trạm y tế xã Trung Thượng", "14998");
    assert!(venue_a.starts_with("38-14995-"), "{venue_a}");

    let mut server = Server::start(&db, &[]);
    let token_a = first_line(&admin(
        &db,
        &["enrollment-token", "--venue", &venue_a, "--ttl", "1h"],
    ));
    let mut commune_args = vec!["enrollment-token", "--commune", "14998"];
    commune_args.extend_from_slice(prov);
    let token_b = first_line(&admin(&db, &commune_args));
    assert!(token_a.starts_with("CKE1:") && token_b.starts_with("CKE1:"));

    let s1 = Station::new(&tmp.path().join("st1"));
    let s2 = Station::new(&tmp.path().join("st2"));
    s1.ok(&["enroll", "--server", &server.url, "--token", &token_a]);
    s2.ok(&["enroll", "--server", &server.url, "--token", &token_b]);
    // A token is single use.
    let s3 = Station::new(&tmp.path().join("st3"));
    let out = s3.run(&["enroll", "--server", &server.url, "--token", &token_a]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("token_used"));

    for _ in 0..5 {
        s1.ok(&["record", "--venue", &venue_a, "--code", CCCD]);
    }
    // Station 1 may not write for venue B: rejected, kept, visible.
    s1.ok(&["record", "--venue", &venue_b, "--code", CCCD]);
    for _ in 0..4 {
        s2.ok(&[
            "record",
            "--venue",
            &venue_b,
            "--code",
            CCCD,
            "--direction",
            "out",
        ]);
    }
    s1.ok(&["sync"]);
    s2.ok(&["sync"]);
    let st1 = s1.status();
    assert_eq!(
        (
            st1["pending"].as_u64(),
            st1["synced"].as_u64(),
            st1["rejected"].as_u64()
        ),
        (Some(0), Some(5), Some(1))
    );
    assert_eq!(s2.status()["synced"], 4);
    let st = stats(&db);
    assert_eq!(
        (
            st["checkins"].as_u64(),
            st["devices"].as_u64(),
            st["venues"].as_u64()
        ),
        (Some(9), Some(2), Some(2))
    );
    let rejected = s1.ok(&["list", "--json"]);
    assert!(rejected.contains("venue_outside_scope"), "{rejected}");

    // A second sync sends nothing and succeeds.
    s1.ok(&["sync"]);

    // Server down: non-zero exit, one line on stderr, record still queued.
    s2.ok(&["record", "--venue", &venue_b, "--code", CCCD]);
    server.kill9();
    let out = s2.run(&["sync", "--attempts", "2"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("1 records still pending"), "{err}");
    assert_eq!(s2.status()["pending"], 1);
    server.restart();
    s2.ok(&["sync"]);
    assert_eq!(stats(&db)["checkins"], 10);

    // --watch picks up new records while it runs.
    let mut watch = s1
        .cmd(&["sync", "--watch", "--interval", "60"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    s1.ok(&["record", "--venue", &venue_a, "--code", CCCD]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while stats(&db)["checkins"] != 11 {
        assert!(
            Instant::now() < deadline,
            "watch did not sync the new record"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let _ = watch.kill();
    let _ = watch.wait();
    assert_eq!(s1.status()["pending"], 0);

    // Retention: personal data the server holds leaves the device; what the
    // server does not hold yet (pending, rejected) stays.
    s2.ok(&["record", "--venue", &venue_b, "--code", CCCD]);
    s2.ok(&["sync", "--retention-days", "0"]);
    let st2 = s2.status();
    assert_eq!(
        (st2["pending"].as_u64(), st2["synced"].as_u64()),
        (Some(0), Some(0)),
        "{st2}"
    );
    assert!(s2.ok(&["list", "--json"]).trim().is_empty());
    assert_eq!(stats(&db)["checkins"], 12);
    s1.ok(&["sync", "--retention-days", "0"]);
    assert_eq!(s1.status()["rejected"], 1, "a rejected record is kept");

    // Re-enrolling: the station proves it owns its id with its credential;
    // it is refused while records of the current enrollment are pending.
    let token = |venue: &str| {
        first_line(&admin(
            &db,
            &["enrollment-token", "--venue", venue, "--ttl", "1h"],
        ))
    };
    s1.ok(&[
        "enroll",
        "--server",
        &server.url,
        "--token",
        &token(&venue_a),
    ]);
    s1.ok(&["record", "--venue", &venue_a, "--code", CCCD]);
    let t = token(&venue_a);
    let out = s1.run(&["enroll", "--server", &server.url, "--token", &t]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("still pending"));
    s1.ok(&["sync"]);
    s1.ok(&["enroll", "--server", &server.url, "--token", &t]);
    s1.ok(&["record", "--venue", &venue_a, "--code", CCCD]);
    s1.ok(&["sync"]);
    assert_eq!(stats(&db)["checkins"], 14);
}
