//! The store under abuse (issue 8): record ids squatted by another device,
//! records the database refuses, revocation, device lists, labels, times
//! kept alike on both backends, private files. Every test runs on SQLite,
//! and on PostgreSQL too when `CHECKIN_TEST_POSTGRES_URL` is set.

use checkin_core::{
    DeviceId, Direction, Level, RecordId, RecordKind, ReportFacts, Source, Venue, VenueCategory,
    VenueId,
};
use checkin_server_db::{
    Database, DbError, Device, IncomingRecord, IngestBatch, Ingested, NewDevice, PostgresDb,
    SqliteDb, TokenGrant, TokenProblem, UnitFilter, Units, MAX_PASS_KEYS,
};
use checkin_sync::protocol::{RecordStatus, Scope};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use std::sync::Arc;

mod common;
use common::{fresh_postgres_db, pg_client};

const VENUE: &str = "38-14995-AAAAAA";

/// A store with units of province 38 (district 387, communes 14995 and
/// 14998) and one venue in 14995.
async fn seeded(db: Arc<dyn Database>) -> Arc<dyn Database> {
    let units = Units::from_dvhcvn_json(
        r#"{"data":[{"level1_id":"38","name":"Tỉnh Thanh Hóa","type":"Tỉnh",
        "level2s":[{"level2_id":"387","name":"Huyện Quan Sơn","type":"Huyện",
        "level3s":[{"level3_id":"14995","name":"Xã Trung Xuân","type":"Xã"},
                   {"level3_id":"14998","name":"Xã Trung Thượng","type":"Xã"}]}]}]}"#,
    )
    .unwrap();
    db.import_units(&units).await.unwrap();
    let venue = Venue {
        id: VENUE.parse().unwrap(),
        name: "Trạm y tế".into(),
        category: VenueCategory::Clinic,
        commune_code: "14995".into(),
        address: String::new(),
    };
    db.add_venue(&venue, "38").await.unwrap();
    db
}

