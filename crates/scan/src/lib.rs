//! Camera frames and image files to decoded QR codes (rqrr), with sources and
//! debounce.
//!
//! - [`frame`]: raw frames (RGB, RGBA, BGR, YUYV, NV12, luma) to luma.
//! - [`decoder`]: the decode pipeline around `rqrr` (binarisation, scales,
//!   inversion, attempts ordered by yield per millisecond, panic guard).
//! - [`source`]: file, directory and replay sources; a camera source behind
//!   the `camera` cargo feature (off by default).
//! - [`debounce`]: one scan event per code per hold time.
//!
//! ## Decoders
//! Two QR readers are linked: `rxing` 0.9 (a Rust port of ZXing that carries
//! zxing-cpp's QR detector) is tried first, with rescue strategies around it
//! (global threshold, blur, inversion, upscaling for 1.5-3 px modules), and
//! `rqrr` 0.11 with our own binarisations (Sauvola, local mean, Otsu) as a
//! second, independent detector for what rxing misses. Measured on the ZXing
//! blackbox photos, rqrr alone with every strategy reads 141/179 images and
//! rxing alone 165/179; together 168/179 within the 40 ms budget. rxing costs
//! about 1.5 min of extra release build time on 2 cores. See
//! `docs/benchmarks.md` ("QR decoding") and `bench/decode/`.
//!
//! ## Cargo features
//! - `camera` (off by default): the [`camera`] module, live capture through
//!   `nokhwa` 0.10 (V4L2 bindings generated with bindgen, so it needs
//!   `libclang-dev`; about 50 s more to build). Default builds (CI, the
//!   server) do not pull it in; `checkin-cli` forwards it as its own
//!   `camera` feature (`cargo build -p checkin-cli --features camera`).

pub mod binarize;
pub mod debounce;
pub mod decoder;
pub mod frame;
pub mod source;
pub mod text;

#[cfg(feature = "camera")]
pub mod camera;

pub use debounce::{Clock, Debouncer, ManualClock, ScanEvent, SystemClock};
pub use decoder::{
    quiet_rqrr_panics, Code, DecodeStats, Decoded, Decoder, DecoderConfig, Strategy,
};
pub use frame::{Frame, LumaImage, PixelFormat};
pub use source::{DirSource, FileSource, FrameSource, ReplaySource, SourceFrame};
pub use text::{decode_bytes, Charset};

use std::path::PathBuf;

/// Errors of the scan crate.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("frame of {width}x{height} is too large")]
    FrameTooLarge { width: usize, height: usize },
    #[error("frame data too short: expected {expected} bytes, got {got}")]
    BadFrame { expected: usize, got: usize },
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot decode image {path}: {message}")]
    Image { path: PathBuf, message: String },
    #[error("no images in {0}")]
    EmptyDir(PathBuf),
    #[error("camera: {0}")]
    Camera(String),
    #[error("no camera found{0}")]
    NoCamera(String),
    #[error("camera support is not built in (rebuild with `--features camera`)")]
    CameraDisabled,
}

/// Loads an image file (PNG or JPEG, detected from its content) as luma.
pub fn load_luma(path: &std::path::Path) -> Result<LumaImage, ScanError> {
    let bytes = std::fs::read(path).map_err(|source| ScanError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    luma_from_encoded(&bytes).map_err(|message| ScanError::Image {
        path: path.to_path_buf(),
        message,
    })
}

/// Decodes an encoded image (PNG or JPEG) held in memory to luma.
pub fn luma_from_encoded(bytes: &[u8]) -> Result<LumaImage, String> {
    let reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut reader = reader;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(frame::MAX_SIDE as u32);
    limits.max_image_height = Some(frame::MAX_SIDE as u32);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| e.to_string())?;
    LumaImage::from_dynamic(&img).map_err(|e| e.to_string())
}

/// Decodes every QR code in an image file with a default decoder.
pub fn decode_file(path: &std::path::Path) -> Result<Vec<Code>, ScanError> {
    let luma = load_luma(path)?;
    Ok(Decoder::default().decode(&luma).codes)
}
