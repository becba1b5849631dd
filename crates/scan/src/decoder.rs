//! The decode pipeline: luma frame -> QR codes, around `rqrr`.
//!
//! `rqrr` finds finder patterns on a black/white image and samples the grid
//! from it, so what decides success on real photos is the image we hand it.
//! The pipeline works on a copy scaled to at most [`DecoderConfig::max_side`],
//! then tries a list of *strategies* (binarisations, scales, inversion) until
//! one yields a code or the time budget is spent. The order of strategies is
//! by measured yield per millisecond: each decoder keeps counts of hits and
//! time per strategy, seeded with priors from the benchmark, so the common
//! case (a sharp code) costs one cheap attempt, and costly rescue strategies
//! run only when cheap ones failed.
//!
//! Every `rqrr` call runs under `catch_unwind`: rqrr 0.11 asserts on some
//! geometry from real photos. A panic counts in [`DecodeStats::panics`] and
//! the pipeline goes on with the next strategy.

use crate::binarize::{self, BitImage, Method};
use crate::frame::{Frame, LumaImage};
use crate::text::{decode_bytes, Charset};
use crate::ScanError;
use checkin_core::payload::{classify, PayloadKind};
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

/// One decoded QR code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    /// The payload as text (see [`Charset`] for how bytes were read).
    pub text: String,
    /// The payload bytes exactly as stored in the code.
    pub bytes: Vec<u8>,
    /// How `bytes` became `text`.
    pub charset: Charset,
    /// What the text is (ID card, pass, venue, ...).
    pub kind: PayloadKind,
    /// Corners in source-frame pixels: top-left, top-right, bottom-right,
    /// bottom-left of the code as read.
    pub corners: [(i32, i32); 4],
}

impl Code {
    fn from_bytes(bytes: Vec<u8>, corners: [(i32, i32); 4]) -> Self {
        let (text, charset) = decode_bytes(&bytes);
        let kind = classify(&text).kind();
        Self {
            text,
            bytes,
            charset,
            kind,
            corners,
        }
    }

    /// The raw bytes, only when they were not valid UTF-8.
    pub fn non_utf8_bytes(&self) -> Option<&[u8]> {
        (self.charset != Charset::Utf8).then_some(&self.bytes[..])
    }
}

/// One way of preparing the image for rqrr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Strategy {
    /// rxing (ZXing port, zxing-cpp QR detector, hybrid binariser) at
    /// working scale.
    Rxing,
    /// rxing on the 3x3-blurred working image.
    RxingBlur,
    /// rxing on a 2x upscale (tiny modules).
    RxingUpscale,
    /// rxing on the inverted image (light-on-dark codes).
    RxingInverted,
    /// rxing on the Sauvola-thresholded image.
    RxingSauvola,
    /// rxing with one global (histogram) threshold: glare and dim prints
    /// where local thresholds break the finder patterns.
    RxingGlobal,
    /// rxing on the inverted 2x upscale (small light-on-dark codes).
    RxingUpscaleInverted,
    /// rxing after a 3x3 blur and a 1st-99th percentile contrast stretch:
    /// dim, noisy prints whose local contrast falls under ZXing's minimum.
    RxingStretch,
    /// The same, inverted.
    RxingStretchInverted,
    /// rqrr's own row-average threshold at working scale.
    Native,
    /// Local mean (Bradley) threshold, window from the module estimate.
    Mean,
    /// Sauvola threshold: robust to gradients and low contrast.
    Sauvola,
    /// 3x3 box blur then local mean: against noise and JPEG blocks.
    BlurMean,
    /// Contrast stretch then one global Otsu threshold.
    Otsu,
    /// 2x bilinear upscale then local mean: for 1-3 px modules.
    Upscale,
    /// Source resolution (only when the working copy was shrunk).
    FullRes,
    /// Half of the working scale, blurred: big noisy modules, and speed.
    Half,
    /// Inverted luma (light-on-dark codes), rqrr threshold.
    Inverted,
    /// Inverted, local mean on the blurred image.
    InvertedMean,
}

