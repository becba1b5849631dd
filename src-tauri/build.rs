use std::path::Path;

/// `frontendDist` in tauri.conf.json; `generate_context!` refuses to compile
/// when it does not exist.
const FRONTEND_DIST: &str = "../ui/dist";

fn main() {
    ensure_frontend_dist();
    // Listing the app's commands makes Tauri generate `allow-queue-status`
    // and deny every app command not granted in `capabilities/`.
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(&["queue_status"])),
    )
    .expect("failed to run tauri-build");
}

/// A fresh clone has no `ui/dist` until `npm run build` runs in `ui/`. So that
/// `cargo build/clippy/test --workspace` still work there, put a page that
/// says so in its place; the real build replaces it, and Tauri's own
/// rerun-if-changed on the directory rebuilds the app with it.
fn ensure_frontend_dist() {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join(FRONTEND_DIST);
    // Also reruns this script when the page is deleted after a build.
    println!(
        "cargo:rerun-if-changed={}",
        dist.join("index.html").display()
    );
    if dist.join("index.html").exists() {
        return;
    }
    println!(
        "cargo:warning=ui/dist is missing: the app will show a placeholder; run `npm ci && npm run build` in ui/ first"
    );
    std::fs::create_dir_all(&dist).expect("create ui/dist");
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><title>checkin</title>\
         <body><h1>Giao diện chưa được dựng / UI not built</h1>\
         <p>Run <code>npm ci &amp;&amp; npm run build</code> in <code>ui/</code>, then rebuild the app.</p></body></html>\n",
    )
    .expect("write placeholder ui/dist/index.html");
}
