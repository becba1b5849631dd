//! The data directory and the database files are readable by their owner
//! only: they hold personal data, the device credential and the pass key.
#![cfg(unix)]

use checkin_core::{CheckIn, DeviceId, Direction, Policy, Source};
use checkin_store::{Store, DB_FILE};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

const CARD: &str = "001098012345||NGUYỄN VĂN B|01012000|Nữ|Hà Nội|01012022";

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn companion(dir: &Path, suffix: &str) -> PathBuf {
    dir.join(format!("{DB_FILE}{suffix}"))
}

fn record(store: &mut Store) {
    let mut c = CheckIn::from_code(
        CARD,
        "01-00001-TEST".parse().unwrap(),
        Direction::In,
        Source::Qr,
        DeviceId::new(),
        chrono::Utc::now().fixed_offset(),
        &Policy::default(),
    )
    .unwrap();
    store.record_checkin(&mut c).unwrap();
}

#[test]
fn a_new_data_dir_is_0700_and_its_database_files_0600() {
    let root = tempfile::tempdir().unwrap();
    // Opened to the world first, so the test shows the station's own modes
    // rather than the temporary directory's.
    chmod(root.path(), 0o755);
    let dir = root.path().join("share").join("checkin");
    let mut store = Store::open(&dir).unwrap();
    record(&mut store);
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join(DB_FILE)), 0o600);
    // The connection is open and wrote: SQLite has made both companions.
    assert_eq!(mode(&companion(&dir, "-wal")), 0o600);
    assert_eq!(mode(&companion(&dir, "-shm")), 0o600);
}

#[test]
fn an_open_data_dir_and_database_are_tightened_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = Store::open(dir.path()).unwrap();
    record(&mut first);
    // As an older version left them (umask 022), with the first
    // connection still holding the -wal and -shm.
    chmod(dir.path(), 0o755);
    for suffix in ["", "-wal", "-shm"] {
        chmod(&companion(dir.path(), suffix), 0o644);
    }
    let second = Store::open(dir.path()).unwrap();
    assert_eq!(mode(dir.path()), 0o700);
    for suffix in ["", "-wal", "-shm"] {
        assert_eq!(mode(&companion(dir.path(), suffix)), 0o600, "{suffix}");
    }
    assert_eq!(second.status().unwrap().pending, 1, "nothing lost");
}

#[test]
fn a_shared_sticky_directory_is_left_alone_but_the_database_is_private() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("shared");
    std::fs::create_dir(&dir).unwrap();
    chmod(&dir, 0o1777);
    let _store = Store::open(&dir).unwrap();
    assert_eq!(mode(&dir), 0o1777, "other programs use it too");
    assert_eq!(mode(&dir.join(DB_FILE)), 0o600);
}
