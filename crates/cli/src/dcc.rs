//! `checkin dcc verify`: an EU Digital COVID Certificate (`HC1:` text)
//! checked offline against document-signer certificates.
//!
//! The code comes from `--code` or stdin (its first non-empty line). The
//! trust list is any number of `--trust-cert FILE` (PEM, base64 DER or DER)
//! and at most one `--trust-list FILE` (the JSON format of docs/dcc.md).
//! With `--json`, one line:
//! `{"valid": bool, "reason": null|"<code>", "kind": null|"vaccination"|"test"|"recovery",
//!   "name": null|"...", "birth_date": null|"...", "detail": null|"..."}`;
//! name and birth date only when the signature verified. Exit 0 when valid,
//! 1 when not, 2 when a trust file or the input cannot be used.

use crate::exit::{fail, BAD_INPUT};
use anyhow::Result;
use checkin_dcc::{DocumentSigner, Entry, TrustList, Verdict};
use chrono::{DateTime, FixedOffset, Utc};
use serde_json::json;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Exit code of a certificate that is not valid.
const NOT_VALID: u8 = 1;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Verify an HC1: code (stdin or --code); exit 0 valid, 1 not valid.
    Verify(VerifyArgs),
}

#[derive(clap::Args)]
struct VerifyArgs {
    /// A document-signer certificate: PEM, base64 DER or DER (repeatable).
    #[arg(long = "trust-cert", value_name = "FILE")]
    trust_certs: Vec<PathBuf>,
    /// A trust list in the JSON format of docs/dcc.md.
    #[arg(long = "trust-list", value_name = "FILE")]
    trust_list: Option<PathBuf>,
    /// Verify as of this time (default: now), e.g. 2021-06-01T08:00:00+07:00.
    #[arg(long, value_name = "RFC3339")]
    at: Option<DateTime<FixedOffset>>,
    /// The HC1: text (default: read from stdin).
    #[arg(long, value_name = "TEXT")]
    code: Option<String>,
    /// One JSON line instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<()> {
    match args.command {
        Command::Verify(a) => verify(a),
    }
}

fn unusable(path: &Path, e: impl std::fmt::Display) -> anyhow::Error {
    fail(BAD_INPUT, format!("{}: {e}", path.display()))
}

fn trust_list(args: &VerifyArgs) -> Result<TrustList> {
    let mut trust = match &args.trust_list {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| unusable(path, e))?;
            TrustList::from_json(&text).map_err(|e| unusable(path, e))?
        }
        None => TrustList::new(),
    };
    for path in &args.trust_certs {
        let bytes = std::fs::read(path).map_err(|e| unusable(path, e))?;
        match String::from_utf8(bytes) {
            Ok(text) => trust.add_text(&text).map(drop),
            Err(raw) => DocumentSigner::from_der(raw.as_bytes(), None, None).map(|s| trust.push(s)),
        }
        .map_err(|e| unusable(path, e))?;
    }
    Ok(trust)
}

fn input(args: &VerifyArgs) -> Result<String> {
    if let Some(code) = &args.code {
        return Ok(code.clone());
    }
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| fail(BAD_INPUT, format!("stdin: {e}")))?;
    Ok(text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .to_string())
}

fn verify(args: VerifyArgs) -> Result<()> {
    let trust = trust_list(&args)?;
    if trust.is_empty() {
        eprintln!("checkin: warning: no trust list (--trust-cert, --trust-list): no signature can be verified");
    }
    let code = input(&args)?;
    let at = args.at.map_or_else(Utc::now, |t| t.with_timezone(&Utc));
    let verdict = checkin_dcc::verify(&code, &trust, at);
    if args.json {
        println!("{}", as_json(&verdict));
    } else {
        print!("{}", as_text(&verdict));
    }
    match verdict.reason() {
        None => Ok(()),
        Some(reason) => Err(fail(NOT_VALID, format!("certificate not valid: {reason}"))),
    }
}

fn as_json(v: &Verdict) -> serde_json::Value {
    json!({
        "valid": v.is_valid(),
        "reason": v.reason(),
        "kind": v.dcc.as_ref().map(|d| d.kind()),
        "name": v.dcc.as_ref().map(|d| d.name.full()),
        "birth_date": v.dcc.as_ref().map(|d| d.birth_date.clone()),
        "detail": v.error.as_ref().map(|e| e.to_string()),
    })
}

/// `key: value` lines, the same words in Vietnamese and English use.
fn as_text(v: &Verdict) -> String {
    let mut out = String::new();
    let mut line = |k: &str, val: String| out.push_str(&format!("{k}: {val}\n"));
    line(
        "valid",
        if v.is_valid() {
            "yes (hợp lệ)"
        } else {
            "no (không hợp lệ)"
        }
        .into(),
    );
    if let (Some(reason), Some(e)) = (v.reason(), &v.error) {
        line("reason", format!("{reason} ({e})"));
    }
    if let Some(d) = &v.dcc {
        let what = match &d.entry {
            Entry::Vaccination(x) => format!(
                "vaccination {}/{} {} {} {}",
                x.dose_number, x.total_doses, x.product, x.date, x.country
            ),
            Entry::Test(x) => format!(
                "test {} {} {} {}",
                x.test_type,
                if x.is_negative() {
                    "negative"
                } else {
                    "positive"
                },
                x.sampled_at.to_rfc3339(),
                x.country
            ),
            Entry::Recovery(x) => format!(
                "recovery {} .. {} {}",
                x.valid_from, x.valid_until, x.country
            ),
        };
        line("kind", what);
        line("name", d.name.full());
        line("birth_date", d.birth_date.clone());
        line("id", d.entry.certificate_id().to_string());
        line("issued_at", d.issued_at.to_rfc3339());
        line("expires_at", d.expires_at.to_rfc3339());
    }
    if let Some(s) = &v.signer {
        line(
            "signer",
            format!("{} {}", s.kid, s.country.as_deref().unwrap_or(""))
                .trim_end()
                .to_string(),
        );
    }
    out
}
