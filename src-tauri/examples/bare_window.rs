//! A bare Tauri window: the same Tauri and WebKitGTK as the app, an empty
//! HTML page served the same way as the app's (`ui/public/bare.html`; a real
//! document, so WebKit starts its web process as for the app, which
//! `about:blank` would not), no state, no tasks. The app benchmark (bench/app) measures its
//! memory as the reference for the app's.
//!
//! `cargo run --release -p checkin-app --example bare_window`

fn main() {
    let mut context = tauri::generate_context!();
    // The app's own window (its UI) is not opened: only an empty page.
    context.config_mut().app.windows.clear();
    tauri::Builder::default()
        .setup(|app| {
            tauri::WebviewWindowBuilder::new(
                app,
                "bare",
                tauri::WebviewUrl::App("bare.html".into()),
            )
            .title("bare")
            .inner_size(1280.0, 800.0)
            .build()?;
            Ok(())
        })
        .run(context)
        .expect("error while running the bare window");
}
