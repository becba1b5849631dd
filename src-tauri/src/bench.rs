//! Hooks for the app's benchmark (bench/app): the moment the page first
//! shows real data, written where the harness asks.

use checkin_station::Result;
use std::sync::atomic::{AtomicBool, Ordering};

/// Where to write the epoch milliseconds at which the page became ready.
pub const READY_FILE_ENV: &str = "CHECKIN_BENCH_READY_FILE";

static READY: AtomicBool = AtomicBool::new(false);

/// Notes that the page is ready (once per process).
pub fn ready() -> Result<()> {
    if READY.swap(true, Ordering::SeqCst) {
        return Ok(());
    }
    let ms = checkin_station::scan::epoch_ms(std::time::SystemTime::now());
    tracing::info!(epoch_ms = ms, "page ready");
    if let Some(path) = std::env::var_os(READY_FILE_ENV) {
        std::fs::write(&path, ms.to_string())
            .map_err(|e| crate::state::internal("ready file", e))?;
    }
    Ok(())
}
