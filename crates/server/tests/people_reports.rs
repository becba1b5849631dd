//! The reports that count people: coverage (against imported populations),
//! roster (against imported staff lists) and reconciliation (against
//! imported reported figures), on SQLite and PostgreSQL with the same
//! story and the same answers; the imports' checks; and the purge keeping
//! coverage and the communes' reconciliation.

use checkin_core::{
    verdict, Address, Birth, Declaration, DeclarationRecord, DeviceId, Exposures, Gender, Policy,
    Record, RecordId, Source, Symptoms, Venue, VenueCategory, VenueId,
};
use checkin_server::imports;
use checkin_server::reports::{coverage, reconciliation, roster, UnitIndex};
use checkin_server_db::{Database, IncomingRecord, IngestBatch, Units, VenueRegistration};
use chrono::{DateTime, FixedOffset, NaiveDate};
use std::sync::Arc;

mod common;
use common::{stores, UNITS};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn t(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap()
}

async fn venue(db: &dyn Database, id: &str, commune: &str) -> VenueId {
    let id: VenueId = id.parse().unwrap();
    db.add_venues(&[VenueRegistration {
        venue: Venue {
            id: id.clone(),
            name: format!("Điểm {id}"),
            category: VenueCategory::Clinic,
            commune_code: commune.into(),
            address: String::new(),
        },
        province_code: "38".into(),
        registered_on: d("2021-08-01"),
    }])
    .await
    .unwrap();
    id
}

/// Someone declaring: who (ID-card number or phone), where they live.
struct Person {
    name: &'static str,
    id: Option<&'static str>,
    phone: &'static str,
    home: &'static str,
}

const P1: Person = Person {
    name: "Nguyễn Văn An",
    id: Some("038190000001"),
    phone: "0912000001",
    home: "14995",
};
const P2: Person = Person {
    name: "Lê Thị Bình",
    id: Some("038190000002"),
    phone: "0912000002",
    home: "14995",
};
const P3: Person = Person {
    name: "Phạm Văn Cường",
    id: Some("038190000003"),
    phone: "0912000003",
    home: "14998",
};
const P4: Person = Person {
    name: "Hà Thị Dung",
    id: Some("038190000004"),
    phone: "0912000004",
    home: "15001",
};
const P5: Person = Person {
    name: "Vi Văn Em",
    id: Some("038190000005"),
    phone: "0912000005",
    home: "14998",
};
/// A child's declaration, with no ID-card number: known by phone.
const P6: Person = Person {
    name: "Lò Thị Giang",
    id: None,
    phone: "0912000006",
    home: "14998",
};

fn declaration(p: &Person, venue: &VenueId, source: Source, at: &str) -> Record {
    let declaration = Declaration {
        full_name: p.name.into(),
        id_number: p.id.map(Into::into),
        birth: Birth::Year(1990),
        gender: Gender::Female,
        nationality: "VN".into(),
        phone: p.phone.into(),
        email: None,
        address: Address {
            province_code: "38".into(),
            district_code: String::new(),
            commune_code: p.home.into(),
            street: String::new(),
        },
        places_visited: vec![],
        symptoms: Symptoms::default(),
        exposures: Exposures::default(),
        consent: true,
    };
    // Paper forms are typed in later; the form's time is the visit's.
    let (device_time, occurred_at) = match source {
        Source::Paper => (t("2021-08-20T09:00:00+07:00"), Some(t(at))),
        _ => (t(at), None),
    };
    Record::Declaration(DeclarationRecord {
        id: RecordId::new(),
        device_seq: 1,
        venue_id: Some(venue.clone()),
        source,
        device_id: DeviceId::new(),
        device_time,
        occurred_at,
        verdict: verdict(&declaration, &Policy::default()),
        declaration,
    })
}

/// Stores `records` as one batch that reached the server at `received`.
async fn arrive(db: &dyn Database, device: DeviceId, received: &str, records: &[Record]) {
    let incoming = records
        .iter()
        .map(|r| {
            let body = serde_json::to_string(r).unwrap();
            let hash = checkin_server::secrets::hash_hex(body.as_bytes());
            IncomingRecord::of(r, body, hash)
        })
        .collect();
    db.ingest(&IngestBatch {
        device_id: device,
        province_code: "38".into(),
        received_at: t(received).to_utc(),
        clock_skew_ms: 0,
        records: incoming,
    })
    .await
    .unwrap();
}

const TODAY: &str = "2021-08-25";

