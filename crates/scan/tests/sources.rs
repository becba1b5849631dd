//! File, directory and replay sources over generated images.
mod common;

use checkin_scan::source::list_images;
use checkin_scan::{
    Debouncer, Decoder, DirSource, FileSource, FrameSource, ManualClock, ReplaySource,
};
use common::*;
use std::time::{Duration, Instant};

fn fixture_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    save_png(
        &render("CKV1:01-00001-AB", 4.0, 0),
        &dir.path().join("a.png"),
    );
    let jpg = render("CKV1:02-00002-CD", 5.0, 0);
    image::GrayImage::from_raw(jpg.width as u32, jpg.height as u32, jpg.data)
        .unwrap()
        .save(dir.path().join("b.JPG"))
        .unwrap();
    save_png(
        &render("CKV1:03-00003-EF", 4.0, 0),
        &dir.path().join("c.png"),
    );
    std::fs::write(dir.path().join("notes.txt"), "not an image").unwrap();
    std::fs::create_dir(dir.path().join("sub.png")).unwrap();
    dir
}

fn texts(src: &mut dyn FrameSource) -> Vec<Result<String, String>> {
    let mut d = Decoder::default();
    let mut out = Vec::new();
    while let Some(f) = src.next_frame() {
        out.push(match f {
            Ok(f) => Ok(d
                .decode(&f.image)
                .codes
                .first()
                .map_or(String::new(), |c| c.text.clone())),
            Err(e) => Err(e.to_string()),
        });
    }
    out
}

#[test]
fn file_source_reads_png_and_jpeg_and_reports_bad_files() {
    let dir = fixture_dir();
    let bad = dir.path().join("bad.png");
    std::fs::write(&bad, b"\x89PNG\r\n\x1a\nbroken").unwrap();
    let mut src = FileSource::new(vec![
        dir.path().join("a.png"),
        bad,
        dir.path().join("missing.jpg"),
        dir.path().join("b.JPG"),
    ]);
    let got = texts(&mut src);
    assert_eq!(got.len(), 4);
    assert_eq!(got[0].as_deref(), Ok("CKV1:01-00001-AB"));
    assert!(got[1].is_err() && got[2].is_err());
    assert_eq!(got[3].as_deref(), Ok("CKV1:02-00002-CD"));
}

#[test]
fn dir_source_lists_images_in_name_order() {
    let dir = fixture_dir();
    let files = list_images(dir.path()).unwrap();
    let names: Vec<_> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["a.png", "b.JPG", "c.png"]);
    let mut src = DirSource::new(dir.path()).unwrap();
    let got: Vec<String> = texts(&mut src).into_iter().map(Result::unwrap).collect();
    assert_eq!(
        got,
        ["CKV1:01-00001-AB", "CKV1:02-00002-CD", "CKV1:03-00003-EF"]
    );
    let empty = tempfile::tempdir().unwrap();
    assert!(DirSource::new(empty.path()).is_err());
    assert!(DirSource::new(&empty.path().join("nope")).is_err());
}

#[test]
fn replay_source_paces_holds_and_debounces() {
    let dir = fixture_dir();
    // 3 images x 4 frames at 100 fps: 12 frames, at least ~110 ms.
    let mut src = ReplaySource::new(dir.path(), 100.0).unwrap().hold_frames(4);
    assert_eq!(src.interval(), Duration::from_millis(10));
    let t0 = Instant::now();
    let clock = ManualClock::default();
    let mut deb = Debouncer::new(Duration::from_secs(3), clock.clone());
    let mut d = Decoder::default();
    let (mut frames, mut events) = (0, Vec::new());
    while let Some(f) = src.next_frame() {
        let f = f.unwrap();
        frames += 1;
        clock.advance(src.interval());
        for e in deb.feed(&d.decode(&f.image).codes) {
            events.push(e.code.text);
        }
    }
    assert_eq!(frames, 12);
    assert!(
        t0.elapsed() >= Duration::from_millis(100),
        "{:?}",
        t0.elapsed()
    );
    // Each code held in view for 4 frames makes one event.
    assert_eq!(
        events,
        ["CKV1:01-00001-AB", "CKV1:02-00002-CD", "CKV1:03-00003-EF"]
    );
}

#[test]
fn replay_source_loops() {
    let dir = fixture_dir();
    let mut src = ReplaySource::new(dir.path(), 1000.0)
        .unwrap()
        .looping(true)
        .unpaced();
    let names: Vec<String> = (0..7)
        .map(|_| src.next_frame().unwrap().unwrap().name)
        .collect();
    assert!(
        names[0].ends_with("a.png") && names[3].ends_with("a.png") && names[6].ends_with("a.png")
    );
}