impl Strategy {
    pub const ALL: [Strategy; 19] = [
        Strategy::Rxing,
        Strategy::RxingBlur,
        Strategy::RxingUpscale,
        Strategy::RxingInverted,
        Strategy::RxingSauvola,
        Strategy::RxingGlobal,
        Strategy::RxingUpscaleInverted,
        Strategy::RxingStretch,
        Strategy::RxingStretchInverted,
        Strategy::Native,
        Strategy::Mean,
        Strategy::Sauvola,
        Strategy::BlurMean,
        Strategy::Otsu,
        Strategy::Upscale,
        Strategy::FullRes,
        Strategy::Half,
        Strategy::Inverted,
        Strategy::InvertedMean,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Rxing => "rxing",
            Self::RxingBlur => "rxing_blur",
            Self::RxingUpscale => "rxing_upscale",
            Self::RxingInverted => "rxing_inverted",
            Self::RxingSauvola => "rxing_sauvola",
            Self::RxingGlobal => "rxing_global",
            Self::RxingUpscaleInverted => "rxing_upscale_inverted",
            Self::RxingStretch => "rxing_stretch",
            Self::RxingStretchInverted => "rxing_stretch_inverted",
            Self::Native => "native",
            Self::Mean => "mean",
            Self::Sauvola => "sauvola",
            Self::BlurMean => "blur_mean",
            Self::Otsu => "otsu",
            Self::Upscale => "upscale",
            Self::FullRes => "full_res",
            Self::Half => "half",
            Self::Inverted => "inverted",
            Self::InvertedMean => "inverted_mean",
        }
    }

    /// Prior (hits, milliseconds) used before this decoder has measured
    /// anything; worth about 20 images of evidence.
    fn prior(self) -> (f64, f64) {
        // Measured on the ZXing blackbox photos and the generated hard set
        // (379 images, one core, bench/decode): files the strategy adds in
        // a greedy gain-per-ms order, and its cost on the files still
        // undecoded at that point, both scaled to 20 images.
        match self {
            Self::Rxing => (18.0, 20.0),
            Self::RxingGlobal => (0.6, 17.0),
            Self::RxingBlur => (0.1, 45.0),
            Self::RxingInverted => (0.4, 40.0),
            Self::RxingUpscale => (0.6, 230.0),
            Self::RxingUpscaleInverted => (0.1, 215.0),
            Self::RxingStretch => (0.35, 60.0),
            Self::RxingStretchInverted => (0.05, 60.0),
            Self::RxingSauvola => (0.05, 170.0),
            Self::BlurMean => (0.05, 210.0),
            Self::Native => (0.05, 230.0),
            Self::Otsu => (0.1, 160.0),
            Self::Half => (0.02, 90.0),
            Self::Mean => (0.02, 210.0),
            Self::Sauvola => (0.02, 260.0),
            Self::Inverted => (0.01, 140.0),
            Self::InvertedMean => (0.01, 120.0),
            Self::Upscale => (0.02, 500.0),
            Self::FullRes => (0.02, 800.0),
        }
    }

    /// Expected cost of one run before anything was measured.
    fn prior_cost(self) -> Duration {
        Duration::from_secs_f64(self.prior().1 / 20.0 / 1e3)
    }
}

/// Counters for one strategy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StrategyStats {
    /// Times the strategy ran.
    pub tries: u64,
    /// Times it produced the frame's first code.
    pub hits: u64,
    /// Total time spent in it.
    pub nanos: u64,
}

/// What a decoder did so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecodeStats {
    pub frames: u64,
    pub frames_with_code: u64,
    /// rqrr panics caught (each one is a strategy that gave nothing).
    pub panics: u64,
    pub per_strategy: HashMap<Strategy, StrategyStats>,
}

/// Tuning knobs. The defaults suit a live camera and files alike.
#[derive(Debug, Clone, PartialEq)]
pub struct DecoderConfig {
    /// The working copy is shrunk (by area averaging) until its longer side
    /// is at most this.
    pub max_side: usize,
    /// No new strategy starts after this much time on one frame.
    pub budget: Duration,
    /// Reorder strategies by the yield measured on this decoder's frames.
    pub adaptive: bool,
    /// Run every strategy and merge what they find (slow; for tests).
    pub exhaustive: bool,
    /// Strategies allowed (all by default).
    pub strategies: Vec<Strategy>,
}