async fn story(db: Arc<dyn Database>) -> Arc<dyn Database> {
    db.import_units(&Units::from_dvhcvn_json(UNITS).unwrap())
        .await
        .unwrap();
    let a = venue(db.as_ref(), "38-14995-AAAAAA", "14995").await;
    let c = venue(db.as_ref(), "38-14998-CCCCCC", "14998").await;
    let dv = venue(db.as_ref(), "38-15001-DDDDDD", "15001").await;
    let (da, dc, dd) = (DeviceId::new(), DeviceId::new(), DeviceId::new());
    let at_a = [
        declaration(&P1, &a, Source::Kiosk, "2021-08-09T08:00:00+07:00"),
        // P1 again: still one person.
        declaration(&P1, &a, Source::SelfService, "2021-08-12T08:00:00+07:00"),
        declaration(&P3, &a, Source::Kiosk, "2021-08-11T08:00:00+07:00"),
    ];
    arrive(db.as_ref(), da, "2021-08-12T09:00:00+07:00", &at_a).await;
    // The same batch again (the answer was lost): nothing counts twice.
    arrive(db.as_ref(), da, "2021-08-12T09:05:00+07:00", &at_a).await;
    // A paper form of the 10th, typed in on the 20th.
    let paper = [declaration(
        &P2,
        &a,
        Source::Paper,
        "2021-08-10T07:00:00+07:00",
    )];
    arrive(db.as_ref(), da, "2021-08-20T09:00:00+07:00", &paper).await;
    let at_c = [
        // P3 again, in another commune: counted where first declared.
        declaration(&P3, &c, Source::Kiosk, "2021-08-13T08:00:00+07:00"),
        declaration(&P6, &c, Source::Kiosk, "2021-08-14T08:00:00+07:00"),
    ];
    arrive(db.as_ref(), dc, "2021-08-14T09:00:00+07:00", &at_c).await;
    // A tablet whose clock ran a day ahead: dated the 16th, here on the 15th.
    let ahead = [declaration(
        &P5,
        &c,
        Source::Kiosk,
        "2021-08-16T08:00:00+07:00",
    )];
    arrive(db.as_ref(), dc, "2021-08-15T10:00:00+07:00", &ahead).await;
    // A station offline from the 12th until the 16th.
    let offline = [declaration(
        &P4,
        &dv,
        Source::Kiosk,
        "2021-08-12T08:00:00+07:00",
    )];
    arrive(db.as_ref(), dd, "2021-08-16T08:00:00+07:00", &offline).await;

    let today = d(TODAY);
    imports::import_population(
        db.as_ref(),
        "unit_code,population\n14995,1000\n14998,400\n15001,500\n",
    )
    .await
    .unwrap();
    imports::import_roster(
        db.as_ref(),
        "agency,commune_code,full_name,id_number,phone\n\
         Trạm Y tế xã Trung Xuân,14995,Nguyễn Văn An,038 190 000 001,\n\
         Trạm Y tế xã Trung Xuân,14995,Lê Thị Bình,038190000002,\n\
         Trạm Y tế xã Trung Xuân,14995,Mai Văn Hùng,,0912 000 007\n\
         UBND xã Phú Nghiêm,15001,Hà Thị Dung,,+84912000004\n",
    )
    .await
    .unwrap();
    imports::import_reported(
        db.as_ref(),
        "unit_code,agency,date,reported\n\
         14995,,15/08/2021,5\n\
         14998,,2021-08-10,0\n\
         14998,,2021-08-15,4\n\
         14998,,2021-08-20,9\n\
         15001,,2021-08-15,1\n\
         14995,Trạm Y tế xã Trung Xuân,2021-08-15,3\n",
        today,
    )
    .await
    .unwrap();
    db
}

