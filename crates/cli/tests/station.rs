//! The `checkin` binary as scripts use it: output shapes, exit codes, and
//! nothing half-written on bad input.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const CARD: &str = "001098012345||NGUYỄN VĂN B|01012000|Nữ|Hà Nội|01012022";

fn checkin(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_checkin"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("CHECKIN_LOG")
        .output()
        .expect("run checkin")
}

fn checkin_stdin(dir: &Path, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_checkin"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn status(dir: &Path) -> Value {
    let out = checkin(dir, &["status", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn record_prints_id_and_status_counts_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = checkin(
        dir.path(),
        &["record", "--venue", "01-00001-AB12", "--code", CARD],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let id = String::from_utf8(out.stdout).unwrap();
    let id: uuid::Uuid = id.trim().parse().expect("stdout is the record id");
    assert_eq!(id.get_version_num(), 7);
    let st = status(dir.path());
    assert_eq!(
        (
            st["pending"].as_u64(),
            st["synced"].as_u64(),
            st["rejected"].as_u64()
        ),
        (Some(1), Some(0), Some(0))
    );
}

#[test]
fn record_json_is_the_whole_record() {
    let dir = tempfile::tempdir().unwrap();
    let out = checkin(
        dir.path(),
        &[
            "record",
            "--venue",
            "v1",
            "--code",
            CARD,
            "--direction",
            "out",
            "--source",
            "manual",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["venue_id"], "V1");
    assert_eq!(v["direction"], "out");
    assert_eq!(v["source"], "manual");
    assert_eq!(v["subject"]["type"], "id_card");
    assert_eq!(v["subject"]["id_number"], "001098012345");
    assert_eq!(v["verdict"]["level"], "green");
    assert_eq!(v["device_seq"], 1);
    assert!(
        v.get("raw_code").is_none(),
        "an ID card's raw text (with address) is not kept"
    );
}

#[test]
fn bad_input_exits_2_with_one_line_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[&[&str]] = &[
        &["record", "--venue", "no spaces allowed", "--code", CARD],
        &["record", "--venue", "", "--code", CARD],
        &["record", "--venue", "V1", "--code", ""],
        &["record", "--venue", "V1", "--code", "\r\n"],
        &[
            "record",
            "--venue",
            "V1",
            "--code",
            CARD,
            "--direction",
            "sideways",
        ],
        &[
            "record", "--venue", "V1", "--code", CARD, "--source", "pigeon",
        ],
    ];
    for args in cases {
        let out = checkin(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(!err.trim().is_empty(), "{args:?}: no message");
        if args
            .iter()
            .all(|a| !a.starts_with("--direction") && !a.starts_with("--source"))
        {
            assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        }
    }
    let huge = "9".repeat(8000);
    let out = checkin(dir.path(), &["record", "--venue", "V1", "--code", &huge]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("longest QR code"));
    assert_eq!(status(dir.path())["pending"], 0);
}

#[test]
fn codes_that_name_no_person_are_refused_and_not_stored() {
    let dir = tempfile::tempdir().unwrap();
    for (code, says) in [
        ("WIFI:S:cafe;;", "not a check-in code"),
        ("https://example.vn/menu", "not a check-in code"),
        ("CKE1:ABCDEFGH", "enrollment code"),
        ("CKP1:AAAAAAAA", "visitor pass refused"),
    ] {
        let out = checkin(dir.path(), &["record", "--venue", "V1", "--code", code]);
        assert_eq!(out.status.code(), Some(2), "{code}");
        assert!(stderr(&out).contains(says), "{code}: {}", stderr(&out));
    }
    assert_eq!(status(dir.path())["pending"], 0);
}

#[test]
fn paper_logbook_lines_keep_the_written_time() {
    let dir = tempfile::tempdir().unwrap();
    let out = checkin(
        dir.path(),
        &[
            "record",
            "--venue",
            "V1",
            "--code",
            CARD,
            "--source",
            "paper",
            "--at",
            "2021-07-30T07:45:00+07:00",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["occurred_at"], "2021-07-30T07:45:00+07:00");
    assert_eq!(v["source"], "paper");
    assert_ne!(
        v["device_time"], v["occurred_at"],
        "the device clock is kept too"
    );
    let bad = checkin(
        dir.path(),
        &[
            "record",
            "--venue",
            "V1",
            "--code",
            CARD,
            "--at",
            "yesterday",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
}

fn declaration_json() -> Value {
    serde_json::json!({
        "full_name": "Trần Thị C",
        "id_number": "001185000123",
        "birth": "1985-04-30",
        "gender": "female",
        "nationality": "VN",
        "phone": "+84 912 345 678",
        "address": {"province_code": "01", "district_code": "001", "commune_code": "00001", "street": "12 Phúc Xá"},
        "places_visited": ["Hà Nội"],
        "symptoms": {"cough": true},
        "exposures": {},
        "consent": true
    })
}

#[test]
fn declare_from_stdin_prints_id_and_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let out = checkin_stdin(
        dir.path(),
        &["declare", "--source", "paper", "--venue", "V1"],
        &declaration_json().to_string(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let line = String::from_utf8(out.stdout).unwrap();
    let cols: Vec<&str> = line.trim_end().split('\t').collect();
    assert!(cols[0].parse::<uuid::Uuid>().is_ok(), "{line}");
    assert_eq!(cols[1], "amber");
    assert_eq!(cols[2], "cough");
    // A paper form typed in at a venue records the visit too (newest first).
    let listed = checkin(dir.path(), &["list", "--json"]);
    let lines: Vec<Value> = String::from_utf8(listed.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["record"]["kind"], "declaration");
    assert_eq!(lines[1]["record"]["source"], "paper");
    assert_eq!(lines[1]["state"], "pending");
    assert_eq!(lines[0]["record"]["kind"], "checkin");
    assert_eq!(lines[0]["record"]["source"], "paper");
    assert_eq!(lines[0]["record"]["subject"]["declaration_id"], cols[0]);
}

#[test]
fn declare_from_flags() {
    let dir = tempfile::tempdir().unwrap();
    let out = checkin(
        dir.path(),
        &[
            "declare",
            "--full-name",
            "Lê Văn D",
            "--birth",
            "1990",
            "--gender",
            "male",
            "--phone",
            "0987654321",
            "--province",
            "01",
            "--district",
            "001",
            "--commune",
            "00001",
            "--consent",
            "--exposure",
            "confirmed_or_suspected_case",
            "--json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"]["level"], "red");
    assert_eq!(v["declaration"]["birth"], 1990);
    assert_eq!(v["source"], "kiosk");
}

#[test]
fn invalid_declarations_name_every_bad_field_and_store_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = declaration_json();
    d["full_name"] = "".into();
    d["phone"] = "not a phone".into();
    d["consent"] = false.into();
    let out = checkin_stdin(dir.path(), &["declare"], &d.to_string());
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    for field in ["full_name", "phone", "consent"] {
        assert!(err.contains(field), "{field} not named in {err}");
    }
    for bad in ["", "{", "[]", r#"{"full_name": "x"}"#] {
        let out = checkin_stdin(dir.path(), &["declare"], bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert_eq!(stderr(&out).trim().lines().count(), 1, "{bad:?}");
    }
    let mut unknown = declaration_json();
    unknown["favourite_colour"] = "blue".into();
    assert_eq!(
        checkin_stdin(dir.path(), &["declare"], &unknown.to_string())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(status(dir.path())["pending"], 0);
}

#[test]
fn list_filters_and_limits() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..3 {
        let code = format!("00109801234{i}||NGUYỄN VĂN B|01012000|Nữ|Hà Nội|01012022");
        assert!(
            checkin(dir.path(), &["record", "--venue", "V1", "--code", &code])
                .status
                .success()
        );
    }
    let out = checkin(dir.path(), &["list", "--pending", "--limit", "2", "--json"]);
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["seq"], 3, "newest first");
    let out = checkin(dir.path(), &["list", "--rejected", "--json"]);
    assert!(out.stdout.is_empty());
    let human = checkin(dir.path(), &["list"]);
    assert_eq!(String::from_utf8(human.stdout).unwrap().lines().count(), 3);
}

#[test]
fn unusable_data_dir_is_a_clear_error() {
    let file = tempfile::NamedTempFile::new().unwrap();
    // A regular file where the data directory should be.
    let out = checkin(file.path(), &["status", "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("--data-dir"), "{err}");
    assert_eq!(err.trim().lines().count(), 1);
}

#[test]
fn data_dir_comes_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_checkin"))
        .env("CHECKIN_DATA_DIR", dir.path())
        .args(["record", "--venue", "V1", "--code", CARD])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(dir.path().join("checkin.db").exists());
}

/// Mounts a small tmpfs for a test, unmounted on drop; `None` when not root.
#[cfg(target_os = "linux")]
struct Tmpfs(tempfile::TempDir);

#[cfg(target_os = "linux")]
impl Tmpfs {
    fn mount(options: &str) -> Option<Self> {
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs"])
            .arg(dir.path())
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        ok.then_some(Self(dir))
    }
    fn path(&self) -> &Path {
        self.0.path()
    }
}

#[cfg(target_os = "linux")]
impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0.path()).status();
    }
}

/// A read-only data dir (e.g. a card mounted read-only) is refused with a
/// message that says what to do.
#[test]
#[cfg(target_os = "linux")]
fn read_only_data_dir_is_a_clear_error() {
    let Some(fs) = Tmpfs::mount("size=64k,ro") else {
        eprintln!("SKIP read_only_data_dir_is_a_clear_error: cannot mount a tmpfs (needs root)");
        return;
    };
    for dir in [fs.path().to_path_buf(), fs.path().join("station")] {
        let out = checkin(&dir, &["record", "--venue", "V1", "--code", CARD]);
        assert_eq!(out.status.code(), Some(2), "{}", dir.display());
        let err = stderr(&out);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(
            err.contains("--data-dir") || err.contains("read-only"),
            "{err}"
        );
    }
}

/// A full disk: the write is refused with a clear message, exit 2, and every
/// record confirmed before it is still there. Needs a small tmpfs, so root.
#[test]
#[cfg(target_os = "linux")]
fn full_disk_refuses_cleanly_and_keeps_what_was_stored() {
    let Some(mnt) = Tmpfs::mount("size=256k") else {
        eprintln!("SKIP full_disk_refuses_cleanly_and_keeps_what_was_stored: cannot mount a tmpfs (needs root)");
        return;
    };
    let dir = mnt.path().join("station");
    let mut confirmed = Vec::new();
    let mut failure = None;
    for i in 0..5000 {
        // Certificates are kept with their text: big records fill the disk fast.
        let code = format!("HC1:{i:04}{}", "X".repeat(900));
        let out = checkin(&dir, &["record", "--venue", "V1", "--code", &code]);
        if out.status.success() {
            confirmed.push(String::from_utf8(out.stdout).unwrap().trim().to_string());
        } else {
            failure = Some(out);
            break;
        }
    }
    let out = failure.expect("the 256 KiB disk never filled up");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("disk is full"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(!confirmed.is_empty());
    // Free space, then check every confirmed record survived.
    let copy = tempfile::tempdir().unwrap();
    for f in std::fs::read_dir(&dir).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), copy.path().join(f.file_name())).unwrap();
    }
    let out = checkin(copy.path(), &["list", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let stored: std::collections::HashSet<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["record"]["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    for id in &confirmed {
        assert!(stored.contains(id), "confirmed record {id} lost");
    }
}

/// The data dir holds personal data and the device credential: one left
/// open by an older version is closed, and the CLI says so on stderr.
#[cfg(unix)]
#[test]
fn a_data_dir_open_to_others_is_made_private_with_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let out = checkin(dir, &["record", "--venue", "V1", "--code", CARD]);
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = checkin(dir, &["status", "--json"]);
    let err = stderr(&out);
    assert!(err.contains("made it private"), "{err}");
    let mode = std::fs::metadata(dir).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
    let out = checkin(dir, &["status", "--json"]);
    assert!(out.stderr.is_empty(), "said once: {}", stderr(&out));
}
