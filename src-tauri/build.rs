fn main() {
    // Listing the app's commands makes Tauri generate `allow-queue-status`
    // and deny every app command not granted in `capabilities/`.
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(&["queue_status"])),
    )
    .expect("failed to run tauri-build");
}
