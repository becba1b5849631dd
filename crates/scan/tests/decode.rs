//! The decode pipeline on generated codes: kinds, distortions, frame formats.
mod common;

use checkin_core::payload::PayloadKind;
use checkin_scan::{Decoder, DecoderConfig, Frame, PixelFormat, Strategy};
use common::*;
use std::time::Duration;

fn decoder() -> Decoder {
    // Debug builds are slow: a generous budget keeps the tests about
    // correctness, not speed.
    Decoder::new(DecoderConfig {
        budget: Duration::from_secs(5),
        ..DecoderConfig::default()
    })
}

#[test]
fn kinds_of_decoded_codes() {
    let cases = [
        (CCCD, PayloadKind::Cccd),
        ("CKP1:eyJ2IjoxfQ.c2ln", PayloadKind::Pass),
        ("CKV1:01-00001-AB", PayloadKind::Venue),
        ("CKE1:tok_123", PayloadKind::Enroll),
        ("HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH", PayloadKind::Dcc),
        ("https://tokhaiyte.vn/?v=1", PayloadKind::Url),
        ("Trạm Y tế xã Tân Lập", PayloadKind::Text),
    ];
    let mut d = decoder();
    for (text, kind) in cases {
        let img = render(text, 4.0, 0);
        let out = d.decode(&img);
        assert_eq!(out.codes.len(), 1, "{text}");
        assert_eq!(out.codes[0].text, text);
        assert_eq!(out.codes[0].kind, kind, "{text}");
        assert!(out.codes[0].non_utf8_bytes().is_none());
    }
}

#[test]
fn distorted_codes_decode() {
    let mut d = decoder();
    let base = render(CCCD, 4.0, 420);
    let cases = [
        ("rotated 33 deg", rotate(&base, 33.0)),
        (
            "low contrast + gradient + noise",
            degrade(&base, 90.0, 170.0, 0.3, 12.0, 7),
        ),
        (
            "rotated, dim and noisy",
            degrade(&rotate(&base, 200.0), 60.0, 200.0, 0.2, 8.0, 9),
        ),
        ("inverted", base.inverted()),
        ("2 px modules", render(CCCD, 2.0, 300)),
        ("1.6 px modules", render("CKV1:01-00001-AB", 1.6, 200)),
        ("big modules", render("CKV1:01-00001-AB", 18.0, 0)),
    ];
    for (name, img) in cases {
        let out = d.decode(&img);
        assert!(
            out.codes
                .iter()
                .any(|c| c.text == CCCD || c.text == "CKV1:01-00001-AB"),
            "{name}: {out:?}"
        );
    }
}

#[test]
fn large_frames_are_shrunk_and_still_read() {
    // A 2400x1800 frame with the code in one corner.
    let code = render(CCCD, 8.0, 0);
    let (w, h) = (2400, 1800);
    let mut data = vec![200u8; w * h];
    for y in 0..code.height {
        data[(100 + y) * w + 150..][..code.width]
            .copy_from_slice(&code.data[y * code.width..][..code.width]);
    }
    let img = checkin_scan::LumaImage::new(w, h, data).unwrap();
    let out = decoder().decode(&img);
    assert_eq!(out.codes.len(), 1);
    // Corners are reported in source pixels.
    let (x, y) = out.codes[0].corners[0];
    assert!(
        (100..700).contains(&x) && (50..600).contains(&y),
        "{:?}",
        out.codes[0].corners
    );
}

#[test]
fn every_frame_format_decodes() {
    let l = render("CKV1:01-00042-ZZ", 4.0, 200);
    let (w, h) = (l.width, l.height);
    let rgb: Vec<u8> = l.data.iter().flat_map(|&v| [v, v, v]).collect();
    let rgba: Vec<u8> = l.data.iter().flat_map(|&v| [v, v, v, 255]).collect();
    let yuyv: Vec<u8> = l
        .data
        .chunks(2)
        .flat_map(|p| [p[0], 128, p[1], 128])
        .collect();
    let mut nv12 = l.data.clone();
    nv12.extend(std::iter::repeat_n(
        128u8,
        w.div_ceil(2) * 2 * h.div_ceil(2),
    ));
    let mut d = decoder();
    for (fmt, data) in [
        (PixelFormat::Luma8, l.data.clone()),
        (PixelFormat::Rgb8, rgb.clone()),
        (PixelFormat::Bgr8, rgb),
        (PixelFormat::Rgba8, rgba),
        (PixelFormat::Yuyv, yuyv),
        (PixelFormat::Nv12, nv12),
    ] {
        let out = d.decode_frame(&Frame::new(w, h, fmt, &data)).unwrap();
        assert_eq!(out.codes[0].text, "CKV1:01-00042-ZZ", "{fmt:?}");
    }
}

