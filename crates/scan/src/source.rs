//! Where frames come from: image files, a directory, a replayed folder, or
//! (with the `camera` feature) a live camera.

use crate::frame::LumaImage;
use crate::ScanError;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// One frame from a source.
#[derive(Debug, Clone)]
pub struct SourceFrame {
    /// File path or camera name and frame number.
    pub name: String,
    pub image: LumaImage,
}

/// A stream of frames. `None` is the end of the stream; an `Err` item is a
/// frame that could not be read, and the stream may go on after it.
pub trait FrameSource {
    fn next_frame(&mut self) -> Option<Result<SourceFrame, ScanError>>;
}

/// Extensions read as images (case-insensitive).
pub const IMAGE_EXTENSIONS: [&str; 3] = ["png", "jpg", "jpeg"];

fn is_image(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Image files of a directory, sorted by name (not recursive).
pub fn list_images(dir: &Path) -> Result<Vec<PathBuf>, ScanError> {
    let rd = std::fs::read_dir(dir).map_err(|source| ScanError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut files: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && is_image(p))
        .collect();
    files.sort();
    Ok(files)
}

/// A list of image files, each read once.
#[derive(Debug, Clone)]
pub struct FileSource {
    files: std::vec::IntoIter<PathBuf>,
}

impl FileSource {
    pub fn new(files: Vec<PathBuf>) -> Self {
        Self {
            files: files.into_iter(),
        }
    }

    pub fn single(path: impl Into<PathBuf>) -> Self {
        Self::new(vec![path.into()])
    }
}

impl FrameSource for FileSource {
    fn next_frame(&mut self) -> Option<Result<SourceFrame, ScanError>> {
        let path = self.files.next()?;
        Some(crate::load_luma(&path).map(|image| SourceFrame {
            name: path.display().to_string(),
            image,
        }))
    }
}

/// Every image of a directory, in name order, each read once.
#[derive(Debug, Clone)]
pub struct DirSource(FileSource);

impl DirSource {
    /// Fails when the directory cannot be read or holds no image.
    pub fn new(dir: &Path) -> Result<Self, ScanError> {
        let files = list_images(dir)?;
        if files.is_empty() {
            return Err(ScanError::EmptyDir(dir.to_path_buf()));
        }
        Ok(Self(FileSource::new(files)))
    }
}

impl FrameSource for DirSource {
    fn next_frame(&mut self) -> Option<Result<SourceFrame, ScanError>> {
        self.0.next_frame()
    }
}

/// A folder of images played as a camera would deliver them: at `fps`
/// frames per second, each image shown for `hold_frames` consecutive
/// frames, optionally looping. For demos, tests and machines without a
/// camera.
#[derive(Debug, Clone)]
pub struct ReplaySource {
    files: Vec<PathBuf>,
    interval: Duration,
    hold_frames: usize,
    looping: bool,
    index: usize,
    repeat: usize,
    current: Option<LumaImage>,
    next_at: Option<Instant>,
    pace: bool,
}

impl ReplaySource {
    pub fn new(dir: &Path, fps: f64) -> Result<Self, ScanError> {
        let files = list_images(dir)?;
        if files.is_empty() {
            return Err(ScanError::EmptyDir(dir.to_path_buf()));
        }
        Ok(Self::from_files(files, fps))
    }

    pub fn from_files(files: Vec<PathBuf>, fps: f64) -> Self {
        let fps = if fps.is_finite() && fps > 0.0 {
            fps
        } else {
            15.0
        };
        Self {
            files,
            interval: Duration::from_secs_f64(1.0 / fps),
            hold_frames: 1,
            looping: false,
            index: 0,
            repeat: 0,
            current: None,
            next_at: None,
            pace: true,
        }
    }

    /// Shows each image for `n` consecutive frames (at least 1).
    pub fn hold_frames(mut self, n: usize) -> Self {
        self.hold_frames = n.max(1);
        self
    }

    /// Starts again from the first image at the end.
    pub fn looping(mut self, on: bool) -> Self {
        self.looping = on;
        self
    }

    /// Delivers frames as fast as asked instead of at `fps` (tests).
    pub fn unpaced(mut self) -> Self {
        self.pace = false;
        self
    }

    /// Time between frames.
    pub fn interval(&self) -> Duration {
        self.interval
    }
}

impl FrameSource for ReplaySource {
    fn next_frame(&mut self) -> Option<Result<SourceFrame, ScanError>> {
        if self.index >= self.files.len() {
            if !self.looping || self.files.is_empty() {
                return None;
            }
            self.index = 0;
        }
        if self.pace {
            let now = Instant::now();
            if let Some(at) = self.next_at {
                if at > now {
                    std::thread::sleep(at - now);
                }
            }
            let base = self.next_at.map_or(now, |t| t.max(now - self.interval));
            self.next_at = Some(base + self.interval);
        }
        let path = self.files[self.index].clone();
        if self.current.is_none() {
            match crate::load_luma(&path) {
                Ok(img) => self.current = Some(img),
                Err(e) => {
                    self.index += 1;
                    self.repeat = 0;
                    return Some(Err(e));
                }
            }
        }
        let image = self.current.clone().expect("loaded above");
        self.repeat += 1;
        if self.repeat >= self.hold_frames {
            self.repeat = 0;
            self.index += 1;
            self.current = None;
        }
        Some(Ok(SourceFrame {
            name: path.display().to_string(),
            image,
        }))
    }
}
