//! The station's use cases on a real store, with the clock set by hand.

use checkin_core::{
    Address, Birth, Clock, Declaration, Direction, Exposures, Gender, Level, PassProblem,
    QuarantineKind, Reason, Record, RecordKind, SetClock, Source, Symptoms, TypedPerson,
};
use checkin_station::{
    Admission, HealthUpdateInput, PaperDeclaration, PaperVisit, QuarantineRegistration,
    SettingsPatch, Station, StationError,
};
use checkin_store::Outcome;
use std::sync::Arc;

const VENUE: &str = "01-00001-GATE";

fn card(i: u32, name: &str) -> String {
    format!("0010980123{i:02}||{name}|15081990|Nam|Hà Nội|01012021")
}

fn station() -> (tempfile::TempDir, Station, SetClock) {
    let dir = tempfile::tempdir().unwrap();
    let clock = SetClock::vietnam(2021, 8, 2, 8, 0, 0);
    let mut st = Station::open_with_clock(dir.path(), Arc::new(clock.clone())).unwrap();
    st.update_settings(&SettingsPatch {
        venue_id: Some(Some(VENUE.into())),
        ..SettingsPatch::default()
    })
    .unwrap();
    (dir, st, clock)
}

fn declaration(name: &str, id: &str) -> Declaration {
    Declaration {
        full_name: name.into(),
        id_number: Some(id.into()),
        birth: Birth::Year(1990),
        gender: Gender::Female,
        nationality: "VN".into(),
        phone: "0912345678".into(),
        email: None,
        address: Address {
            province_code: "01".into(),
            district_code: "001".into(),
            commune_code: "00001".into(),
            street: "12 Phúc Xá".into(),
        },
        places_visited: vec![],
        symptoms: Symptoms::default(),
        exposures: Exposures::default(),
        consent: true,
    }
}

fn level(a: &Admission) -> Option<Level> {
    a.verdict().map(|v| v.level)
}

#[test]
fn id_card_is_recorded_once_per_hold_time() {
    let (_d, mut st, clock) = station();
    let a = st
        .admit(&card(1, "NGUYỄN VĂN AN"), Direction::In, Source::Qr)
        .unwrap();
    let Admission::Recorded {
        person, verdict, ..
    } = &a
    else {
        panic!("{a:?}")
    };
    assert_eq!(verdict.level, Level::Green);
    let person = person.as_ref().unwrap();
    assert_eq!(person.name, "NGUYỄN VĂN AN");
    assert_eq!(person.id_hint.as_deref(), Some("•••2301"));
    assert!(matches!(
        st.admit(&card(1, "NGUYỄN VĂN AN"), Direction::In, Source::Qr)
            .unwrap(),
        Admission::Repeat { .. }
    ));
    clock.advance(chrono::Duration::seconds(3));
    assert!(matches!(
        st.admit(&card(1, "NGUYỄN VĂN AN"), Direction::In, Source::Qr)
            .unwrap(),
        Admission::Recorded { .. }
    ));
    assert_eq!(st.store().status().unwrap().pending, 2);
}

#[test]
fn codes_that_name_no_person_are_shown_not_stored() {
    let (_d, mut st, _c) = station();
    let cases = [
        ("https://example.vn/x", "names_no_person"),
        ("hello", "names_no_person"),
        ("CKV1:01-00001-AB", "names_no_person"),
        ("CKE1:ABCDEFGH@http://127.0.0.1:1", "enrollment_code"),
        (
            "001098012345|x|A|01011990|Nam|X|01012020",
            "damaged_id_card",
        ),
    ];
    for (code, problem) in cases {
        match st.admit(code, Direction::In, Source::Qr).unwrap() {
            Admission::NotCheckin { problem: p, .. } => {
                assert_eq!(p.as_deref(), Some(problem), "{code}")
            }
            other => panic!("{code}: {other:?}"),
        }
    }
    assert_eq!(st.store().status().unwrap().pending, 0);
    let err = st.admit("   ", Direction::In, Source::Qr).unwrap_err();
    assert_eq!(err.code(), "empty_code");
}

