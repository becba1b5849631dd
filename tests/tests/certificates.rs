//! Vaccine passports end to end with the real binaries: the operator
//! imports a trust list (a bad one is refused whole), a station downloads
//! it at its next sync, and with the server gone the gate still verifies
//! certificates: a valid one is green, a forged or expired one red, and the
//! stored check-in keeps the certificate's kind and the verdict, never the
//! certificate. The certificates are signed here, dated around today.

#[path = "../../crates/dcc/tests/common/mod.rs"]
mod dcc_fixtures;

use checkin_e2e::{admin, bin, first_line, Server, Station};
use chrono::{Duration, Utc};
use ciborium::Value;
use dcc_fixtures::{cbor, hc1, sign1, Dsc};
use serde_json::json;

/// A vaccination certificate issued yesterday, valid a year, the last dose
/// `dose_days_ago` days ago.
fn vaccination(dsc: &Dsc, dose_days_ago: i64, expired: bool) -> String {
    let now = Utc::now();
    let (issued, expires) = if expired {
        (now - Duration::days(400), now - Duration::days(35))
    } else {
        (now - Duration::days(1), now + Duration::days(365))
    };
    let dose = (now - Duration::days(dose_days_ago))
        .format("%Y-%m-%d")
        .to_string();
    let hcert = json!({
        "ver": "1.3.0",
        "nam": {"fn": "Nguyễn", "fnt": "NGUYEN", "gn": "Văn An", "gnt": "VAN<AN"},
        "dob": "1990-08-15",
        "v": [{"tg": "840539006", "vp": "1119349007", "mp": "EU/1/20/1528",
               "ma": "ORG-100030215", "dn": 2, "sd": 2, "dt": dose,
               "co": "VN", "is": "Bộ Y tế", "ci": "URN:UVCI:01:VN:E2E#1"}]
    });
    let cwt = Value::Map(vec![
        (Value::from(1), Value::from("VN")),
        (Value::from(4), Value::from(expires.timestamp())),
        (Value::from(6), Value::from(issued.timestamp())),
        (
            Value::from(-260),
            Value::Map(vec![(Value::from(1), Value::serialized(&hcert).unwrap())]),
        ),
    ]);
    hc1(&sign1(dsc, cbor(&cwt)))
}

fn trust_list_json(dscs: &[&Dsc]) -> String {
    let certificates: Vec<_> = dscs
        .iter()
        .map(|d| json!({"der": data_encoding::BASE64.encode(&d.der), "country": "VN"}))
        .collect();
    json!({"updated_at": "2026-11-01T00:00:00Z", "certificates": certificates}).to_string()
}

fn record(station: &Station, venue: &str, code: &str) -> serde_json::Value {
    let out = station.ok(&["record", "--venue", venue, "--code", code, "--json"]);
    serde_json::from_str(out.trim()).unwrap()
}

#[test]
fn a_station_verifies_certificates_offline_with_the_trust_list_it_synced() {
    let tmp = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", tmp.path().join("srv.db").display());
    let venue = first_line(&admin(
        &db,
        &[
            "venue",
            "add",
            "--name",
            "Nhà hàng Sen",
            "--category",
            "restaurant",
            "--commune",
            "00001",
            "--province",
            "01",
            "--address",
            "Phúc Xá",
        ],
    ));
    let signer = Dsc::p256(&[]);
    let stranger = Dsc::p256(&[]);

    // A list with one unusable certificate is refused whole, naming it.
    let bad = tmp.path().join("bad.json");
    std::fs::write(
        &bad,
        json!({"certificates": [
            {"der": data_encoding::BASE64.encode(&signer.der)},
            {"der": "AAAA"}
        ]})
        .to_string(),
    )
    .unwrap();
    let out = std::process::Command::new(bin("checkin-server"))
        .args(["admin", "--database", &db, "trust-list", "import"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("certificates[1]"), "{err}");
    assert!(admin(&db, &["trust-list", "show"]).contains("no trust list"));

    let good = tmp.path().join("trust.json");
    std::fs::write(&good, trust_list_json(&[&signer])).unwrap();
    let out = admin(&db, &["trust-list", "import", good.to_str().unwrap()]);
    assert!(out.contains("1 certificates imported"), "{out}");

    let mut server = Server::start(&db, &[]);
    let token = first_line(&admin(
        &db,
        &["enrollment-token", "--venue", &venue, "--no-qr"],
    ));
    let station = Station::new(&tmp.path().join("station"));
    station.ok(&["enroll", "--server", &server.url, "--token", &token]);
    station.ok(&["sync"]);
    let status = station.ok(&["status"]);
    assert!(status.contains("trust list 1 certificates"), "{status}");

    // The network is cut: the server is gone.
    server.kill9();
    let valid = record(&station, &venue, &vaccination(&signer, 30, false));
    assert_eq!(valid["verdict"]["level"], "green", "{valid}");
    assert_eq!(
        valid["subject"],
        json!({"type": "certificate", "certificate": "vaccination"})
    );
    assert!(
        valid.get("raw_code").is_none(),
        "no certificate text: {valid}"
    );
    let text = valid.to_string();
    assert!(!text.contains("Nguyễn") && !text.contains("HC1:"), "{text}");

    let forged = record(&station, &venue, &vaccination(&stranger, 30, false));
    assert_eq!(forged["verdict"]["level"], "red");
    assert_eq!(
        forged["verdict"]["reasons"],
        json!([{"reason": "certificate_invalid", "detail": "unknown_key"}])
    );
    let expired = record(&station, &venue, &vaccination(&signer, 380, true));
    assert_eq!(
        expired["verdict"]["reasons"],
        json!([{"reason": "certificate_invalid", "detail": "expired"}])
    );
    // Vaccinated a week ago: the venue's rule counts from day 14.
    let recent = record(&station, &venue, &vaccination(&signer, 7, false));
    assert_eq!(recent["verdict"]["level"], "red");
    assert_eq!(
        recent["verdict"]["reasons"][0]["detail"]["rule"],
        "vaccination_too_recent"
    );

    // Back online, the check-ins reach the server as they were stored.
    server.restart();
    station.ok(&["sync"]);
    assert_eq!(station.status()["pending"], 0);
    let stats: serde_json::Value = serde_json::from_str(&admin(&db, &["stats", "--json"])).unwrap();
    assert_eq!(stats["checkins"], 4, "{stats}");
}
