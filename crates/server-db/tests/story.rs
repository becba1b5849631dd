//! One storage story, run on SQLite always and on PostgreSQL when
//! `CHECKIN_TEST_POSTGRES_URL` is set (a fresh database is made for the run).

use checkin_core::{
    AdminUnit, DeviceId, Direction, Level, RecordId, RecordKind, ReportFacts, Source, Venue,
    VenueCategory, VenueId,
};
use checkin_server_db::{
    Database, DbError, IncomingRecord, IngestBatch, Ingested, NewDevice, TokenGrant, TokenProblem,
    Units, MAX_PASS_KEYS,
};
use checkin_sync::protocol::{RecordStatus, Scope};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::sync::Arc;

mod common;
use common::fresh_postgres_db;

fn record(venue: &VenueId, body: &str) -> IncomingRecord {
    record_of(RecordKind::Checkin, Some(venue), body)
}

fn record_of(kind: RecordKind, venue: Option<&VenueId>, body: &str) -> IncomingRecord {
    let now = Utc::now().fixed_offset();
    IncomingRecord {
        id: RecordId::new(),
        kind,
        venue_id: venue.cloned(),
        device_time: now,
        body: body.to_string(),
        content_hash: format!("{:064x}", body.len()),
        facts: ReportFacts {
            source: Source::Qr,
            direction: (kind == RecordKind::Checkin).then_some(Direction::In),
            level: Some(Level::Green),
            visit_time: now,
            person_key: None,
            home_commune: None,
        },
    }
}

/// The statuses of an ingest answer, each without a reason.
fn statuses(got: Vec<Ingested>) -> Vec<RecordStatus> {
    got.into_iter()
        .map(|i| {
            assert_eq!(i.reason, None, "{i:?}");
            i.status
        })
        .collect()
}

