//! `checkin decode` and `checkin scan` end to end, on QR images rendered here.
use serde_json::Value;
use std::path::Path;
use std::process::Command;

const CCCD_A: &str = "001098012345|012345678|Nguyễn Thị Hương|15081998|Nữ|Hà Nội|25052021";
const CCCD_B: &str = "079203004567||TRẦN VĂN BÌNH|02021990|Nam|TP. Hồ Chí Minh|01012022";

fn checkin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_checkin"))
}

fn write_code(text: &str, path: &Path) {
    let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
    let n = code.width();
    let colors = code.to_colors();
    let m = 4;
    let side = (n + 8) * m;
    let img = image::GrayImage::from_fn(side as u32, side as u32, |x, y| {
        let (mx, my) = ((x as usize / m) as isize - 4, (y as usize / m) as isize - 4);
        let dark = mx >= 0
            && my >= 0
            && (mx as usize) < n
            && (my as usize) < n
            && colors[my as usize * n + mx as usize] == qrcode::Color::Dark;
        image::Luma([if dark { 20 } else { 235 }])
    });
    img.save(path).unwrap();
}

fn lines(out: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

#[test]
fn decode_json_one_line_per_file_and_exit_1_on_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.png");
    let venue = dir.path().join("venue.jpg");
    let blank = dir.path().join("blank.png");
    let broken = dir.path().join("broken.png");
    write_code(CCCD_A, &a);
    write_code("CKV1:01-00004-K7M2Q9", &venue);
    image::GrayImage::from_pixel(120, 90, image::Luma([255]))
        .save(&blank)
        .unwrap();
    std::fs::write(&broken, b"\x89PNG\r\n\x1a\nnope").unwrap();
    let missing = dir.path().join("missing.png");
    let out = checkin()
        .arg("decode")
        .arg("--json")
        .args([&a, &venue, &blank, &broken, &missing])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let l = lines(&out.stdout);
    assert_eq!(l.len(), 5);
    assert_eq!(l[0]["file"], a.to_str().unwrap());
    assert_eq!(l[0]["codes"][0]["text"], CCCD_A);
    assert_eq!(l[0]["codes"][0]["kind"], "cccd");
    assert!(l[0]["ms"].as_f64().unwrap() >= 0.0);
    assert_eq!(l[1]["codes"][0]["kind"], "venue");
    assert_eq!(l[2]["codes"], serde_json::json!([]));
    assert!(l[3]["error"].is_string() && l[3].get("codes").is_none());
    assert!(l[4]["error"].as_str().unwrap().contains("missing.png"));

    // All readable, one without a code: exit 0.
    let out = checkin()
        .arg("decode")
        .arg("--json")
        .args([&a, &blank])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(lines(&out.stdout).len(), 2);
}

