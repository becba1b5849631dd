//! Time per `verify()` call, as a station pays it on every scan:
//! `cargo run --release -p checkin-dcc --example verify_bench`.
//! Codes made by the test fixtures (ES256, PS256 with RSA-2048, a kid the
//! list does not hold among 200 P-256 signers), and every valid case of the
//! EU test set when `../shared/testdata/eu-dcc` is there. Prints the median
//! of 7 runs of N calls each, per code.

#[path = "../tests/common/mod.rs"]
mod common;

use checkin_dcc::{verify, TrustList};
use chrono::{DateTime, Duration, Utc};
use common::*;
use std::path::Path;
use std::time::Instant;

const CALLS: usize = 300;
const RUNS: usize = 7;

/// Median over `RUNS` of the mean µs per call.
fn time(text: &str, trust: &TrustList, at: DateTime<Utc>) -> f64 {
    let mut runs: Vec<f64> = (0..RUNS)
        .map(|_| {
            let t0 = Instant::now();
            for _ in 0..CALLS {
                std::hint::black_box(verify(std::hint::black_box(text), trust, at));
            }
            t0.elapsed().as_secs_f64() * 1e6 / CALLS as f64
        })
        .collect();
    runs.sort_by(f64::total_cmp);
    runs[RUNS / 2]
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let at = issued() + Duration::days(30);
    let p256 = Dsc::p256(&[]);
    let rsa = Dsc::rsa();
    let mut trust = TrustList::new();
    trust.add_text(&p256.pem()).unwrap();
    trust.add_text(&rsa.pem()).unwrap();
    let es = code(&p256, &vaccination());
    let ps = code(&rsa, &vaccination());
    assert!(verify(&es, &trust, at).is_valid() && verify(&ps, &trust, at).is_valid());
    println!(
        "ES256 (P-256), kid in the list: {:.0} µs",
        time(&es, &trust, at)
    );
    println!(
        "PS256 (RSA-2048), kid in the list: {:.0} µs",
        time(&ps, &trust, at)
    );

    let mut big = TrustList::new();
    for _ in 0..199 {
        big.add_text(&Dsc::p256(&[]).pem()).unwrap();
    }
    big.add_text(&p256.pem()).unwrap();
    let unknown = hc1(&sign1_with(
        &p256,
        cwt(&vaccination()),
        b"nokid!!!".to_vec(),
        KidAt::Protected,
        p256.alg,
    ));
    assert!(verify(&unknown, &big, at).is_valid());
    println!(
        "ES256, kid not in a list of 200 P-256 signers (every key tried, the right one last): {:.0} µs",
        time(&unknown, &big, at)
    );
    println!(
        "refused at the prefix: {:.2} µs",
        time("HC2:XYZ", &trust, at)
    );

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/testdata/eu-dcc");
    let mut files = Vec::new();
    collect(&root, &mut files);
    let mut per_code = Vec::new();
    for f in files {
        let Ok(case) = serde_json::from_str::<serde_json::Value>(
            &std::fs::read_to_string(&f).unwrap_or_default(),
        ) else {
            continue;
        };
        let ctx = &case["TESTCTX"];
        let (Some(text), Some(cert), Some(clock)) = (
            case["PREFIX"].as_str(),
            ctx["CERTIFICATE"].as_str(),
            ctx["VALIDATIONCLOCK"].as_str(),
        ) else {
            continue;
        };
        let Ok(at) = DateTime::parse_from_rfc3339(clock) else {
            continue;
        };
        let mut t = TrustList::new();
        if t.add_text(cert).is_err() || !verify(text, &t, at.to_utc()).is_valid() {
            continue;
        }
        per_code.push(time(text, &t, at.to_utc()));
    }
    if per_code.is_empty() {
        println!("EU test set: skipped (not found at {})", root.display());
    } else {
        println!(
            "EU test set, {} valid codes at their own clock: median {:.0} µs per code (min {:.0}, max {:.0})",
            per_code.len(),
            median(per_code.clone()),
            per_code.iter().copied().fold(f64::INFINITY, f64::min),
            per_code.iter().copied().fold(0.0, f64::max)
        );
    }
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "json")
            && p.to_string_lossy().contains("/raw/")
        {
            out.push(p);
        }
    }
}