/// Fresh stores: SQLite in a file (kept alive by the returned directory),
/// and PostgreSQL when configured.
async fn stores() -> (tempfile::TempDir, Vec<(&'static str, Arc<dyn Database>)>) {
    let dir = tempfile::tempdir().unwrap();
    let sqlite: Arc<dyn Database> =
        Arc::new(SqliteDb::open(&dir.path().join("s.db")).await.unwrap());
    let mut out = vec![("sqlite", seeded(sqlite).await)];
    match std::env::var("CHECKIN_TEST_POSTGRES_URL") {
        Ok(base) => {
            let url = fresh_postgres_db(&base).await;
            let pg: Arc<dyn Database> = Arc::new(PostgresDb::connect(&url).await.unwrap());
            out.push(("postgres", seeded(pg).await));
        }
        Err(_) => eprintln!("CHECKIN_TEST_POSTGRES_URL not set: PostgreSQL runs skipped"),
    }
    (dir, out)
}

/// Makes a token for `scope` in `province` and enrolls a new device with it.
async fn enroll(
    db: &dyn Database,
    scope: Scope,
    province: &str,
    credential: &str,
    label: Option<&str>,
) -> Device {
    let token = format!("token-{credential}");
    add_token(db, &token, scope, province).await;
    let dev = new_device(DeviceId::new(), credential, label);
    db.enroll(&token, &dev, Utc::now()).await.unwrap().unwrap()
}

async fn add_token(db: &dyn Database, token: &str, scope: Scope, province: &str) {
    let now = Utc::now();
    db.add_enrollment_token(&TokenGrant {
        token_hash: token.into(),
        scope,
        province_code: province.into(),
        created_at: now,
        expires_at: now + Duration::hours(1),
    })
    .await
    .unwrap();
}

fn new_device(id: DeviceId, credential: &str, label: Option<&str>) -> NewDevice {
    NewDevice {
        id,
        credential_hash: credential.into(),
        label: label.map(Into::into),
        proof_hash: None,
        pass_key: Some(format!("{:A<43}=", &credential[..credential.len().min(40)])),
    }
}

fn venue_scope() -> Scope {
    Scope::Venue {
        venue_id: VENUE.parse().unwrap(),
    }
}

fn record_at(id: RecordId, body: &str, time: DateTime<FixedOffset>) -> IncomingRecord {
    IncomingRecord {
        id,
        kind: RecordKind::Checkin,
        venue_id: Some(VENUE.parse::<VenueId>().unwrap()),
        device_time: time,
        body: body.to_string(),
        content_hash: format!("{:x}", md5ish(body)),
        facts: ReportFacts {
            source: Source::Qr,
            direction: Some(Direction::In),
            level: Some(Level::Green),
            visit_time: time,
            person_key: None,
            home_commune: None,
        },
    }
}

fn record(id: RecordId, body: &str) -> IncomingRecord {
    record_at(id, body, Utc::now().fixed_offset())
}

/// A stand-in content hash: equal bodies, equal hashes.
fn md5ish(body: &str) -> u128 {
    body.bytes().fold(0xcbf2_9ce4_8422_2325_u128, |h, b| {
        (h ^ u128::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

fn batch(device: &Device, records: Vec<IncomingRecord>) -> IngestBatch {
    IngestBatch {
        device_id: device.id,
        province_code: device.province_code.clone(),
        received_at: Utc::now(),
        clock_skew_ms: 0,
        records,
    }
}

fn statuses(got: &[Ingested]) -> Vec<RecordStatus> {
    got.iter().map(|i| i.status).collect()
}

#[tokio::test]
async fn a_device_cannot_squat_another_devices_record_id() {
    let (_dir, stores) = stores().await;
    for (name, db) in stores {
        let a = enroll(db.as_ref(), venue_scope(), "38", "cred-a", None).await;
        let b = enroll(db.as_ref(), venue_scope(), "38", "cred-b", None).await;
        let id = RecordId::new();
        // B learnt A's record id and sends it first, with other content.
        let got = db
            .ingest(&batch(&b, vec![record(id, "{\"squat\":1}")]))
            .await
            .unwrap();
        assert_eq!(statuses(&got), [RecordStatus::Accepted], "{name}");
        // A's own record is still accepted, then behaves as before per device.
        let mine = record(id, "{\"mine\":1}");
        let got = db.ingest(&batch(&a, vec![mine.clone()])).await.unwrap();
        assert_eq!(statuses(&got), [RecordStatus::Accepted], "{name}");
        let got = db.ingest(&batch(&a, vec![mine.clone()])).await.unwrap();
        assert_eq!(statuses(&got), [RecordStatus::Duplicate], "{name}");
        let got = db
            .ingest(&batch(&a, vec![record(id, "{\"mine\":2}")]))
            .await
            .unwrap();
        assert_eq!(statuses(&got), [RecordStatus::Conflict], "{name}");
        // Neither altered the other's row.
        let stored = db.stored_records().await.unwrap();
        let of = |d: &Device| {
            stored
                .iter()
                .find(|s| s.id == id && s.device_id == d.id)
                .map(|s| s.content_hash.clone())
        };
        assert_eq!(of(&a), Some(mine.content_hash.clone()), "{name}");
        assert_eq!(
            of(&b),
            Some(record(id, "{\"squat\":1}").content_hash),
            "{name}"
        );
    }
}

#[tokio::test]
async fn times_read_back_the_same_from_both_stores() {
    let (_dir, stores) = stores().await;
    // 06:30 on 1 March on a UTC+7 device is still 29 February in UTC, and
    // nanoseconds are more than either store keeps. Reports count by the
    // date in Vietnam, whatever the device's offset: 23:59 on 1 March at
    // UTC-5 is noon on 2 March in Vietnam.
    let t: DateTime<FixedOffset> = "2024-03-01T06:30:00.123456789+07:00".parse().unwrap();
    let late: DateTime<FixedOffset> = "2024-03-01T23:59:59.999999999-05:00".parse().unwrap();
    let ids = [RecordId::new(), RecordId::new()];
    let mut seen = Vec::new();
    for (name, db) in stores {
        let d = enroll(db.as_ref(), venue_scope(), "38", "cred-t", None).await;
        let records = vec![
            record_at(ids[0], "{\"t\":1}", t),
            record_at(ids[1], "{\"t\":2}", late),
        ];
        db.ingest(&batch(&d, records)).await.unwrap();
        let stored = db.stored_records().await.unwrap();
        let read: Vec<_> = ids
            .iter()
            .map(|id| {
                let s = stored.iter().find(|s| s.id == *id).unwrap();
                assert_eq!(s.visit_time, Some(s.device_time), "{name}");
                (s.device_time, s.local_date)
            })
            .collect();
        assert_eq!(
            read,
            [
                (
                    "2024-02-29T23:30:00.123456Z"
                        .parse::<DateTime<Utc>>()
                        .unwrap(),
                    NaiveDate::from_ymd_opt(2024, 3, 1)
                ),
                (
                    "2024-03-02T04:59:59.999999Z"
                        .parse::<DateTime<Utc>>()
                        .unwrap(),
                    NaiveDate::from_ymd_opt(2024, 3, 2)
                ),
            ],
            "{name}"
        );
        seen.push(read);
    }
    // Equal across backends (trivially so when only SQLite ran).
    assert!(seen.windows(2).all(|w| w[0] == w[1]));
}

#[tokio::test]
async fn sqlite_keeps_utc_text_that_sorts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let db = seeded(Arc::new(SqliteDb::open(&path).await.unwrap())).await;
    let d = enroll(db.as_ref(), venue_scope(), "38", "cred-s", None).await;
    let t: DateTime<FixedOffset> = "2024-03-01T06:30:00+07:00".parse().unwrap();
    db.ingest(&batch(&d, vec![record_at(RecordId::new(), "{}", t)]))
        .await
        .unwrap();
    let c = rusqlite::Connection::open(&path).unwrap();
    let (time, date): (String, String) = c
        .query_row("SELECT device_time, local_date FROM records", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(
        (time.as_str(), date.as_str()),
        ("2024-02-29T23:30:00.000000Z", "2024-03-01")
    );
}

/// A record the database refuses, set up per backend: SQLite and
/// PostgreSQL triggers that refuse one body as a constraint would.
async fn refuse_poison(name: &str, db_path: &std::path::Path, pg_url: Option<&str>, errcode: &str) {
    match name {
        "sqlite" => {
            let c = rusqlite::Connection::open(db_path).unwrap();
            c.execute_batch(
                "CREATE TRIGGER poison BEFORE INSERT ON records WHEN NEW.body = '{\"poison\":1}'
                 BEGIN SELECT RAISE(ABORT, 'poison refused'); END;",
            )
            .unwrap();
        }
        _ => {
            let client = pg_client(pg_url.unwrap()).await;
            client
                .batch_execute(&format!(
                    "CREATE OR REPLACE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$
                     BEGIN
                         IF NEW.body = '{{\"poison\":1}}' THEN
                             RAISE EXCEPTION 'poison refused' USING ERRCODE = '{errcode}';
                         END IF;
                         RETURN NEW;
                     END $$;
                     DROP TRIGGER IF EXISTS poison ON records;
                     CREATE TRIGGER poison BEFORE INSERT ON records
                         FOR EACH ROW EXECUTE FUNCTION poison();"
                ))
                .await
                .unwrap();
        }
    }
}

/// The stores of [`stores`], with what a test needs to reach them directly.
async fn stores_with_urls() -> (
    tempfile::TempDir,
    Vec<(&'static str, Arc<dyn Database>, Option<String>)>,
) {
    let dir = tempfile::tempdir().unwrap();
    let sqlite: Arc<dyn Database> =
        Arc::new(SqliteDb::open(&dir.path().join("s.db")).await.unwrap());
    let mut out = vec![("sqlite", seeded(sqlite).await, None)];
    if let Ok(base) = std::env::var("CHECKIN_TEST_POSTGRES_URL") {
        let url = fresh_postgres_db(&base).await;
        let pg: Arc<dyn Database> = Arc::new(PostgresDb::connect(&url).await.unwrap());
        out.push(("postgres", seeded(pg).await, Some(url)));
    } else {
        eprintln!("CHECKIN_TEST_POSTGRES_URL not set: PostgreSQL runs skipped");
    }
    (dir, out)
}

#[tokio::test]
async fn a_record_the_database_refuses_does_not_sink_its_batch() {
    let (dir, stores) = stores_with_urls().await;
    for (name, db, url) in stores {
        let d = enroll(db.as_ref(), venue_scope(), "38", "cred-p", None).await;
        let stored_before = record(RecordId::new(), "{\"before\":1}");
        db.ingest(&batch(&d, vec![stored_before.clone()]))
            .await
            .unwrap();
        // check_violation: a constraint refusing this one record's data.
        refuse_poison(name, &dir.path().join("s.db"), url.as_deref(), "23514").await;
        let (good, poison) = (
            record(RecordId::new(), "{\"good\":1}"),
            record(RecordId::new(), "{\"poison\":1}"),
        );
        let changed = record(stored_before.id, "{\"before\":2}");
        let got = db
            .ingest(&batch(
                &d,
                vec![
                    stored_before.clone(),
                    poison.clone(),
                    good.clone(),
                    good.clone(),
                    changed,
                ],
            ))
            .await
            .unwrap();
        assert_eq!(
            statuses(&got),
            [
                RecordStatus::Duplicate,
                RecordStatus::Rejected,
                RecordStatus::Accepted,
                RecordStatus::Duplicate,
                RecordStatus::Conflict,
            ],
            "{name}: {got:?}"
        );
        let reason = got[1].reason.as_deref().unwrap();
        assert!(reason.starts_with("storage_rejected: "), "{name}: {reason}");
        assert!(
            !reason.contains("poison"),
            "{name}: the reason quotes no data: {reason}"
        );
        assert!(
            got.iter()
                .enumerate()
                .all(|(i, g)| (i == 1) == g.reason.is_some()),
            "{got:?}"
        );
        let stored = db.stored_records().await.unwrap();
        assert_eq!(stored.len(), 2, "{name}");
        assert!(stored.iter().any(|s| s.id == good.id), "{name}");
        assert!(!stored.iter().any(|s| s.id == poison.id), "{name}");
    }
}

#[tokio::test]
async fn postgres_out_of_range_time_is_rejected_alone_and_other_errors_fail_the_batch() {
    let Ok(base) = std::env::var("CHECKIN_TEST_POSTGRES_URL") else {
        eprintln!("CHECKIN_TEST_POSTGRES_URL not set: PostgreSQL run skipped");
        return;
    };
    let url = fresh_postgres_db(&base).await;
    let db = seeded(Arc::new(PostgresDb::connect(&url).await.unwrap())).await;
    let d = enroll(db.as_ref(), venue_scope(), "38", "cred-r", None).await;
    // Year −5000: beyond timestamptz (SQLSTATE 22008), as the issue found.
    let ancient: DateTime<FixedOffset> = "2024-01-01T00:00:00Z"
        .parse::<DateTime<FixedOffset>>()
        .unwrap()
        - Duration::days(365 * 7024);
    let (a, b) = (
        record(RecordId::new(), "{\"a\":1}"),
        record(RecordId::new(), "{\"b\":1}"),
    );
    let got = db
        .ingest(&batch(
            &d,
            vec![
                a.clone(),
                record_at(RecordId::new(), "{\"old\":1}", ancient),
                b.clone(),
            ],
        ))
        .await
        .unwrap();
    assert_eq!(
        statuses(&got),
        [
            RecordStatus::Accepted,
            RecordStatus::Rejected,
            RecordStatus::Accepted
        ]
    );
    assert_eq!(
        got[1].reason.as_deref(),
        Some("storage_rejected: the database cannot store this record (SQLSTATE 22008)")
    );
    // An error that is not about the record's data (here: a serialization
    // failure, 40001) fails the whole batch, which stays unstored: the
    // device sends it again.
    refuse_poison("postgres", std::path::Path::new(""), Some(&url), "40001").await;
    let c = record(RecordId::new(), "{\"c\":1}");
    let err = db
        .ingest(&batch(
            &d,
            vec![c.clone(), record(RecordId::new(), "{\"poison\":1}")],
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, DbError::Postgres(_)), "{err}");
    // The log line names the SQLSTATE and message, never "db error" alone.
    assert_eq!(err.to_string(), "postgres: poison refused (SQLSTATE 40001)");
    assert!(!db
        .stored_records()
        .await
        .unwrap()
        .iter()
        .any(|s| s.id == c.id));
}

#[tokio::test]
async fn revoked_devices_are_told_apart_and_can_be_enrolled_again() {
    let (_dir, stores) = stores().await;
    for (name, db) in stores {
        let d = enroll(db.as_ref(), venue_scope(), "38", "cred-v", Some("door")).await;
        let other = enroll(db.as_ref(), venue_scope(), "38", "cred-w", None).await;
        assert_eq!(d.revoked_at, None);
        assert_eq!(
            db.pass_keys("38", MAX_PASS_KEYS).await.unwrap().len(),
            2,
            "{name}"
        );
        let at = "2026-01-02T03:04:05Z".parse::<DateTime<Utc>>().unwrap();
        assert!(db.revoke_device(&d.id, at).await.unwrap(), "{name}");
        // Again: already revoked, the first time is kept.
        assert!(
            !db.revoke_device(&d.id, at + Duration::hours(1))
                .await
                .unwrap(),
            "{name}"
        );
        assert!(
            matches!(
                db.revoke_device(&DeviceId::new(), at).await,
                Err(DbError::NotFound(_))
            ),
            "{name}"
        );
        let found = db.device_by_credential("cred-v").await.unwrap().unwrap();
        assert_eq!(found.revoked_at, Some(at), "{name}");
        assert_eq!(
            db.device_by_credential("cred-w")
                .await
                .unwrap()
                .unwrap()
                .revoked_at,
            None
        );
        // Its pass key is no longer handed to other stations.
        assert_eq!(
            db.pass_keys("38", MAX_PASS_KEYS).await.unwrap().len(),
            1,
            "{name}"
        );
        let listed = db.devices(&UnitFilter::All).await.unwrap();
        let of = |id| listed.iter().find(|i| i.id == id).unwrap();
        assert_eq!(
            (of(d.id).revoked_at, of(other.id).revoked_at),
            (Some(at), None),
            "{name}"
        );
        assert_eq!(of(d.id).label.as_deref(), Some("door"));

        // Re-enrolled with a new token and no proof (its credential is what
        // was lost): the revocation is lifted, the old credential is gone.
        add_token(db.as_ref(), "token-again", venue_scope(), "38").await;
        let again = db
            .enroll(
                "token-again",
                &new_device(d.id, "cred-v2", None),
                Utc::now(),
            )
            .await
            .unwrap()
            .unwrap();
        assert_eq!((again.id, again.revoked_at), (d.id, None), "{name}");
        assert_eq!(
            db.device_by_credential("cred-v").await.unwrap(),
            None,
            "{name}"
        );
        assert_eq!(
            db.device_by_credential("cred-v2").await.unwrap(),
            Some(again),
            "{name}"
        );
        // Enrolled again, it needs its credential to be re-enrolled once more.
        add_token(db.as_ref(), "token-thief", venue_scope(), "38").await;
        assert_eq!(
            db.enroll("token-thief", &new_device(d.id, "cred-x", None), Utc::now())
                .await
                .unwrap(),
            Err(TokenProblem::DeviceTaken),
            "{name}"
        );
    }
}

#[tokio::test]
async fn devices_are_listed_by_the_unit_their_scope_lies_in() {
    let (_dir, stores) = stores().await;
    for (name, db) in stores {
        let at_venue = enroll(db.as_ref(), venue_scope(), "38", "cred-1", None).await;
        let commune = Scope::Commune {
            commune_code: "14998".into(),
        };
        let in_commune = enroll(db.as_ref(), commune, "38", "cred-2", None).await;
        let hanoi = Scope::Commune {
            commune_code: "00004".into(),
        };
        let elsewhere = enroll(db.as_ref(), hanoi, "01", "cred-3", None).await;
        let ids = |filter: &str| {
            let db = db.clone();
            let filter = filter.to_string();
            async move {
                let f = if filter.is_empty() {
                    UnitFilter::All
                } else {
                    UnitFilter::from_code(&filter).unwrap()
                };
                let mut ids: Vec<String> = db
                    .devices(&f)
                    .await
                    .unwrap()
                    .iter()
                    .map(|d| d.id.to_string())
                    .collect();
                // Province first: the rest (same enrollment millisecond) is compared as a set.
                let first = ids.len().min(1);
                ids[first..].sort();
                ids
            }
        };
        let sorted = |mut v: Vec<DeviceId>| {
            let mut v: Vec<String> = v.drain(..).map(|d| d.to_string()).collect();
            let first = v.len().min(1);
            v[first..].sort();
            v
        };
        assert_eq!(
            ids("").await,
            sorted(vec![elsewhere.id, at_venue.id, in_commune.id]),
            "{name}"
        );
        let mut both = vec![at_venue.id.to_string(), in_commune.id.to_string()];
        both.sort();
        assert_eq!(ids("38").await, both, "{name}");
        assert_eq!(ids("387").await, both, "{name}");
        assert_eq!(ids("14995").await, [at_venue.id.to_string()], "{name}");
        assert_eq!(ids("14998").await, [in_commune.id.to_string()], "{name}");
        assert_eq!(ids(VENUE).await, [at_venue.id.to_string()], "{name}");
        assert_eq!(ids("01").await, [elsewhere.id.to_string()], "{name}");
        assert!(ids("02").await.is_empty(), "{name}");
        let info = &db
            .devices(&UnitFilter::Province("01".into()))
            .await
            .unwrap()[0];
        assert_eq!(
            (
                info.last_seen_at,
                info.last_skew_ms,
                info.province_code.as_str()
            ),
            (None, None, "01")
        );
        // Contact is recorded by a batch.
        db.ingest(&IngestBatch {
            clock_skew_ms: -1500,
            ..batch(&elsewhere, vec![])
        })
        .await
        .unwrap();
        let info = &db
            .devices(&UnitFilter::Province("01".into()))
            .await
            .unwrap()[0];
        assert_eq!(info.last_skew_ms, Some(-1500), "{name}");
        assert!(info.last_seen_at.is_some(), "{name}");
    }
    for bad in ["", "1", "1234", "123456", "x y", "38_14995"] {
        assert!(
            matches!(UnitFilter::from_code(bad), Err(DbError::Invalid(_))),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn labels_with_control_characters_are_invalid_and_spend_no_token() {
    let (_dir, stores) = stores().await;
    for (name, db) in stores {
        add_token(db.as_ref(), "token-l", venue_scope(), "38").await;
        for label in [
            "door\u{0}",
            "bell\u{7}",
            "\u{1b}[31mred",
            "two\nlines",
            "c1\u{85}",
        ] {
            let dev = new_device(DeviceId::new(), "cred-l", Some(label));
            assert!(
                matches!(
                    db.enroll("token-l", &dev, Utc::now()).await,
                    Err(DbError::Invalid(_))
                ),
                "{name}: {label:?}"
            );
        }
        let dev = new_device(DeviceId::new(), "cred-l", Some("Cổng chính — quầy 2"));
        let d = db
            .enroll("token-l", &dev, Utc::now())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(d.label.as_deref(), Some("Cổng chính — quầy 2"), "{name}");
    }
}

#[cfg(unix)]
#[tokio::test]
async fn sqlite_files_are_private_to_their_owner() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fresh.db");
    let db = seeded(Arc::new(SqliteDb::open(&path).await.unwrap())).await;
    enroll(db.as_ref(), venue_scope(), "38", "cred-f", None).await;
    let wal = dir.path().join("fresh.db-wal");
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&wal), 0o600);
    assert_eq!(mode(&dir.path().join("fresh.db-shm")), 0o600);
    drop(db);

    // A file left readable by others (as before this fix) is tightened.
    let old = dir.path().join("old.db");
    rusqlite::Connection::open(&old).unwrap();
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
    let db = SqliteDb::open(&old).await.unwrap();
    assert_eq!(mode(&old), 0o600);
    drop(db);
}