#[test]
fn scan_directory_prints_debounced_events_and_records_checkins() {
    let frames = tempfile::tempdir().unwrap();
    write_code(CCCD_A, &frames.path().join("0001.png"));
    write_code(CCCD_B, &frames.path().join("0002.png"));
    let data = tempfile::tempdir().unwrap();
    // Replay at 50 fps, each image in view for 3 frames: one event each.
    let out = checkin()
        .arg("--data-dir")
        .arg(data.path())
        .args(["scan", "--source"])
        .arg(frames.path())
        .args([
            "--fps",
            "50",
            "--hold-frames",
            "3",
            "--venue",
            "01-00004-K7M2Q9",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let l = lines(&out.stdout);
    assert_eq!(l.len(), 2, "{l:?}");
    assert_eq!(l[0]["event"], "scan");
    assert_eq!(l[0]["text"], CCCD_A);
    assert_eq!(l[0]["kind"], "cccd");
    assert_eq!(l[1]["text"], CCCD_B);
    for e in &l {
        assert!(e["checkin_id"].is_string(), "{e}");
        assert!(e["verdict"].is_string(), "{e}");
    }
    let status = checkin()
        .arg("--data-dir")
        .arg(data.path())
        .args(["status", "--json"])
        .output()
        .unwrap();
    let s: Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(s["pending"], 2, "{s}");

    // A single file as the source, without a venue: just the event.
    let out = checkin()
        .args(["scan", "--source"])
        .arg(frames.path().join("0002.png"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let l = lines(&out.stdout);
    assert_eq!(l.len(), 1);
    assert!(l[0].get("checkin_id").is_none());
}

#[test]
fn scan_reports_bad_sources_clearly() {
    let out = checkin()
        .args(["scan", "--source", "/no/such/dir"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such file"));
    let out = checkin()
        .args(["scan", "--source", "camera:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("camera"), "{err}");
}

#[test]
fn decode_verifies_passes_with_the_stations_keys() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("station");
    let out = checkin()
        .arg("--data-dir")
        .arg(&data)
        .args([
            "declare",
            "--full-name",
            "Đặng Thu Hà",
            "--birth",
            "1999",
            "--gender",
            "female",
            "--phone",
            "0901234567",
            "--province",
            "01",
            "--district",
            "001",
            "--commune",
            "00001",
            "--consent",
            "--pass",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let pass = stdout
        .lines()
        .nth(1)
        .expect("the pass on line 2")
        .to_string();
    assert!(pass.starts_with("CKP1:"));
    let good = dir.path().join("pass.png");
    write_code(&pass, &good);
    let mut forged = pass.clone().into_bytes();
    let i = forged.len() - 2;
    forged[i] = if forged[i] == b'A' { b'B' } else { b'A' };
    let bad = dir.path().join("forged.png");
    write_code(std::str::from_utf8(&forged).unwrap(), &bad);

    let decode = |data: &Path| {
        let out = checkin()
            .arg("--data-dir")
            .arg(data)
            .args(["decode", "--json"])
            .args([&good, &bad])
            .output()
            .unwrap();
        assert!(out.status.success());
        lines(&out.stdout)
    };
    let l = decode(&data);
    assert_eq!(l[0]["codes"][0]["pass"]["valid"], true, "{}", l[0]);
    assert_eq!(l[0]["codes"][0]["pass"]["name"], "Đặng Thu Hà");
    assert_eq!(l[1]["codes"][0]["pass"]["valid"], false);
    let problem = l[1]["codes"][0]["pass"]["problem"].as_str().unwrap();
    assert!(
        ["bad_signature", "malformed"].contains(&problem),
        "{problem}"
    );
    // Another station has never seen this issuer's key.
    let l = decode(&dir.path().join("elsewhere"));
    assert_eq!(l[0]["codes"][0]["pass"]["problem"], "unknown_key");
    assert!(
        !dir.path().join("elsewhere").exists(),
        "decode creates no store"
    );
}

/// Synthetic codes in the formats of ../shared/testdata/vn-codes/README.md
/// (fictional people), so these run without ../shared.
const BHYT_CURRENT: &str = "0123456789|4e677579e1bb856e2056c4836e20416e|15/08/1990|1|-|38 - 123|01/01/2021|-|05/01/2021|38123456789012|-|4| 01/01/2026|1a2b3c4d5e6f7081-1202|4|4e6f|$";
const BHYT_OLD_SAME_PERSON: &str = "DN4380123456789|4e677579e1bb856e2056c4836e20416e|15/08/1990|1|-|38 - 123|01/01/2020|31/12/2020|24/12/2019|$";
const QRQG_MASKED: &str = "******509|TRAN THI BINH|1985-04-30|0|163012345678901234|2<<0943******<<";
const QRQG_DAMAGED: &str = "001090012345|NGUYEN VAN AN|1990-13-15|0|162979388586171100|1<<<<";

#[test]
fn health_insurance_cards_and_personal_qr_codes_name_their_person() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<_> = [
        BHYT_CURRENT,
        BHYT_OLD_SAME_PERSON,
        QRQG_MASKED,
        QRQG_DAMAGED,
    ]
    .iter()
    .enumerate()
    .map(|(i, text)| {
        let p = dir.path().join(format!("{i}.png"));
        write_code(text, &p);
        p
    })
    .collect();
    let out = checkin()
        .arg("decode")
        .arg("--json")
        .args(&files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let l = lines(&out.stdout);
    let code = |i: usize| &l[i]["codes"][0];
    assert_eq!(code(0)["kind"], "bhyt");
    assert_eq!(code(0)["person"]["name"], "Nguyễn Văn An");
    assert_eq!(code(0)["person"]["key"], "bhxh:0123456789");
    // An old card of the same person: the same social-insurance number.
    assert_eq!(code(1)["person"]["key"], "bhxh:0123456789");
    assert_eq!(code(2)["kind"], "qrqg");
    assert_eq!(code(2)["person"]["key"], "qid:163012345678901234");
    assert_eq!(code(3)["kind"], "qrqg");
    assert_eq!(code(3)["person"]["valid"], false);
    assert!(code(3)["person"]["reason"]
        .as_str()
        .unwrap()
        .contains("birth date"));

    // At the gate: recorded with the person, not the code's text; a damaged one is refused with the reason.
    let data = dir.path().join("station");
    let record = |text: &str| {
        checkin()
            .arg("--data-dir")
            .arg(&data)
            .args(["record", "--venue", "01-00004-K7M2Q9", "--code", text])
            .output()
            .unwrap()
    };
    for text in [BHYT_CURRENT, QRQG_MASKED] {
        let out = record(text);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = record(QRQG_DAMAGED);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("birth date"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = checkin()
        .arg("--data-dir")
        .arg(&data)
        .args(["list", "--json"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(
        text.contains("Nguyễn Văn An") && text.contains("TRAN THI BINH"),
        "{text}"
    );
    assert!(
        !text.contains("4e677579"),
        "the card's text is not kept: {text}"
    );
}

fn dcc_fixture(name: &str) -> std::path::PathBuf {
    Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap())
        .join("tests/dcc")
        .join(name)
}

#[test]
fn decode_shows_a_certificates_verdict_with_a_trust_list_and_amber_without() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("dcc.png");
    let code = std::fs::read_to_string(dcc_fixture("vaccination.txt")).unwrap();
    write_code(code.trim(), &png);
    let trust = dcc_fixture("trust-list.json");
    let run = |extra: &[&str]| {
        let out = checkin()
            .arg("--data-dir")
            .arg(dir.path().join("station"))
            .arg("decode")
            .args(extra)
            .arg(&png)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    // Second dose 2021-09-01, issued 2021-10-01, expires 2022-10-01.
    let valid = &lines(&run(&[
        "--json",
        "--trust-list",
        trust.to_str().unwrap(),
        "--at",
        "2021-10-20T09:00:00+07:00",
    ]))[0]["codes"][0];
    assert_eq!(valid["kind"], "dcc");
    assert_eq!(valid["dcc"]["level"], "green", "{valid}");
    assert_eq!(valid["dcc"]["kind"], "vaccination");
    assert_eq!(valid["dcc"]["name"], "Nguyễn Văn An");
    let expired = &lines(&run(&[
        "--json",
        "--trust-list",
        trust.to_str().unwrap(),
        "--at",
        "2023-01-01T00:00:00Z",
    ]))[0]["codes"][0];
    assert_eq!(expired["dcc"]["level"], "red");
    assert_eq!(expired["dcc"]["reasons"][0]["detail"], "expired");
    // No trust list here: it cannot be verified, and says so.
    let unverified = &lines(&run(&["--json"]))[0]["codes"][0];
    assert_eq!(unverified["dcc"]["level"], "amber");
    assert_eq!(unverified["dcc"]["reasons"][0]["reason"], "no_trust_list");
    assert!(unverified["dcc"]["name"].is_null(), "no unverified name");
    let text = String::from_utf8(run(&[
        "--trust-list",
        trust.to_str().unwrap(),
        "--at",
        "2021-10-20T09:00:00+07:00",
    ]))
    .unwrap();
    assert!(
        text.contains("certificate green vaccination Nguyễn Văn An (born 1990-08-15)"),
        "{text}"
    );
}
