//! The synthetic health-insurance card and personal QR samples from the
//! shared test data (`<repo>/../shared/testdata/vn-codes/samples.txt`), when
//! present: each reads as its kind and names a person; mutated ones never
//! panic. Skipped with a message otherwise (the unit tests in src/bhyt.rs
//! and src/qrqg.rs cover the formats with fixtures of their own).

use checkin_core::{classify, Payload, PayloadKind};
use std::path::PathBuf;

fn samples() -> Option<Vec<(String, String)>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/testdata/vn-codes/samples.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "skipped: {} not found (the shared test data is not beside this checkout)",
            path.display()
        );
        return None;
    };
    let mut group = String::new();
    let mut out = Vec::new();
    for line in text.lines() {
        if let Some(g) = line.strip_prefix("## ") {
            group = g.split_whitespace().next().unwrap_or("").to_string();
        } else if !line.starts_with('#') && !line.trim().is_empty() {
            out.push((group.clone(), line.to_string()));
        }
    }
    Some(out)
}

#[test]
fn every_sample_reads_as_its_kind_and_names_a_person() {
    let Some(samples) = samples() else { return };
    assert!(samples.len() >= 7, "{} samples", samples.len());
    for (group, code) in &samples {
        let want = if group.starts_with("bhyt") {
            PayloadKind::Bhyt
        } else {
            PayloadKind::Qrqg
        };
        let p = classify(code);
        assert_eq!(p.kind(), want, "{group}: {code}");
        let name = match &p {
            Payload::Bhyt(b) => {
                assert_eq!(b.insurance_number.len(), 10, "{code}");
                b.full_name.clone()
            }
            Payload::PersonalQr(q) => {
                assert_eq!(q.id_number.is_none(), q.shown_id.contains('*'), "{code}");
                q.full_name.clone()
            }
            other => panic!("{group}: {code} did not read: {other:?}"),
        };
        assert!(
            !name.is_empty()
                && !name
                    .chars()
                    .any(|c| c.is_ascii_hexdigit() && name.len() > 40),
            "{name}"
        );
    }
}

#[test]
fn mutated_samples_never_panic_and_damaged_ones_say_why() {
    let Some(samples) = samples() else { return };
    for (_, code) in &samples {
        let bytes = code.as_bytes();
        for cut in (1..bytes.len()).step_by(3) {
            let s = String::from_utf8_lossy(&bytes[..cut]);
            match classify(&s) {
                Payload::BadBhyt(e) => assert!(!e.to_string().is_empty()),
                Payload::BadPersonalQr(e) => assert!(!e.to_string().is_empty()),
                _ => {}
            }
        }
        for i in 0..bytes.len() {
            let mut b = bytes.to_vec();
            b[i] = b'|';
            let _ = classify(&String::from_utf8_lossy(&b));
        }
    }
}
