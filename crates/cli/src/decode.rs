//! `checkin decode [--json] FILE...`: QR codes in image files.
//!
//! With `--json`, exactly one line per file, in the order given:
//! `{"file": "<path as given>", "codes": [{"text": "...", "kind": "..."}], "ms": <decode ms>}`,
//! or `{"file": "...", "error": "..."}` for a file that cannot be read. The
//! run goes on after an unreadable file and exits 1 at the end if any
//! failed. A file with no code is `"codes": []` and is not a failure.
//!
//! A visitor pass is verified offline against the keys of the station in
//! `--data-dir` (its own and those of its last sync config): its code gets
//! `"pass": {"valid": true, "name", "declared_on", "level", "expires_at"}`
//! or `"pass": {"valid": false, "problem", "reason"}`.
//!
//! A vaccine passport (kind `dcc`) is verified offline against the trust
//! list the station last downloaded (or `--trust-list FILE`) and judged by
//! the venue rules of its sync config, as the gate would:
//! `"dcc": {"level": "green"|"amber"|"red", "reasons": [...], "kind",
//! "name", "birth_date"}` (name and birth date only from an authentic
//! certificate).

use crate::exit::fail;
use anyhow::Result;
use checkin_core::{PassKeys, PayloadKind, Policy, TrustList};
use checkin_scan::{load_luma, Decoder};
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Exit code when some files could not be read.
const SOME_FILES_FAILED: u8 = 1;