#[test]
fn kiosk_pass_is_green_at_the_gate_today_amber_later_and_refused_when_tampered() {
    let (_d, mut st, clock) = station();
    let declared = st
        .declare_at_kiosk(declaration("Trần Thị Bình", "001190000001"))
        .unwrap();
    assert_eq!(declared.verdict.level, Level::Green);
    let pass = declared.pass.expect("a pass");
    assert!(pass.text.starts_with("CKP1:"));
    assert!(pass.svg.contains("<svg"));
    assert_eq!(pass.declared_on.to_string(), "2021-08-02");
    assert_eq!(pass.expires_at.to_rfc3339(), "2021-08-16T23:59:59+07:00");

    let a = st.admit(&pass.text, Direction::In, Source::Qr).unwrap();
    let Admission::Recorded {
        person, pass: seen, ..
    } = &a
    else {
        panic!("{a:?}")
    };
    assert_eq!(level(&a), Some(Level::Green));
    assert_eq!(person.as_ref().unwrap().name, "Trần Thị Bình");
    assert_eq!(seen.as_ref().unwrap().declared_on, pass.declared_on);

    // Tampering: change one character of the signature or payload.
    let mut forged = pass.text.clone().into_bytes();
    let i = forged.len() - 3;
    forged[i] = if forged[i] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).unwrap();
    let a = st.admit(&forged, Direction::In, Source::Qr).unwrap();
    assert!(
        matches!(
            a,
            Admission::PassRefused {
                problem: PassProblem::BadSignature | PassProblem::Malformed,
                ..
            }
        ),
        "{a:?}"
    );
    assert_eq!(level(&a), Some(Level::Red));

    // Another station's pass, whose key this one never received.
    let (_d2, mut other, _c2) = station();
    let foreign = other
        .declare_at_kiosk(declaration("Lê C", "001190000002"))
        .unwrap()
        .pass
        .unwrap();
    assert!(matches!(
        st.admit(&foreign.text, Direction::In, Source::Qr).unwrap(),
        Admission::PassRefused {
            problem: PassProblem::UnknownKey,
            ..
        }
    ));

    clock.advance(chrono::Duration::days(1));
    let a = st.admit(&pass.text, Direction::In, Source::Qr).unwrap();
    assert_eq!(level(&a), Some(Level::Amber));
    assert!(matches!(
        a.verdict().unwrap().reasons[0],
        Reason::DeclarationNotToday(_)
    ));
    clock.advance(chrono::Duration::days(15));
    assert!(matches!(
        st.admit(&pass.text, Direction::In, Source::Qr).unwrap(),
        Admission::PassRefused {
            problem: PassProblem::Expired,
            ..
        }
    ));
    // Passes refused are not visits: two stored (today, tomorrow).
    assert_eq!(st.store().count_kind(RecordKind::Checkin).unwrap(), 2);
}

#[test]
fn id_card_takes_the_verdict_of_todays_declaration_and_quarantine_is_red() {
    let (_d, mut st, clock) = station();
    let mut sick = declaration("PHẠM VĂN D", "001098012307");
    sick.symptoms.fever = true;
    assert_eq!(st.declare_at_kiosk(sick).unwrap().verdict.level, Level::Red);
    let a = st
        .admit(&card(7, "PHẠM VĂN D"), Direction::In, Source::Qr)
        .unwrap();
    assert_eq!(level(&a), Some(Level::Red));
    // Leaving needs no health check.
    clock.advance(chrono::Duration::minutes(1));
    let out = st
        .admit(&card(7, "PHẠM VĂN D"), Direction::Out, Source::Qr)
        .unwrap();
    assert_eq!(level(&out), Some(Level::Green));

    st.register_quarantine(QuarantineRegistration {
        code: Some(card(8, "VŨ THỊ E")),
        person: None,
        kind: QuarantineKind::Home,
        place: "Số 3 ngõ 5 Phúc Xá".into(),
        start_date: "2021-08-01".parse().unwrap(),
        end_date: "2021-08-14".parse().unwrap(),
    })
    .unwrap();
    let a = st
        .admit(&card(8, "VŨ THỊ E"), Direction::In, Source::Qr)
        .unwrap();
    assert_eq!(level(&a), Some(Level::Red));
    assert!(a
        .verdict()
        .unwrap()
        .reasons
        .contains(&Reason::InQuarantine("2021-08-14".parse().unwrap())));
}

