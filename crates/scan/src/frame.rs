//! Camera and file frames, and their conversion to an 8-bit luma plane.

use crate::ScanError;

/// Largest frame side accepted (pixels). Bigger frames are refused rather than
/// risking huge allocations from a corrupt header or a hostile file.
pub const MAX_SIDE: usize = 16_384;
/// Largest frame area accepted (pixels): 64 Mpx.
pub const MAX_PIXELS: usize = 64 * 1024 * 1024;

/// Pixel layout of a raw frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PixelFormat {
    /// One byte per pixel, 0 = black.
    Luma8,
    /// R, G, B bytes.
    Rgb8,
    /// R, G, B, A bytes.
    Rgba8,
    /// B, G, R bytes.
    Bgr8,
    /// Packed 4:2:2, Y0 U Y1 V for two pixels (V4L2 `YUYV`).
    Yuyv,
    /// Planar 4:2:0: a full Y plane then interleaved U/V at half resolution.
    Nv12,
}

impl PixelFormat {
    /// Bytes needed for a `width` x `height` frame in this layout.
    pub fn frame_len(self, width: usize, height: usize) -> Option<usize> {
        let px = width.checked_mul(height)?;
        match self {
            Self::Luma8 => Some(px),
            Self::Rgb8 | Self::Bgr8 => px.checked_mul(3),
            Self::Rgba8 => px.checked_mul(4),
            Self::Yuyv => width.div_ceil(2).checked_mul(4)?.checked_mul(height),
            Self::Nv12 => {
                let chroma = width
                    .div_ceil(2)
                    .checked_mul(2)?
                    .checked_mul(height.div_ceil(2))?;
                px.checked_add(chroma)
            }
        }
    }
}

/// A borrowed raw frame as delivered by a camera or a decoder.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    pub width: usize,
    pub height: usize,
    pub format: PixelFormat,
    pub data: &'a [u8],
}

impl<'a> Frame<'a> {
    pub fn new(width: usize, height: usize, format: PixelFormat, data: &'a [u8]) -> Self {
        Self {
            width,
            height,
            format,
            data,
        }
    }

    /// Converts to luma, checking sizes first (never panics on bad input).
    pub fn to_luma(&self) -> Result<LumaImage, ScanError> {
        LumaImage::from_frame(self)
    }
}

/// An owned 8-bit greyscale image, row-major, no padding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LumaImage {
    pub width: usize,
    pub height: usize,
    pub data: Vec<u8>,
}

fn check_size(width: usize, height: usize) -> Result<(), ScanError> {
    if width > MAX_SIDE || height > MAX_SIDE || width.saturating_mul(height) > MAX_PIXELS {
        return Err(ScanError::FrameTooLarge { width, height });
    }
    Ok(())
}

#[inline]
fn luma_rgb(r: u8, g: u8, b: u8) -> u8 {
    // BT.601 weights in fixed point (sum 256).
    ((77 * r as u32 + 150 * g as u32 + 29 * b as u32) >> 8) as u8
}

impl LumaImage {
    /// Wraps an existing luma buffer.
    pub fn new(width: usize, height: usize, data: Vec<u8>) -> Result<Self, ScanError> {
        check_size(width, height)?;
        if data.len() != width * height {
            return Err(ScanError::BadFrame {
                expected: width * height,
                got: data.len(),
            });
        }
        Ok(Self {
            width,
            height,
            data,
        })
    }