#[derive(clap::Args)]
pub struct Args {
    /// One JSON line per file.
    #[arg(long)]
    json: bool,
    /// Verify vaccine passports with this trust list (docs/dcc.md JSON)
    /// instead of the station's last downloaded one.
    #[arg(long = "trust-list", value_name = "FILE")]
    trust_list: Option<PathBuf>,
    /// Verify passes and certificates as of this time (default: now).
    #[arg(long, value_name = "RFC3339")]
    at: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// PNG or JPEG images.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// What the station in `data_dir` verifies with, when it has a store (a
/// decode never creates one).
#[derive(Default)]
struct Verifiers {
    passes: PassKeys,
    trust: Option<TrustList>,
    policy: Policy,
}

fn station_verifiers(data_dir: &Path) -> Verifiers {
    if !data_dir.join(checkin_store::DB_FILE).exists() {
        return Verifiers::default();
    }
    match checkin_station::Station::open(data_dir) {
        Ok(st) => Verifiers {
            passes: st.pass_keys().clone(),
            trust: st.trust_list().cloned(),
            policy: st.policy(),
        },
        Err(e) => {
            eprintln!("checkin: warning: passes and certificates cannot be verified: {e}");
            Verifiers::default()
        }
    }
}

/// A vaccine passport as the gate would judge it.
fn dcc_check(v: &Verifiers, text: &str, at: chrono::DateTime<chrono::Utc>) -> Value {
    let check = checkin_core::check_certificate(text, v.trust.as_ref(), &v.policy, at);
    json!({
        "level": check.verdict.level,
        "reasons": check.verdict.reasons,
        "kind": check.kind,
        "name": check.holder.as_ref().map(|h| h.full_name.clone()),
        "birth_date": check.holder.as_ref().map(|h| h.birth_date.clone()),
    })
}

/// One line for a certificate's verdict, e.g. `green vaccination Nguyễn Văn An
/// (born 1990-08-15)` or `red certificate_invalid expired`.
fn dcc_line(check: &Value) -> String {
    let mut line = check["level"].as_str().unwrap_or_default().to_string();
    if let Some(kind) = check["kind"].as_str() {
        line.push_str(&format!(" {kind}"));
    }
    if let Some(name) = check["name"].as_str() {
        let born = check["birth_date"].as_str().unwrap_or_default();
        line.push_str(&format!(" {name} (born {born})"));
    }
    for r in check["reasons"].as_array().into_iter().flatten() {
        line.push_str(&format!(" {}", r["reason"].as_str().unwrap_or_default()));
        match &r["detail"] {
            Value::String(s) => line.push_str(&format!(" {s}")),
            Value::Object(o) => {
                if let Some(Value::String(rule)) = o.get("rule") {
                    line.push_str(&format!(" {rule}"));
                }
            }
            _ => {}
        }
    }
    line
}

fn pass_check(keys: &PassKeys, text: &str, at: chrono::DateTime<chrono::Utc>) -> Value {
    match keys.verify(text, at) {
        Ok(p) => json!({
            "valid": true,
            "name": p.claims.full_name,
            "declared_on": p.claims.declared_on,
            "level": p.claims.level,
            "expires_at": p.claims.expires_at,
            "issuer": p.issuer.to_string(),
        }),
        Err(problem) => json!({"valid": false, "problem": problem, "reason": problem.to_string()}),
    }
}

/// Who a health-insurance card or personal QR code names, or why it does
/// not read.
fn card_check(text: &str) -> Value {
    use checkin_core::{classify, IdentityKey, Payload};
    let person = |name: &str, birth: chrono::NaiveDate, key: IdentityKey| json!({"valid": true, "name": name, "birth_date": birth.to_string(), "key": key.to_string()});
    match classify(text) {
        Payload::Bhyt(b) => person(&b.full_name, b.birth_date, b.identity_key()),
        Payload::PersonalQr(q) => person(&q.full_name, q.birth_date, q.identity_key()),
        Payload::BadBhyt(e) => json!({"valid": false, "reason": e.to_string()}),
        Payload::BadPersonalQr(e) => json!({"valid": false, "reason": e.to_string()}),
        _ => Value::Null,
    }
}

pub fn run(data_dir: &Path, args: Args) -> Result<()> {
    checkin_scan::quiet_rqrr_panics();
    let mut verifiers = station_verifiers(data_dir);
    if let Some(path) = &args.trust_list {
        let text = std::fs::read_to_string(path)
            .map_err(|e| fail(2, format!("{}: {e}", path.display())))?;
        verifiers.trust = Some(
            TrustList::from_json(&text).map_err(|e| fail(2, format!("{}: {e}", path.display())))?,
        );
    }
    let at = args
        .at
        .map_or_else(chrono::Utc::now, |t| t.with_timezone(&chrono::Utc));
    let keys = &verifiers.passes;
    let mut decoder = Decoder::default();
    let mut failed = 0usize;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for path in &args.files {
        let shown = path.to_string_lossy();
        let img = match load_luma(path) {
            Ok(img) => img,
            Err(e) => {
                failed += 1;
                if args.json {
                    writeln!(out, "{}", json!({"file": shown, "error": e.to_string()}))?;
                } else {
                    writeln!(out, "{shown}: error: {e}")?;
                }
                continue;
            }
        };
        let t0 = Instant::now();
        let decoded = decoder.decode(&img);
        let ms = t0.elapsed().as_secs_f64() * 1e3;
        if args.json {
            let codes: Vec<_> = decoded
                .codes
                .iter()
                .map(|c| {
                    let mut v = json!({"text": c.text, "kind": c.kind.as_str()});
                    if c.kind == PayloadKind::Pass {
                        v["pass"] = pass_check(keys, &c.text, at);
                    }
                    if c.kind == PayloadKind::Dcc {
                        v["dcc"] = dcc_check(&verifiers, &c.text, at);
                    }
                    if matches!(c.kind, PayloadKind::Bhyt | PayloadKind::Qrqg) {
                        v["person"] = card_check(&c.text);
                    }
                    v
                })
                .collect();
            writeln!(out, "{}", json!({"file": shown, "codes": codes, "ms": ms}))?;
        } else if decoded.codes.is_empty() {
            writeln!(out, "{shown}: no code")?;
        } else {
            for c in &decoded.codes {
                writeln!(out, "{shown}: {} {}", c.kind, c.text)?;
                if matches!(c.kind, PayloadKind::Bhyt | PayloadKind::Qrqg) {
                    let p = card_check(&c.text);
                    match p["valid"].as_bool() {
                        Some(true) => writeln!(
                            out,
                            "{shown}: {} born {} ({})",
                            p["name"].as_str().unwrap_or_default(),
                            p["birth_date"].as_str().unwrap_or_default(),
                            p["key"].as_str().unwrap_or_default()
                        )?,
                        _ => writeln!(
                            out,
                            "{shown}: damaged {}: {}",
                            c.kind,
                            p["reason"].as_str().unwrap_or_default()
                        )?,
                    }
                }
                if c.kind == PayloadKind::Dcc {
                    let check = dcc_check(&verifiers, &c.text, at);
                    writeln!(out, "{shown}: certificate {}", dcc_line(&check))?;
                }
                if c.kind == PayloadKind::Pass {
                    let check = pass_check(keys, &c.text, at);
                    match check["valid"].as_bool() {
                        Some(true) => writeln!(
                            out,
                            "{shown}: valid pass of {} declared {} ({}), expires {}",
                            check["name"].as_str().unwrap_or_default(),
                            check["declared_on"].as_str().unwrap_or_default(),
                            check["level"].as_str().unwrap_or_default(),
                            check["expires_at"].as_str().unwrap_or_default()
                        )?,
                        _ => writeln!(
                            out,
                            "{shown}: pass refused: {}",
                            check["reason"].as_str().unwrap_or_default()
                        )?,
                    }
                }
            }
        }
        out.flush()?;
    }
    if failed > 0 {
        return Err(fail(
            SOME_FILES_FAILED,
            format!("{failed} of {} files could not be read", args.files.len()),
        ));
    }
    Ok(())
}
