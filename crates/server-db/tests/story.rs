//! One storage story, run on SQLite always and on PostgreSQL when
//! `CHECKIN_TEST_POSTGRES_URL` is set (a fresh database is made for the run).

use checkin_core::{DeviceId, RecordId, RecordKind, Venue, VenueCategory, VenueId};
use checkin_server_db::{
    Database, DbError, IncomingRecord, IngestBatch, NewDevice, TokenGrant, TokenProblem, Units,
};
use checkin_sync::protocol::{RecordStatus, Scope};
use chrono::{Duration, Utc};
use std::sync::Arc;

fn record(venue: &VenueId, body: &str) -> IncomingRecord {
    IncomingRecord {
        id: RecordId::new(),
        kind: RecordKind::Checkin,
        venue_id: Some(venue.clone()),
        device_time: Utc::now().fixed_offset(),
        body: body.to_string(),
        content_hash: format!("{:064x}", body.len()),
    }
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
    let n = db.import_units(&units).await.unwrap();
    assert_eq!((n.provinces, n.districts, n.communes), (1, 1, 2));
    // Importing again updates in place.
    db.import_units(&units).await.unwrap();
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
    let thief = NewDevice {
        credential_hash: "evil".into(),
        proof_hash: Some("wrong".into()),
        ..dev.clone()
    };
    assert_eq!(
        db.enroll("h3", &thief, now).await.unwrap(),
        Err(TokenProblem::DeviceTaken)
    );
    assert_eq!(db.device_by_credential("evil").await.unwrap(), None);
    let owner = NewDevice {
        credential_hash: "c1b".into(),
        proof_hash: Some("c1".into()),
        ..dev.clone()
    };
    db.enroll("h3", &owner, now).await.unwrap().unwrap();
    assert_eq!(db.device_by_credential("c1").await.unwrap(), None);
    let device = db.device_by_credential("c1b").await.unwrap().unwrap();
    assert_eq!(db.device_by_credential("c2").await.unwrap(), None);

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
    let got = db.ingest(&batch(vec![a.clone(), b.clone()])).await.unwrap();
    assert_eq!(got, [RecordStatus::Accepted, RecordStatus::Accepted]);
    let mut changed = a.clone();
    changed.content_hash = "f".repeat(64);
    let c = record(&venue.id, r#"{"c":333}"#);
    let got = db
        .ingest(&batch(vec![a.clone(), changed, c.clone(), c.clone()]))
        .await
        .unwrap();
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

    let stored = db.stored_records().await.unwrap();
    assert_eq!(stored.len(), 3);
    assert!(stored.iter().all(|s| s.clock_skew_ms == -172_800_000));
    assert!(stored.iter().all(|s| s.device_id == device.id));
    let stats = db.stats().await.unwrap();
    assert_eq!(
        (
            stats.venues,
            stats.devices,
            stats.checkins,
            stats.declarations
        ),
        (2, 1, 3, 0)
    );
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

/// Creates an empty database next to the one in `base` and returns its URL.
async fn fresh_postgres_db(base: &str) -> String {
    let (client, conn) = tokio_postgres::connect(base, tokio_postgres::NoTls)
        .await
        .expect("connect to CHECKIN_TEST_POSTGRES_URL");
    tokio::spawn(conn);
    let name = format!("checkin_story_{}", uuid::Uuid::now_v7().simple());
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let (head, _) = base.rsplit_once('/').expect("URL ends in /DBNAME");
    let tail = base.rsplit_once('/').unwrap().1;
    let params = tail
        .split_once('?')
        .map(|(_, p)| format!("?{p}"))
        .unwrap_or_default();
    format!("{head}/{name}{params}")
}
