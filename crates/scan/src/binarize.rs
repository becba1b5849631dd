//! Binarisation (dark = `true`) and module-size estimation.
//!
//! All thresholds are computed from integral images, so cost is O(pixels)
//! whatever the window.

use crate::frame::LumaImage;

/// A thresholded image: `true` is a dark module pixel.
#[derive(Debug, Clone)]
pub struct BitImage {
    pub width: usize,
    pub height: usize,
    pub bits: Vec<bool>,
}

/// Summed-area tables of the values and their squares.
struct Integral {
    w1: usize,
    sum: Vec<u32>,
    sq: Option<Vec<u64>>,
}

impl Integral {
    fn new(img: &LumaImage, squares: bool) -> Self {
        let (w, h) = (img.width, img.height);
        let w1 = w + 1;
        let mut sum = vec![0u32; w1 * (h + 1)];
        let mut sq = squares.then(|| vec![0u64; w1 * (h + 1)]);
        for y in 0..h {
            let mut row = 0u32;
            let mut row_sq = 0u64;
            let src = &img.data[y * w..][..w];
            for x in 0..w {
                let v = src[x] as u32;
                row += v;
                sum[(y + 1) * w1 + x + 1] = sum[y * w1 + x + 1] + row;
                if let Some(sq) = sq.as_mut() {
                    row_sq += (v * v) as u64;
                    sq[(y + 1) * w1 + x + 1] = sq[y * w1 + x + 1] + row_sq;
                }
            }
        }
        Self { w1, sum, sq }
    }

    #[inline]
    fn rect(&self, x0: usize, y0: usize, x1: usize, y1: usize) -> u32 {
        let w1 = self.w1;
        self.sum[y1 * w1 + x1] + self.sum[y0 * w1 + x0]
            - self.sum[y0 * w1 + x1]
            - self.sum[y1 * w1 + x0]
    }

    #[inline]
    fn rect_sq(&self, x0: usize, y0: usize, x1: usize, y1: usize) -> u64 {
        let (w1, s) = (self.w1, self.sq.as_ref().expect("squares"));
        s[y1 * w1 + x1] + s[y0 * w1 + x0] - s[y0 * w1 + x1] - s[y1 * w1 + x0]
    }
}

/// Local thresholding methods.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Method {
    /// Bradley-Roth: dark when below the local mean by `t` percent.
    Mean { window: usize, t: f32 },
    /// Sauvola: T = m * (1 + k (s / 128 - 1)), with a floor on the local
    /// contrast so flat areas stay white.
    Sauvola { window: usize, k: f32 },
    /// One global Otsu threshold.
    Otsu,
}

/// Thresholds `img` with `method`.
pub fn binarize(img: &LumaImage, method: Method) -> BitImage {
    let (w, h) = (img.width, img.height);
    let bits = match method {
        Method::Otsu => {
            let t = otsu(img);
            img.data.iter().map(|&v| v <= t).collect()
        }
        Method::Mean { window, t } => {
            let int = Integral::new(img, false);
            let r = (window / 2).max(1);
            let factor = ((1.0 - t) * 1024.0) as u64;
            let mut bits = Vec::with_capacity(w * h);
            for y in 0..h {
                let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
                for x in 0..w {
                    let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
                    let n = ((x1 - x0) * (y1 - y0)) as u64;
                    let s = int.rect(x0, y0, x1, y1) as u64;
                    let v = img.data[y * w + x] as u64;
                    // v < mean * (1 - t)   <=>   v * n * 1024 < s * factor
                    bits.push(v * n * 1024 < s * factor);
                }
            }
            bits
        }
        Method::Sauvola { window, k } => {
            let int = Integral::new(img, true);
            let r = (window / 2).max(1);
            let mut bits = Vec::with_capacity(w * h);
            for y in 0..h {
                let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
                for x in 0..w {
                    let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
                    let n = ((x1 - x0) * (y1 - y0)) as f32;
                    let m = int.rect(x0, y0, x1, y1) as f32 / n;
                    let var = (int.rect_sq(x0, y0, x1, y1) as f32 / n - m * m).max(0.0);
                    let s = var.sqrt();
                    let v = img.data[y * w + x] as f32;
                    // Flat areas (no contrast) are background.
                    let dark = if s < 6.0 {
                        false
                    } else {
                        v < m * (1.0 + k * (s / 128.0 - 1.0))
                    };
                    bits.push(dark);
                }
            }
            bits
        }
    };
    BitImage {
        width: w,
        height: h,
        bits,
    }
}

/// Otsu's global threshold.
pub fn otsu(img: &LumaImage) -> u8 {
    let mut hist = [0u64; 256];
    for &v in &img.data {
        hist[v as usize] += 1;
    }
    let total: u64 = hist.iter().sum();
    if total == 0 {
        return 127;
    }
    let sum_all: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &c)| i as f64 * c as f64)
        .sum();
    let (mut w_b, mut sum_b, mut best, mut best_t) = (0f64, 0f64, -1f64, 127u8);
    for (t, &c) in hist.iter().enumerate() {
        w_b += c as f64;
        if w_b == 0.0 {
            continue;
        }
        let w_f = total as f64 - w_b;
        if w_f == 0.0 {
            break;
        }
        sum_b += t as f64 * c as f64;
        let m_b = sum_b / w_b;
        let m_f = (sum_all - sum_b) / w_f;
        let between = w_b * w_f * (m_b - m_f) * (m_b - m_f);
        if between > best {
            best = between;
            best_t = t as u8;
        }
    }
    best_t
}