impl Default for DecoderConfig {
    fn default() -> Self {
        Self {
            max_side: 1024,
            budget: Duration::from_millis(40),
            adaptive: true,
            exhaustive: false,
            strategies: Strategy::ALL.to_vec(),
        }
    }
}

/// A decoded frame: codes, and which strategy found them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decoded {
    pub codes: Vec<Code>,
    pub strategy: Option<Strategy>,
    /// Strategies tried on this frame.
    pub attempts: u32,
    /// rqrr panics caught on this frame.
    pub panics: u32,
}

/// The decode pipeline. Keep one per camera or batch: it learns which
/// strategies pay off.
#[derive(Debug, Clone)]
pub struct Decoder {
    config: DecoderConfig,
    stats: DecodeStats,
}

/// Codes found by one rqrr run: bytes and corners (working-image pixels).
type Found = Vec<(Vec<u8>, [(i32, i32); 4])>;

/// The input handed to rqrr.
enum Prepared<'a> {
    /// Greyscale: rqrr thresholds it itself.
    Grey(&'a LumaImage),
    /// Already binarised.
    Bits(&'a BitImage),
}

/// Runs rqrr detection and decoding under `catch_unwind`.
/// `Err(())` means rqrr panicked.
fn run_rqrr(input: Prepared<'_>) -> Result<Found, ()> {
    catch_unwind(AssertUnwindSafe(|| {
        #[cfg(test)]
        tests::maybe_panic();
        let mut img = match input {
            Prepared::Grey(l) => {
                let w = l.width;
                rqrr::PreparedImage::prepare_from_greyscale(l.width, l.height, |x, y| {
                    l.data[y * w + x]
                })
            }
            Prepared::Bits(b) => {
                let w = b.width;
                rqrr::PreparedImage::prepare_from_bitmap(b.width, b.height, |x, y| {
                    b.bits[y * w + x]
                })
            }
        };
        let mut found = Found::new();
        for grid in img.detect_grids() {
            let mut bytes = Vec::new();
            if grid.decode_to(&mut bytes).is_ok() {
                let c = grid.bounds.map(|p| (p.x, p.y));
                found.push((bytes, c));
            }
        }
        found
    }))
    .map_err(|_| ())
}

/// Runs rxing's QR reader (try-harder, hybrid binariser) under `catch_unwind`.
fn run_rxing(img: &LumaImage) -> Result<Found, ()> {
    run_rxing_with(img, false)
}

/// Runs rxing with the hybrid (local) or the global histogram binariser.
fn run_rxing_with(img: &LumaImage, global: bool) -> Result<Found, ()> {
    if img.is_empty() {
        return Ok(Found::new());
    }
    catch_unwind(AssertUnwindSafe(|| {
        #[cfg(test)]
        tests::maybe_panic();
        let mut hints = rxing::DecodeHints::default();
        let r = if global {
            use rxing::Reader;
            hints.TryHarder = Some(true);
            rxing::Luma8Source::new_with_slice(&img.data, img.width as u32, img.height as u32)
                .and_then(|src| {
                    let mut bitmap =
                        rxing::BinaryBitmap::new(rxing::common::GlobalHistogramBinarizer::new(src));
                    rxing::qrcode::cpp_port::QrReader.decode_with_hints(&mut bitmap, &hints)
                })
        } else {
            rxing::helpers::detect_in_luma_slice_with_hints(
                &img.data,
                img.width as u32,
                img.height as u32,
                Some(rxing::BarcodeFormat::QR_CODE),
                &mut hints,
            )
        };
        let Ok(res) = r else {
            return Found::new();
        };
        // Keep the payload bytes when they are not UTF-8 and our charset
        // guess reads them as rxing did (rxing's QR reader reports the
        // content bytes as raw bytes; the byte-segment metadata of the
        // older reader is the fallback).
        let mut bytes = res.getText().as_bytes().to_vec();
        let mut candidates: Vec<Vec<u8>> = vec![res.getRawBytes().to_vec()];
        if let Some(rxing::RXingResultMetadataValue::ByteSegments(segs)) = res
            .getRXingResultMetadata()
            .get(&rxing::RXingResultMetadataType::BYTE_SEGMENTS)
        {
            candidates.push(segs.concat());
        }
        if let Some(raw) = candidates
            .into_iter()
            .find(|raw| std::str::from_utf8(raw).is_err() && decode_bytes(raw).0 == res.getText())
        {
            bytes = raw;
        }
        let pts = res.getPoints();
        let p = |i: usize| {
            pts.get(i)
                .map_or((0, 0), |p| (p.x.round() as i32, p.y.round() as i32))
        };
        // Finder centres: bottom-left, top-left, top-right (+ alignment).
        let corners = if pts.len() >= 3 {
            let (bl, tl, tr) = (p(0), p(1), p(2));
            [tl, tr, (tr.0 + bl.0 - tl.0, tr.1 + bl.1 - tl.1), bl]
        } else {
            [(0, 0); 4]
        };
        vec![(bytes, corners)]
    }))
    .map_err(|_| ())
}

/// Lazily computed views of one frame shared by the strategies.
struct Work<'a> {
    src: &'a LumaImage,
    /// Working copy (maybe shrunk) and its scale relative to `src`.
    img: LumaImage,
    scale: f32,
    blurred: Option<LumaImage>,
    module: Option<Option<f32>>,
    sauvola: Option<BitImage>,
}

