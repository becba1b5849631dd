//! `declarant_days` (schema 10) is the declarants counted by commune, first
//! date, received date, first mark and paper, kept by ingest. Random
//! declarations, delivered in random batches (earlier ones arriving later,
//! a person's first mark moving between communes, paper typed in late),
//! must leave it equal to counting `declarants` afresh after every batch,
//! on SQLite and on PostgreSQL when `CHECKIN_TEST_POSTGRES_URL` is set. A
//! store taken back to schema 6 then rebuilds both from the records'
//! bodies (the schema 7 backfill, then schema 10) to the same rows.

use checkin_core::{
    verdict, Address, Birth, Declaration, DeclarationRecord, DeviceId, Exposures, Gender, Policy,
    Record, RecordId, Source, Symptoms, Venue, VenueCategory, VenueId,
};
use checkin_server_db::{Database, IncomingRecord, IngestBatch, NewDevice, TokenGrant, Units};
use checkin_sync::protocol::{RecordStatus, Scope};
use chrono::{DateTime, Duration, TimeZone, Utc};
use std::sync::Arc;

mod common;
use common::fresh_postgres_db;

const COMMUNES: [&str; 3] = ["14995", "14998", "15001"];

/// The table, and the same counted from `declarants`, a row per line; one
/// text for both stores.
const KEPT: &str = "SELECT commune_code || '|' || CAST(first_date AS TEXT) || '|'
        || CAST(received_date AS TEXT) || '|' || CAST(is_first AS TEXT) || '|'
        || CAST(paper AS TEXT) || '|' || CAST(n AS TEXT)
    FROM declarant_days WHERE n <> 0 ORDER BY 1";
const FRESH: &str = "SELECT commune_code || '|' || first || '|' || received || '|' || is_first
        || '|' || paper || '|' || CAST(COUNT(*) AS TEXT)
    FROM (SELECT commune_code, CAST(first_date AS TEXT) AS first,
                 CAST(received_date AS TEXT) AS received, CAST(is_first AS TEXT) AS is_first,
                 CASE WHEN source IN ('paper', 'manual') THEN '1' ELSE '0' END AS paper
          FROM declarants) d
    GROUP BY commune_code, first, received, is_first, paper ORDER BY 1";
/// Every declarant row.
const DECLARANTS: &str = "SELECT commune_code || '|' || person_key || '|' || home_commune || '|'
        || CAST(first_date AS TEXT) || '|' || CAST(received_date AS TEXT) || '|' || source
        || '|' || CAST(last_date AS TEXT) || '|' || CAST(is_first AS TEXT)
    FROM declarants ORDER BY 1";
/// Back to schema 6: what schemas 7 and later made is dropped (a later
/// schema's tables go on this list).
const TO_SCHEMA_6: &str = "DROP TABLE declarant_days; DROP TABLE declarants;
    DROP TABLE populations; DROP TABLE roster; DROP TABLE reported_figures;
    DROP TABLE commune_counts; DROP TABLE server_keys; DROP TABLE trust_list;
    DROP TABLE venue_weeks; DROP INDEX device_days_by_date;
    DELETE FROM schema_migrations WHERE version >= 7;";

/// A small deterministic generator: the test must fail the same way twice.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// Units, a venue per commune and an enrolled device for each.
async fn setup(db: &dyn Database) -> Vec<(VenueId, DeviceId)> {
    let units = Units::from_dvhcvn_json(
        r#"{"data":[{"level1_id":"38","name":"Tỉnh Thanh Hóa","type":"Tỉnh",
        "level2s":[{"level2_id":"387","name":"Huyện Quan Sơn","type":"Huyện",
        "level3s":[{"level3_id":"14995","name":"Xã Trung Xuân","type":"Xã"},
                   {"level3_id":"14998","name":"Xã Trung Thượng","type":"Xã"},
                   {"level3_id":"15001","name":"Xã Trung Tiến","type":"Xã"}]}]}]}"#,
    )
    .unwrap();
    db.import_units(&units).await.unwrap();
    let now = Utc::now();
    let mut out = Vec::new();
    for (i, commune) in COMMUNES.iter().enumerate() {
        let venue = Venue {
            id: format!("38-{commune}-AAAAA{i}").parse().unwrap(),
            name: format!("Trạm y tế {commune}"),
            category: VenueCategory::Clinic,
            commune_code: (*commune).into(),
            address: String::new(),
        };
        db.add_venue(&venue, "38").await.unwrap();
        let token = format!("token-{i}");
        db.add_enrollment_token(&TokenGrant {
            token_hash: token.clone(),
            scope: Scope::Venue {
                venue_id: venue.id.clone(),
            },
            province_code: "38".into(),
            created_at: now,
            expires_at: now + Duration::hours(1),
        })
        .await
        .unwrap();
        let device = DeviceId::new();
        db.enroll(
            &token,
            &NewDevice {
                id: device,
                credential_hash: format!("cred-{i}"),
                label: None,
                proof_hash: None,
                pass_key: None,
            },
            now,
        )
        .await
        .unwrap()
        .unwrap();
        out.push((venue.id, device));
    }
    out
}

