//! Contact tracing at the console: `checkin-server report trace-venue` and
//! `trace-person` answer as the dashboard does, on each store, and write
//! each lookup to the audit log as `(admin CLI)` before printing it; a
//! lookup without a reason, or whose audit entry cannot be written,
//! prints nothing.

use checkin_core::{CheckIn, DeviceId, Direction, Policy, Record, Source, Venue, VenueCategory};
use checkin_server_db::{AuditEntry, VenueRegistration};
use checkin_server_db::{Database, IncomingRecord, IngestBatch, NewDevice, TokenGrant};
use checkin_sync::protocol::Scope;
use chrono::{DateTime, Duration, Utc};
use std::process::{Command, Output};

mod common;
use common::BIN;

const VENUE: &str = "38-14995-AAAAAA";
const ID_NUMBER: &str = "001098012345";

fn report(db: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("report")
        .args(args)
        .args(["--database", db])
        .env("RUST_LOG", "warn")
        .output()
        .expect("spawn checkin-server")
}

/// A venue of commune 14995 with a station that recorded NGUYỄN VĂN A
/// in at 08:00 and out at 09:00 on 9 August 2021, and in again at 10:00
/// on the 10th (no exit).
async fn story(db: &dyn Database) {
    let venue: checkin_core::VenueId = VENUE.parse().unwrap();
    db.add_venues(&[VenueRegistration {
        venue: Venue {
            id: venue.clone(),
            name: "Chợ Trung Xuân".into(),
            category: VenueCategory::Market,
            commune_code: "14995".into(),
            address: String::new(),
        },
        province_code: "38".into(),
        registered_on: "2021-08-02".parse().unwrap(),
    }])
    .await
    .unwrap();
    let now = Utc::now();
    db.add_enrollment_token(&TokenGrant {
        token_hash: "token".into(),
        scope: Scope::Venue {
            venue_id: venue.clone(),
        },
        province_code: "38".into(),
        created_at: now,
        expires_at: now + Duration::hours(1),
    })
    .await
    .unwrap();
    let device = DeviceId::new();
    db.enroll(
        "token",
        &NewDevice {
            id: device,
            credential_hash: "cred".into(),
            label: None,
            proof_hash: None,
            pass_key: None,
        },
        now,
    )
    .await
    .unwrap()
    .unwrap();
    let records: Vec<IncomingRecord> = [
        (Direction::In, "2021-08-09T08:00:00+07:00"),
        (Direction::Out, "2021-08-09T09:00:00+07:00"),
        (Direction::In, "2021-08-10T10:00:00+07:00"),
    ]
    .into_iter()
    .map(|(direction, at)| {
        let r = Record::Checkin(
            CheckIn::from_code(
                &format!("{ID_NUMBER}|012345678|NGUYỄN VĂN A|15081998|Nam|Hà Nội|25052021"),
                venue.clone(),
                direction,
                Source::Qr,
                device,
                DateTime::parse_from_rfc3339(at).unwrap(),
                &Policy::default(),
            )
            .unwrap(),
        );
        let body = serde_json::to_string(&r).unwrap();
        let hash = checkin_server::secrets::hash_hex(body.as_bytes());
        IncomingRecord::of(&r, body, hash)
    })
    .collect();
    db.ingest(&IngestBatch {
        device_id: device,
        province_code: "38".into(),
        received_at: now,
        clock_skew_ms: 0,
        records,
    })
    .await
    .unwrap();
}

/// The province's tracing lookups, oldest first.
async fn lookups(db: &dyn Database) -> Vec<AuditEntry> {
    let mut log: Vec<AuditEntry> = db
        .audit_log("38", 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action.starts_with("trace_"))
        .collect();
    log.reverse();
    log
}

fn stdout(out: &Output) -> String {
    common::stdout_of(out)
}