#[test]
fn manual_entry_needs_a_name_and_a_detail() {
    let (_d, mut st, _c) = station();
    let p = TypedPerson {
        full_name: "Đỗ Văn F".into(),
        id_number: None,
        phone: Some("0987654321".into()),
        birth_year: None,
    };
    let a = st.admit_typed(&p, Direction::In).unwrap();
    assert!(matches!(a, Admission::Recorded { .. }));
    let bad = TypedPerson {
        full_name: " ".into(),
        ..p
    };
    let e = st.admit_typed(&bad, Direction::In).unwrap_err();
    assert_eq!(e.code(), "invalid_person");
    assert_eq!(e.fields().unwrap()[0].field, "full_name");
}

#[test]
fn paper_forms_keep_the_written_time_and_warn_about_the_same_day() {
    let (_d, mut st, _c) = station();
    let written: chrono::DateTime<chrono::FixedOffset> =
        "2021-07-30T14:20:00+07:00".parse().unwrap();
    let first = st
        .declare_on_paper(PaperDeclaration {
            declaration: declaration("Hoàng Thị G", "001190000009"),
            written_at: written,
            direction: Some(Direction::In),
        })
        .unwrap();
    assert!(first.same_day.is_empty());
    assert!(
        first.checkin_id.is_some(),
        "a paper form at a venue records the visit"
    );
    assert!(first.pass.is_none());
    let records = st.store().list(Default::default()).unwrap();
    assert_eq!(records.len(), 2);
    for r in &records {
        match &r.record {
            Record::Checkin(c) => {
                assert_eq!(c.source, Source::Paper);
                assert_eq!(c.occurred_at, Some(written));
                assert_eq!(
                    c.device_time.to_rfc3339(),
                    "2021-08-02T08:00:00+07:00",
                    "the device clock is kept too"
                );
            }
            Record::Declaration(d) => assert_eq!(d.occurred_at, Some(written)),
            other => panic!("{other:?}"),
        }
    }
    // The same person, same paper day: warned, still stored.
    let again = st
        .visit_on_paper(PaperVisit {
            person: TypedPerson {
                full_name: "Hoàng Thị G".into(),
                id_number: Some("001190000009".into()),
                phone: None,
                birth_year: None,
            },
            written_at: "2021-07-30T17:00:00+07:00".parse().unwrap(),
            direction: Direction::Out,
        })
        .unwrap();
    assert!(matches!(again, Admission::Recorded { .. }));
    let p = TypedPerson {
        full_name: "x".into(),
        id_number: Some("001190000009".into()),
        phone: None,
        birth_year: None,
    };
    assert_eq!(
        st.same_day_for(&p, "2021-07-30".parse().unwrap())
            .unwrap()
            .len(),
        3
    );
    assert!(st
        .same_day_for(&p, "2021-08-02".parse().unwrap())
        .unwrap()
        .is_empty());

    let e = st
        .declare_on_paper(PaperDeclaration {
            declaration: declaration("A", "001190000010"),
            written_at: "2021-08-03T09:00:00+07:00".parse().unwrap(),
            direction: None,
        })
        .unwrap_err();
    assert_eq!(e.code(), "time_in_future");
    let mut bad = declaration("", "12");
    bad.consent = false;
    let e = st
        .declare_on_paper(PaperDeclaration {
            declaration: bad,
            written_at: written,
            direction: None,
        })
        .unwrap_err();
    let fields: Vec<_> = e.fields().unwrap().iter().map(|f| f.field).collect();
    assert_eq!(fields, ["full_name", "id_number", "consent"]);
    assert_eq!(
        st.store().status().unwrap().pending,
        3,
        "nothing stored for bad forms"
    );
}

