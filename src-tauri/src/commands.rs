//! The Tauri commands. Each is one call into a library crate; they live in a
//! module because `#[tauri::command]` at the crate root collides with the
//! macro's own items (E0255).

use crate::error::CommandError;
use crate::AppState;
use checkin_store::{QueueStatus, Store};
use serde::Serialize;
use std::path::Path;

/// What the status panel shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusView {
    /// The id this installation puts on its records.
    pub device_id: String,
    /// Where the store lives, so staff can find the file.
    pub data_dir: String,
    /// Outbox counts, flattened: `pending`, `synced`, `rejected`, `in_flight`, `conflict`.
    #[serde(flatten)]
    pub queue: QueueStatus,
}

/// Opens the store in `data_dir` (creating it on first use) and counts its outbox.
pub fn status_at(data_dir: &Path) -> Result<StatusView, CommandError> {
    let store = Store::open(data_dir)?;
    Ok(StatusView {
        device_id: store.device_id().to_string(),
        data_dir: data_dir.display().to_string(),
        queue: store.status()?,
    })
}

/// The device's queue status. Runs on a blocking thread: opening SQLite may
/// wait up to its busy timeout while a sync writes, and the window must not.
#[tauri::command]
pub async fn queue_status(state: tauri::State<'_, AppState>) -> Result<StatusView, CommandError> {
    let dir = state
        .data_dir
        .clone()
        .ok_or_else(CommandError::no_data_dir)?;
    tauri::async_runtime::spawn_blocking(move || status_at(&dir))
        .await
        .map_err(|e| CommandError {
            code: "internal",
            message: format!("status task failed: {e}"),
        })?
}

#[cfg(test)]
mod tests {
    use super::*;
    use checkin_core::{CheckIn, DeviceId, Direction, Policy, Source};

    const CCCD: &str = "001099012345|123456789|Nguyễn Văn An|01021990|Nam|Hà Nội|01012021";

    fn record(dir: &Path, n: usize) {
        let mut store = Store::open(dir).unwrap();
        for _ in 0..n {
            let mut c = CheckIn::from_code(
                CCCD,
                "01-00001-DEMO".parse().unwrap(),
                Direction::In,
                Source::Qr,
                DeviceId::new(),
                chrono::Local::now().fixed_offset(),
                &Policy::default(),
            )
            .unwrap();
            store.record_checkin(&mut c).unwrap();
        }
    }

    #[test]
    fn fresh_dir_shows_an_empty_queue_and_a_device_id() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("new");
        let view = status_at(&dir).unwrap();
        assert_eq!(view.queue, QueueStatus::default());
        assert!(!view.device_id.is_empty());
        // The same device id on every call: it is made once, at first open.
        assert_eq!(status_at(&dir).unwrap().device_id, view.device_id);
    }

    #[test]
    fn counts_what_the_store_holds() {
        let tmp = tempfile::tempdir().unwrap();
        record(tmp.path(), 3);
        let view = status_at(tmp.path()).unwrap();
        assert_eq!(view.queue.pending, 3);
        assert_eq!(view.queue.synced, 0);
        assert_eq!(view.queue.rejected, 0);
        assert_eq!(
            view.device_id,
            Store::open(tmp.path()).unwrap().device_id().to_string()
        );
    }

    #[test]
    fn serialises_flat_for_the_ui() {
        let tmp = tempfile::tempdir().unwrap();
        record(tmp.path(), 2);
        let json = serde_json::to_value(status_at(tmp.path()).unwrap()).unwrap();
        for key in [
            "device_id",
            "data_dir",
            "pending",
            "synced",
            "rejected",
            "in_flight",
            "conflict",
        ] {
            assert!(json.get(key).is_some(), "missing {key} in {json}");
        }
        assert_eq!(json["pending"], 2);
    }

    #[test]
    fn newer_schema_reaches_the_ui_as_a_stable_code() {
        let tmp = tempfile::tempdir().unwrap();
        record(tmp.path(), 1);
        let conn = rusqlite::Connection::open(tmp.path().join(checkin_store::DB_FILE)).unwrap();
        conn.execute_batch("PRAGMA user_version = 999").unwrap();
        drop(conn);
        let err = status_at(tmp.path()).unwrap_err();
        assert_eq!(err.code, "store_newer_schema");
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["code"], "store_newer_schema");
        assert!(json["message"].as_str().unwrap().contains("newer"));
    }

    #[test]
    fn unusable_data_dir_is_an_error_not_a_panic() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("not-a-dir");
        std::fs::write(&file, b"x").unwrap();
        let err = status_at(&file.join("sub")).unwrap_err();
        assert_eq!(err.code, "data_dir_unavailable");
    }
}
