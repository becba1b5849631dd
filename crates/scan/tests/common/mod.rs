//! Test fixtures: QR codes rendered with the `qrcode` crate, then distorted.
#![allow(dead_code)]

use checkin_scan::LumaImage;

/// Renders `text` as a dark-on-light code, `module` px per module, with a
/// 4-module quiet zone, centred on a `canvas` x `canvas` light background
/// (or just the code when `canvas` is 0).
pub fn render(text: &str, module: f32, canvas: usize) -> LumaImage {
    render_bytes(text.as_bytes(), module, canvas)
}

/// [`render`] for raw bytes (byte-mode payloads that are not UTF-8).
pub fn render_bytes(bytes: &[u8], module: f32, canvas: usize) -> LumaImage {
    let code = qrcode::QrCode::new(bytes).expect("encodable");
    let n = code.width();
    let colors = code.to_colors();
    let side = ((n + 8) as f32 * module).ceil() as usize;
    let size = canvas.max(side);
    let off = (size - side) as f32 / 2.0;
    let mut data = vec![235u8; size * size];
    for y in 0..size {
        for x in 0..size {
            // Sample the module under the pixel centre.
            let mx = ((x as f32 + 0.5 - off) / module).floor() as i64 - 4;
            let my = ((y as f32 + 0.5 - off) / module).floor() as i64 - 4;
            if mx >= 0
                && my >= 0
                && (mx as usize) < n
                && (my as usize) < n
                && colors[my as usize * n + mx as usize] == qrcode::Color::Dark
            {
                data[y * size + x] = 25;
            }
        }
    }
    LumaImage::new(size, size, data).unwrap()
}

/// Small deterministic PRNG (xorshift32).
pub struct Rng(pub u32);
impl Rng {
    pub fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }
    pub fn unit(&mut self) -> f32 {
        (self.next() % 10_000) as f32 / 10_000.0
    }
}

/// Rotates by `deg` around the centre (bilinear), light fill outside.
pub fn rotate(img: &LumaImage, deg: f32) -> LumaImage {
    let (w, h) = (img.width as f32, img.height as f32);
    let (s, c) = deg.to_radians().sin_cos();
    let mut data = vec![235u8; img.width * img.height];
    for y in 0..img.height {
        for x in 0..img.width {
            let (dx, dy) = (x as f32 - w / 2.0, y as f32 - h / 2.0);
            let sx = c * dx + s * dy + w / 2.0;
            let sy = -s * dx + c * dy + h / 2.0;
            if sx >= 0.0 && sy >= 0.0 && sx < w - 1.0 && sy < h - 1.0 {
                let (x0, y0) = (sx as usize, sy as usize);
                let (fx, fy) = (sx - x0 as f32, sy - y0 as f32);
                let p = |xx: usize, yy: usize| img.get(xx, yy) as f32;
                let v = p(x0, y0) * (1.0 - fx) * (1.0 - fy)
                    + p(x0 + 1, y0) * fx * (1.0 - fy)
                    + p(x0, y0 + 1) * (1.0 - fx) * fy
                    + p(x0 + 1, y0 + 1) * fx * fy;
                data[y * img.width + x] = v as u8;
            }
        }
    }
    LumaImage::new(img.width, img.height, data).unwrap()
}

/// Maps 0..255 to lo..hi, then multiplies by a left-to-right light
/// gradient (1 - g .. 1 + g) and adds noise of +-`noise`.
pub fn degrade(img: &LumaImage, lo: f32, hi: f32, g: f32, noise: f32, seed: u32) -> LumaImage {
    let mut rng = Rng(seed.max(1));
    let mut out = img.clone();
    for y in 0..img.height {
        for x in 0..img.width {
            let v = img.get(x, y) as f32 / 255.0 * (hi - lo) + lo;
            let grad = 1.0 - g + 2.0 * g * x as f32 / img.width as f32;
            let n = (rng.unit() * 2.0 - 1.0) * noise;
            out.data[y * img.width + x] = (v * grad + n).clamp(0.0, 255.0) as u8;
        }
    }
    out
}

pub fn save_png(img: &LumaImage, path: &std::path::Path) {
    image::GrayImage::from_raw(img.width as u32, img.height as u32, img.data.clone())
        .unwrap()
        .save(path)
        .unwrap();
}

pub const CCCD: &str =
    "001098012345|012345678|Nguyễn Thị Hương|15081998|Nữ|Số 12 Phố Huế, Hai Bà Trưng, Hà Nội|25052021";
