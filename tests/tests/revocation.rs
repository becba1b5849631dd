//! A lost tablet, end to end with the real binaries: the administrator
//! revokes it, its next sync is refused with a clear message and its
//! records stay queued; enrolled again with a new code, it sends them.

use checkin_e2e::{admin, first_line, Server, Station};

#[test]
fn a_revoked_station_keeps_its_records_and_sends_them_after_enrolling_again() {
    let tmp = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", tmp.path().join("srv.db").display());
    let venue = first_line(&admin(
        &db,
        &[
            "venue",
            "add",
            "--name",
            "Trạm y tế xã Tân Lập",
            "--category",
            "clinic",
            "--commune",
            "14995",
            "--province",
            "38",
            "--address",
            "Thôn 2",
        ],
    ));
    let token = |db: &str| {
        first_line(&admin(
            db,
            &["enrollment-token", "--venue", &venue, "--no-qr"],
        ))
    };
    let server = Server::start(&db, &[]);
    let station = Station::new(&tmp.path().join("station"));
    station.ok(&["enroll", "--server", &server.url, "--token", &token(&db)]);
    let device_id = || {
        checkin_store::Store::open(&station.dir)
            .unwrap()
            .device_id()
            .to_string()
    };
    let device = device_id();
    station.record_many(&venue, 2, chrono::Duration::zero());

    let out = admin(&db, &["device", "revoke", &device]);
    assert!(out.contains(&device), "{out}");

    let out = station.run(&["sync"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr).to_lowercase();
    assert!(err.contains("revoked"), "{err}");
    assert!(err.contains("enroll"), "says what to do: {err}");
    assert_eq!(station.status()["pending"], 2, "the records stay queued");

    // A new code from the administrator; no --force needed.
    station.ok(&["enroll", "--server", &server.url, "--token", &token(&db)]);
    assert_eq!(device_id(), device, "the same device, enrolled again");
    station.ok(&["sync"]);
    let status = station.status();
    assert_eq!(status["pending"], 0, "{status}");
    let stats: serde_json::Value = serde_json::from_str(&admin(&db, &["stats", "--json"])).unwrap();
    assert_eq!(stats["checkins"], 2, "{stats}");
}