#[tokio::test]
async fn lookups_at_the_console_are_audited_first_and_answered_as_on_the_dashboard() {
    let dir = tempfile::tempdir().unwrap();
    let mut answers = Vec::new();
    for (name, url) in common::databases(dir.path(), "trace.db").await {
        let db = checkin_server_db::open(&url).await.unwrap();
        story(db.as_ref()).await;
        let window = ["--from", "2021-08-09T08:30", "--to", "2021-08-09T02:30:00Z"];

        let out = report(
            &url,
            &[
                &["trace-venue", "--venue", VENUE][..],
                &window,
                &["--reason", "Ca F0 số 12"],
            ]
            .concat(),
        );
        let j: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(j["venue"]["name"], "Chợ Trung Xuân", "{name}");
        let people = j["people"].as_array().unwrap();
        assert_eq!(people.len(), 1, "{name}: {j}");
        assert_eq!(people[0]["name"], "NGUYỄN VĂN A");
        assert_eq!(people[0]["id_number"], ID_NUMBER);
        assert_eq!(people[0]["entered_at"], "2021-08-09T08:00:00+07:00");
        assert_eq!(people[0]["left_at"], "2021-08-09T09:00:00+07:00");
        assert_eq!(j["stay_minutes"], 120);
        let log = lookups(db.as_ref()).await;
        assert_eq!(log.len(), 1, "{name}");
        assert_eq!(j["audit_id"], log[0].id, "{name}");
        assert_eq!(
            (
                log[0].login.as_str(),
                log[0].area_code.as_str(),
                log[0].action.as_str(),
                log[0].reason.as_str(),
                log[0].results
            ),
            ("(admin CLI)", "38", "trace_venue", "Ca F0 số 12", 1),
            "{name}"
        );
        assert!(log[0].query.contains(VENUE), "{}", log[0].query);

        // The stay of the 10th has no exit: 10:00 plus a 30-minute stay.
        let csv = stdout(&report(
            &url,
            &[
                "trace-venue",
                "--venue",
                VENUE,
                "--from",
                "2021-08-10T10:15",
                "--to",
                "2021-08-10T11:00",
                "--stay-minutes",
                "30",
                "--reason",
                "Ca F0 số 13",
                "--format",
                "csv",
            ],
        ));
        assert_eq!(
            csv,
            "\u{feff}STT,Họ và tên,Số CCCD,Số điện thoại,Giờ vào,Giờ ra,Ghi chú\r\n\
             1,NGUYỄN VĂN A,001098012345,,10/08/2021 10:00,10/08/2021 10:30,giờ ra ước tính\r\n",
            "{name}"
        );

        // The server holds one province: it is the one searched.
        let out = report(
            &url,
            &[
                "trace-person",
                "--id-number",
                ID_NUMBER,
                "--from",
                "2021-08-01T00:00",
                "--to",
                "2021-08-31T23:59",
                "--reason",
                "Ca F0 số 12, F1",
            ],
        );
        let j: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let visits: Vec<(&str, &str)> = j["visits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| (v["at"].as_str().unwrap(), v["direction"].as_str().unwrap()))
            .collect();
        assert_eq!(
            visits,
            [
                ("2021-08-09T08:00:00+07:00", "in"),
                ("2021-08-09T09:00:00+07:00", "out"),
                ("2021-08-10T10:00:00+07:00", "in"),
            ],
            "{name}"
        );
        assert_eq!(j["visits"][0]["venue_name"], "Chợ Trung Xuân");
        // Another district holds none of them.
        let out = report(
            &url,
            &[
                "trace-person",
                "--id-number",
                ID_NUMBER,
                "--unit",
                "388",
                "--from",
                "2021-08-01T00:00",
                "--to",
                "2021-08-31T23:59",
                "--reason",
                "Ca F0 số 30",
                "--format",
                "csv",
            ],
        );
        assert_eq!(
            stdout(&out),
            "\u{feff}STT,Thời gian,Địa điểm,Mã địa điểm,Chiều\r\n"
        );
        let log = lookups(db.as_ref()).await;
        let seen: Vec<(&str, &str, i64)> = log
            .iter()
            .map(|e| (e.action.as_str(), e.reason.as_str(), e.results))
            .collect();
        assert_eq!(
            seen,
            [
                ("trace_venue", "Ca F0 số 12", 1),
                ("trace_venue", "Ca F0 số 13", 1),
                ("trace_person", "Ca F0 số 12, F1", 3),
                ("trace_person", "Ca F0 số 30", 0),
            ],
            "{name}"
        );
        assert!(log[2].query.contains("id:001098012345"), "{}", log[2].query);
        assert!(log.iter().all(|e| e.login == "(admin CLI)"));

        // Refused lookups print nothing, exit 2 and log nothing.
        for (args, want) in [
            (
                vec![
                    "trace-venue",
                    "--venue",
                    VENUE,
                    "--from",
                    "2021-08-09T08:30",
                    "--to",
                    "2021-08-09T09:30",
                ],
                "--reason",
            ),
            (
                vec![
                    "trace-venue",
                    "--venue",
                    VENUE,
                    "--from",
                    "2021-08-09T08:30",
                    "--to",
                    "2021-08-09T09:30",
                    "--reason",
                    "ca",
                ],
                "reason",
            ),
            (
                vec![
                    "trace-venue",
                    "--venue",
                    "38-14995-ZZZZZZ",
                    "--from",
                    "2021-08-09T08:30",
                    "--to",
                    "2021-08-09T09:30",
                    "--reason",
                    "Ca F0 số 12",
                ],
                "unknown venue",
            ),
            (
                vec![
                    "trace-venue",
                    "--venue",
                    VENUE,
                    "--from",
                    "2021-08-09T08:30",
                    "--to",
                    "2021-10-09T09:30",
                    "--reason",
                    "Ca F0 số 12",
                ],
                "31 days",
            ),
            (
                vec![
                    "trace-venue",
                    "--venue",
                    VENUE,
                    "--from",
                    "9/8/2021",
                    "--to",
                    "2021-08-09T09:30",
                    "--reason",
                    "Ca F0 số 12",
                ],
                "not a time",
            ),
            (
                vec![
                    "trace-person",
                    "--id-number",
                    ID_NUMBER,
                    "--phone",
                    "0912345678",
                    "--from",
                    "2021-08-09T08:30",
                    "--to",
                    "2021-08-09T09:30",
                    "--reason",
                    "Ca F0 số 12",
                ],
                "cannot be used with",
            ),
            (
                vec![
                    "trace-person",
                    "--from",
                    "2021-08-09T08:30",
                    "--to",
                    "2021-08-09T09:30",
                    "--reason",
                    "Ca F0 số 12",
                ],
                "ID-card number, phone",
            ),
            (
                vec![
                    "trace-person",
                    "--id-number",
                    ID_NUMBER,
                    "--from",
                    "2021-08-09T08:30",
                    "--to",
                    "2021-08-09T09:30",
                    "--reason",
                    "Ca F0 số 12",
                    "--format",
                    "xlsx",
                    "--output",
                    "/dev/null",
                ],
                "json or csv",
            ),
            (
                vec!["qr-points", "--unit", "387", "--reason", "Ca F0 số 12"],
                "are for trace-venue and trace-person",
            ),
        ] {
            let out = report(&url, &args);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{name}: {args:?}: {err}");
            assert!(err.contains(want), "{name}: {args:?}: {err}");
            assert!(out.stdout.is_empty(), "{name}: {args:?}");
        }
        assert_eq!(lookups(db.as_ref()).await.len(), 4, "{name}");
        answers.push(j);
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "stores differ");
}

#[tokio::test]
async fn nothing_is_printed_when_the_audit_log_cannot_be_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("trace.db");
    let url = format!("sqlite://{}", path.display());
    {
        let db = checkin_server_db::open(&url).await.unwrap();
        db.import_units(&checkin_server_db::Units::from_dvhcvn_json(common::UNITS).unwrap())
            .await
            .unwrap();
        story(db.as_ref()).await;
    }
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER no_audit BEFORE INSERT ON audit_log \
         BEGIN SELECT RAISE(ABORT, 'audit log broken'); END;",
    )
    .unwrap();
    drop(conn);
    let out = report(
        &url,
        &[
            "trace-venue",
            "--venue",
            VENUE,
            "--from",
            "2021-08-09T08:30",
            "--to",
            "2021-08-09T09:30",
            "--reason",
            "Ca F0 số 12",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("NGUYỄN"));
}

#[test]
fn report_help_lists_every_report_with_its_options() {
    let out = Command::new(BIN)
        .args(["report", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let names = checkin_server::reports::Name::ALL
        .iter()
        .map(|n| n.as_str())
        .chain(["trace-venue", "trace-person", "stats"]);
    for name in names {
        let line = help
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{name} ")) || l.trim() == name)
            .unwrap_or_else(|| panic!("{name} is not listed in:\n{help}"));
        if name != "stats" {
            assert!(line.contains("--"), "{name} has no options: {line}");
        }
    }
}