impl<'a> Work<'a> {
    fn new(src: &'a LumaImage, max_side: usize) -> Self {
        let side = src.width.max(src.height);
        let factor = if max_side > 0 && side > max_side {
            side.div_ceil(max_side)
        } else {
            1
        };
        let img = src.downscale(factor);
        Self {
            src,
            scale: 1.0 / factor as f32,
            img,
            blurred: None,
            module: None,
            sauvola: None,
        }
    }

    /// Sauvola binarisation at the estimated module size, made once per
    /// frame: both decoders' Sauvola strategies read it.
    fn sauvola(&mut self) -> &BitImage {
        if self.sauvola.is_none() {
            let module = self.module();
            let win = window(&self.img, module);
            self.sauvola = Some(binarize::binarize(
                &self.img,
                Method::Sauvola {
                    window: win,
                    k: 0.2,
                },
            ));
        }
        self.sauvola.as_ref().expect("set above")
    }

    fn blurred(&mut self) -> &LumaImage {
        if self.blurred.is_none() {
            self.blurred = Some(binarize::blur3(&self.img));
        }
        self.blurred.as_ref().expect("set above")
    }

    /// Module size in working pixels, estimated from finder-like runs.
    fn module(&mut self) -> Option<f32> {
        if self.module.is_none() {
            let w = window(&self.img, None);
            let bits = binarize::binarize(self.blurred(), Method::Mean { window: w, t: 0.1 });
            self.module = Some(binarize::estimate_module(&bits));
        }
        self.module.expect("set above")
    }
}

/// Threshold window: about 12 modules when the module size is known (a
/// finder pattern plus margin), else 1/8 of the short side.
fn window(img: &LumaImage, module: Option<f32>) -> usize {
    let short = img.width.min(img.height);
    let w = match module {
        Some(m) => (m * 12.0) as usize,
        None => short / 8,
    };
    (w.clamp(15, 151.max(short / 4))) | 1
}

fn scale_corners(c: [(i32, i32); 4], scale: f32) -> [(i32, i32); 4] {
    c.map(|(x, y)| ((x as f32 / scale) as i32, (y as f32 / scale) as i32))
}

impl Decoder {
    pub fn new(config: DecoderConfig) -> Self {
        Self {
            config,
            stats: DecodeStats::default(),
        }
    }

    pub fn config(&self) -> &DecoderConfig {
        &self.config
    }