/// Box blur with radius 1 (3x3), edges clamped. Removes sensor and JPEG noise
/// that otherwise breaks finder-pattern runs.
pub fn blur3(img: &LumaImage) -> LumaImage {
    let (w, h) = (img.width, img.height);
    if w < 3 || h < 3 {
        return img.clone();
    }
    let mut tmp = vec![0u16; w * h];
    for y in 0..h {
        let row = &img.data[y * w..][..w];
        for x in 0..w {
            let a = row[x.saturating_sub(1)] as u16;
            let c = row[(x + 1).min(w - 1)] as u16;
            tmp[y * w + x] = a + row[x] as u16 + c;
        }
    }
    let mut data = vec![0u8; w * h];
    for y in 0..h {
        let (ya, yc) = (y.saturating_sub(1), (y + 1).min(h - 1));
        for x in 0..w {
            let s = tmp[ya * w + x] + tmp[y * w + x] + tmp[yc * w + x];
            data[y * w + x] = ((s + 4) / 9) as u8;
        }
    }
    LumaImage {
        width: w,
        height: h,
        data,
    }
}

/// Stretches contrast so the 1st..99th percentiles span 0..255.
pub fn stretch(img: &LumaImage) -> LumaImage {
    let mut hist = [0usize; 256];
    for &v in &img.data {
        hist[v as usize] += 1;
    }
    let n = img.data.len();
    if n == 0 {
        return img.clone();
    }
    let pick = |frac: f64| {
        let target = (n as f64 * frac) as usize;
        let mut acc = 0;
        for (i, &c) in hist.iter().enumerate() {
            acc += c;
            if acc > target {
                return i as i32;
            }
        }
        255
    };
    let (lo, hi) = (pick(0.01), pick(0.99));
    if hi - lo < 4 {
        return img.clone();
    }
    let lut: Vec<u8> = (0..256)
        .map(|v| (((v - lo) * 255) / (hi - lo)).clamp(0, 255) as u8)
        .collect();
    LumaImage {
        width: img.width,
        height: img.height,
        data: img.data.iter().map(|&v| lut[v as usize]).collect(),
    }
}

/// Estimates the module size (pixels) of QR finder patterns in `bits` by
/// scanning rows for 1:1:3:1:1 dark/light runs. Returns the median of the
/// candidates, or `None` when no finder-like run was seen.
pub fn estimate_module(bits: &BitImage) -> Option<f32> {
    let (w, h) = (bits.width, bits.height);
    let step = (h / 120).max(1);
    let mut found: Vec<f32> = Vec::new();
    let mut runs: Vec<(bool, usize)> = Vec::with_capacity(256);
    for y in (0..h).step_by(step) {
        runs.clear();
        let row = &bits.bits[y * w..][..w];
        let mut cur = match row.first() {
            Some(&b) => b,
            None => continue,
        };
        let mut len = 0usize;
        for &b in row {
            if b == cur {
                len += 1;
            } else {
                runs.push((cur, len));
                cur = b;
                len = 1;
            }
        }
        runs.push((cur, len));
        for win in runs.windows(5) {
            if !win[0].0 {
                continue;
            }
            let l: [f32; 5] = std::array::from_fn(|i| win[i].1 as f32);
            let total: f32 = l.iter().sum();
            let m = total / 7.0;
            if m < 0.6 {
                continue;
            }
            let tol = m * 0.6;
            let ok = (l[0] - m).abs() <= tol
                && (l[1] - m).abs() <= tol
                && (l[2] - 3.0 * m).abs() <= 3.0 * tol
                && (l[3] - m).abs() <= tol
                && (l[4] - m).abs() <= tol;
            if ok {
                found.push(m);
            }
        }
        if found.len() > 400 {
            break;
        }
    }
    if found.is_empty() {
        return None;
    }
    found.sort_by(f32::total_cmp);
    Some(found[found.len() / 2])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gradient(w: usize, h: usize) -> LumaImage {
        LumaImage::new(w, h, (0..w * h).map(|i| (i % 251) as u8).collect()).unwrap()
    }

    #[test]
    fn all_methods_handle_tiny_images() {
        for (w, h) in [(0, 0), (1, 1), (1, 7), (7, 1), (2, 2)] {
            let img = gradient(w, h);
            for m in [
                Method::Otsu,
                Method::Mean { window: 15, t: 0.1 },
                Method::Sauvola { window: 15, k: 0.2 },
            ] {
                assert_eq!(binarize(&img, m).bits.len(), w * h);
            }
            let _ = blur3(&img);
            let _ = stretch(&img);
            let _ = estimate_module(&binarize(&img, Method::Otsu));
        }
    }

    #[test]
    fn module_estimate_of_a_drawn_finder_row() {
        // 1:1:3:1:1 with module 4, padded by light.
        let pattern = [0usize, 4, 4, 12, 4, 4];
        let mut row = vec![false; 8];
        let mut dark = true;
        for &n in &pattern[1..] {
            row.extend(std::iter::repeat_n(dark, n));
            dark = !dark;
        }
        row.extend(std::iter::repeat_n(false, 8));
        let w = row.len();
        let bits = BitImage {
            width: w,
            height: 1,
            bits: row,
        };
        let m = estimate_module(&bits).unwrap();
        assert!((m - 4.0).abs() < 0.5, "{m}");
    }
}