async fn story(db: Arc<dyn Database>) {
    db.ping().await.unwrap();
    let units = Units::from_dvhcvn_json(
        r#"{"data":[{"level1_id":"38","name":"Tỉnh Thanh Hóa","type":"Tỉnh",
        "level2s":[{"level2_id":"387","name":"Huyện Quan Sơn","type":"Huyện",
        "level3s":[{"level3_id":"14995","name":"Xã Trung Xuân","type":"Xã"},
                   {"level3_id":"14998","name":"Xã Trung Thượng","type":"Xã"}]}]}]}"#,
    )
    .unwrap();
    assert!(db.units().await.unwrap().is_empty());
    let v0 = db.units_version().await.unwrap();
    let n = db.import_units(&units).await.unwrap();
    assert_eq!((n.provinces, n.districts, n.communes), (1, 1, 2));
    let v1 = db.units_version().await.unwrap();
    // Importing again updates in place, and changes the version.
    db.import_units(&units).await.unwrap();
    let v2 = db.units_version().await.unwrap();
    assert!(v0 != v1 && v1 != v2 && v0 != v2, "{v0} {v1} {v2}");
    let unit = |code: &str, parent: Option<&str>, name: &str, kind: &str| AdminUnit {
        code: code.into(),
        parent: parent.map(Into::into),
        name: name.into(),
        kind: kind.into(),
    };
    assert_eq!(
        db.units().await.unwrap(),
        [
            unit("38", None, "Tỉnh Thanh Hóa", "Tỉnh"),
            unit("387", Some("38"), "Huyện Quan Sơn", "Huyện"),
            unit("14995", Some("387"), "Xã Trung Xuân", "Xã"),
            unit("14998", Some("387"), "Xã Trung Thượng", "Xã"),
        ]
    );
    assert_eq!(
        db.commune("14998").await.unwrap().unwrap().province_code,
        "38"
    );
    assert!(db.commune("99999").await.unwrap().is_none());

    let venue = Venue {
        id: "38-14995-AAAAAA".parse().unwrap(),
        name: "Trạm y tế xã Trung Xuân".into(),
        category: VenueCategory::Clinic,
        commune_code: "14995".into(),
        address: "Bản Xuân".into(),
    };
    db.add_venue(&venue, "38").await.unwrap();
    assert!(matches!(
        db.add_venue(&venue, "38").await,
        Err(DbError::Duplicate(_))
    ));
    let other = Venue {
        id: "38-14998-BBBBBB".parse().unwrap(),
        commune_code: "14998".into(),
        ..venue.clone()
    };
    db.add_venue(&other, "38").await.unwrap();
    assert_eq!(db.venue(&venue.id).await.unwrap().unwrap(), venue);
    let in_commune = db
        .venues_in_scope(
            &Scope::Commune {
                commune_code: "14998".into(),
            },
            "38",
        )
        .await
        .unwrap();
    assert_eq!(in_commune, vec![other.clone()]);

    let now = Utc::now();
    let grant = TokenGrant {
        token_hash: "h1".into(),
        scope: Scope::Venue {
            venue_id: venue.id.clone(),
        },
        province_code: "38".into(),
        created_at: now,
        expires_at: now + Duration::hours(1),
    };
    db.add_enrollment_token(&grant).await.unwrap();
    db.add_enrollment_token(&TokenGrant {
        token_hash: "h2".into(),
        expires_at: now - Duration::seconds(1),
        ..grant.clone()
    })
    .await
    .unwrap();
    let dev = NewDevice {
        id: DeviceId::new(),
        credential_hash: "c1".into(),
        label: Some("door".into()),
        proof_hash: None,
        pass_key: Some(KEY_1.into()),
    };
    assert_eq!(
        db.enroll("nope", &dev, now).await.unwrap(),
        Err(TokenProblem::Unknown)
    );
    assert_eq!(
        db.enroll("h2", &dev, now).await.unwrap(),
        Err(TokenProblem::Expired)
    );
    let device = db.enroll("h1", &dev, now).await.unwrap().unwrap();
    assert_eq!(device.province_code, "38");
    assert_eq!(
        db.enroll("h1", &dev, now).await.unwrap(),
        Err(TokenProblem::Used)
    );
    assert_eq!(
        db.device_by_credential("c1").await.unwrap(),
        Some(device.clone())
    );
    // Another token cannot take the device id over without its credential,
    // and a refused attempt leaves the token unused.
    db.add_enrollment_token(&TokenGrant {
        token_hash: "h3".into(),
        ..grant.clone()
    })
    .await
    .unwrap();
    assert_eq!(db.pass_keys("38", MAX_PASS_KEYS).await.unwrap(), [KEY_1]);
    let thief = NewDevice {
        credential_hash: "evil".into(),
        proof_hash: Some("wrong".into()),
        pass_key: Some(KEY_EVIL.into()),
        ..dev.clone()
    };
    assert_eq!(
        db.enroll("h3", &thief, now).await.unwrap(),
        Err(TokenProblem::DeviceTaken)
    );
    assert_eq!(db.device_by_credential("evil").await.unwrap(), None);
    assert_eq!(db.pass_keys("38", MAX_PASS_KEYS).await.unwrap(), [KEY_1]);
    // Re-enrolling replaces the device's pass key.
    let owner = NewDevice {
        credential_hash: "c1b".into(),
        proof_hash: Some("c1".into()),
        pass_key: Some(KEY_2.into()),
        ..dev.clone()
    };
    db.enroll("h3", &owner, now).await.unwrap().unwrap();
    assert_eq!(db.pass_keys("38", MAX_PASS_KEYS).await.unwrap(), [KEY_2]);
    assert_eq!(db.device_by_credential("c1").await.unwrap(), None);
    let device = db.device_by_credential("c1b").await.unwrap().unwrap();
    assert_eq!(db.device_by_credential("c2").await.unwrap(), None);

    pass_keys_of_a_province(db.as_ref(), &grant).await;

    // Ingest: new, resend, conflict, and the same id twice in one batch.
    let a = record(&venue.id, r#"{"a":1}"#);
    let b = record(&venue.id, r#"{"b":22}"#);
    let batch = |records: Vec<IncomingRecord>| IngestBatch {
        device_id: device.id,
        province_code: "38".into(),
        received_at: Utc::now(),
        clock_skew_ms: -172_800_000,
        records,
    };
    let got = statuses(db.ingest(&batch(vec![a.clone(), b.clone()])).await.unwrap());
    assert_eq!(got, [RecordStatus::Accepted, RecordStatus::Accepted]);
    let mut changed = a.clone();
    changed.content_hash = "f".repeat(64);
    let c = record(&venue.id, r#"{"c":333}"#);
    let got = statuses(
        db.ingest(&batch(vec![a.clone(), changed, c.clone(), c.clone()]))
            .await
            .unwrap(),
    );
    assert_eq!(
        got,
        [
            RecordStatus::Duplicate,
            RecordStatus::Conflict,
            RecordStatus::Accepted,
            RecordStatus::Duplicate
        ]
    );
    assert!(db.ingest(&batch(vec![])).await.unwrap().is_empty());
    // Quarantines and health updates, with and without a venue.
    let q = record_of(RecordKind::Quarantine, Some(&venue.id), r#"{"q":1}"#);
    let h = record_of(RecordKind::HealthUpdate, None, r#"{"h":1}"#);
    let got = statuses(
        db.ingest(&batch(vec![q.clone(), h.clone(), q.clone()]))
            .await
            .unwrap(),
    );
    assert_eq!(
        got,
        [
            RecordStatus::Accepted,
            RecordStatus::Accepted,
            RecordStatus::Duplicate
        ]
    );

    let stored = db.stored_records().await.unwrap();
    assert_eq!(stored.len(), 5);
    assert!(stored.iter().all(|s| s.clock_skew_ms == -172_800_000));
    assert!(stored.iter().all(|s| s.device_id == device.id));
    let stats = db.stats().await.unwrap();
    assert_eq!(
        (
            stats.venues,
            stats.devices,
            stats.checkins,
            stats.declarations,
            stats.quarantines,
            stats.health_updates,
        ),
        (2, 4, 3, 0, 1, 1)
    );
}

// Pass keys as the sync config carries them (any text: the server checks
// them before storing).
const KEY_1: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
const KEY_2: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb=";
const KEY_3: &str = "+zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz=";
const KEY_EVIL: &str = "EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE=";
const KEY_01: &str = "0101010101010101010101010101010101010101010=";

/// Enrolls three more devices (one older, one without a key, one in another
/// province) beside the one holding KEY_2, and reads the lists.
async fn pass_keys_of_a_province(db: &dyn Database, grant: &TokenGrant) {
    let now = grant.created_at;
    let enroll = |hash: &'static str, province: &'static str, key: Option<&str>, at| {
        let grant = TokenGrant {
            token_hash: hash.into(),
            province_code: province.into(),
            scope: match province {
                "38" => grant.scope.clone(),
                _ => Scope::Commune {
                    commune_code: "00004".into(),
                },
            },
            ..grant.clone()
        };
        let dev = NewDevice {
            id: DeviceId::new(),
            credential_hash: format!("cred-{hash}"),
            label: None,
            proof_hash: None,
            pass_key: key.map(Into::into),
        };
        async move {
            db.add_enrollment_token(&grant).await.unwrap();
            db.enroll(&grant.token_hash, &dev, at)
                .await
                .unwrap()
                .unwrap();
        }
    };
    enroll("k3", "38", Some(KEY_3), now - Duration::minutes(5)).await;
    enroll("k-none", "38", None, now + Duration::minutes(1)).await;
    enroll("k01", "01", Some(KEY_01), now).await;
    // Sorted by byte order ('+' before upper before lower case), whatever the collation.
    assert_eq!(
        db.pass_keys("38", MAX_PASS_KEYS).await.unwrap(),
        [KEY_3, KEY_2]
    );
    assert_eq!(db.pass_keys("01", MAX_PASS_KEYS).await.unwrap(), [KEY_01]);
    assert!(db.pass_keys("99", MAX_PASS_KEYS).await.unwrap().is_empty());
    // Past the limit, the newest enrollments are kept.
    assert_eq!(db.pass_keys("38", 1).await.unwrap(), [KEY_2]);
}

#[tokio::test]
async fn story_on_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("srv.db").display());
    story(checkin_server_db::open(&url).await.unwrap()).await;
    // Reopening applies no migration twice and keeps the data.
    let db = checkin_server_db::open(&url).await.unwrap();
    assert_eq!(db.stats().await.unwrap().checkins, 3);
}

#[tokio::test]
async fn story_on_postgres_when_configured() {
    let Ok(base) = std::env::var("CHECKIN_TEST_POSTGRES_URL") else {
        eprintln!("CHECKIN_TEST_POSTGRES_URL not set: PostgreSQL story skipped");
        return;
    };
    let url = fresh_postgres_db(&base).await;
    story(checkin_server_db::open(&url).await.unwrap()).await;
    let db = checkin_server_db::open(&url).await.unwrap();
    assert_eq!(db.stats().await.unwrap().checkins, 3);
}

/// A record and a device as schema 1 stored them: SQLite kept the device's
/// offset in device_time, PostgreSQL the instant; the body has both.
const SCHEMA_1_ROWS: &str = r#"
    INSERT INTO devices (province_code, id, credential_hash, commune_code, enrolled_at)
        VALUES ('38', '0190c3f4-0000-7000-8000-0000000000d1', 'old-cred', '14995',
                '2024-01-01T00:00:00.000Z');
    INSERT INTO records (province_code, id, kind, device_id, venue_id, device_time,
                         received_at, clock_skew_ms, content_hash, body)
        VALUES ('38', '0190c3f4-0000-7000-8000-000000000001', 'checkin',
                '0190c3f4-0000-7000-8000-0000000000d1', '38-14995-AAAAAA',
                '2024-01-01T06:30:00.123+07:00', '2024-01-01T00:00:01.000Z', 1000,
                'hash', '{"kind":"checkin","subject":{"name":"x\u0000"},"device_time":"2024-01-01T06:30:00.123+07:00"}');"#;

/// Upgrading a store of schema 1 keeps its rows and admits the new kinds.
async fn upgraded_from_schema_1(db: Arc<dyn Database>) {
    let stored = db.stored_records().await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].clock_skew_ms, 1000);
    let device = db.device_by_credential("old-cred").await.unwrap().unwrap();
    assert!(db.pass_keys("38", MAX_PASS_KEYS).await.unwrap().is_empty());
    // Schema 3: the time as a UTC instant, and the date on the device's clock.
    assert_eq!(
        stored[0].device_time,
        "2023-12-31T23:30:00.123Z".parse::<DateTime<Utc>>().unwrap()
    );
    assert_eq!(stored[0].local_date, NaiveDate::from_ymd_opt(2024, 1, 1));
    let got = statuses(
        db.ingest(&IngestBatch {
            device_id: device.id,
            province_code: "38".into(),
            received_at: Utc::now(),
            clock_skew_ms: 0,
            records: vec![
                record_of(RecordKind::Quarantine, None, "{\"q\":2}"),
                record_of(RecordKind::HealthUpdate, None, "{\"h\":2}"),
            ],
        })
        .await
        .unwrap(),
    );
    assert_eq!(got, [RecordStatus::Accepted, RecordStatus::Accepted]);
    let stats = db.stats().await.unwrap();
    assert_eq!(
        (stats.checkins, stats.quarantines, stats.health_updates),
        (1, 1, 1)
    );
    assert!(db.units().await.unwrap().is_empty());
}

