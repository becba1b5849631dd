//! The ZXing blackbox photos from the shared test data, when present
//! (`<repo>/../shared/testdata/qr-blackbox`). Skipped with a message otherwise.
use checkin_scan::{load_luma, Decoder, DecoderConfig, Strategy};
use std::path::PathBuf;
use std::time::Duration;

fn blackbox() -> Option<Vec<(PathBuf, String)>> {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
        .join("../../../shared/testdata/qr-blackbox");
    if !root.is_dir() {
        eprintln!("SKIPPED: blackbox QR set not found at {}", root.display());
        return None;
    }
    let mut out = Vec::new();
    let dirs = std::fs::read_dir(&root).expect("readable blackbox folder");
    for dir in dirs.flatten().filter(|d| d.path().is_dir()) {
        for f in std::fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let p = f.path();
            if p.extension().is_some_and(|e| e == "png") {
                if let Ok(t) = std::fs::read_to_string(p.with_extension("txt")) {
                    out.push((p, t.trim_end_matches(['\r', '\n']).to_string()));
                }
            }
        }
    }
    out.sort();
    Some(out)
}

#[test]
fn blackbox_primary_reader_and_rqrr_panics_contained() {
    let Some(set) = blackbox() else { return };
    checkin_scan::quiet_rqrr_panics();
    // The primary reader alone (fast even in debug builds).
    let mut primary = Decoder::new(DecoderConfig {
        strategies: vec![Strategy::Rxing],
        budget: Duration::from_secs(10),
        ..DecoderConfig::default()
    });
    // rqrr's own threshold: panics on some of these photos; must be caught.
    let mut rqrr = Decoder::new(DecoderConfig {
        strategies: vec![Strategy::Native],
        budget: Duration::from_secs(10),
        ..DecoderConfig::default()
    });
    let (mut ok, mut ok_rqrr) = (0, 0);
    for (path, want) in &set {
        let img = load_luma(path).unwrap();
        if primary
            .decode(&img)
            .codes
            .iter()
            .any(|c| c.text.trim_end_matches(['\r', '\n']) == want)
        {
            ok += 1;
        }
        if rqrr
            .decode(&img)
            .codes
            .iter()
            .any(|c| c.text.trim_end_matches(['\r', '\n']) == want)
        {
            ok_rqrr += 1;
        }
    }
    eprintln!(
        "blackbox: primary {ok}/{}, rqrr native {ok_rqrr}/{}, rqrr panics caught {}",
        set.len(),
        set.len(),
        rqrr.stats().panics
    );
    assert!(ok >= 160, "primary reader decoded {ok}/{}", set.len());
    assert!(ok_rqrr >= 95);
}
