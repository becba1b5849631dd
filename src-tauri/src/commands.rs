//! The app's commands, in one place: each is one call into the station
//! library (or the app's camera and sync tasks), run off the window's thread.
//! Arguments are snake_case as the page sends them; errors reach the page as
//! `{code, message, fields?}` and the page branches on `code` only.
//!
//! They live in a module because `#[tauri::command]` at the crate root
//! collides with the macro's own items (E0255).

use crate::state::{internal, App};
use checkin_core::{Declaration, Direction, Source, TypedPerson};
use checkin_station::{
    Admission, CameraInfo, CameraState, CommandError, Declared, EnrollInput, HealthUpdateInput,
    PaperDeclaration, PaperVisit, QuarantineCaseView, QuarantineRegistration, RejectedRecord,
    SameDayRecord, Settings, SettingsPatch, Station, StationError, StationStatus, Unit,
};
use std::sync::Arc;
use tauri::State;

type Reply<T> = Result<T, CommandError>;
type AppState<'a> = State<'a, Arc<App>>;

/// Runs `f` on a blocking thread: SQLite may wait on its busy timeout and
/// fsync, and the window must not.
async fn blocking<T: Send + 'static>(
    app: &AppState<'_>,
    f: impl FnOnce(&App) -> checkin_station::Result<T> + Send + 'static,
) -> Reply<T> {
    let app = Arc::clone(app);
    tauri::async_runtime::spawn_blocking(move || f(&app))
        .await
        .map_err(|e| internal("command task", e))
        .and_then(|r| r)
        .map_err(|e| {
            if matches!(e, StationError::Internal(_) | StationError::Store(_)) {
                tracing::warn!(code = e.code(), error = %e, "command failed");
            }
            CommandError::from(&e)
        })
}

/// Stores an admission's trace for the gate list and wakes sync when a
/// record was stored.
fn admitted(
    app: &App,
    a: checkin_station::Result<Admission>,
) -> checkin_station::Result<Admission> {
    let a = a?;
    app.remember(&a);
    if a.checkin_id().is_some() {
        app.stored();
    }
    Ok(a)
}

#[tauri::command(rename_all = "snake_case")]
pub async fn station_status(app: AppState<'_>) -> Reply<StationStatus> {
    blocking(&app, |app| app.status()).await
}