    /// Converts any supported frame to luma.
    pub fn from_frame(frame: &Frame<'_>) -> Result<Self, ScanError> {
        let (w, h) = (frame.width, frame.height);
        check_size(w, h)?;
        let need = frame
            .format
            .frame_len(w, h)
            .ok_or(ScanError::FrameTooLarge {
                width: w,
                height: h,
            })?;
        if frame.data.len() < need {
            return Err(ScanError::BadFrame {
                expected: need,
                got: frame.data.len(),
            });
        }
        let d = &frame.data[..need];
        let data: Vec<u8> = match frame.format {
            PixelFormat::Luma8 => d.to_vec(),
            PixelFormat::Rgb8 => d
                .chunks_exact(3)
                .map(|p| luma_rgb(p[0], p[1], p[2]))
                .collect(),
            PixelFormat::Bgr8 => d
                .chunks_exact(3)
                .map(|p| luma_rgb(p[2], p[1], p[0]))
                .collect(),
            PixelFormat::Rgba8 => d
                .chunks_exact(4)
                .map(|p| luma_rgb(p[0], p[1], p[2]))
                .collect(),
            PixelFormat::Yuyv => {
                let stride = w.div_ceil(2) * 4;
                let mut out = Vec::with_capacity(w * h);
                for row in d.chunks_exact(stride.max(1)).take(h) {
                    for x in 0..w {
                        out.push(row[(x / 2) * 4 + (x % 2) * 2]);
                    }
                }
                out
            }
            PixelFormat::Nv12 => d[..w * h].to_vec(),
        };
        Ok(Self {
            width: w,
            height: h,
            data,
        })
    }

    /// Converts a decoded `image` crate picture (any colour type) to luma.
    pub fn from_dynamic(img: &image::DynamicImage) -> Result<Self, ScanError> {
        check_size(img.width() as usize, img.height() as usize)?;
        let rgb = img.to_rgb8();
        let (w, h) = (rgb.width() as usize, rgb.height() as usize);
        let data = rgb
            .as_raw()
            .chunks_exact(3)
            .map(|p| luma_rgb(p[0], p[1], p[2]))
            .collect();
        Ok(Self {
            width: w,
            height: h,
            data,
        })
    }

    #[inline]
    pub fn get(&self, x: usize, y: usize) -> u8 {
        self.data[y * self.width + x]
    }

    pub fn is_empty(&self) -> bool {
        self.width == 0 || self.height == 0
    }

    /// Area-average downscale by an integer factor (>= 1).
    pub fn downscale(&self, factor: usize) -> LumaImage {
        let f = factor.max(1);
        if f == 1 {
            return self.clone();
        }
        let (nw, nh) = (self.width / f, self.height / f);
        let mut data = vec![0u8; nw * nh];
        let area = (f * f) as u32;
        let mut acc = vec![0u32; nw];
        for ny in 0..nh {
            acc.iter_mut().for_each(|a| *a = 0);
            for dy in 0..f {
                let row = &self.data[(ny * f + dy) * self.width..][..nw * f];
                for (nx, chunk) in row.chunks_exact(f).enumerate() {
                    acc[nx] += chunk.iter().map(|&v| v as u32).sum::<u32>();
                }
            }
            for (nx, a) in acc.iter().enumerate() {
                data[ny * nw + nx] = ((a + area / 2) / area) as u8;
            }
        }
        LumaImage {
            width: nw,
            height: nh,
            data,
        }
    }

    /// Resizes to an arbitrary scale (< 1 shrinks by area averaging when
    /// possible, > 1 enlarges bilinearly).
    pub fn resize(&self, scale: f32) -> LumaImage {
        if self.is_empty() || !(scale.is_finite() && scale > 0.0) {
            return self.clone();
        }
        if scale < 1.0 {
            let inv = 1.0 / scale;
            let f = inv.floor() as usize;
            if (inv - f as f32).abs() < 0.05 {
                return self.downscale(f);
            }
        }
        let nw = ((self.width as f32 * scale).round() as usize).clamp(1, MAX_SIDE);
        let nh = ((self.height as f32 * scale).round() as usize).clamp(1, MAX_SIDE);
        if scale < 1.0 {
            // Box pre-filter then bilinear: cheap and free of aliasing for
            // the module sizes we care about.
            let f = (1.0 / scale).floor() as usize;
            let src = self.downscale(f);
            return src.resize_bilinear(nw, nh);
        }
        self.resize_bilinear(nw, nh)
    }