    pub fn stats(&self) -> &DecodeStats {
        &self.stats
    }

    /// Average cost of one run of `s` measured so far (prior if none).
    fn expected_cost(&self, s: Strategy) -> Duration {
        match self.stats.per_strategy.get(&s) {
            Some(st) if st.tries >= 3 => Duration::from_nanos(st.nanos / st.tries),
            _ => s.prior_cost(),
        }
    }

    /// Strategies in the order they will be tried on the next frame.
    pub fn order(&self) -> Vec<Strategy> {
        let mut order = self.config.strategies.clone();
        if self.config.adaptive {
            let score = |s: Strategy| {
                let (ph, pms) = s.prior();
                let st = self.stats.per_strategy.get(&s).copied().unwrap_or_default();
                (ph + st.hits as f64) / (pms + st.nanos as f64 / 1e6)
            };
            // The primary reader first always: cheapest and the common case.
            order.sort_by(|a, b| {
                let ka = (*a != Strategy::Rxing, -score(*a));
                let kb = (*b != Strategy::Rxing, -score(*b));
                ka.partial_cmp(&kb).unwrap_or(std::cmp::Ordering::Equal)
            });
        }
        order
    }

    /// Decodes a raw frame.
    pub fn decode_frame(&mut self, frame: &Frame<'_>) -> Result<Decoded, ScanError> {
        let luma = frame.to_luma()?;
        Ok(self.decode(&luma))
    }

    /// Decodes a greyscale image. Never panics.
    pub fn decode(&mut self, src: &LumaImage) -> Decoded {
        let start = Instant::now();
        self.stats.frames += 1;
        let mut out = Decoded::default();
        if src.width < 15 || src.height < 15 {
            return out;
        }
        let mut work = Work::new(src, self.config.max_side);
        for strategy in self.order() {
            if out.attempts > 0 && !self.config.exhaustive {
                // Skip strategies that would not finish within the budget.
                let spent = start.elapsed();
                if spent >= self.config.budget
                    || spent + self.expected_cost(strategy) > self.config.budget
                {
                    continue;
                }
            }
            let t0 = Instant::now();
            // The decoders are guarded inside; this outer guard also covers
            // our own preprocessing, so no panic ever leaves `decode`.
            let guarded = catch_unwind(AssertUnwindSafe(|| run_strategy(strategy, &mut work)));
            let Some(result) = guarded.unwrap_or(Some(Err(()))) else {
                continue; // not applicable to this frame
            };
            out.attempts += 1;
            let st = self.stats.per_strategy.entry(strategy).or_default();
            st.tries += 1;
            st.nanos += t0.elapsed().as_nanos() as u64;
            let found = match result {
                Ok(found) => found,
                Err(()) => {
                    out.panics += 1;
                    self.stats.panics += 1;
                    continue;
                }
            };
            let mut new = false;
            for (bytes, corners) in found {
                if out.codes.iter().any(|c| c.bytes == bytes) {
                    continue;
                }
                out.codes.push(Code::from_bytes(bytes, corners));
                new = true;
            }
            if new && out.strategy.is_none() {
                out.strategy = Some(strategy);
                st.hits += 1;
            }
            if !out.codes.is_empty() && !self.config.exhaustive {
                break;
            }
        }
        if !out.codes.is_empty() {
            self.stats.frames_with_code += 1;
        }
        out
    }
}

/// Upscale factor for small modules: 2x when finder-like runs say modules
/// are under 2.5 px or the frame is small; else enough to bring 1.5 px
/// modules to >= 2.2 px while keeping the longer side near 1000 px.
fn upscale_factor(work: &mut Work<'_>) -> f32 {
    let side = work.img.width.max(work.img.height);
    if side <= 500 || matches!(work.module(), Some(m) if m < 2.5) {
        return 2.0;
    }
    (1000.0 / side as f32).clamp(1.5, 2.0)
}

