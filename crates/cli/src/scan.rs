//! `checkin scan --source camera[:N]|FILE|DIR`: the headless scanning station.
//!
//! Reads frames, decodes them, debounces (one event per code per hold time)
//! and prints one JSON line per scan event. With `--venue`, each event goes
//! through the gate as the app's gatekeeper screen does: codes that name a
//! person are stored as check-ins (the line carries the id and verdict),
//! others are reported as not check-in codes.

use crate::exit::{fail, open_station, station, BAD_INPUT};
use anyhow::Result;
use checkin_core::{Direction, PayloadKind, Source, VenueId};
use checkin_station::scan::{self as frames, Scanner, SourceOptions};
use checkin_station::{Admission, AdmitRequest};
use serde_json::json;
use std::io::Write;
use std::ops::ControlFlow;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

#[derive(clap::Args)]
pub struct Args {
    /// `camera` or `camera:N` (needs the `camera` build feature), an image
    /// file, or a directory of images.
    #[arg(
        long,
        value_name = "camera[:N]|FILE|DIR",
        required_unless_present = "list_cameras"
    )]
    source: Option<String>,
    /// Play a directory as a camera at this many frames per second
    /// (default: as fast as frames decode). Camera: requested frame rate.
    #[arg(long, value_name = "F")]
    fps: Option<f64>,
    /// Record each scan event as a check-in at this venue.
    #[arg(long, value_name = "ID")]
    venue: Option<String>,
    #[arg(long, default_value = "in")]
    direction: Direction,
    /// Seconds before the same code makes another event.
    #[arg(long, default_value_t = 3.0, value_name = "SECONDS")]
    hold: f64,
    /// Directory replay: frames each image stays in view.
    #[arg(long, default_value_t = 1, value_name = "N")]
    hold_frames: usize,
    /// Directory replay: start again at the end (stop with Ctrl-C).
    #[arg(long = "loop")]
    looping: bool,
    /// Stop after this many scan events.
    #[arg(long, value_name = "N")]
    max_events: Option<usize>,
    /// Camera resolution, e.g. 1280x720.
    #[arg(long, default_value = "1280x720", value_name = "WxH")]
    resolution: String,
    /// List cameras (JSON lines) and exit.
    #[arg(long)]
    list_cameras: bool,
}

fn parse_resolution(s: &str) -> Result<(u32, u32)> {
    let bad = || {
        fail(
            BAD_INPUT,
            format!("--resolution {s:?}: expected WxH, e.g. 1280x720"),
        )
    };
    let (w, h) = s.split_once(['x', 'X']).ok_or_else(bad)?;
    Ok((w.parse().map_err(|_| bad())?, h.parse().map_err(|_| bad())?))
}

pub fn run(data_dir: &Path, args: Args) -> Result<()> {
    if args.list_cameras {
        let cams = frames::cameras().map_err(station)?;
        if cams.is_empty() {
            if cfg!(feature = "camera") {
                eprintln!("no camera found");
            } else {
                return Err(fail(
                    BAD_INPUT,
                    checkin_scan::ScanError::CameraDisabled.to_string(),
                ));
            }
        }
        for c in cams {
            println!("{}", json!({"source": c.source, "name": c.name}));
        }
        return Ok(());
    }
    if !(args.hold.is_finite() && args.hold >= 0.0) {
        return Err(fail(
            BAD_INPUT,
            format!("--hold {}: not a duration", args.hold),
        ));
    }
    let venue: Option<VenueId> = args
        .venue
        .as_deref()
        .map(|v| {
            v.parse()
                .map_err(|e| fail(BAD_INPUT, format!("--venue {v:?}: {e}")))
        })
        .transpose()?;
    let mut st = match venue {
        Some(_) => Some(open_station(data_dir)?),
        None => None,
    };
    let opts = SourceOptions {
        fps: args.fps,
        hold_frames: args.hold_frames,
        looping: args.looping,
        resolution: parse_resolution(&args.resolution)?,
    };
    let spec = args.source.as_deref().unwrap_or_default();
    let mut source = frames::open_source(spec, &opts).map_err(station)?;
    let mut scanner = Scanner::new(Duration::from_secs_f64(args.hold));
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut events = 0usize;
    let mut io_error = None;
    frames::run(
        &mut *source,
        &mut scanner,
        &AtomicBool::new(false),
        |seen| {
            let now = chrono::Local::now().fixed_offset();
            let mut line = json!({
                "event": "scan",
                "source": seen.source,
                "text": seen.code.text,
                "kind": seen.code.kind.as_str(),
                "time": now.to_rfc3339(),
                "ms": seen.decode.as_secs_f64() * 1e3,
            });
            if seen.code.kind == PayloadKind::Enroll {
                // An enrollment token is a secret: never echo it into logs.
                line["text"] = json!("CKE1:(hidden)");
            }
            if let Some(raw) = seen.code.non_utf8_bytes() {
                // Not UTF-8 in the code: the text is our charset guess; keep
                // the exact bytes too.
                let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
                line["raw_hex"] = json!(hex);
                line["charset"] = json!(format!("{:?}", seen.code.charset).to_lowercase());
            }
            if let (Some(venue), Some(st)) = (&venue, st.as_mut()) {
                let req = AdmitRequest {
                    venue,
                    direction: args.direction,
                    source: Source::Qr,
                    hold: false,
                    occurred_at: None,
                };
                match st.admit_with(&seen.code.text, &req) {
                    Ok(a) => {
                        line["status"] = json!(status_name(&a));
                        if let Some(id) = a.checkin_id() {
                            line["checkin_id"] = json!(id);
                        }
                        if let Some(v) = a.verdict() {
                            line["verdict"] = json!(v.level.to_string());
                        }
                        match &a {
                            Admission::NotCheckin { problem, .. } => {
                                line["problem"] = json!(problem)
                            }
                            Admission::PassRefused { problem, .. } => {
                                line["problem"] = json!(problem)
                            }
                            _ => {}
                        }
                    }
                    Err(e) => line["error"] = json!(format!("check-in not stored: {e}")),
                }
            }
            if let Err(e) = writeln!(out, "{line}").and_then(|_| out.flush()) {
                io_error = Some(e);
                return ControlFlow::Break(());
            }
            events += 1;
            if args.max_events.is_some_and(|m| events >= m) {
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        },
        |e| {
            let _ = writeln!(
                std::io::stdout(),
                "{}",
                json!({"event": "error", "error": e.to_string()})
            );
        },
    );
    if let Some(e) = io_error {
        return Err(e.into());
    }
    let (frames_read, with_code, panics) = scanner.stats();
    eprintln!(
        "checkin scan: {frames_read} frames, {with_code} with a code, {events} scan events, {panics} decoder panics caught"
    );
    Ok(())
}

fn status_name(a: &Admission) -> &'static str {
    match a {
        Admission::Recorded { .. } => "recorded",
        Admission::Repeat { .. } => "repeat",
        Admission::NotCheckin { .. } => "not_checkin",
        Admission::PassRefused { .. } => "pass_refused",
    }
}
