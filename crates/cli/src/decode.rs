//! `checkin decode [--json] FILE...`: QR codes in image files.
//!
//! With `--json`, exactly one line per file, in the order given:
//! `{"file": "<path as given>", "codes": [{"text": "...", "kind": "..."}], "ms": <decode ms>}`,
//! or `{"file": "...", "error": "..."}` for a file that cannot be read. The
//! run goes on after an unreadable file and exits 1 at the end if any
//! failed. A file with no code is `"codes": []` and is not a failure.

use crate::exit::fail;
use anyhow::Result;
use checkin_scan::{load_luma, Decoder};
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

/// Exit code when some files could not be read.
const SOME_FILES_FAILED: u8 = 1;

#[derive(clap::Args)]
pub struct Args {
    /// One JSON line per file.
    #[arg(long)]
    json: bool,
    /// PNG or JPEG images.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

pub fn run(args: Args) -> Result<()> {
    checkin_scan::quiet_rqrr_panics();
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
                .map(|c| json!({"text": c.text, "kind": c.kind.as_str()}))
                .collect();
            writeln!(out, "{}", json!({"file": shown, "codes": codes, "ms": ms}))?;
        } else if decoded.codes.is_empty() {
            writeln!(out, "{shown}: no code")?;
        } else {
            for c in &decoded.codes {
                writeln!(out, "{shown}: {} {}", c.kind, c.text)?;
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