/// Runs one strategy. `None` when it does not apply to this frame.
fn run_strategy(s: Strategy, work: &mut Work<'_>) -> Option<Result<Found, ()>> {
    let scale = work.scale;
    let rescale = |r: Result<Found, ()>, extra: f32| {
        r.map(|found| {
            found
                .into_iter()
                .map(|(b, c)| (b, scale_corners(c, scale * extra)))
                .collect()
        })
    };
    let (w, h) = (work.img.width, work.img.height);
    let r = match s {
        Strategy::Rxing => rescale(run_rxing(&work.img), 1.0),
        Strategy::RxingBlur => {
            let b = work.blurred().clone();
            rescale(run_rxing(&b), 1.0)
        }
        Strategy::RxingUpscale => {
            if w.max(h) > 1400 {
                return None;
            }
            let f = upscale_factor(work);
            let up = work.img.resize(f);
            rescale(run_rxing(&up), f)
        }
        Strategy::RxingInverted => rescale(run_rxing(&work.img.inverted()), 1.0),
        Strategy::RxingGlobal => rescale(run_rxing_with(&work.img, true), 1.0),
        Strategy::RxingStretch => {
            let st = binarize::stretch(work.blurred());
            rescale(run_rxing(&st), 1.0)
        }
        Strategy::RxingStretchInverted => {
            let st = binarize::stretch(work.blurred()).inverted();
            rescale(run_rxing(&st), 1.0)
        }
        Strategy::RxingUpscaleInverted => {
            if w.max(h) > 1400 {
                return None;
            }
            let f = upscale_factor(work);
            let up = work.img.resize(f).inverted();
            rescale(run_rxing(&up), f)
        }
        Strategy::RxingSauvola => {
            let bits = work.sauvola();
            let img = LumaImage {
                width: bits.width,
                height: bits.height,
                data: bits.bits.iter().map(|&b| if b { 0 } else { 255 }).collect(),
            };
            rescale(run_rxing(&img), 1.0)
        }
        Strategy::Native => rescale(run_rqrr(Prepared::Grey(&work.img)), 1.0),
        Strategy::Mean => {
            let m = work.module();
            let win = window(&work.img, m);
            let bits = binarize::binarize(
                &work.img,
                Method::Mean {
                    window: win,
                    t: 0.12,
                },
            );
            rescale(run_rqrr(Prepared::Bits(&bits)), 1.0)
        }
        Strategy::Sauvola => {
            let found = run_rqrr(Prepared::Bits(work.sauvola()));
            rescale(found, 1.0)
        }
        Strategy::BlurMean => {
            let m = work.module();
            let win = window(&work.img, m);
            let bits = binarize::binarize(
                work.blurred(),
                Method::Mean {
                    window: win,
                    t: 0.08,
                },
            );
            rescale(run_rqrr(Prepared::Bits(&bits)), 1.0)
        }
        Strategy::Otsu => {
            let st = binarize::stretch(work.blurred());
            let bits = binarize::binarize(&st, Method::Otsu);
            rescale(run_rqrr(Prepared::Bits(&bits)), 1.0)
        }
        Strategy::Upscale => {
            let small = w.max(h) <= 640;
            let tiny_modules = matches!(work.module(), Some(m) if m < 3.0);
            if !(small || tiny_modules) || w.max(h) > 1400 {
                return None;
            }
            let up = work.img.resize(2.0);
            let module = work.module().map(|m| m * 2.0);
            let win = window(&up, module);
            let bits = binarize::binarize(
                &up,
                Method::Mean {
                    window: win,
                    t: 0.1,
                },
            );
            rescale(run_rqrr(Prepared::Bits(&bits)), 2.0)
        }
        Strategy::FullRes => {
            if work.scale >= 1.0 {
                return None;
            }
            let src = work.src;
            run_rqrr(Prepared::Grey(src))
        }
        Strategy::Half => {
            if w.min(h) < 240 {
                return None;
            }
            let half = work.blurred().downscale(2);
            rescale(run_rqrr(Prepared::Grey(&half)), 0.5)
        }
        Strategy::Inverted => {
            let inv = work.img.inverted();
            rescale(run_rqrr(Prepared::Grey(&inv)), 1.0)
        }
        Strategy::InvertedMean => {
            let m = work.module();
            let inv = work.blurred().inverted();
            let win = window(&inv, m);
            let bits = binarize::binarize(
                &inv,
                Method::Mean {
                    window: win,
                    t: 0.1,
                },
            );
            rescale(run_rqrr(Prepared::Bits(&bits)), 1.0)
        }
    };
    Some(r)
}

