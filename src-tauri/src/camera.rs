//! The camera task: frames from a camera (nokhwa), a replayed folder (demos,
//! tests, machines without a camera) or the page's own `getUserMedia`
//! (tablets), through the same decoder and gate as every other scan.

use crate::state::App;
use checkin_core::Source;
use checkin_scan::LumaImage;
use checkin_station::scan::{self, Scanner, Seen, SourceOptions};
use checkin_station::{AdmitRequest, CameraPhase, CameraState, Result, ScanEvent, StationError};
use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime};

/// The source name of frames sent by the page.
pub const WEBVIEW: &str = "webview";

/// Frames per second asked of cameras and replayed folders.
const FPS: f64 = 15.0;

/// Frames each replayed image stays in view (default: one second's worth);
/// the app benchmark sets 1 to replay a thousand codes quickly.
pub const ENV_REPLAY_HOLD_FRAMES: &str = "CHECKIN_REPLAY_HOLD_FRAMES";

struct Running {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// The camera: at most one source runs at a time.
pub struct Camera {
    running: Mutex<Option<Running>>,
    state: Mutex<CameraState>,
    /// The scanner for frames the page sends (source `webview`).
    webview: Mutex<Option<Scanner>>,
}

impl Default for Camera {
    fn default() -> Self {
        Self {
            running: Mutex::new(None),
            state: Mutex::new(stopped("")),
            webview: Mutex::new(None),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn stopped(source: &str) -> CameraState {
    CameraState {
        state: CameraPhase::Stopped,
        source: source.to_string(),
        message: None,
        fps: 0.0,
    }
}

impl Camera {
    /// The camera's current state.
    pub fn state(&self) -> CameraState {
        lock(&self.state).clone()
    }

    fn set(&self, app: &App, s: CameraState) -> CameraState {
        *lock(&self.state) = s.clone();
        app.events.camera(&s);
        s
    }

    /// Starts `source` (stopping any other): `camera[:N]`, `replay:DIR`, or
    /// `webview` for frames the page sends with `camera_frame`.
    pub fn start(&self, app: &Arc<App>, source: &str) -> Result<CameraState> {
        self.stop(app);
        let hold = app.with_station(|st| st.hold())?;
        let source = source.trim().to_string();
        if source == WEBVIEW {
            *lock(&self.webview) = Some(Scanner::new(hold));
            return Ok(self.set(
                app,
                CameraState {
                    state: CameraPhase::Running,
                    source,
                    message: None,
                    fps: 0.0,
                },
            ));
        }
        if source.is_empty() {
            return Err(StationError::bad(
                "no_camera",
                "no camera chosen: pick one in settings (or a folder to replay)",
            ));
        }
        let stop = Arc::new(AtomicBool::new(false));
        let starting = self.set(
            app,
            CameraState {
                state: CameraPhase::Starting,
                source: source.clone(),
                message: None,
                fps: FPS,
            },
        );
        let thread = {
            let (app, stop) = (app.clone(), stop.clone());
            std::thread::Builder::new()
                .name("camera".into())
                .spawn(move || run(&app, &source, hold, &stop))
                .map_err(|e| crate::state::internal("camera thread", e))?
        };
        *lock(&self.running) = Some(Running {
            stop,
            thread: Some(thread),
        });
        Ok(starting)
    }

    /// Stops the running source, if any, and waits for its thread.
    pub fn stop(&self, app: &App) -> CameraState {
        let running = lock(&self.running).take();
        let had_webview = lock(&self.webview).take().is_some();
        if let Some(mut r) = running {
            r.stop.store(true, Ordering::SeqCst);
            if let Some(t) = r.thread.take() {
                // The loop checks the flag between frames (≤ 1/15 s).
                let _ = t.join();
            }
        } else if !had_webview {
            return self.state();
        }
        let source = self.state().source;
        self.set(app, stopped(&source))
    }

    /// Decodes one frame sent by the page (source `webview`).
    pub fn feed(&self, app: &App, width: usize, height: usize, luma: Vec<u8>) -> Result<()> {
        let frame_at = SystemTime::now();
        let image = LumaImage::new(width, height, luma)
            .map_err(|e| StationError::bad("invalid_frame", e.to_string()))?;
        let seen = {
            let mut scanner = lock(&self.webview);
            let Some(scanner) = scanner.as_mut() else {
                return Err(StationError::bad(
                    "camera_not_started",
                    "start the webview camera first",
                ));
            };
            scanner.feed(&image, frame_at, WEBVIEW)
        };
        for s in seen {
            decide(app, s);
        }
        Ok(())
    }
}

/// The camera thread: open, scan until stopped, report how it ended.
fn run(app: &Arc<App>, source: &str, hold: Duration, stop: &AtomicBool) {
    let opts = SourceOptions {
        fps: Some(FPS),
        // A replayed image stays in view for a second, as a card held up would.
        hold_frames: std::env::var(ENV_REPLAY_HOLD_FRAMES)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(FPS as usize),
        ..SourceOptions::default()
    };
    let mut frames = match scan::open_source(source, &opts) {
        Ok(f) => f,
        Err(e) => {
            app.camera.set(
                app,
                CameraState {
                    state: CameraPhase::Error,
                    source: source.to_string(),
                    message: Some(e.to_string()),
                    fps: 0.0,
                },
            );
            return;
        }
    };
    app.camera.set(
        app,
        CameraState {
            state: CameraPhase::Running,
            source: source.to_string(),
            message: None,
            fps: FPS,
        },
    );
    let mut scanner = Scanner::new(hold);
    scan::run(
        &mut *frames,
        &mut scanner,
        stop,
        |seen| {
            decide(app, seen);
            ControlFlow::Continue(())
        },
        |e| tracing::warn!(error = %e, "unreadable frame"),
    );
    if !stop.load(Ordering::SeqCst) {
        app.camera.set(
            app,
            CameraState {
                state: CameraPhase::Stopped,
                source: source.to_string(),
                message: Some("the source has no more frames".into()),
                fps: 0.0,
            },
        );
    }
}

/// A code seen by the camera goes through the gate like a typed one; the
/// page hears the verdict with the frame's time, to show it at once.
fn decide(app: &App, seen: Seen) {
    let direction = app.direction();
    let decided = app.with_station(|st| {
        let venue = st.venue()?;
        st.admit_with(
            &seen.code.text,
            &AdmitRequest {
                venue: &venue,
                direction,
                source: Source::Qr,
                hold: false,
                occurred_at: None,
            },
        )
    });
    match decided {
        Ok(admission) => {
            let event = ScanEvent {
                frame_at_ms: scan::epoch_ms(seen.frame_at),
                decided_at_ms: scan::epoch_ms(SystemTime::now()),
                source: seen.source,
                admission,
            };
            tracing::debug!(
                frame_to_decision_ms = event.decided_at_ms - event.frame_at_ms,
                decode_ms = seen.decode.as_millis() as u64,
                "scan decided"
            );
            app.events.scan(&event);
            app.remember(&event.admission);
            if event.admission.checkin_id().is_some() {
                app.stored();
            }
        }
        Err(e) => {
            tracing::warn!(error = %e, "scan not admitted");
            let mut s = app.camera.state();
            s.message = Some(e.to_string());
            app.camera.set(app, s);
        }
    }
}
