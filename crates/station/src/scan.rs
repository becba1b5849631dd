//! From frames to scans: a frame source (camera, replayed folder, image
//! files, or frames the app's WebView sends), the decoder, and the
//! debouncer that turns a code seen in many frames into one scan.

use crate::{CameraInfo, Result, StationError};
use checkin_scan::{
    Code, Debouncer, Decoder, DirSource, FileSource, FrameSource, LumaImage, ReplaySource,
    ScanError, SystemClock,
};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

/// Decoder and debouncer of one scanning station.
#[derive(Debug)]
pub struct Scanner {
    decoder: Decoder,
    debouncer: Debouncer<SystemClock>,
}

/// A code seen for the first time within the hold time.
#[derive(Debug, Clone)]
pub struct Seen {
    pub code: Code,
    /// When the frame arrived from its source.
    pub frame_at: SystemTime,
    /// Time spent decoding the frame.
    pub decode: Duration,
    /// The frame's source (file path, camera name and number).
    pub source: String,
}

impl Scanner {
    /// A scanner that reports the same code again only after `hold`.
    pub fn new(hold: Duration) -> Self {
        checkin_scan::quiet_rqrr_panics();
        Self {
            decoder: Decoder::default(),
            debouncer: Debouncer::new(hold, SystemClock::default()),
        }
    }

    /// Decodes one frame; returns the codes to report now.
    pub fn feed(&mut self, image: &LumaImage, frame_at: SystemTime, source: &str) -> Vec<Seen> {
        let t = Instant::now();
        let decoded = self.decoder.decode(image);
        let decode = t.elapsed();
        self.debouncer
            .feed(&decoded.codes)
            .into_iter()
            .map(|ev| Seen {
                code: ev.code,
                frame_at,
                decode,
                source: source.to_string(),
            })
            .collect()
    }

    /// Frames read, frames with a code, decoder panics caught.
    pub fn stats(&self) -> (u64, u64, u64) {
        let s = self.decoder.stats();
        (s.frames, s.frames_with_code, s.panics)
    }
}

/// How to open a source named by a settings string or a CLI flag.
#[derive(Debug, Clone)]
pub struct SourceOptions {
    /// Frames per second for replayed folders and cameras (`None`: as fast
    /// as frames decode for a folder, 15 for a camera).
    pub fps: Option<f64>,
    /// Replay: frames each image stays in view.
    pub hold_frames: usize,
    /// Replay: start again at the end.
    pub looping: bool,
    /// Camera resolution.
    pub resolution: (u32, u32),
}

impl Default for SourceOptions {
    fn default() -> Self {
        Self {
            fps: None,
            hold_frames: 1,
            looping: false,
            resolution: (1280, 720),
        }
    }
}

/// Opens `spec`: `camera` or `camera:N`, `replay:DIR` (a folder played as a
/// camera at `fps`, looping), a directory, or an image file.
pub fn open_source(spec: &str, opts: &SourceOptions) -> Result<Box<dyn FrameSource>> {
    let bad = |e: ScanError| StationError::bad("camera_unavailable", e.to_string());
    if let Some(fps) = opts.fps {
        if !(fps.is_finite() && fps > 0.0) {
            return Err(StationError::bad(
                "invalid_fps",
                format!("{fps} frames per second: must be > 0"),
            ));
        }
    }
    if spec == "camera" || spec.starts_with("camera:") {
        return open_camera(spec, opts);
    }
    if let Some(dir) = spec.strip_prefix("replay:") {
        let src = ReplaySource::new(Path::new(dir.trim()), opts.fps.unwrap_or(15.0))
            .map_err(bad)?
            .hold_frames(opts.hold_frames)
            .looping(true);
        return Ok(Box::new(src));
    }
    let path = Path::new(spec);
    if path.is_dir() {
        return Ok(match opts.fps {
            Some(fps) => Box::new(
                ReplaySource::new(path, fps)
                    .map_err(bad)?
                    .hold_frames(opts.hold_frames)
                    .looping(opts.looping),
            ),
            None if opts.looping || opts.hold_frames > 1 => Box::new(
                ReplaySource::new(path, 1000.0)
                    .map_err(bad)?
                    .hold_frames(opts.hold_frames)
                    .looping(opts.looping)
                    .unpaced(),
            ),
            None => Box::new(DirSource::new(path).map_err(bad)?),
        });
    }
    if path.is_file() {
        return Ok(Box::new(FileSource::single(PathBuf::from(spec))));
    }
    Err(StationError::bad(
        "camera_unavailable",
        format!(
            "{spec:?}: no such file or directory, and not a camera (use camera[:N], replay:DIR, DIR or FILE)"
        ),
    ))
}

#[cfg(feature = "camera")]
fn open_camera(spec: &str, opts: &SourceOptions) -> Result<Box<dyn FrameSource>> {
    use checkin_scan::camera::{CameraRequest, CameraSource};
    let index = match spec.split_once(':') {
        Some((_, n)) => n.parse().map_err(|_| {
            StationError::bad(
                "invalid_camera",
                format!("{spec:?}: camera:N needs a number"),
            )
        })?,
        None => 0,
    };
    let cam = CameraSource::open(CameraRequest {
        index,
        width: opts.resolution.0,
        height: opts.resolution.1,
        fps: opts.fps.map_or(15, |f| f.round().max(1.0) as u32),
    })
    .map_err(|e| StationError::bad("camera_unavailable", e.to_string()))?;
    Ok(Box::new(cam))
}

#[cfg(not(feature = "camera"))]
fn open_camera(_spec: &str, _opts: &SourceOptions) -> Result<Box<dyn FrameSource>> {
    Err(StationError::bad(
        "camera_unavailable",
        ScanError::CameraDisabled.to_string(),
    ))
}

/// The cameras of this machine (none without the `camera` feature).
pub fn cameras() -> Result<Vec<CameraInfo>> {
    #[cfg(feature = "camera")]
    {
        let list = checkin_scan::camera::list_cameras()
            .map_err(|e| StationError::bad("camera_unavailable", e.to_string()))?;
        Ok(list
            .into_iter()
            .map(|c| CameraInfo {
                source: format!("camera:{}", c.index),
                name: c.name,
            })
            .collect())
    }
    #[cfg(not(feature = "camera"))]
    {
        Ok(Vec::new())
    }
}

/// Reads frames until the source ends, `stop` is set, or `on_seen` breaks:
/// every new code goes to `on_seen`, every unreadable frame to `on_error`.
pub fn run(
    source: &mut dyn FrameSource,
    scanner: &mut Scanner,
    stop: &AtomicBool,
    mut on_seen: impl FnMut(Seen) -> ControlFlow<()>,
    mut on_error: impl FnMut(ScanError),
) {
    while !stop.load(Ordering::Relaxed) {
        let Some(frame) = source.next_frame() else {
            return;
        };
        let frame_at = SystemTime::now();
        match frame {
            Err(e) => on_error(e),
            Ok(f) => {
                for seen in scanner.feed(&f.image, frame_at, &f.name) {
                    if on_seen(seen).is_break() {
                        return;
                    }
                }
            }
        }
    }
}

/// Milliseconds since the Unix epoch (the page compares with `Date.now()`).
pub fn epoch_ms(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
