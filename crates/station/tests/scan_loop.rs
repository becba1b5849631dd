//! A pass made at the kiosk, printed to an image, read back through the
//! same frame loop the camera uses: the chain the gate screen runs on.

use checkin_core::{
    Address, Birth, Declaration, Direction, Exposures, Gender, Level, SetClock, Source, Symptoms,
};
use checkin_station::scan::{open_source, run, Scanner, SourceOptions};
use checkin_station::{Admission, AdmitRequest, SettingsPatch, Station};
use std::ops::ControlFlow;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

/// Writes `text` as a QR code PNG (8 px modules, quiet zone) to `path`.
fn write_qr(text: &str, path: &std::path::Path) {
    let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
    let n = code.width();
    let colors = code.to_colors();
    let m = 8u32;
    let side = (n as u32 + 8) * m;
    let img = image::GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = ((x / m) as i64 - 4, (y / m) as i64 - 4);
        let dark = mx >= 0
            && my >= 0
            && (mx as usize) < n
            && (my as usize) < n
            && colors[my as usize * n + mx as usize] == qrcode::Color::Dark;
        image::Luma([if dark { 20 } else { 240 }])
    });
    img.save(path).unwrap();
}

#[test]
fn a_printed_pass_read_by_the_frame_loop_is_green_and_stored() {
    let dir = tempfile::tempdir().unwrap();
    let clock = SetClock::vietnam(2021, 8, 2, 8, 0, 0);
    let mut st = Station::open_with_clock(&dir.path().join("data"), Arc::new(clock)).unwrap();
    st.update_settings(&SettingsPatch {
        venue_id: Some(Some("01-00001-GATE".into())),
        ..SettingsPatch::default()
    })
    .unwrap();
    let declared = st
        .declare_at_kiosk(Declaration {
            full_name: "Bùi Thị Lan".into(),
            id_number: None,
            birth: Birth::Year(1985),
            gender: Gender::Female,
            nationality: "VN".into(),
            phone: "0903123456".into(),
            email: None,
            address: Address {
                province_code: "01".into(),
                district_code: "001".into(),
                commune_code: "00004".into(),
                street: String::new(),
            },
            places_visited: vec!["Hà Nội".into()],
            symptoms: Symptoms::default(),
            exposures: Exposures::default(),
            consent: true,
        })
        .unwrap();
    let frames = dir.path().join("frames");
    std::fs::create_dir(&frames).unwrap();
    write_qr(&declared.pass.unwrap().text, &frames.join("pass.png"));

    let mut source = open_source(
        frames.to_str().unwrap(),
        &SourceOptions {
            hold_frames: 3,
            ..SourceOptions::default()
        },
    )
    .unwrap();
    let mut scanner = Scanner::new(Duration::from_secs(3));
    let venue = st.venue().unwrap();
    let mut admissions = Vec::new();
    run(
        &mut *source,
        &mut scanner,
        &AtomicBool::new(false),
        |seen| {
            let req = AdmitRequest {
                venue: &venue,
                direction: Direction::In,
                source: Source::Qr,
                hold: false,
                occurred_at: None,
            };
            admissions.push(st.admit_with(&seen.code.text, &req).unwrap());
            ControlFlow::Continue(())
        },
        |e| panic!("{e}"),
    );
    assert_eq!(
        admissions.len(),
        1,
        "three frames of one code make one scan"
    );
    match &admissions[0] {
        Admission::Recorded {
            verdict, person, ..
        } => {
            assert_eq!(verdict.level, Level::Green);
            assert_eq!(person.as_ref().unwrap().name, "Bùi Thị Lan");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        st.store().status().unwrap().pending,
        2,
        "the declaration and the check-in"
    );
    assert_eq!(scanner.stats().0, 3);
}
