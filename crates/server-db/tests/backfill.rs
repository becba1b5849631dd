//! Schema 4 on a database written by schema 3: the records stored before
//! it get their report columns and day counts from their bodies.

use checkin_core::{CheckIn, DeviceId, Direction, Policy, Record, Source};
use checkin_server_db::{IngestStore, SqliteDb};
use rusqlite::{params, Connection};

const SCHEMA_3: [&str; 3] = [
    include_str!("../../../migrations/server/sqlite/0001_init.sql"),
    include_str!("../../../migrations/server/sqlite/0002_passes_quarantine_units.sql"),
    include_str!("../../../migrations/server/sqlite/0003_device_keys_utc_revocation.sql"),
];

#[tokio::test]
async fn records_stored_before_schema_4_are_counted_by_their_bodies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let device = DeviceId::new();
    let paper = Record::Checkin({
        let mut c = CheckIn::from_code(
            "001098012345|012345678|NGUYỄN VĂN A|15081998|Nam|Hà Nội|25052021",
            "38-14995-AAAAAA".parse().unwrap(),
            Direction::In,
            Source::Paper,
            device,
            "2021-08-20T10:00:00+07:00".parse().unwrap(),
            &Policy::default(),
        )
        .unwrap();
        c.occurred_at = Some("2021-08-09T23:30:00+07:00".parse().unwrap());
        c
    });
    {
        let mut c = Connection::open(&path).unwrap();
        c.execute_batch(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
        )
        .unwrap();
        let tx = c.transaction().unwrap();
        for (i, sql) in SCHEMA_3.iter().enumerate() {
            tx.execute_batch(sql).unwrap();
            tx.execute(
                "INSERT INTO schema_migrations VALUES (?1, '2021-08-01T00:00:00Z')",
                [i as i64 + 1],
            )
            .unwrap();
        }
        tx.execute_batch(
            "INSERT INTO communes VALUES ('38', '387', '14995', 'Xã Trung Xuân', 'Xã');
             INSERT INTO venues VALUES ('38', '38-14995-AAAAAA', 'Chợ', 'market', '14995', '',
                 '2021-08-01T18:00:00.000000Z');",
        )
        .unwrap();
        let body = serde_json::to_string(&paper).unwrap();
        for (id, body) in [
            (paper.id().to_string(), body.as_str()),
            (uuid(), "{\"not\":\"a record\"}"),
        ] {
            tx.execute(
                "INSERT INTO records (province_code, id, kind, device_id, venue_id, device_time,
                     local_date, received_at, clock_skew_ms, content_hash, body)
                 VALUES ('38', ?1, 'checkin', ?2, '38-14995-AAAAAA',
                     '2021-08-20T03:00:00.000000Z', '2021-08-20', '2021-08-20T03:00:01.000000Z',
                     0, 'h', ?3)",
                params![id, device.to_string(), body],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    let db = SqliteDb::open(&path).await.unwrap();
    let stored = db.stored_records().await.unwrap();
    let got = stored.iter().find(|s| s.id == paper.id()).unwrap();
    // Counted on the date written on paper, in Vietnam.
    assert_eq!(got.local_date, "2021-08-09".parse().ok());
    assert_eq!(
        got.visit_time.map(|t| t.to_rfc3339()),
        Some("2021-08-09T16:30:00+00:00".into())
    );
    assert_eq!(got.commune_code.as_deref(), Some("14995"));
    assert_eq!(got.source.as_deref(), Some("paper"));
    assert_eq!(got.person_key.as_deref(), Some("id:001098012345"));
    // The body that is no record keeps empty columns and is not counted.
    let other = stored.iter().find(|s| s.id != paper.id()).unwrap();
    assert_eq!(other.source, None);
    let c = Connection::open(&path).unwrap();
    let counts: Vec<(String, String, String, i64)> = c
        .prepare("SELECT local_date, venue_id, source, n FROM daily_counts")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        counts,
        [(
            "2021-08-09".into(),
            "38-14995-AAAAAA".into(),
            "paper".into(),
            1
        )]
    );
    let registered: String = c
        .query_row("SELECT registered_on FROM venues", [], |r| r.get(0))
        .unwrap();
    // Added at 01:00 on 2 August in Vietnam.
    assert_eq!(registered, "2021-08-02");
}

fn uuid() -> String {
    uuid::Uuid::now_v7().to_string()
}