#[test]
fn quarantine_updates_due_list_and_missed_days() {
    let (_d, mut st, clock) = station();
    let case = st
        .register_quarantine(QuarantineRegistration {
            code: None,
            person: Some(TypedPerson {
                full_name: "Ngô Văn H".into(),
                id_number: Some("001098099999".into()),
                phone: None,
                birth_year: None,
            }),
            kind: QuarantineKind::Facility,
            place: "Khu cách ly tập trung Sóc Sơn".into(),
            start_date: "2021-08-02".parse().unwrap(),
            end_date: "2021-08-05".parse().unwrap(),
        })
        .unwrap();
    assert!(case.active && !case.updated_today);
    assert_eq!(st.quarantine_due().unwrap(), 1);
    let e = st
        .register_quarantine(QuarantineRegistration {
            code: Some(card(99, "NGÔ VĂN H").replace("0010980123", "0010980999")),
            person: None,
            kind: QuarantineKind::Home,
            place: "x".into(),
            start_date: "2021-08-02".parse().unwrap(),
            end_date: "2021-08-03".parse().unwrap(),
        })
        .unwrap_err();
    assert_eq!(e.code(), "already_in_quarantine");

    let updated = st
        .update_quarantine(HealthUpdateInput {
            case_id: case.id.clone(),
            temperature_c: Some(37.9),
            symptoms: Symptoms::default(),
            note: "mệt".into(),
        })
        .unwrap();
    assert!(updated.updated_today);
    let last = updated.last_update.unwrap();
    assert_eq!(last.temperature_c, Some(37.9));
    assert_eq!(last.verdict.level, Level::Red, "37.9 °C is a fever");
    assert_eq!(st.quarantine_due().unwrap(), 0);

    // Three days later: 3rd and 4th were missed; each gets one record, once.
    clock.advance(chrono::Duration::days(3));
    assert_eq!(st.close_quarantine_days().unwrap(), 2);
    assert_eq!(st.close_quarantine_days().unwrap(), 0);
    let list = st.quarantine_list().unwrap();
    assert_eq!(list.len(), 1);
    assert!(!list[0].updated_today);
    assert_eq!(st.store().count_kind(RecordKind::HealthUpdate).unwrap(), 3);
    // After the end, the last day is closed too, and no update is due.
    clock.advance(chrono::Duration::days(2));
    assert_eq!(st.close_quarantine_days().unwrap(), 1);
    assert_eq!(st.quarantine_due().unwrap(), 0);
    let e = st
        .update_quarantine(HealthUpdateInput {
            case_id: case.id,
            temperature_c: None,
            symptoms: Symptoms::default(),
            note: String::new(),
        })
        .unwrap_err();
    assert_eq!(e.code(), "quarantine_not_active");
}

#[test]
fn refused_records_are_listed_requeued_or_reissued() {
    let (_d, mut st, _c) = station();
    let a = st.admit(&card(1, "A"), Direction::In, Source::Qr).unwrap();
    let b = st.admit(&card(2, "B"), Direction::In, Source::Qr).unwrap();
    let id = |a: &Admission| a.checkin_id().unwrap().parse().unwrap();
    st.store_mut()
        .apply_outcomes(&[
            (id(&a), Outcome::Rejected("venue_outside_scope".into())),
            (id(&b), Outcome::Conflict("id_taken".into())),
        ])
        .unwrap();
    let refused = st.rejected().unwrap();
    assert_eq!(refused.len(), 2);
    assert_eq!(refused[1].reason, "venue_outside_scope");
    assert!(refused[1].summary.contains(VENUE), "{}", refused[1].summary);
    st.requeue(refused[1].seq).unwrap();
    st.fix_venue(refused[0].seq, "01-00001-OTHER").unwrap();
    assert!(st.rejected().unwrap().is_empty());
    assert_eq!(st.store().status().unwrap().pending, 2);
    assert_eq!(st.requeue(999).unwrap_err().code(), "not_found");
}