/// A declaration made at `at` (typed in from paper when `source` says so).
fn declaration(
    person: u64,
    venue: &VenueId,
    device: DeviceId,
    at: DateTime<Utc>,
    source: Source,
) -> IncomingRecord {
    let declaration = Declaration {
        full_name: format!("Người {person}"),
        id_number: Some(format!("0010980{person:05}")),
        birth: Birth::Year(1990),
        gender: Gender::Female,
        nationality: "VN".into(),
        phone: String::new(),
        email: None,
        address: Address {
            province_code: "38".into(),
            district_code: String::new(),
            commune_code: COMMUNES[person as usize % 3].into(),
            street: String::new(),
        },
        places_visited: vec![],
        symptoms: Symptoms::default(),
        exposures: Exposures::default(),
        consent: true,
    };
    let at = at.fixed_offset();
    let record = Record::Declaration(DeclarationRecord {
        id: RecordId::new(),
        device_seq: 1,
        venue_id: Some(venue.clone()),
        source,
        device_id: device,
        device_time: at,
        occurred_at: None,
        verdict: verdict(&declaration, &Policy::default()),
        declaration,
    });
    let body = serde_json::to_string(&record).unwrap();
    let hash = format!("{:064x}", body.len());
    IncomingRecord::of(&record, body, hash)
}

/// Ingests `batches` random batches and after each compares the kept
/// counts with fresh ones read by `read`.
async fn random_story<F, Fut>(db: Arc<dyn Database>, seed: u64, batches: usize, read: F)
where
    F: Fn(&'static str) -> Fut,
    Fut: std::future::Future<Output = Vec<String>>,
{
    let places = setup(db.as_ref()).await;
    let mut rng = Lcg(seed);
    // 1 August 2021, 08:00 in Vietnam.
    let day0 = Utc.with_ymd_and_hms(2021, 8, 1, 1, 0, 0).unwrap();
    let sources = [Source::Kiosk, Source::Qr, Source::Paper, Source::Manual];
    for b in 0..batches {
        let (venue, device) = &places[rng.below(3) as usize];
        let received = day0 + Duration::days(rng.below(20) as i64);
        let records = (0..1 + rng.below(6))
            .map(|_| {
                // Mostly before it arrives, sometimes dated later (a wrong
                // clock or a paper form dated ahead).
                let at = received - Duration::days(rng.below(9) as i64)
                    + Duration::days(i64::from(rng.below(8) == 0) * 3);
                let source = sources[rng.below(4) as usize];
                declaration(rng.below(8), venue, *device, at, source)
            })
            .collect();
        let got = db
            .ingest(&IngestBatch {
                device_id: *device,
                province_code: "38".into(),
                received_at: received,
                clock_skew_ms: 0,
                records,
            })
            .await
            .unwrap();
        assert!(
            got.iter().all(|g| g.status == RecordStatus::Accepted),
            "{got:?}"
        );
        let kept = read(KEPT).await;
        let fresh = read(FRESH).await;
        assert_eq!(kept, fresh, "seed {seed}, after batch {b}");
    }
    assert!(!read(KEPT).await.is_empty());
}

#[tokio::test]
async fn kept_counts_equal_fresh_ones_on_sqlite() {
    for seed in 1..=6 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("srv.db");
        let url = format!("sqlite://{}", path.display());
        let read = |sql: &'static str| {
            let path = path.clone();
            async move {
                let c = rusqlite::Connection::open(&path).unwrap();
                let mut q = c.prepare(sql).unwrap();
                q.query_map([], |r| r.get(0))
                    .unwrap()
                    .map(Result::unwrap)
                    .collect::<Vec<String>>()
            }
        };
        random_story(checkin_server_db::open(&url).await.unwrap(), seed, 40, read).await;
        if seed == 1 {
            let before = (read(DECLARANTS).await, read(KEPT).await);
            assert!(before.0.len() > 3, "{before:?}");
            rusqlite::Connection::open(&path)
                .unwrap()
                .execute_batch(TO_SCHEMA_6)
                .unwrap();
            checkin_server_db::open(&url).await.unwrap();
            assert_eq!((read(DECLARANTS).await, read(KEPT).await), before);
        }
    }
}

#[tokio::test]
async fn kept_counts_equal_fresh_ones_on_postgres_when_configured() {
    let Ok(base) = std::env::var("CHECKIN_TEST_POSTGRES_URL") else {
        eprintln!("CHECKIN_TEST_POSTGRES_URL not set: PostgreSQL declarant_days test skipped");
        return;
    };
    for seed in 1..=2 {
        let url = fresh_postgres_db(&base).await;
        let db = checkin_server_db::open(&url).await.unwrap();
        let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        let client = Arc::new(client);
        let read = |sql: &'static str| {
            let client = client.clone();
            async move {
                client
                    .query(sql, &[])
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| r.get(0))
                    .collect::<Vec<String>>()
            }
        };
        random_story(db, seed, 40, read).await;
        if seed == 1 {
            let before = (read(DECLARANTS).await, read(KEPT).await);
            assert!(before.0.len() > 3, "{before:?}");
            client.batch_execute(TO_SCHEMA_6).await.unwrap();
            checkin_server_db::open(&url).await.unwrap();
            assert_eq!((read(DECLARANTS).await, read(KEPT).await), before);
        }
    }
}