#[tokio::test]
async fn people_reports_are_the_same_on_every_store() {
    let mut answers = Vec::new();
    for (name, db) in stores().await {
        let db = story(db).await;
        let units = UnitIndex::load(db.as_ref()).await.unwrap();

        let c = coverage::run(db.as_ref(), &units, "387", d("2021-08-15"))
            .await
            .unwrap();
        let rows: Vec<String> = c
            .rows
            .iter()
            .map(|r| {
                format!(
                    "{} #{:?} {}/{:?} {:?}%",
                    r.code, r.rank, r.declared, r.population, r.share
                )
            })
            .collect();
        // 14995: P1 and P2 (P1 twice, once counted); 14998: P3 (first at A,
        // living in 14998) and P6; P5 declared after the date.
        assert_eq!(
            rows,
            [
                "14998 #Some(1) 2/Some(400) Some(0.5)%",
                "14995 #Some(2) 2/Some(1000) Some(0.2)%",
            ],
            "{name}"
        );
        assert_eq!(c.total.population, Some(1400));
        let p = coverage::run(db.as_ref(), &units, "38", d("2021-08-15"))
            .await
            .unwrap();
        let rows: Vec<(&str, i64, Option<f64>)> = p
            .rows
            .iter()
            .map(|r| (r.code.as_str(), r.declared, r.share))
            .collect();
        assert_eq!(
            rows,
            [("387", 4, Some(0.3)), ("388", 1, Some(0.2))],
            "{name}"
        );

        let r = reconciliation::run(db.as_ref(), &units, "387", d("2021-08-15"))
            .await
            .unwrap();
        let rows: Vec<_> = r
            .rows
            .iter()
            .map(|x| {
                let c = &x.counts;
                (
                    x.commune_code.as_str(),
                    x.agency.as_str(),
                    x.date.to_string(),
                    [
                        c.reported,
                        c.system,
                        c.paper_late,
                        c.synced_late,
                        c.other_units,
                        c.outside_period,
                        x.unexplained,
                    ],
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                // P1, P3 known; P2's paper form typed in after the 15th.
                ("14995", "", "2021-08-15".into(), [5, 2, 1, 0, 0, 0, 2]),
                // P1 known, P2 typed in later, Mai Văn Hùng never declared.
                (
                    "14995",
                    "Trạm Y tế xã Trung Xuân",
                    "2021-08-15".into(),
                    [3, 1, 1, 0, 0, 0, 1]
                ),
                // P6 known; P3 counted in 14995; P5 dated the 16th.
                ("14998", "", "2021-08-15".into(), [4, 1, 0, 0, 1, 1, 1]),
            ],
            "{name}"
        );
        assert_eq!(r.total.counts.reported, 12);
        assert_eq!(r.total.unexplained, 4);
        // District 388 sees its own commune only: P4's station synced late.
        let other = reconciliation::run(db.as_ref(), &units, "388", d("2021-08-15"))
            .await
            .unwrap();
        assert_eq!(other.rows.len(), 1, "{name}");
        assert_eq!(
            (other.rows[0].counts.synced_late, other.rows[0].unexplained),
            (1, 0),
            "{name}"
        );

        let s = roster::run(db.as_ref(), &units, "387", d("2021-08-09"), d("2021-08-15"))
            .await
            .unwrap();
        assert_eq!(s.rows.len(), 1, "{name}: the agency of 388 is outside");
        let a = &s.rows[0];
        assert_eq!((a.staff, a.declared), (3, 2), "{name}");
        assert_eq!(a.not_declared, ["Mai Văn Hùng"], "{name}");
        // P4 (listed by phone) declared with an ID-card number and that
        // phone: the declaration's key is the ID number, so a roster that
        // gives only a phone matches only declarations without one.
        let q = roster::run(db.as_ref(), &units, "388", d("2021-08-09"), d("2021-08-15"))
            .await
            .unwrap();
        assert_eq!(q.rows[0].not_declared, ["Hà Thị Dung"], "{name}");
        let narrow = roster::run(
            db.as_ref(),
            &units,
            "14995",
            d("2021-08-11"),
            d("2021-08-11"),
        )
        .await
        .unwrap();
        assert_eq!(
            narrow.rows[0].declared, 0,
            "{name}: no staff declared that day"
        );

        answers.push(serde_json::to_value((&c, &p, &r, &other, &s)).unwrap());

        // The purge clears identity keys; coverage and the communes'
        // reconciliation keep their counts.
        let purged =
            checkin_server::retention::purge(db.as_ref(), 28, t("2021-10-30T00:00:00Z").to_utc())
                .await
                .unwrap();
        assert_eq!(
            purged.declarants, 7,
            "{name}: one row per person and commune"
        );
        let after = coverage::run(db.as_ref(), &units, "387", d("2021-08-15"))
            .await
            .unwrap();
        assert_eq!(after, c, "{name}");
        let after = reconciliation::run(db.as_ref(), &units, "387", d("2021-08-15"))
            .await
            .unwrap();
        let communes = |r: &reconciliation::Reconciliation| {
            r.rows
                .iter()
                .filter(|x| x.agency.is_empty())
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(communes(&after), communes(&r), "{name}");
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "stores differ");
}

#[tokio::test]
async fn bad_import_lines_are_named_and_nothing_is_stored() {
    let db: Arc<dyn Database> =
        Arc::new(checkin_server_db::SqliteDb::open_in_memory().await.unwrap());
    db.import_units(&Units::from_dvhcvn_json(UNITS).unwrap())
        .await
        .unwrap();
    let e = imports::import_population(
        db.as_ref(),
        "unit_code,population\n14995,1000\n99999,5\n14998,-3\n387,1.200\n",
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(e.contains("line 3") && e.contains("line 4"), "{e}");
    assert!(!e.contains("line 2") && !e.contains("line 5"), "{e}");
    assert!(db.populations("38").await.unwrap().is_empty());
    // Thousands written with dots, as Vietnamese officials do.
    imports::import_population(db.as_ref(), "unit_code,population\n387,1.200\n")
        .await
        .unwrap();
    assert_eq!(db.populations("38").await.unwrap()[0].population, 1200);

    let e = imports::import_roster(
        db.as_ref(),
        "agency,commune_code,full_name,id_number,phone\n\
         Trường THCS,14995,An,<b>,\n\
         Trường THCS,14995,Bình,,\n\
         Trường THCS,387,Chi,038190000001,\n\
         Trường THCS,14995,Dũng,038190000002,\n\
         Trường THCS,14995,Dũng,038190000002,\n",
    )
    .await
    .unwrap_err()
    .to_string();
    for line in ["line 2", "line 3", "line 4", "line 6"] {
        assert!(e.contains(line), "{line}: {e}");
    }
    assert!(!e.contains("line 5"), "{e}");

    let e = imports::import_reported(
        db.as_ref(),
        "unit_code,agency,date,reported\n14995,,2021-08-15,5\n14995,,2030-01-01,5\n14995,,hôm qua,5\n",
        d(TODAY),
    )
    .await
    .unwrap_err()
    .to_string();
    assert!(e.contains("line 3") && e.contains("line 4"), "{e}");
    let e = imports::import_reported(db.as_ref(), "unit,count\n14995,5\n", d(TODAY))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("header must be unit_code,agency,date,reported"),
        "{e}"
    );
}

#[test]
fn the_cli_imports_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("s.db").display());
    let units = dir.path().join("units.json");
    std::fs::write(&units, UNITS).unwrap();
    common::stdout_of(&common::admin_cli(
        &db,
        &["import-units", units.to_str().unwrap()],
    ));
    let file = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let good = file("pop.csv", "unit_code,population\n14995,1000\n14998,400\n");
    let out = common::stdout_of(&common::admin_cli(&db, &["import-population", &good]));
    assert_eq!(out.trim(), "2 populations imported");
    let bad = file("bad.csv", "unit_code,population\n14995,many\n");
    let out = common::admin_cli(&db, &["import-population", &bad]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 2"));
    let roster = file(
        "roster.csv",
        "agency,commune_code,full_name,id_number,phone\nTrường THCS,14995,An,038190000001,\n",
    );
    let out = common::stdout_of(&common::admin_cli(&db, &["import-roster", &roster]));
    assert_eq!(out.trim(), "1 roster members imported");
    let figures = file(
        "reported.csv",
        "unit_code,agency,date,reported\n14995,,2021-08-15,7\n",
    );
    let out = common::stdout_of(&common::admin_cli(&db, &["import-reported", &figures]));
    assert_eq!(out.trim(), "1 reported figures imported");

    let report = |args: &[&str]| {
        let out = std::process::Command::new(common::BIN)
            .arg("report")
            .args(args)
            .args(["--database", &db])
            .output()
            .unwrap();
        common::stdout_of(&out)
    };
    let csv = report(&[
        "coverage",
        "--unit",
        "387",
        "--as-of",
        "2021-08-15",
        "--format",
        "csv",
    ]);
    assert!(
        csv.contains("Dân số") && csv.contains("Xã Trung Xuân,14995,1000,0,0,"),
        "{csv}"
    );
    let json = report(&["reconciliation", "--unit", "14995", "--as-of", "2021-08-15"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["rows"][0]["reported"], 7, "{json}");
    assert_eq!(v["rows"][0]["unexplained"], 7, "{json}");
    let json = report(&[
        "roster",
        "--unit",
        "387",
        "--from",
        "2021-08-01",
        "--to",
        "2021-08-15",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["rows"][0]["not_declared"][0], "An", "{json}");
}
