//! `checkin sync` on a revoked device: a message that says what happened and
//! what to do, a non-zero exit, the records kept; `checkin enroll` with a
//! new code then works although records are pending, and they go out.
//! Against the station tests' stand-in server on loopback.

#[path = "../../station/tests/stub/mod.rs"]
mod stub;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};
use stub::{Stub, VENUE};

fn checkin(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_checkin"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("CHECKIN_LOG")
        .output()
        .expect("run checkin")
}

fn ok(dir: &Path, args: &[&str]) -> Output {
    let out = checkin(dir, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn pending(dir: &Path) -> u64 {
    let out = ok(dir, &["status", "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["pending"].as_u64().unwrap()
}

fn card(i: u32) -> String {
    format!("0010980123{i:02}||NGUYỄN VĂN B|15081990|Nam|Hà Nội|01012021")
}

#[test]
fn sync_on_a_revoked_device_says_what_to_do_and_enrolling_again_sends_the_queue() {
    let stub = Stub::start();
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    ok(dir, &["enroll", "--token", &stub.code()]);
    for i in 0..2 {
        ok(dir, &["record", "--venue", VENUE, "--code", &card(i)]);
    }
    stub.revoke();

    for args in [&["sync"][..], &["sync", "--watch"][..]] {
        let out = checkin(dir, args);
        assert_eq!(out.status.code(), Some(3), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        for says in [
            "administrator revoked this device",
            "Ask for a new enrollment code and enroll again",
            "the 2 queued records are kept on this device and will be sent after it is enrolled again",
        ] {
            assert!(err.contains(says), "{args:?} should say {says:?}: {err}");
        }
    }
    assert_eq!(stub.requests("POST /api/v1/sync"), 2, "one try per run");
    assert_eq!(pending(dir), 2);

    ok(dir, &["enroll", "--token", &stub.code()]);
    ok(dir, &["sync"]);
    assert_eq!(pending(dir), 0);
    assert_eq!(stub.stored(), 2);
}
