//! The Tauri shell of the check-in station: a window, long-lived state
//! (the station, a sync task, a camera task) and thin commands that call
//! the station library, the same one the `checkin` CLI calls. No domain
//! logic lives here.

#[macro_use]
mod command_names;
mod bench;
mod camera;
pub mod commands;
pub mod data_dir;
mod events;
mod media;
mod state;
mod sync_task;

pub use command_names::COMMAND_NAMES;
pub use state::App;

use checkin_station::{CameraInfo, SettingsPatch};
use std::sync::Arc;
use tauri::Manager;

/// Environment variable that sets the camera at start-up (`camera:N`,
/// `replay:DIR`, `webview`), e.g. the demo's replayed folder.
pub const ENV_CAMERA: &str = "CHECKIN_CAMERA";

/// Sources the settings screen offers: the machine's cameras, the page's
/// own camera, and the replayed folder when one is configured.
pub(crate) fn camera_sources(app: &App) -> checkin_station::Result<Vec<CameraInfo>> {
    let mut list = checkin_station::scan::cameras().unwrap_or_else(|e| {
        tracing::warn!(error = %e, "cameras not listed");
        Vec::new()
    });
    list.push(CameraInfo {
        source: camera::WEBVIEW.into(),
        name: "WebView (getUserMedia)".into(),
    });
    let configured = app.with_station(|st| st.settings())?.camera;
    if let Some(dir) = configured.strip_prefix("replay:") {
        list.push(CameraInfo {
            name: format!("Replay {dir}"),
            source: configured.clone(),
        });
    }
    Ok(list)
}

macro_rules! command_handlers {
    ($($name:ident),*) => {
        tauri::generate_handler![$(commands::$name),*]
    };
}

/// Builds and runs the app until its last window closes.
pub fn run() {
    media::prefer_cpu_painting();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "checkin_app_lib=info,checkin_station=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let Some(dir) = data_dir::resolve() else {
        eprintln!("checkin-app: no data dir (pass --data-dir or set CHECKIN_DATA_DIR)");
        std::process::exit(2);
    };
    tracing::info!(data_dir = %dir.display(), "starting");
    let result = tauri::Builder::default()
        .setup(move |app| {
            let events = events::Events::new(app.handle().clone());
            let state = App::open(dir.clone(), events);
            if let Ok(camera) = std::env::var(ENV_CAMERA) {
                let patch = SettingsPatch {
                    camera: Some(camera),
                    ..SettingsPatch::default()
                };
                if let Err(e) = state.with_station(|st| st.update_settings(&patch)) {
                    tracing::warn!(error = %e, "{ENV_CAMERA} not applied");
                }
            }
            state.spawn_status_publisher()?;
            if state.is_open() {
                sync_task::spawn(Arc::clone(&state))?;
            }
            app.manage(state);
            if let Some(window) = app.get_webview_window("main") {
                media::allow_camera(&window);
            }
            Ok(())
        })
        .invoke_handler(for_each_command!(command_handlers))
        .build(tauri::generate_context!());
    match result {
        Ok(app) => app.run(|handle, event| {
            if let tauri::RunEvent::Exit = event {
                if let Some(state) = handle.try_state::<Arc<App>>() {
                    state.camera.stop(&state);
                    state.sync.stop();
                }
            }
        }),
        Err(e) => {
            eprintln!("checkin-app: cannot start: {e}");
            std::process::exit(1);
        }
    }
}