    /// Bilinear resize to `nw` x `nh`.
    pub fn resize_bilinear(&self, nw: usize, nh: usize) -> LumaImage {
        if self.is_empty() || nw == 0 || nh == 0 {
            return LumaImage {
                width: nw,
                height: nh,
                data: vec![255; nw * nh],
            };
        }
        let sx = self.width as f32 / nw as f32;
        let sy = self.height as f32 / nh as f32;
        let mut data = Vec::with_capacity(nw * nh);
        let xs: Vec<(usize, usize, u32)> = (0..nw)
            .map(|x| {
                let fx = ((x as f32 + 0.5) * sx - 0.5).max(0.0);
                let x0 = (fx as usize).min(self.width - 1);
                let x1 = (x0 + 1).min(self.width - 1);
                (x0, x1, ((fx - x0 as f32) * 256.0) as u32)
            })
            .collect();
        for y in 0..nh {
            let fy = ((y as f32 + 0.5) * sy - 0.5).max(0.0);
            let y0 = (fy as usize).min(self.height - 1);
            let y1 = (y0 + 1).min(self.height - 1);
            let wy = ((fy - y0 as f32) * 256.0) as u32;
            let r0 = &self.data[y0 * self.width..][..self.width];
            let r1 = &self.data[y1 * self.width..][..self.width];
            for &(x0, x1, wx) in &xs {
                let top = r0[x0] as u32 * (256 - wx) + r0[x1] as u32 * wx;
                let bot = r1[x0] as u32 * (256 - wx) + r1[x1] as u32 * wx;
                data.push(((top * (256 - wy) + bot * wy + (1 << 15)) >> 16) as u8);
            }
        }
        LumaImage {
            width: nw,
            height: nh,
            data,
        }
    }

    /// Light-on-dark to dark-on-light.
    pub fn inverted(&self) -> LumaImage {
        LumaImage {
            width: self.width,
            height: self.height,
            data: self.data.iter().map(|v| 255 - v).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_convert_to_the_same_luma() {
        let (w, h) = (4, 2);
        let grey = [0u8, 50, 100, 150, 200, 250, 255, 10];
        let rgb: Vec<u8> = grey.iter().flat_map(|&g| [g, g, g]).collect();
        let rgba: Vec<u8> = grey.iter().flat_map(|&g| [g, g, g, 255]).collect();
        let yuyv: Vec<u8> = grey
            .chunks(2)
            .flat_map(|p| [p[0], 128, p[1], 128])
            .collect();
        let mut nv12 = grey.to_vec();
        nv12.extend([128u8; 4]);
        for (fmt, data) in [
            (PixelFormat::Luma8, grey.to_vec()),
            (PixelFormat::Rgb8, rgb.clone()),
            (PixelFormat::Bgr8, rgb),
            (PixelFormat::Rgba8, rgba),
            (PixelFormat::Yuyv, yuyv),
            (PixelFormat::Nv12, nv12),
        ] {
            let l = Frame::new(w, h, fmt, &data).to_luma().unwrap();
            for (a, b) in l.data.iter().zip(grey) {
                assert!((*a as i32 - b as i32).abs() <= 1, "{fmt:?}: {:?}", l.data);
            }
        }
    }

    #[test]
    fn short_or_huge_frames_are_errors() {
        assert!(Frame::new(10, 10, PixelFormat::Rgb8, &[0; 299])
            .to_luma()
            .is_err());
        assert!(Frame::new(usize::MAX, 2, PixelFormat::Rgb8, &[])
            .to_luma()
            .is_err());
        assert!(Frame::new(0, 0, PixelFormat::Yuyv, &[]).to_luma().is_ok());
    }

    #[test]
    fn resize_keeps_bounds() {
        let img = LumaImage::new(3, 3, (0..9).map(|v| v * 20).collect()).unwrap();
        for s in [0.1f32, 0.5, 0.7, 1.0, 1.5, 2.0, 3.3] {
            let r = img.resize(s);
            assert_eq!(r.data.len(), r.width * r.height);
        }
        assert_eq!(img.downscale(2).width, 1);
    }
}