/// Decodes with a throwaway default decoder.
pub fn decode_luma(img: &LumaImage) -> Vec<Code> {
    Decoder::default().decode(img).codes
}

/// Installs a panic hook that keeps the default report for every panic except
/// those raised inside `rqrr` (which the pipeline catches and counts), so a
/// headless station's stderr is not flooded. Call once from a binary.
pub fn quiet_rqrr_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let from_rqrr = info.location().is_some_and(|l| l.file().contains("rqrr"));
        if !from_rqrr {
            previous(info);
        }
    }));
}

impl Default for Decoder {
    fn default() -> Self {
        Self::new(DecoderConfig::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    thread_local! {
        static FORCE_PANIC: Cell<bool> = const { Cell::new(false) };
    }

    /// Called inside every guarded decoder run in test builds.
    pub(super) fn maybe_panic() {
        if FORCE_PANIC.with(Cell::get) {
            panic!("forced decoder panic (test)");
        }
    }

    fn code_image() -> LumaImage {
        let code = qrcode::QrCode::new(b"CKV1:01-00001-AB").unwrap();
        let n = code.width();
        let colors = code.to_colors();
        let m = 4;
        let side = (n + 8) * m;
        let mut data = vec![240u8; side * side];
        for y in 0..side {
            for x in 0..side {
                let (mx, my) = ((x / m) as isize - 4, (y / m) as isize - 4);
                if mx >= 0
                    && my >= 0
                    && (mx as usize) < n
                    && (my as usize) < n
                    && colors[my as usize * n + mx as usize] == qrcode::Color::Dark
                {
                    data[y * side + x] = 20;
                }
            }
        }
        LumaImage::new(side, side, data).unwrap()
    }

    #[test]
    fn decoder_panics_are_caught_and_counted() {
        let img = code_image();
        let mut d = Decoder::new(DecoderConfig {
            budget: Duration::from_secs(10),
            ..DecoderConfig::default()
        });
        FORCE_PANIC.with(|f| f.set(true));
        let out = d.decode(&img);
        FORCE_PANIC.with(|f| f.set(false));
        assert!(out.codes.is_empty());
        assert!(out.panics >= 2, "{out:?}");
        assert_eq!(out.panics, out.attempts);
        assert_eq!(d.stats().panics, out.panics as u64);
        // The same decoder works afterwards.
        let out = d.decode(&img);
        assert_eq!(out.codes[0].text, "CKV1:01-00001-AB");
        assert_eq!(out.codes[0].kind, PayloadKind::Venue);
        assert_eq!(d.stats().frames, 2);
        assert_eq!(d.stats().frames_with_code, 1);
    }

    #[test]
    fn order_follows_measured_yield() {
        let mut d = Decoder::default();
        assert_eq!(d.order()[0], Strategy::Rxing);
        // Pretend rqrr's native threshold paid off cheaply many times.
        d.stats.per_strategy.insert(
            Strategy::Native,
            StrategyStats {
                tries: 1000,
                hits: 900,
                nanos: 1_000_000,
            },
        );
        assert_eq!(d.order()[0], Strategy::Rxing);
        assert_eq!(d.order()[1], Strategy::Native);
        let fixed = Decoder::new(DecoderConfig {
            adaptive: false,
            ..DecoderConfig::default()
        });
        assert_eq!(fixed.order(), Strategy::ALL.to_vec());
    }

    #[test]
    fn tiny_images_return_nothing() {
        let mut d = Decoder::default();
        for (w, h) in [(0, 0), (1, 1), (14, 300)] {
            let img = LumaImage::new(w, h, vec![0; w * h]).unwrap();
            assert!(d.decode(&img).codes.is_empty());
        }
    }
}
