//! Records that parse but are wrong (poison times, control characters, no
//! consent, verdicts that contradict the answers) are refused one by one,
//! with a reason, while the good records of the same batch are stored: on
//! SQLite, and on PostgreSQL when CHECKIN_TEST_POSTGRES_URL is set.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use checkin_core::{
    verdict, Address, Birth, Declaration, DeclarationRecord, DeviceId, Exposures, Gender, Level,
    Policy, Reason, Record, RecordId, Source, Symptom, Symptoms, VenueCategory, VenueId, Verdict,
};
use checkin_server::admin::{self, NewVenue, TokenTarget};
use checkin_server::{router, AppState};
use checkin_server_db::Database;
use checkin_sync::protocol::{RecordStatus, SyncResponse};
use chrono::{DateTime, Duration, FixedOffset, Utc};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::sync::Arc;

mod common;
use common::call;

struct Station {
    app: axum::Router,
    db: Arc<dyn Database>,
    venue: VenueId,
    device: DeviceId,
    credential: String,
}

async fn station_on(db: Arc<dyn Database>) -> Station {
    let venue = admin::add_venue(
        db.as_ref(),
        NewVenue {
            name: "Trạm y tế xã Hải Phú".into(),
            category: VenueCategory::Clinic,
            commune_code: "14995".into(),
            address: "Thôn 1".into(),
            province_code: Some("38".into()),
        },
    )
    .await
    .unwrap()
    .id;
    let app = router(AppState::new(db.clone()));
    let token = admin::enrollment_token(
        db.as_ref(),
        TokenTarget::Venue(venue.clone()),
        Duration::hours(1),
    )
    .await
    .unwrap();
    let device = DeviceId::new();
    let body = json!({"token": token, "device_id": device}).to_string();
    let req = Request::post("/api/v1/enroll")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .unwrap();
    let (status, json) = call(&app, req).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    Station {
        app,
        db,
        venue,
        device,
        credential: json["credential"].as_str().unwrap().to_string(),
    }
}

impl Station {
    async fn send(&self, records: &[Value]) -> (StatusCode, SyncResponse) {
        let req = Request::post("/api/v1/sync")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {}", self.credential))
            .header("x-checkin-device-time", Utc::now().to_rfc3339())
            .body(Body::from(json!({ "records": records }).to_string()))
            .unwrap();
        let (status, json) = call(&self.app, req).await;
        assert_eq!(status, StatusCode::OK, "{json}");
        (status, serde_json::from_value(json).unwrap())
    }

    /// A sound kiosk declaration made now, as a station makes it.
    fn declaration(&self) -> DeclarationRecord {
        let declaration = Declaration {
            full_name: "Trần Thị Bình".into(),
            id_number: Some("038190001234".into()),
            birth: Birth::Year(1990),
            gender: Gender::Female,
            nationality: "VN".into(),
            phone: "0912345678".into(),
            email: None,
            address: Address {
                province_code: "38".into(),
                district_code: "380".into(),
                commune_code: "14995".into(),
                street: "Thôn 1".into(),
            },
            places_visited: vec![],
            symptoms: Symptoms::default(),
            exposures: Exposures::default(),
            consent: true,
        };
        DeclarationRecord {
            id: RecordId::new(),
            device_seq: 1,
            venue_id: Some(self.venue.clone()),
            source: Source::Kiosk,
            device_id: self.device,
            device_time: now(),
            occurred_at: None,
            verdict: verdict(&declaration, &Policy::default()),
            declaration,
        }
    }
}

fn now() -> DateTime<FixedOffset> {
    Utc::now().with_timezone(&FixedOffset::east_opt(7 * 3600).unwrap())
}

fn wire(d: DeclarationRecord) -> Value {
    serde_json::to_value(Record::Declaration(d)).unwrap()
}

