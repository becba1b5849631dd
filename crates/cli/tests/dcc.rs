//! `checkin dcc verify` end to end, on codes in tests/dcc/ (made by the
//! checkin-dcc test fixtures: a P-256 document signer, a vaccination and a
//! test certificate issued 2021-10-01, expiring 2022-10-01) and, when the
//! shared test data is beside the checkout, on the EU test set's CO1-CO3.

use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const AT: &str = "2021-11-01T08:00:00+07:00";

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/dcc")
        .join(name)
}

fn code(name: &str) -> String {
    std::fs::read_to_string(fixture(name))
        .unwrap()
        .trim_end()
        .to_string()
}

/// Runs `checkin dcc verify ARGS` with `stdin` piped in.
fn verify(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_checkin"))
        .args(["dcc", "verify"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A run that fails on its arguments exits without reading stdin: a
    // broken pipe here is that, and its exit code is what the test checks.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> Value {
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), 1, "one line: {text}");
    serde_json::from_str(&text).unwrap()
}

#[test]
fn a_valid_code_from_stdin_exits_0() {
    let pem = fixture("dsc.pem");
    let out = verify(
        &["--trust-cert", pem.to_str().unwrap(), "--at", AT, "--json"],
        &format!("{}\r\n", code("vaccination.txt")),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["valid"], true);
    assert_eq!(v["reason"], Value::Null);
    assert_eq!(v["kind"], "vaccination");
    assert_eq!(v["name"], "Nguyễn Văn An");
    assert_eq!(v["birth_date"], "1990-08-15");
}

#[test]
fn text_output_names_the_certificate() {
    let list = fixture("trust-list.json");
    let out = verify(
        &[
            "--trust-list",
            list.to_str().unwrap(),
            "--at",
            AT,
            "--code",
            &code("test.txt"),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("valid: yes"), "{text}");
    assert!(text.contains("kind: test LP6464-4 negative"), "{text}");
    assert!(text.contains("name: Trần Thị Bình"), "{text}");
    assert!(
        text.contains(" VN\n"),
        "the list's country of the signer: {text}"
    );
}

#[test]
fn invalid_codes_exit_1_with_their_reason() {
    let pem = fixture("dsc.pem");
    let b64 = fixture("dsc.b64");
    let other = fixture("other-dsc.pem");
    let good = code("vaccination.txt");
    let cases = [
        (
            vec![
                "--trust-cert",
                pem.to_str().unwrap(),
                "--at",
                "2023-01-01T00:00:00Z",
            ],
            good.clone(),
            "expired",
            true,
        ),
        (
            vec![
                "--trust-cert",
                b64.to_str().unwrap(),
                "--at",
                "2021-09-30T23:59:59Z",
            ],
            good.clone(),
            "not_yet_valid",
            true,
        ),
        (
            vec!["--trust-cert", other.to_str().unwrap(), "--at", AT],
            good.clone(),
            "unknown_key",
            false,
        ),
        (vec!["--at", AT], good.clone(), "unknown_key", false),
        (
            vec!["--trust-cert", pem.to_str().unwrap()],
            "HC2:ABC".to_string(),
            "bad_prefix",
            false,
        ),
        (
            vec!["--trust-cert", pem.to_str().unwrap()],
            "HC1:abc".to_string(),
            "bad_base45",
            false,
        ),
        (
            vec!["--trust-cert", pem.to_str().unwrap()],
            String::new(),
            "bad_prefix",
            false,
        ),
    ];
    for (args, input, reason, shown) in cases {
        let mut args = args;
        args.push("--json");
        let out = verify(&args, &input);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{reason}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v = json(&out);
        assert_eq!(v["valid"], false);
        assert_eq!(v["reason"], reason);
        // Name and birth date only from an authentic certificate.
        assert_eq!(v["name"].is_string(), shown, "{reason}: {v}");
        assert_eq!(v["kind"].is_string(), shown, "{reason}: {v}");
    }
}

#[test]
fn unusable_trust_files_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.pem");
    std::fs::write(&garbage, "not a certificate").unwrap();
    let bad_list = dir.path().join("list.json");
    std::fs::write(&bad_list, r#"{"certificates":[{"der":"AAAA"}]}"#).unwrap();
    let missing = dir.path().join("missing.pem");
    for args in [
        vec!["--trust-cert", garbage.to_str().unwrap()],
        vec!["--trust-list", bad_list.to_str().unwrap()],
        vec!["--trust-cert", missing.to_str().unwrap()],
        vec!["--at", "yesterday"],
    ] {
        let out = verify(&args, &code("vaccination.txt"));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn the_eu_test_set_rsa_and_ecdsa_cases() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/testdata/eu-dcc/common/2DCode/raw");
    if !dir.is_dir() {
        eprintln!(
            "skipped: {} not found (the shared test data is not beside this checkout)",
            dir.display()
        );
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    for case in ["CO1", "CO2", "CO3"] {
        let v: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join(format!("{case}.json"))).unwrap(),
        )
        .unwrap();
        let cert = tmp.path().join(format!("{case}.b64"));
        std::fs::write(&cert, v["TESTCTX"]["CERTIFICATE"].as_str().unwrap()).unwrap();
        let out = verify(
            &[
                "--trust-cert",
                cert.to_str().unwrap(),
                "--at",
                v["TESTCTX"]["VALIDATIONCLOCK"].as_str().unwrap(),
                "--json",
            ],
            v["PREFIX"].as_str().unwrap(),
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{case}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert_eq!(json(&out)["name"], "Musterfrau-Gößinger Gabriele", "{case}");
    }
}

#[test]
fn decode_reports_an_hc1_qr_code_as_kind_dcc() {
    let text = code("vaccination.txt");
    let qr = qrcode::QrCode::new(text.as_bytes()).unwrap();
    let (n, colors, m) = (qr.width(), qr.to_colors(), 4);
    let side = ((n + 8) * m) as u32;
    let img = image::GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = ((x as usize / m) as isize - 4, (y as usize / m) as isize - 4);
        let dark = (0..n as isize).contains(&mx)
            && (0..n as isize).contains(&my)
            && colors[my as usize * n + mx as usize] == qrcode::Color::Dark;
        image::Luma([if dark { 20 } else { 235 }])
    });
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("dcc.png");
    img.save(&png).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_checkin"))
        .args([
            "--data-dir",
            dir.path().to_str().unwrap(),
            "decode",
            "--json",
        ])
        .arg(&png)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    assert_eq!(v["codes"][0]["kind"], "dcc", "{v}");
    assert_eq!(v["codes"][0]["text"], text.as_str());
}