#[tokio::test]
async fn sqlite_upgrade_from_schema_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(include_str!(
            "../../../migrations/server/sqlite/0001_init.sql"
        ))
        .unwrap();
        c.execute_batch(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
             INSERT INTO schema_migrations VALUES (1, '2024-01-01T00:00:00Z');",
        )
        .unwrap();
        c.execute_batch(SCHEMA_1_ROWS).unwrap();
    }
    let url = format!("sqlite://{}", path.display());
    upgraded_from_schema_1(checkin_server_db::open(&url).await.unwrap()).await;
    // The rebuilt table is keyed per device (a unique index: rows in a
    // rowid table, schema 13) and has the two tracing indexes.
    let c = rusqlite::Connection::open(&path).unwrap();
    let names = |sql: &str| -> Vec<String> {
        let mut stmt = c.prepare(sql).unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(
        names("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records' ORDER BY name"),
        ["records_by_person", "records_by_venue_visit", "records_key"]
    );
    assert_eq!(
        names("SELECT name FROM pragma_index_info('records_key') ORDER BY seqno"),
        ["province_code", "id", "device_id"]
    );
    let unique: i64 = c
        .query_row(
            "SELECT \"unique\" FROM pragma_index_list('records') WHERE name = 'records_key'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(unique, 1);
}

#[tokio::test]
async fn postgres_upgrade_from_schema_1_when_configured() {
    let Ok(base) = std::env::var("CHECKIN_TEST_POSTGRES_URL") else {
        eprintln!("CHECKIN_TEST_POSTGRES_URL not set: PostgreSQL upgrade skipped");
        return;
    };
    let url = fresh_postgres_db(&base).await;
    {
        let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        let task = tokio::spawn(conn);
        client
            .batch_execute(include_str!(
                "../../../migrations/server/postgres/0001_init.sql"
            ))
            .await
            .unwrap();
        client
            .batch_execute(
                "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL);
                 INSERT INTO schema_migrations VALUES (1, now());",
            )
            .await
            .unwrap();
        client.batch_execute(SCHEMA_1_ROWS).await.unwrap();
        drop(client);
        task.await.unwrap().unwrap();
    }
    upgraded_from_schema_1(checkin_server_db::open(&url).await.unwrap()).await;
}
