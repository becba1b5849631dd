//! What the app holds for its whole life, built once at start-up: the
//! station the UI's commands write through, the sync task (its own store
//! connection, so a slow network never blocks a scan) and the camera task.
//! Changes reach the page as events; the page never polls.

use crate::camera::Camera;
use crate::events::Events;
use checkin_core::Direction;
use checkin_station::sync::SyncControl;
use checkin_station::{Admission, Result, Station, StationError, StationStatus, SyncState};
use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// Scans the gate lists.
pub const RECENT_SCANS: usize = 20;

/// Status events are at most this often: a busy gate (a scan, a sync
/// pass, another scan…) sends one status with the latest counts instead of
/// one per change, so the page spends its frames on verdicts.
const STATUS_EVERY: Duration = Duration::from_millis(250);

/// The app's state, shared by every command and task.
pub struct App {
    pub data_dir: PathBuf,
    /// The station, or why it could not be opened (every command then
    /// answers with that error, so the page can say what to do).
    station: Mutex<std::result::Result<Station, (&'static str, String)>>,
    pub sync: Arc<SyncControl>,
    sync_state: Mutex<SyncState>,
    pub camera: Camera,
    /// The gate's entry/exit toggle, for camera scans.
    direction: Mutex<Direction>,
    /// The last scans and entries at the gate, newest first (all outcomes,
    /// also those not stored).
    recent: Mutex<VecDeque<Admission>>,
    pub events: Events,
    /// A status event is owed (see [`App::publish_status`]).
    status_due: Mutex<bool>,
    status_wake: Condvar,
}

/// A poisoned lock means a command panicked mid-way; the station's store
/// is transactional, so carrying on with its state is safe.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl App {
    /// Opens the station in `data_dir`; a station that cannot be opened
    /// (newer schema, damaged file, read-only folder) is kept as its error.
    pub fn open(data_dir: PathBuf, events: Events) -> Arc<Self> {
        let station = Station::open(&data_dir).map_err(|e| {
            tracing::error!(code = e.code(), error = %e, "the station cannot be opened");
            (e.code(), e.to_string())
        });
        let enrolled = station.as_ref().is_ok_and(|st| {
            st.status(SyncState::initial(false))
                .is_ok_and(|s| s.enrollment.is_some())
        });
        Arc::new(Self {
            data_dir,
            station: Mutex::new(station),
            sync: SyncControl::new(),
            sync_state: Mutex::new(SyncState::initial(enrolled)),
            camera: Camera::default(),
            direction: Mutex::new(Direction::In),
            recent: Mutex::new(VecDeque::new()),
            events,
            status_due: Mutex::new(false),
            status_wake: Condvar::new(),
        })
    }

    /// True when the station opened.
    pub fn is_open(&self) -> bool {
        lock(&self.station).is_ok()
    }

    /// Runs `f` on the station (one caller at a time).
    pub fn with_station<T>(&self, f: impl FnOnce(&mut Station) -> Result<T>) -> Result<T> {
        match &mut *lock(&self.station) {
            Ok(st) => f(st),
            Err((code, message)) => Err(StationError::bad(code, message.clone())),
        }
    }

    /// The station's status with the sync task's view of sync.
    pub fn status(&self) -> Result<StationStatus> {
        let sync = lock(&self.sync_state).clone();
        self.with_station(|st| st.status(sync))
    }

    /// Tells the page the status changed (after a write, a sync, a
    /// setting): the status thread sends it soon, once for many changes.
    pub fn publish_status(&self) {
        *lock(&self.status_due) = true;
        self.status_wake.notify_one();
    }

    /// The status thread: sends the status when one is owed, at most every
    /// [`STATUS_EVERY`]; runs for the app's life.
    pub fn spawn_status_publisher(self: &Arc<Self>) -> std::io::Result<()> {
        let app = Arc::clone(self);
        std::thread::Builder::new()
            .name("status".into())
            .spawn(move || loop {
                {
                    let mut due = lock(&app.status_due);
                    while !*due {
                        due = app.status_wake.wait(due).unwrap_or_else(|e| e.into_inner());
                    }
                    *due = false;
                }
                match app.status() {
                    Ok(s) => app.events.status(&s),
                    Err(e) => tracing::warn!(error = %e, "status not published"),
                }
                std::thread::sleep(STATUS_EVERY);
            })
            .map(drop)
    }

    /// A record was stored: the page shows new counts and sync starts.
    pub fn stored(&self) {
        self.publish_status();
        self.sync.wake();
    }

    /// The sync task's new state.
    pub fn set_sync_state(&self, s: &SyncState) {
        *lock(&self.sync_state) = s.clone();
        self.events.sync(s);
    }

    /// The gate's direction for camera scans.
    pub fn direction(&self) -> Direction {
        *lock(&self.direction)
    }

    pub fn set_direction(&self, d: Direction) {
        *lock(&self.direction) = d;
    }

    /// Remembers an admission for the gate's list.
    pub fn remember(&self, a: &Admission) {
        let mut a = a.clone();
        // An enrollment code is a secret: the list keeps only that it was one.
        if let Admission::NotCheckin { text, .. } = &mut a {
            *text = None;
        }
        let mut r = lock(&self.recent);
        r.push_front(a);
        r.truncate(RECENT_SCANS);
    }

    /// The gate's last admissions, newest first: this session's, else the
    /// check-ins stored before the app started.
    pub fn recent(&self, limit: usize) -> Result<Vec<Admission>> {
        let r = lock(&self.recent);
        if !r.is_empty() {
            return Ok(r.iter().take(limit).cloned().collect());
        }
        drop(r);
        self.with_station(|st| st.recent_admissions(limit))
    }
}

/// Errors of the app's own plumbing, as station errors for the page.
pub fn internal(what: &str, e: impl std::fmt::Display) -> StationError {
    StationError::Internal(format!("{what}: {e}"))
}
