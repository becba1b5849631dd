//! The sync task: its own thread, runtime and store connection, so a slow or
//! dead link never holds up a scan. It syncs whenever a record is stored
//! ("wake"), when "sync now" is pressed, and every interval, and tells the
//! page how it is going.

use crate::state::App;
use checkin_station::sync::{self, SyncSettings, WatchMode};
use checkin_station::Station;
use checkin_sync::client::SyncOptions;
use std::sync::Arc;
use std::time::Duration;

/// Starts the sync task for `app`; it runs until the app asks it to stop.
pub fn spawn(app: Arc<App>) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("sync".into())
        .spawn(move || {
            let rt = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    tracing::error!(error = %e, "sync task cannot start");
                    return;
                }
            };
            let mut station = match Station::open(&app.data_dir) {
                Ok(s) => s,
                Err(e) => {
                    tracing::error!(error = %e, "sync task cannot open the store");
                    return;
                }
            };
            let settings = SyncSettings {
                interval: Duration::from_secs(60),
                // Retries belong to the loop, which tells the page it is
                // offline and when it tries next; a pass gives up after a
                // second try.
                options: SyncOptions {
                    max_attempts: 2,
                    ..SyncOptions::default()
                },
                ..SyncSettings::default()
            };
            let mode = WatchMode {
                // Staff fix what waiting cannot (re-enroll, the address) and
                // press "sync now": the task waits for that, it does not end.
                stop_on_fatal: false,
                // The station CLI may write beside the app.
                poll: Some(Duration::from_secs(5)),
                gather: Duration::from_secs(2),
            };
            let result = rt.block_on(sync::watch(
                &mut station,
                &settings,
                &app.sync,
                mode,
                |state, outcome| {
                    app.set_sync_state(state);
                    if let Some(o) = outcome {
                        if o.config_changed {
                            if let Err(e) = app.with_station(|st| st.reload_config()) {
                                tracing::warn!(error = %e, "new sync config not loaded");
                            }
                        }
                    }
                    app.publish_status();
                },
            ));
            if let Err(e) = result {
                tracing::error!(error = %e, "sync task ended");
            }
        })
}