#[tokio::test]
async fn poison_records_are_refused_alone_on_every_store() {
    for (name, db) in common::stores().await {
        let s = station_on(db).await;
        let good = |s: &Station| wire(s.declaration());
        let mut batch = vec![good(&s)];
        let mut expect: Vec<Option<&str>> = vec![None];
        let mut bad = |v: Value, code: &'static str| {
            batch.push(v);
            expect.push(Some(code));
        };
        // A year PostgreSQL cannot store sank the whole batch before.
        let mut v = good(&s);
        v["device_time"] = json!("1500-01-01T00:00:00+07:00");
        bad(v, "time_out_of_range");
        let mut v = good(&s);
        v["device_time"] = json!("-5000-01-01T00:00:00Z");
        bad(v, "");
        let mut d = s.declaration();
        d.device_time = now() + Duration::days(30);
        bad(wire(d), "time_out_of_range");
        let mut d = s.declaration();
        d.declaration.consent = false;
        bad(wire(d), "consent_missing");
        let mut d = s.declaration();
        d.declaration.full_name = String::new();
        bad(wire(d), "invalid_fields");
        let mut d = s.declaration();
        d.declaration.id_number = Some("<b>038190</b>".into());
        bad(wire(d), "invalid_fields");
        let mut d = s.declaration();
        d.declaration.phone = "\0\0\0\0\0\0\0\0".into();
        bad(wire(d), "control_characters");
        let mut d = s.declaration();
        d.declaration.full_name = "Trần\u{1b}[31m Bình".into();
        bad(wire(d), "control_characters");
        let mut d = s.declaration();
        d.declaration.symptoms.fever = true;
        d.verdict = Verdict::green();
        bad(wire(d), "verdict_contradicts_answers");
        let mut d = s.declaration();
        d.verdict = Verdict::with(Level::Red, Reason::Symptom(Symptom::Pneumonia));
        bad(wire(d), "verdict_contradicts_answers");
        let mut d = s.declaration();
        d.declaration.address.street = "x".repeat(100_000);
        bad(wire(d), "");
        batch.push(good(&s));
        expect.push(None);

        let (_, resp) = s.send(&batch).await;
        assert_eq!(resp.results.len(), batch.len(), "{name}");
        for (r, want) in resp.results.iter().zip(&expect) {
            match want {
                None => assert_eq!(r.status, RecordStatus::Accepted, "{name}: {r:?}"),
                Some(code) => {
                    assert_eq!(r.status, RecordStatus::Rejected, "{name}: {r:?}");
                    let reason = r.reason.as_deref().unwrap_or("");
                    assert!(reason.starts_with(code), "{name}: {code} vs {reason}");
                    // Reasons name rules and fields, never what was sent.
                    assert!(
                        !reason.contains("Bình") && !reason.contains("<b>"),
                        "{reason}"
                    );
                }
            }
        }
        assert_eq!(resp.accepted, 2, "{name}");
        let stored = s.db.stored_records().await.unwrap();
        assert_eq!(stored.len(), 2, "{name}: only the good records are stored");
    }
}

/// One way a record can be wrong, drawn by the property test.
#[derive(Debug, Clone)]
enum Flaw {
    None,
    DaysOff(i64),
    NoConsent,
    ControlIn(char),
    LongName(usize),
    GreenWith(Symptom),
    Reasons(Symptom),
}

fn flaw() -> impl Strategy<Value = Flaw> {
    let symptom = prop_oneof![
        Just(Symptom::Fever),
        Just(Symptom::Cough),
        Just(Symptom::ShortnessOfBreath),
        Just(Symptom::Pneumonia),
        Just(Symptom::SoreThroat),
        Just(Symptom::Fatigue),
    ];
    prop_oneof![
        3 => Just(Flaw::None),
        1 => (-3000i64..3000).prop_map(Flaw::DaysOff),
        1 => Just(Flaw::NoConsent),
        1 => prop_oneof![Just('\0'), Just('\u{7}'), Just('\u{1b}'), Just('\u{7f}'), Just('\u{85}')]
            .prop_map(Flaw::ControlIn),
        1 => (150usize..400).prop_map(Flaw::LongName),
        1 => symptom.clone().prop_map(Flaw::GreenWith),
        1 => symptom.prop_map(Flaw::Reasons),
    ]
}

fn apply(s: &Station, flaw: &Flaw) -> DeclarationRecord {
    let mut d = s.declaration();
    match flaw {
        Flaw::None => {}
        Flaw::DaysOff(n) => d.device_time = now() + Duration::days(*n),
        Flaw::NoConsent => d.declaration.consent = false,
        Flaw::ControlIn(c) => d.declaration.full_name = format!("Trần{c}Bình"),
        Flaw::LongName(n) => d.declaration.full_name = "Ă".repeat(*n),
        Flaw::GreenWith(sym) => {
            d.declaration.symptoms = Symptoms::from_list(&[*sym]);
            d.verdict = Verdict::green();
        }
        Flaw::Reasons(sym) => d.verdict = Verdict::with(Level::Red, Reason::Symptom(*sym)),
    }
    d
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Random wrong records among good ones: every record gets its own
    /// answer, the batch never fails, and exactly the records the rules
    /// admit are stored.
    #[test]
    fn every_answer_is_per_record_and_good_records_are_stored(flaws in prop::collection::vec(flaw(), 1..12)) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            for (name, db) in common::stores().await {
                let s = station_on(db).await;
                let records: Vec<DeclarationRecord> = flaws.iter().map(|f| apply(&s, f)).collect();
                let at = Utc::now();
                let admitted: Vec<bool> = records
                    .iter()
                    .map(|d| {
                        checkin_core::admission::check(
                            &Record::Declaration(d.clone()),
                            at,
                            &Policy::default(),
                        )
                        .is_ok()
                    })
                    .collect();
                let batch: Vec<Value> = records.into_iter().map(wire).collect();
                let (_, resp) = s.send(&batch).await;
                assert_eq!(resp.results.len(), batch.len(), "{name}");
                for ((r, ok), f) in resp.results.iter().zip(&admitted).zip(&flaws) {
                    let want = if *ok { RecordStatus::Accepted } else { RecordStatus::Rejected };
                    assert_eq!(r.status, want, "{name}: {f:?} {r:?}");
                    if !ok {
                        assert!(r.reason.is_some(), "{name}: {f:?}");
                    }
                }
                // A flawless record is always admitted.
                for (f, ok) in flaws.iter().zip(&admitted) {
                    if matches!(f, Flaw::None) {
                        assert!(ok, "{f:?}");
                    }
                }
                let stored = s.db.stored_records().await.unwrap().len();
                assert_eq!(stored, admitted.iter().filter(|a| **a).count(), "{name}");
            }
        });
    }
}
