//! Camera source (feature `camera`). On machines without a camera the
//! listing is empty and opening fails with a clear error, never a panic.
#![cfg(feature = "camera")]

use checkin_scan::camera::{list_cameras, CameraRequest, CameraSource};
use checkin_scan::{FrameSource, ScanError};

#[test]
fn list_and_open_first_camera_or_clear_error() {
    let cams = list_cameras().expect("listing works");
    match CameraSource::open(CameraRequest::default()) {
        Ok(mut cam) => {
            assert!(!cams.is_empty());
            let f = cam.next_frame().expect("a frame").expect("readable frame");
            assert!(f.image.width > 0 && f.image.height > 0);
        }
        Err(ScanError::NoCamera(msg)) => {
            assert!(cams.is_empty());
            eprintln!("no camera on this machine: {msg}");
        }
        Err(e) => {
            let text = e.to_string();
            assert!(text.contains("camera"), "{text}");
            eprintln!("camera present but not usable: {text}");
        }
    }
}
