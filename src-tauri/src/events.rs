//! Events the app pushes to the page, by name. The page renders what they
//! carry instead of polling.

use checkin_station::{CameraState, ScanEvent, StationStatus, SyncState};
use serde::Serialize;
use tauri::{AppHandle, Emitter};

/// The queue, enrollment or settings changed.
pub const STATUS: &str = "station://status";
/// A camera scan was decided.
pub const SCAN: &str = "station://scan";
/// Sync progress or health changed.
pub const SYNC: &str = "station://sync";
/// The camera started, stopped or failed.
pub const CAMERA: &str = "station://camera";

/// Sends events to every window; without a window (tests) it only logs.
#[derive(Clone, Default)]
pub struct Events(Option<AppHandle>);

impl Events {
    pub fn new(app: AppHandle) -> Self {
        Self(Some(app))
    }

    fn emit<T: Serialize + Clone>(&self, name: &str, payload: &T) {
        if let Some(app) = &self.0 {
            if let Err(e) = app.emit(name, payload.clone()) {
                tracing::warn!(event = name, error = %e, "event not delivered");
            }
        }
    }

    pub fn status(&self, s: &StationStatus) {
        self.emit(STATUS, s);
    }

    pub fn scan(&self, s: &ScanEvent) {
        self.emit(SCAN, s);
    }

    pub fn sync(&self, s: &SyncState) {
        self.emit(SYNC, s);
    }

    pub fn camera(&self, s: &CameraState) {
        self.emit(CAMERA, s);
    }
}
