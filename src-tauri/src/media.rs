//! Camera access for the page (the `webview` camera source, for tablets and
//! machines where nokhwa has no backend): WebKitGTK keeps `getUserMedia`
//! off unless the app turns it on, and asks the app before a page may use a
//! camera. This app's own page may use a camera (video only) and nothing else.

/// Turns media streams on in the window's WebView and grants its page
/// camera requests; microphones and every other permission stay refused.
#[cfg(target_os = "linux")]
pub fn allow_camera(window: &tauri::WebviewWindow) {
    let done = window.with_webview(|wv| {
        use webkit2gtk::glib::prelude::*;
        use webkit2gtk::{
            PermissionRequestExt, SettingsExt, UserMediaPermissionRequest,
            UserMediaPermissionRequestExt, WebViewExt,
        };
        let view = wv.inner();
        if let Some(settings) = WebViewExt::settings(&view) {
            settings.set_enable_media_stream(true);
        }
        view.connect_permission_request(|_, request| {
            match request.downcast_ref::<UserMediaPermissionRequest>() {
                Some(media) if media.is_for_video_device() && !media.is_for_audio_device() => {
                    request.allow()
                }
                _ => request.deny(),
            }
            true
        });
    });
    if let Err(e) = done {
        tracing::warn!(error = %e, "the page's camera cannot be enabled");
    }
}

/// Other platforms' WebViews ask the user themselves.
#[cfg(not(target_os = "linux"))]
pub fn allow_camera(_window: &tauri::WebviewWindow) {}

/// Environment variable that keeps WebKitGTK's accelerated compositing on.
pub const ENV_COMPOSITING: &str = "CHECKIN_WEBKIT_COMPOSITING";

/// Paints the page on the CPU instead of WebKitGTK's accelerated
/// compositing, unless `CHECKIN_WEBKIT_COMPOSITING=1` (or WebKit's own
/// variable) says otherwise. The station's screens are forms and banners;
/// on the machines it runs on (commune stations, cheap PCs, often no GPU:
/// compositing then runs through software OpenGL) compositing cost about
/// 110 MiB more and painted verdicts later (docs/benchmarks.md, "App").
/// Must run before WebKit starts, while the process has one thread.
pub fn prefer_cpu_painting() {
    #[cfg(target_os = "linux")]
    {
        const WEBKIT: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
        if std::env::var_os(WEBKIT).is_none() && std::env::var_os(ENV_COMPOSITING).is_none() {
            std::env::set_var(WEBKIT, "1");
        }
    }
}
