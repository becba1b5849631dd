//! `checkin scan --source camera[:N]|FILE|DIR`: the headless scanning station.
//!
//! Reads frames, decodes them, debounces (one event per code per hold time)
//! and prints one JSON line per scan event. With `--venue`, each event is
//! also stored as a check-in in the station's queue, and the line carries
//! the record id and verdict.

use crate::exit::{fail, open_store, BAD_INPUT};
use anyhow::Result;
use checkin_core::{CheckIn, Direction, Policy, Source, VenueId};
use checkin_scan::{
    Debouncer, Decoder, DirSource, FileSource, FrameSource, ReplaySource, SystemClock,
};
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

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

fn hold(args: &Args) -> Result<Duration> {
    if !(args.hold.is_finite() && args.hold >= 0.0) {
        return Err(fail(
            BAD_INPUT,
            format!("--hold {}: not a duration", args.hold),
        ));
    }
    Ok(Duration::from_secs_f64(args.hold))
}

fn open_source(args: &Args) -> Result<Box<dyn FrameSource>> {
    if let Some(fps) = args.fps {
        if !(fps.is_finite() && fps > 0.0) {
            return Err(fail(BAD_INPUT, format!("--fps {fps}: must be > 0")));
        }
    }
    let s = args.source.as_deref().unwrap_or_default();
    if s == "camera" || s.starts_with("camera:") {
        return open_camera(args);
    }
    let path = Path::new(s);
    if path.is_dir() {
        let src: Box<dyn FrameSource> = match args.fps {
            Some(fps) => Box::new(
                ReplaySource::new(path, fps)
                    .map_err(|e| fail(BAD_INPUT, e.to_string()))?
                    .hold_frames(args.hold_frames)
                    .looping(args.looping),
            ),
            None if args.looping || args.hold_frames > 1 => Box::new(
                ReplaySource::new(path, 1000.0)
                    .map_err(|e| fail(BAD_INPUT, e.to_string()))?
                    .hold_frames(args.hold_frames)
                    .looping(args.looping)
                    .unpaced(),
            ),
            None => Box::new(DirSource::new(path).map_err(|e| fail(BAD_INPUT, e.to_string()))?),
        };
        return Ok(src);
    }
    if path.is_file() {
        return Ok(Box::new(FileSource::single(PathBuf::from(s))));
    }
    Err(fail(
        BAD_INPUT,
        format!("--source {s:?}: no such file or directory (or use camera[:N])"),
    ))
}

#[cfg(feature = "camera")]
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

#[cfg(feature = "camera")]
fn open_camera(args: &Args) -> Result<Box<dyn FrameSource>> {
    use checkin_scan::camera::{CameraRequest, CameraSource};
    let source = args.source.as_deref().unwrap_or_default();
    let index = match source.split_once(':') {
        Some((_, n)) => n.parse().map_err(|_| {
            fail(
                BAD_INPUT,
                format!("--source {source:?}: camera:N needs a number"),
            )
        })?,
        None => 0,
    };
    let (width, height) = parse_resolution(&args.resolution)?;
    let fps = args.fps.map_or(15, |f| f.round().max(1.0) as u32);
    let cam = CameraSource::open(CameraRequest {
        index,
        width,
        height,
        fps,
    })
    .map_err(|e| fail(BAD_INPUT, e.to_string()))?;
    Ok(Box::new(cam))
}

#[cfg(not(feature = "camera"))]
fn open_camera(_args: &Args) -> Result<Box<dyn FrameSource>> {
    Err(fail(
        BAD_INPUT,
        checkin_scan::ScanError::CameraDisabled.to_string(),
    ))
}

#[cfg(feature = "camera")]
fn list_cameras() -> Result<()> {
    let cams = checkin_scan::camera::list_cameras().map_err(|e| fail(BAD_INPUT, e.to_string()))?;
    if cams.is_empty() {
        eprintln!("no camera found");
    }
    for c in cams {
        println!(
            "{}",
            json!({"index": c.index, "name": c.name, "description": c.description})
        );
    }
    Ok(())
}

#[cfg(not(feature = "camera"))]
fn list_cameras() -> Result<()> {
    Err(fail(
        BAD_INPUT,
        checkin_scan::ScanError::CameraDisabled.to_string(),
    ))
}

pub fn run(data_dir: &Path, args: Args) -> Result<()> {
    if args.list_cameras {
        return list_cameras();
    }
    checkin_scan::quiet_rqrr_panics();
    let venue: Option<VenueId> = args
        .venue
        .as_deref()
        .map(|v| {
            v.parse()
                .map_err(|e| fail(BAD_INPUT, format!("--venue {v:?}: {e}")))
        })
        .transpose()?;
    let mut store = match venue {
        Some(_) => Some(open_store(data_dir)?),
        None => None,
    };
    let mut source = open_source(&args)?;
    let mut decoder = Decoder::default();
    let mut debouncer = Debouncer::new(hold(&args)?, SystemClock::default());
    let device_id = checkin_core::DeviceId::new();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut events = 0usize;
    let summary = |decoder: &Decoder, events: usize| {
        let st = decoder.stats();
        eprintln!(
            "checkin scan: {} frames, {} with a code, {} scan events, {} decoder panics caught",
            st.frames, st.frames_with_code, events, st.panics
        );
    };
    while let Some(frame) = source.next_frame() {
        let frame = match frame {
            Ok(f) => f,
            Err(e) => {
                writeln!(out, "{}", json!({"event": "error", "error": e.to_string()}))?;
                continue;
            }
        };
        let t0 = Instant::now();
        let decoded = decoder.decode(&frame.image);
        let ms = t0.elapsed().as_secs_f64() * 1e3;
        for ev in debouncer.feed(&decoded.codes) {
            let now = chrono::Local::now().fixed_offset();
            let mut line = json!({
                "event": "scan",
                "source": frame.name,
                "text": ev.code.text,
                "kind": ev.code.kind.as_str(),
                "time": now.to_rfc3339(),
                "ms": ms,
            });
            if ev.code.kind == checkin_core::PayloadKind::Enroll {
                // An enrollment token is a secret: never echo it into logs.
                line["text"] = json!("CKE1:(hidden)");
            }
            if let Some(raw) = ev.code.non_utf8_bytes() {
                // Not UTF-8 in the code: the text is our charset guess; keep
                // the exact bytes too.
                let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
                line["raw_hex"] = json!(hex);
                line["charset"] = json!(format!("{:?}", ev.code.charset).to_lowercase());
            }
            if let (Some(venue), Some(store)) = (&venue, store.as_mut()) {
                let stored = CheckIn::from_code(
                    &ev.code.text,
                    venue.clone(),
                    args.direction,
                    Source::Qr,
                    device_id,
                    now,
                    &Policy::default(),
                )
                .map_err(|e| e.to_string())
                .and_then(|mut c| {
                    store
                        .record_checkin(&mut c)
                        .map(|_| c)
                        .map_err(|e| format!("check-in not stored: {e}"))
                });
                match stored {
                    Ok(c) => {
                        line["checkin_id"] = json!(c.id.to_string());
                        line["verdict"] = json!(c.verdict.level.to_string());
                    }
                    Err(e) => line["error"] = json!(e),
                }
            }
            writeln!(out, "{line}")?;
            out.flush()?;
            events += 1;
            if args.max_events.is_some_and(|m| events >= m) {
                summary(&decoder, events);
                return Ok(());
            }
        }
    }
    summary(&decoder, events);
    Ok(())
}