/// The page has rendered its first screen with real data (cold-start benchmark).
#[tauri::command(rename_all = "snake_case")]
pub async fn ui_ready(app: AppState<'_>) -> Reply<()> {
    blocking(&app, |_| crate::bench::ready()).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn gate_admit(app: AppState<'_>, code: String, direction: Direction) -> Reply<Admission> {
    blocking(&app, move |app| {
        admitted(
            app,
            app.with_station(|st| st.admit(&code, direction, Source::Qr)),
        )
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn gate_manual(
    app: AppState<'_>,
    person: TypedPerson,
    direction: Direction,
) -> Reply<Admission> {
    blocking(&app, move |app| {
        admitted(
            app,
            app.with_station(|st| st.admit_typed(&person, direction)),
        )
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn gate_recent(app: AppState<'_>, limit: usize) -> Reply<Vec<Admission>> {
    blocking(&app, move |app| {
        app.recent(limit.min(crate::state::RECENT_SCANS))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn gate_set_direction(app: AppState<'_>, direction: Direction) -> Reply<()> {
    blocking(&app, move |app| {
        app.set_direction(direction);
        Ok(())
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn camera_list(app: AppState<'_>) -> Reply<Vec<CameraInfo>> {
    blocking(&app, crate::camera_sources).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn camera_start(app: AppState<'_>, source: String) -> Reply<CameraState> {
    let handle = Arc::clone(&app);
    blocking(&app, move |app| app.camera.start(&handle, &source)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn camera_stop(app: AppState<'_>) -> Reply<CameraState> {
    blocking(&app, |app| Ok(app.camera.stop(app))).await
}

/// A frame from the page's camera: raw 8-bit luma bytes, size in headers.
#[tauri::command(rename_all = "snake_case")]
pub async fn camera_frame(app: AppState<'_>, request: tauri::ipc::Request<'_>) -> Reply<()> {
    let size = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok())
            .ok_or_else(|| {
                CommandError::from(&StationError::bad(
                    "invalid_frame",
                    format!("header {name} missing"),
                ))
            })
    };
    let (width, height) = (size("x-width")?, size("x-height")?);
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(CommandError::from(&StationError::bad(
            "invalid_frame",
            "send the frame as raw bytes",
        )));
    };
    let luma = bytes.clone();
    blocking(&app, move |app| app.camera.feed(app, width, height, luma)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn kiosk_declare(app: AppState<'_>, declaration: Declaration) -> Reply<Declared> {
    blocking(&app, move |app| {
        stored(app, app.with_station(|st| st.declare_at_kiosk(declaration)))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn kiosk_unlock(app: AppState<'_>, pin: String) -> Reply<bool> {
    blocking(&app, move |app| {
        app.with_station(|st| st.unlock_kiosk(&pin))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn set_kiosk_pin(
    app: AppState<'_>,
    old_pin: Option<String>,
    new_pin: String,
) -> Reply<()> {
    blocking(&app, move |app| {
        settled(
            app,
            app.with_station(|st| st.set_kiosk_pin(old_pin.as_deref(), &new_pin)),
        )
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn units(app: AppState<'_>, parent: Option<String>) -> Reply<Vec<Unit>> {
    blocking(&app, move |app| {
        app.with_station(|st| st.units(parent.as_deref()))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn paper_declare(app: AppState<'_>, input: PaperDeclaration) -> Reply<Declared> {
    blocking(&app, move |app| {
        stored(app, app.with_station(|st| st.declare_on_paper(input)))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn paper_visit(app: AppState<'_>, input: PaperVisit) -> Reply<Admission> {
    blocking(&app, move |app| {
        admitted(app, app.with_station(|st| st.visit_on_paper(input)))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn same_day(
    app: AppState<'_>,
    person: TypedPerson,
    date: chrono::NaiveDate,
) -> Reply<Vec<SameDayRecord>> {
    blocking(&app, move |app| {
        app.with_station(|st| st.same_day_for(&person, date))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn quarantine_list(app: AppState<'_>) -> Reply<Vec<QuarantineCaseView>> {
    blocking(&app, |app| app.with_station(Station::quarantine_list)).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn quarantine_register(
    app: AppState<'_>,
    input: QuarantineRegistration,
) -> Reply<QuarantineCaseView> {
    blocking(&app, move |app| {
        stored(app, app.with_station(|st| st.register_quarantine(input)))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn quarantine_find(app: AppState<'_>, code: String) -> Reply<Option<QuarantineCaseView>> {
    blocking(&app, move |app| {
        app.with_station(|st| st.find_quarantine(&code))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn quarantine_update(
    app: AppState<'_>,
    input: HealthUpdateInput,
) -> Reply<QuarantineCaseView> {
    blocking(&app, move |app| {
        stored(app, app.with_station(|st| st.update_quarantine(input)))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn sync_now(app: AppState<'_>) -> Reply<()> {
    blocking(&app, |app| {
        app.sync.sync_now();
        Ok(())
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn rejected_list(app: AppState<'_>) -> Reply<Vec<RejectedRecord>> {
    blocking(&app, |app| app.with_station(|st| st.rejected())).await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn rejected_requeue(app: AppState<'_>, seq: u64) -> Reply<()> {
    blocking(&app, move |app| {
        stored(app, app.with_station(|st| st.requeue(seq)))
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn rejected_fix_venue(app: AppState<'_>, seq: u64, venue_id: String) -> Reply<()> {
    blocking(&app, move |app| {
        stored(app, app.with_station(|st| st.fix_venue(seq, &venue_id)))
    })
    .await
}

/// Enrolls on a connection of its own, so the gate keeps scanning while the
/// network answers; then the station reloads its new config.
#[tauri::command(rename_all = "snake_case")]
pub async fn enroll(app: AppState<'_>, input: EnrollInput) -> Reply<StationStatus> {
    blocking(&app, move |app| {
        let mut own = Station::open(&app.data_dir)?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| internal("enroll runtime", e))?;
        rt.block_on(own.enroll(&input))?;
        app.with_station(Station::reload_config)?;
        app.sync.sync_now();
        app.publish_status();
        app.status()
    })
    .await
}

#[tauri::command(rename_all = "snake_case")]
pub async fn settings_update(app: AppState<'_>, patch: SettingsPatch) -> Reply<Settings> {
    blocking(&app, move |app| {
        settled(app, app.with_station(|st| st.update_settings(&patch)))
    })
    .await
}

/// A record was stored: tell the page and wake sync.
fn stored<T>(app: &App, r: checkin_station::Result<T>) -> checkin_station::Result<T> {
    let v = r?;
    app.stored();
    Ok(v)
}

/// Settings changed: tell the page.
fn settled<T>(app: &App, r: checkin_station::Result<T>) -> checkin_station::Result<T> {
    let v = r?;
    app.publish_status();
    Ok(v)
}
