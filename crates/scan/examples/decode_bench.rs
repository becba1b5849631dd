//! Decoder-only benchmark: loads each image (untimed), decodes it (timed) on
//! one thread, prints one JSON line per file:
//! `{"file":..,"texts":[..],"ms":..,"strategy":..,"attempts":..,"panics":..}`.
//!
//! Usage: decode_bench [--each] [--no-adaptive] [--strategies a,b,..]
//!                     [--budget-ms N] FILE... | @LISTFILE
//! `--each` runs every strategy alone on every file (for tuning priors) and
//! prints `{"file":..,"strategy":..,"ok":bool,"ms":..}` lines.
use checkin_scan::{load_luma, Decoder, DecoderConfig, Strategy};
use std::time::Instant;

fn expected(path: &std::path::Path) -> Option<String> {
    let txt = path.with_extension("txt");
    std::fs::read_to_string(txt)
        .ok()
        .map(|s| s.trim_end_matches(['\n', '\r']).to_string())
}

fn main() {
    checkin_scan::quiet_rqrr_panics();
    let mut files = Vec::new();
    let (mut each, mut adaptive) = (false, true);
    let mut config = DecoderConfig::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--each" => each = true,
            "--no-adaptive" => adaptive = false,
            "--budget-ms" => {
                let ms: u64 = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--budget-ms N");
                config.budget = std::time::Duration::from_millis(ms);
            }
            "--strategies" => {
                let list = args.next().expect("--strategies a,b");
                config.strategies = list
                    .split(',')
                    .map(|n| {
                        *Strategy::ALL
                            .iter()
                            .find(|s| s.name() == n)
                            .unwrap_or_else(|| panic!("unknown strategy {n}"))
                    })
                    .collect();
            }
            _ if a.starts_with('@') => {
                let list = std::fs::read_to_string(&a[1..]).expect("list file");
                files.extend(list.lines().filter(|l| !l.is_empty()).map(String::from));
            }
            _ => files.push(a),
        }
    }
    config.adaptive = adaptive;
    let mut decoder = Decoder::new(config.clone());
    let (mut ok, mut total) = (0, 0);
    for f in &files {
        let path = std::path::Path::new(f);
        let img = match load_luma(path) {
            Ok(i) => i,
            Err(e) => {
                println!("{}", serde_json::json!({"file": f, "error": e.to_string()}));
                continue;
            }
        };
        let want = expected(path);
        if each {
            for s in Strategy::ALL {
                let mut d = Decoder::new(DecoderConfig {
                    strategies: vec![s],
                    adaptive: false,
                    ..config.clone()
                });
                let t0 = Instant::now();
                let r = d.decode(&img);
                let ms = t0.elapsed().as_secs_f64() * 1e3;
                let good = match &want {
                    Some(w) => r
                        .codes
                        .iter()
                        .any(|c| c.text.trim_end_matches(['\n', '\r']) == w),
                    None => !r.codes.is_empty(),
                };
                println!(
                    "{}",
                    serde_json::json!({"file": f, "strategy": s.name(), "ok": good, "ran": r.attempts > 0, "ms": ms, "panics": r.panics})
                );
            }
            continue;
        }
        let t0 = Instant::now();
        let r = decoder.decode(&img);
        let ms = t0.elapsed().as_secs_f64() * 1e3;
        let texts: Vec<&str> = r.codes.iter().map(|c| c.text.as_str()).collect();
        total += 1;
        if let Some(w) = &want {
            if texts.iter().any(|t| t.trim_end_matches(['\n', '\r']) == w) {
                ok += 1;
            }
        }
        println!(
            "{}",
            serde_json::json!({"file": f, "texts": texts, "ms": ms,
                "strategy": r.strategy.map(|s| s.name()), "attempts": r.attempts, "panics": r.panics})
        );
    }
    if !each {
        eprintln!(
            "matched expected text: {ok}/{total}; panics caught: {}",
            decoder.stats().panics
        );
    }
}
