//! Writes a folder of demo frames for the headless station: QR codes of
//! made-up ID cards (and one code of another kind), as a gatekeeper's camera
//! would see them, for `checkin scan --source DIR` on machines without a camera.
//!
//! `cargo run -p checkin-scan --example demo_frames -- DIR [TEXT...]`
//!
//! With texts, the frames show those codes instead (e.g. a visitor pass for
//! the app's replayed camera in demos and end-to-end tests).

use image::{GrayImage, Luma};
use qrcode::QrCode;
use std::path::PathBuf;

const CODES: &[&str] = &[
    "001098012345||NGUYỄN VĂN AN|15081998|Nam|Số 1 Phúc Xá, Ba Đình, Hà Nội|25052021",
    "001185000123|012345678|TRẦN THỊ BÌNH|30041985|Nữ|Phúc Xá, Ba Đình, Hà Nội|01012022",
    "079090123456||LÊ VĂN CƯỜNG|01011990|Nam|Phường Bến Nghé, Quận 1, TP Hồ Chí Minh|15042021",
    "036301004321||HOÀNG THỊ DUNG|12121972|Nữ|Xã Giao Thủy, Nam Định|02032021",
    "https://example.org/not-a-checkin-code",
];

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().expect("usage: demo_frames DIR [TEXT...]"));
    let given: Vec<String> = args.collect();
    let texts: Vec<&str> = if given.is_empty() {
        CODES.to_vec()
    } else {
        given.iter().map(String::as_str).collect()
    };
    std::fs::create_dir_all(&dir).expect("create the frames directory");
    for (i, text) in texts.iter().enumerate() {
        let code = QrCode::new(text.as_bytes()).expect("encode");
        let modules = code.to_colors();
        let width = code.width();
        // A 640x480 grey frame with the code off-centre, a few pixels per
        // module, on an unevenly lit background: what a webcam sees.
        let scale = if width > 45 { 4 } else { 6 + (i as u32 % 3) };
        let (fw, fh) = (640u32, 480u32);
        let ox = (80 + 40 * i as u32) % 200;
        let oy = (60 + 10 * i as u32) % 80;
        let frame = GrayImage::from_fn(fw, fh, |x, y| {
            let light = 200u32.saturating_sub((x + y) / 20) as u8;
            let (mx, my) = (x.wrapping_sub(ox) / scale, y.wrapping_sub(oy) / scale);
            if x >= ox && y >= oy && (mx as usize) < width && (my as usize) < width {
                if modules[my as usize * width + mx as usize] == qrcode::Color::Dark {
                    return Luma([30]);
                }
                return Luma([light.max(170)]);
            }
            Luma([light])
        });
        let path = dir.join(format!("frame-{i:02}.png"));
        frame.save(&path).expect("write frame");
        println!("{}", path.display());
    }
}