#[test]
fn settings_and_kiosk_pin() {
    let (_d, mut st, _c) = station();
    assert!(!st.unlock_kiosk("1234").unwrap(), "no PIN set: locked");
    st.set_kiosk_pin(None, "1234").unwrap();
    assert!(st.unlock_kiosk("1234").unwrap());
    assert!(!st.unlock_kiosk("9999").unwrap());
    assert!(matches!(
        st.set_kiosk_pin(None, "5678"),
        Err(StationError::WrongPin)
    ));
    st.set_kiosk_pin(Some("1234"), "5678").unwrap();
    assert!(st.unlock_kiosk("5678").unwrap());
    assert_eq!(
        st.set_kiosk_pin(Some("5678"), "12").unwrap_err().code(),
        "invalid_pin"
    );
    assert_eq!(
        st.update_settings(&SettingsPatch {
            camera: Some("usb".into()),
            ..SettingsPatch::default()
        })
        .unwrap_err()
        .code(),
        "invalid_camera"
    );
    let s = st
        .update_settings(&SettingsPatch {
            camera: Some("replay:/tmp/frames".into()),
            hold_seconds: Some(1.5),
            language: Some(checkin_station::Language::En),
            venue_id: None,
        })
        .unwrap();
    assert_eq!(
        (s.camera.as_str(), s.hold_seconds, s.kiosk_pin_set),
        ("replay:/tmp/frames", 1.5, true)
    );
    assert_eq!(s.venue_id.as_deref(), Some(VENUE));
    let status = st
        .status(checkin_station::SyncState::initial(false))
        .unwrap();
    assert_eq!(status.policy_from, checkin_station::PolicySource::Default);
    assert!(status.enrollment.is_none());
}

#[test]
fn a_station_without_a_venue_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut st = Station::open(dir.path()).unwrap();
    assert!(matches!(
        st.admit(&card(1, "A"), Direction::In, Source::Qr),
        Err(StationError::NoVenue)
    ));
    let _ = st.now();
    let _ = SetClock::vietnam(2021, 1, 1, 0, 0, 0).now();
}

/// The trust list the CLI's `dcc verify` tests use, as a station stores it
/// after a sync.
fn stored_trust_list() -> String {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let dcc = std::path::Path::new(&dir).join("../cli/tests/dcc");
    let document: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dcc.join("trust-list.json")).unwrap())
            .unwrap();
    serde_json::json!({"imported_at": "2021-10-01T00:00:00Z", "document": document}).to_string()
}

#[test]
fn certificates_are_judged_with_the_stored_trust_list_and_a_damaged_one_leaves_them_amber() {
    let dir = tempfile::tempdir().unwrap();
    let dcc = std::path::Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap())
        .join("../cli/tests/dcc/vaccination.txt");
    let code = std::fs::read_to_string(dcc).unwrap();
    let clock = SetClock::vietnam(2021, 10, 15, 9, 0, 0);
    let open = || {
        let mut st = Station::open_with_clock(dir.path(), Arc::new(clock.clone())).unwrap();
        st.update_settings(&SettingsPatch {
            venue_id: Some(Some(VENUE.into())),
            ..SettingsPatch::default()
        })
        .unwrap();
        st
    };
    let mut st = open();
    st.store_mut()
        .set_setting(checkin_sync::client::TRUST_LIST_KEY, &stored_trust_list())
        .unwrap();
    st.reload_config().unwrap();
    assert_eq!(st.trust_list().map(|t| t.len()), Some(1));
    let a = st.admit(code.trim(), Direction::In, Source::Qr).unwrap();
    assert_eq!(level(&a), Some(Level::Green), "{a:?}");
    match &a {
        Admission::Recorded { kind, person, .. } => {
            assert_eq!(*kind, checkin_core::PayloadKind::Dcc);
            assert_eq!(person.as_ref().unwrap().name, "Nguyễn Văn An");
        }
        other => panic!("{other:?}"),
    }
    drop(st);

    // A store whose copy no longer reads still opens; certificates are then
    // amber (not verifiable here), never green.
    checkin_store::Store::open(dir.path())
        .unwrap()
        .set_setting(checkin_sync::client::TRUST_LIST_KEY, "{not json")
        .unwrap();
    let mut st = open();
    assert!(st.trust_list().is_none());
    clock.advance(chrono::Duration::minutes(1));
    let a = st.admit(code.trim(), Direction::In, Source::Qr).unwrap();
    assert_eq!(level(&a), Some(Level::Amber), "{a:?}");
}
