//! The Tauri shell of the check-in station: a window, and thin commands that
//! call the library crates. No domain logic lives here; what the app shows is
//! what `checkin-store` says, exactly as the CLI would print it.

pub mod commands;
pub mod data_dir;
pub mod error;

use std::path::PathBuf;

/// What every command needs to find the device's data.
#[derive(Debug, Clone)]
pub struct AppState {
    /// Where the store lives (`--data-dir`, `CHECKIN_DATA_DIR`, or the platform
    /// data dir); `None` when there is none, reported to the UI as an error.
    pub data_dir: Option<PathBuf>,
}

/// Builds and runs the app until its last window closes.
pub fn run() {
    let state = AppState {
        data_dir: data_dir::resolve(),
    };
    match &state.data_dir {
        Some(dir) => eprintln!("checkin-app: data dir {}", dir.display()),
        None => eprintln!("checkin-app: no data dir (pass --data-dir or set CHECKIN_DATA_DIR)"),
    }
    tauri::Builder::default()
        .manage(state)
        .invoke_handler(tauri::generate_handler![commands::queue_status])
        .run(tauri::generate_context!())
        .expect("error while running the checkin app");
}
