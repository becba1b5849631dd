//! `venue_weeks` (schema 14): the ISO weeks in which each QR point stored a
//! record. Ingest writes them with the day counts, the migration fills them
//! from the day counts already there, and both must give the same rows, with
//! weeks cut at midnight in Vietnam. SQLite always; PostgreSQL when
//! `CHECKIN_TEST_POSTGRES_URL` is set.

use checkin_core::{
    DeviceId, Direction, IsoWeek, Level, RecordId, RecordKind, ReportFacts, Source, Venue,
    VenueCategory, VenueId,
};
use checkin_server_db::{Area, By, CountQuery, Database, IngestBatch};
use chrono::{DateTime, FixedOffset, Utc};

mod common;
use common::{fresh_postgres_db, pg_client};

const MIGRATION_SQLITE: &str =
    include_str!("../../../migrations/server/sqlite/0014_venue_weeks.sql");
const MIGRATION_POSTGRES: &str =
    include_str!("../../../migrations/server/postgres/0014_venue_weeks.sql");

/// The migration's backfill: its statement that fills the table.
fn backfill(migration: &str) -> &str {
    let at = migration
        .find("INSERT INTO venue_weeks")
        .expect("the migration fills the table");
    let end = at + migration[at..].find(';').expect("a statement") + 1;
    &migration[at..end]
}

fn checkin(venue: &str, kind: RecordKind, at: &str) -> checkin_server_db::IncomingRecord {
    let time: DateTime<FixedOffset> = at.parse().unwrap();
    let body = format!("{{\"at\":\"{at}\",\"venue\":\"{venue}\"}}");
    checkin_server_db::IncomingRecord {
        id: RecordId::new(),
        kind,
        venue_id: Some(venue.parse::<VenueId>().unwrap()),
        device_time: time,
        content_hash: format!("{:064x}", body.len()),
        body,
        facts: ReportFacts {
            source: Source::Qr,
            direction: (kind == RecordKind::Checkin).then_some(Direction::In),
            level: Some(Level::Green),
            visit_time: time,
            person_key: None,
            home_commune: None,
        },
    }
}

const A: &str = "38-14995-AAAAAA";
const B: &str = "38-14995-BBBBBB";

/// Stores check-ins either side of midnight between Sunday 15 and Monday
/// 16 August 2021 in Vietnam, and a declaration at B a week later.
async fn ingest(db: &dyn Database) {
    for id in [A, B] {
        let venue = Venue {
            id: id.parse().unwrap(),
            name: "Chợ Trung Xuân".into(),
            category: VenueCategory::Market,
            commune_code: "14995".into(),
            address: "Bản Xuân".into(),
        };
        db.add_venue(&venue, "38").await.unwrap();
    }
    let device = DeviceId::new();
    let records = vec![
        // 23:30 on Sunday in Vietnam: week 32.
        checkin(A, RecordKind::Checkin, "2021-08-15T16:30:00Z"),
        // 00:30 on Monday in Vietnam: week 33, though still Sunday in UTC.
        checkin(B, RecordKind::Checkin, "2021-08-15T17:30:00Z"),
        checkin(B, RecordKind::Checkin, "2021-08-16T08:00:00+07:00"),
        checkin(B, RecordKind::Declaration, "2021-08-23T08:00:00+07:00"),
    ];
    db.ingest(&IngestBatch {
        device_id: device,
        province_code: "38".into(),
        received_at: Utc::now(),
        clock_skew_ms: 0,
        records,
    })
    .await
    .unwrap();
}

fn expected() -> Vec<(String, String, String)> {
    [
        ("2021-08-09", "checkin", A),
        ("2021-08-16", "checkin", B),
        ("2021-08-23", "declaration", B),
    ]
    .map(|(w, k, v)| (w.to_string(), k.to_string(), v.to_string()))
    .to_vec()
}

/// The QR points the week's query finds with a check-in.
async fn active(db: &dyn Database, week: &str) -> Vec<String> {
    let week: IsoWeek = week.parse().unwrap();
    let q = CountQuery::ActiveVenues {
        kind: RecordKind::Checkin,
        week,
    };
    let mut got: Vec<String> = db
        .count(&Area::Province("38".into()), By::Venue, &q)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.key)
        .collect();
    got.sort();
    got
}

#[tokio::test]
async fn sqlite_weeks_from_ingest_and_from_the_backfill_agree() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("srv.db");
    let db = checkin_server_db::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap();
    ingest(db.as_ref()).await;
    let c = rusqlite::Connection::open(&path).unwrap();
    let rows = || -> Vec<(String, String, String)> {
        c.prepare("SELECT week, kind, venue_id FROM venue_weeks ORDER BY week, kind, venue_id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(rows(), expected());
    c.execute("DELETE FROM venue_weeks", []).unwrap();
    c.execute_batch(backfill(MIGRATION_SQLITE)).unwrap();
    assert_eq!(rows(), expected());
    weeks_answer(db.as_ref()).await;
}

/// What silent-points asks: who scanned in each week.
async fn weeks_answer(db: &dyn Database) {
    assert_eq!(active(db, "2021-W32").await, [A]);
    assert_eq!(active(db, "2021-W33").await, [B]);
    // A declaration is no scan.
    assert!(active(db, "2021-W34").await.is_empty());
}

#[tokio::test]
async fn postgres_weeks_from_ingest_and_from_the_backfill_agree_when_configured() {
    let Ok(base) = std::env::var("CHECKIN_TEST_POSTGRES_URL") else {
        eprintln!("CHECKIN_TEST_POSTGRES_URL not set: PostgreSQL venue weeks skipped");
        return;
    };
    let url = fresh_postgres_db(&base).await;
    let db = checkin_server_db::open(&url).await.unwrap();
    ingest(db.as_ref()).await;
    let client = pg_client(&url).await;
    let rows = || async {
        client
            .query(
                "SELECT CAST(week AS TEXT), kind, venue_id FROM venue_weeks
                 ORDER BY week, kind, venue_id",
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect::<Vec<(String, String, String)>>()
    };
    assert_eq!(rows().await, expected());
    client
        .batch_execute("DELETE FROM venue_weeks")
        .await
        .unwrap();
    client
        .batch_execute(backfill(MIGRATION_POSTGRES))
        .await
        .unwrap();
    assert_eq!(rows().await, expected());
    weeks_answer(db.as_ref()).await;
}
