//! Live cameras through `nokhwa` (feature `camera`): V4L2 on Linux,
//! AVFoundation on macOS, Media Foundation on Windows.
//!
//! Frames are taken in the camera's own format (YUYV, NV12, grey, RGB or
//! MJPEG) and converted to luma here; MJPEG is decoded with the `image`
//! crate, so nokhwa's own (C) decoders are not built.

use crate::frame::{Frame, PixelFormat};
use crate::source::{FrameSource, SourceFrame};
use crate::ScanError;
use nokhwa::pixel_format::RgbFormat;
use nokhwa::utils::{
    ApiBackend, CameraFormat, CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType,
    Resolution,
};

/// A camera found on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CameraDesc {
    pub index: u32,
    pub name: String,
    pub description: String,
}

/// Lists cameras. An empty list (not an error) when there is none.
pub fn list_cameras() -> Result<Vec<CameraDesc>, ScanError> {
    let infos = nokhwa::query(ApiBackend::Auto).map_err(|e| ScanError::Camera(e.to_string()))?;
    Ok(infos
        .iter()
        .enumerate()
        .map(|(i, info)| CameraDesc {
            index: match info.index() {
                CameraIndex::Index(n) => *n,
                CameraIndex::String(_) => i as u32,
            },
            name: info.human_name(),
            description: info.description().to_string(),
        })
        .collect())
}

/// What to ask the camera for; it picks the closest mode it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CameraRequest {
    pub index: u32,
    pub width: u32,
    pub height: u32,
    pub fps: u32,
}

impl Default for CameraRequest {
    fn default() -> Self {
        Self {
            index: 0,
            width: 1280,
            height: 720,
            fps: 15,
        }
    }
}

/// An open camera streaming frames.
pub struct CameraSource {
    camera: nokhwa::Camera,
    name: String,
    seq: u64,
}

impl std::fmt::Debug for CameraSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CameraSource")
            .field("name", &self.name)
            .field("seq", &self.seq)
            .finish()
    }
}

impl CameraSource {
    /// Opens camera `req.index` at the closest mode to the request. Fails
    /// with [`ScanError::NoCamera`] when the machine has no camera, and with
    /// [`ScanError::Camera`] (device error text, e.g. permission denied)
    /// when it cannot be opened.
    pub fn open(req: CameraRequest) -> Result<Self, ScanError> {
        let cams = list_cameras()?;
        if cams.is_empty() {
            return Err(ScanError::NoCamera(String::from(
                " (no video device; check /dev/video* and that this user may open it)",
            )));
        }
        let wanted = CameraFormat::new(
            Resolution::new(req.width, req.height),
            FrameFormat::YUYV,
            req.fps,
        );
        let format = RequestedFormat::new::<RgbFormat>(RequestedFormatType::Closest(wanted));
        let mut camera = nokhwa::Camera::new(CameraIndex::Index(req.index), format)
            .map_err(|e| ScanError::Camera(format!("cannot open camera {}: {e}", req.index)))?;
        camera
            .open_stream()
            .map_err(|e| ScanError::Camera(format!("cannot start camera {}: {e}", req.index)))?;
        let name = format!("camera:{}", req.index);
        Ok(Self {
            camera,
            name,
            seq: 0,
        })
    }

    /// The mode the camera actually runs at.
    pub fn format(&self) -> (u32, u32, u32) {
        let f = self.camera.camera_format();
        (f.width(), f.height(), f.frame_rate())
    }
}

impl FrameSource for CameraSource {
    fn next_frame(&mut self) -> Option<Result<SourceFrame, ScanError>> {
        let buf = match self.camera.frame() {
            Ok(b) => b,
            Err(e) => return Some(Err(ScanError::Camera(e.to_string()))),
        };
        self.seq += 1;
        let res = buf.resolution();
        let (w, h) = (res.width() as usize, res.height() as usize);
        let data = buf.buffer();
        let image = match buf.source_frame_format() {
            FrameFormat::MJPEG => {
                crate::luma_from_encoded(data).map_err(|m| ScanError::Camera(format!("MJPEG: {m}")))
            }
            FrameFormat::YUYV => Frame::new(w, h, PixelFormat::Yuyv, data).to_luma(),
            FrameFormat::NV12 => Frame::new(w, h, PixelFormat::Nv12, data).to_luma(),
            FrameFormat::GRAY => Frame::new(w, h, PixelFormat::Luma8, data).to_luma(),
            FrameFormat::RAWRGB => Frame::new(w, h, PixelFormat::Rgb8, data).to_luma(),
            #[allow(unreachable_patterns)]
            other => Err(ScanError::Camera(format!(
                "unsupported frame format {other:?}"
            ))),
        };
        Some(image.map(|image| SourceFrame {
            name: format!("{}#{}", self.name, self.seq),
            image,
        }))
    }
}

impl Drop for CameraSource {
    fn drop(&mut self) {
        let _ = self.camera.stop_stream();
    }
}