#[test]
fn two_codes_in_one_frame_with_exhaustive_config() {
    let a = render("CKV1:01-00001-AB", 4.0, 0);
    let b = render("CKV1:02-00002-CD", 4.0, 0);
    let (w, h) = (a.width + b.width + 40, a.height.max(b.height) + 20);
    let mut data = vec![235u8; w * h];
    for y in 0..a.height {
        data[(10 + y) * w + 10..][..a.width].copy_from_slice(&a.data[y * a.width..][..a.width]);
    }
    for y in 0..b.height {
        data[(10 + y) * w + a.width + 30..][..b.width]
            .copy_from_slice(&b.data[y * b.width..][..b.width]);
    }
    let img = checkin_scan::LumaImage::new(w, h, data).unwrap();
    let mut d = Decoder::new(DecoderConfig {
        exhaustive: true,
        budget: Duration::from_secs(30),
        strategies: vec![Strategy::Rxing, Strategy::Native],
        ..DecoderConfig::default()
    });
    let out = d.decode(&img);
    let mut texts: Vec<_> = out.codes.iter().map(|c| c.text.as_str()).collect();
    texts.sort();
    assert_eq!(texts, ["CKV1:01-00001-AB", "CKV1:02-00002-CD"]);
}

#[test]
fn fuzzed_frames_never_crash() {
    let mut rng = Rng(0xC0FFEE);
    let mut d = Decoder::new(DecoderConfig {
        budget: Duration::from_millis(200),
        ..DecoderConfig::default()
    });
    let sizes = [
        (0, 0),
        (1, 1),
        (0, 50),
        (50, 0),
        (1, 3000),
        (3000, 1),
        (21, 21),
        (64, 48),
        (333, 257),
        (640, 480),
    ];
    for &(w, h) in &sizes {
        for fmt in [
            PixelFormat::Luma8,
            PixelFormat::Rgb8,
            PixelFormat::Yuyv,
            PixelFormat::Nv12,
        ] {
            let len = fmt.frame_len(w, h).unwrap();
            let data: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            let _ = d.decode_frame(&Frame::new(w, h, fmt, &data)).unwrap();
            // Short buffers are errors, not panics.
            if len > 0 {
                assert!(d
                    .decode_frame(&Frame::new(w, h, fmt, &data[..len - 1]))
                    .is_err());
            }
        }
    }
    // Blocky noise (finder-like runs everywhere) at a large size.
    let (w, h) = (1920, 1080);
    let data: Vec<u8> = (0..w * h)
        .map(|i| {
            if ((i % w) / 5 + (i / w) / 5 + (rng.next() as usize % 3)) % 2 == 0 {
                0
            } else {
                255
            }
        })
        .collect();
    let _ = d
        .decode_frame(&Frame::new(w, h, PixelFormat::Luma8, &data))
        .unwrap();
    // Absurd sizes are refused up front.
    assert!(d
        .decode_frame(&Frame::new(100_000, 100_000, PixelFormat::Luma8, &[]))
        .is_err());
    assert!(d
        .decode_frame(&Frame::new(usize::MAX, usize::MAX, PixelFormat::Nv12, &[]))
        .is_err());
}

#[test]
fn corrupt_and_random_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(42);
    for (i, head) in [
        &b"\x89PNG\r\n\x1a\n"[..],
        b"\xff\xd8\xff\xe0",
        b"",
        b"GIF89a",
    ]
    .iter()
    .enumerate()
    {
        let mut bytes = head.to_vec();
        bytes.extend((0..500).map(|_| rng.next() as u8));
        let p = dir.path().join(format!("{i}.png"));
        std::fs::write(&p, &bytes).unwrap();
        assert!(checkin_scan::decode_file(&p).is_err());
    }
    assert!(checkin_scan::decode_file(&dir.path().join("missing.png")).is_err());
}

#[test]
fn non_utf8_payloads_keep_their_bytes() {
    // ISO-8859-1 bytes in byte mode ("Café Hà" is not representable, so a
    // French-style Latin-1 text).
    let latin1: &[u8] = b"Caf\xe9 cr\xe8me, 12\xb0C";
    let img = render_bytes(latin1, 4.0, 0);
    let out = decoder().decode(&img);
    let c = &out.codes[0];
    assert_eq!(c.text, "Café crème, 12°C");
    assert_eq!(c.non_utf8_bytes(), Some(latin1));
    assert_eq!(c.charset, checkin_scan::Charset::Latin1);
    assert_eq!(c.kind, PayloadKind::Text);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
    #[test]
    fn random_small_frames_never_panic(
        w in 0usize..80,
        h in 0usize..80,
        seed in 1u32..u32::MAX,
        fmt in 0usize..6,
    ) {
        let fmt = [
            PixelFormat::Luma8,
            PixelFormat::Rgb8,
            PixelFormat::Bgr8,
            PixelFormat::Rgba8,
            PixelFormat::Yuyv,
            PixelFormat::Nv12,
        ][fmt];
        let mut rng = Rng(seed);
        let len = fmt.frame_len(w, h).unwrap();
        let data: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let mut d = Decoder::new(DecoderConfig {
            exhaustive: true,
            ..DecoderConfig::default()
        });
        let out = d.decode_frame(&Frame::new(w, h, fmt, &data)).unwrap();
        proptest::prop_assert!(out.codes.len() <= 4);
    }
}
