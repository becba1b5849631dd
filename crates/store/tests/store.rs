//! Behaviour of the device store on real SQLite files.

use checkin_core::{CheckIn, Clock, DeviceId, Direction, Policy, RecordId, SetClock, Source};
use checkin_store::{ListFilter, Outcome, QueueStatus, RecordState, Retention, Store, StoreError};
use std::path::Path;
use std::sync::Arc;

fn checkin(code: &str) -> CheckIn {
    CheckIn::from_code(
        code,
        "01-00001-TEST".parse().unwrap(),
        Direction::In,
        Source::Qr,
        DeviceId::new(),
        chrono::Utc::now().fixed_offset(),
        &Policy::default(),
    )
    .unwrap()
}

/// An ID-card code for person number `i`.
fn card(i: u32) -> String {
    format!("0010980123{i:02}||NGUYỄN VĂN B|01012000|Nữ|Hà Nội|01012022")
}

const CARD: &str = "001098012345||NGUYỄN VĂN B|01012000|Nữ|Hà Nội|01012022";

#[test]
fn records_survive_reopen_with_stable_device_id_and_counter() {
    let dir = tempfile::tempdir().unwrap();
    let (device, first) = {
        let mut s = Store::open(dir.path()).unwrap();
        let mut c = checkin(CARD);
        s.record_checkin(&mut c).unwrap();
        assert_eq!(c.device_id, s.device_id());
        assert_eq!(c.device_seq, 1);
        (s.device_id(), c.id)
    };
    let mut s = Store::open(dir.path()).unwrap();
    assert_eq!(s.device_id(), device);
    let mut c = checkin(&card(90));
    s.record_checkin(&mut c).unwrap();
    assert_eq!(c.device_seq, 2);
    let listed = s.list(ListFilter::default()).unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[1].record.id(), first, "newest first");
    assert_eq!(
        s.status().unwrap(),
        QueueStatus {
            pending: 2,
            ..Default::default()
        }
    );
}

#[test]
fn outbox_moves_through_states_and_sets_bad_records_aside() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let mut ids = Vec::new();
    for i in 0..5 {
        let mut c = checkin(&card(i));
        s.record_checkin(&mut c).unwrap();
        ids.push(c.id);
    }
    let batch = s.pending_batch(3, 1 << 20).unwrap();
    assert_eq!(
        batch.iter().map(|b| b.record_id).collect::<Vec<_>>(),
        ids[..3]
    );
    s.mark_sent(&ids[..3]).unwrap();
    assert_eq!(s.status().unwrap().in_flight, 3);
    s.apply_outcomes(&[
        (ids[0], Outcome::Acknowledged),
        (ids[1], Outcome::Rejected("venue outside scope".into())),
        (ids[2], Outcome::Conflict("different content".into())),
    ])
    .unwrap();
    let st = s.status().unwrap();
    assert_eq!(
        (st.pending, st.synced, st.rejected, st.conflict),
        (2, 1, 2, 1)
    );
    // The next batch skips the records set aside.
    let next = s.pending_batch(10, 1 << 20).unwrap();
    assert_eq!(
        next.iter().map(|b| b.record_id).collect::<Vec<_>>(),
        ids[3..]
    );
    // A late "rejected" never undoes an acknowledgement.
    s.apply_outcomes(&[(ids[0], Outcome::Rejected("late".into()))])
        .unwrap();
    let rejected = s
        .list(ListFilter {
            rejected_only: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(rejected.len(), 2);
    assert!(rejected
        .iter()
        .all(|r| r.state != RecordState::Acknowledged && r.reason.is_some()));
    assert_eq!(s.requeue_rejected().unwrap(), 2);
    assert_eq!(s.status().unwrap().pending, 4);
}

#[test]
fn batch_is_bounded_by_bytes_but_never_empty() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    for i in 0..4 {
        s.record_checkin(&mut checkin(&card(i))).unwrap();
    }
    assert_eq!(s.pending_batch(100, 1).unwrap().len(), 1);
    let one = s.pending_batch(1, usize::MAX).unwrap()[0].body.len();
    assert_eq!(s.pending_batch(100, one * 2).unwrap().len(), 2);
}

#[test]
fn body_is_kept_byte_for_byte_for_resends() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let mut c = checkin(CARD);
    s.record_checkin(&mut c).unwrap();
    let a = s.pending_batch(1, usize::MAX).unwrap();
    s.mark_sent(&[c.id]).unwrap();
    let b = s.pending_batch(1, usize::MAX).unwrap();
    assert_eq!(a[0].body, b[0].body);
    assert_eq!(b[0].attempts, 1);
    let back: checkin_core::Record = serde_json::from_str(&a[0].body).unwrap();
    assert_eq!(back, checkin_core::Record::Checkin(c));
}

#[test]
fn a_database_from_a_newer_version_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open(dir.path()).unwrap());
    let db = dir.path().join(checkin_store::DB_FILE);
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("PRAGMA user_version = 99")
        .unwrap();
    let err = Store::open(dir.path()).unwrap_err();
    assert!(
        matches!(err, StoreError::NewerSchema { found: 99, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("newer version"));
    let v: u32 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 99);
}

#[test]
fn a_file_that_is_not_a_database_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(checkin_store::DB_FILE), vec![0x42u8; 8192]).unwrap();
    let err = Store::open(dir.path()).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
}

#[test]
fn settings_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    assert_eq!(s.setting("server_url").unwrap(), None);
    s.set_setting("server_url", "http://a").unwrap();
    s.set_setting("server_url", "http://b").unwrap();
    assert_eq!(
        s.setting("server_url").unwrap().as_deref(),
        Some("http://b")
    );
    s.clear_setting("server_url").unwrap();
    assert_eq!(s.setting("server_url").unwrap(), None);
}

#[test]
fn duplicate_record_id_is_refused_and_nothing_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let mut c = checkin(CARD);
    s.record_checkin(&mut c).unwrap();
    let mut again = c.clone();
    assert!(matches!(
        s.record_checkin(&mut again),
        Err(StoreError::DuplicateRecord(_))
    ));
    assert_eq!(s.status().unwrap().pending, 1);
    let mut next = checkin(CARD);
    s.record_checkin(&mut next).unwrap();
    assert_eq!(
        next.device_seq, 2,
        "the failed write did not consume a sequence number"
    );
}

#[cfg(unix)]
#[test]
fn read_only_data_dir_gives_a_clear_error() {
    use std::os::unix::fs::PermissionsExt;
    if is_root() {
        eprintln!("SKIP read_only_data_dir_gives_a_clear_error: root ignores file permissions");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o500)).unwrap();
    let err = Store::open(&dir.path().join("sub")).unwrap_err();
    assert!(matches!(err, StoreError::DataDir { .. }), "{err:?}");
}

fn is_root() -> bool {
    std::fs::metadata(Path::new("/proc/self"))
        .map(|m| {
            use std::os::unix::fs::MetadataExt;
            m.uid() == 0
        })
        .unwrap_or(false)
}

#[test]
fn record_ids_are_unique_across_many_writes() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path()).unwrap();
    let mut seen = std::collections::HashSet::new();
    for _ in 0..200 {
        let mut c = checkin(CARD);
        s.record_checkin(&mut c).unwrap();
        assert!(seen.insert(c.id));
    }
    let _: RecordId = *seen.iter().next().unwrap();
    assert_eq!(s.status().unwrap().pending, 200);
}

#[test]
fn retention_purges_only_what_the_server_holds() {
    let dir = tempfile::tempdir().unwrap();
    let clock = SetClock::vietnam(2021, 8, 1, 9, 0, 0);
    let mut s = Store::open_with_clock(dir.path(), Arc::new(clock.clone())).unwrap();
    let mut ids = Vec::new();
    for i in 0..4 {
        let mut c = checkin(&card(i));
        s.record_checkin(&mut c).unwrap();
        ids.push(c.id);
    }
    // Acknowledged at 09:00:00.000 exactly, one rejected beside it.
    s.apply_outcomes(&[
        (ids[0], Outcome::Acknowledged),
        (ids[1], Outcome::Rejected("venue outside scope".into())),
    ])
    .unwrap();
    let settled = clock.now_utc();
    let before = settled - chrono::Duration::milliseconds(1);
    assert_eq!(
        s.purge_acknowledged(Retention::settled_by(before)).unwrap(),
        0
    );
    // The boundary: acknowledged in the cutoff's own millisecond goes.
    assert_eq!(
        s.purge_acknowledged(Retention::settled_by(settled))
            .unwrap(),
        1
    );
    let left: Vec<_> = s
        .list(ListFilter::default())
        .unwrap()
        .into_iter()
        .map(|r| r.record.id())
        .collect();
    assert_eq!(
        left,
        vec![ids[3], ids[2], ids[1]],
        "pending and rejected records stay"
    );
    let mut next = checkin(&card(91));
    s.record_checkin(&mut next).unwrap();
    assert_eq!(next.device_seq, 5, "sequence numbers are never reused");
    // Zero days keeps nothing acknowledged, even settled "after" now.
    s.apply_outcomes(&[(ids[2], Outcome::Acknowledged)])
        .unwrap();
    clock.advance(chrono::Duration::days(-1));
    assert_eq!(
        s.purge_acknowledged(Retention::days_before(clock.now_utc(), 0))
            .unwrap(),
        1
    );
    // 28 days: gone only when the clock has moved past them.
    s.apply_outcomes(&[(ids[3], Outcome::Acknowledged)])
        .unwrap();
    clock.advance(chrono::Duration::days(28) - chrono::Duration::milliseconds(1));
    assert_eq!(
        s.purge_acknowledged(Retention::days_before(clock.now_utc(), 28))
            .unwrap(),
        0
    );
    clock.advance(chrono::Duration::milliseconds(1));
    assert_eq!(
        s.purge_acknowledged(Retention::days_before(clock.now_utc(), 28))
            .unwrap(),
        1
    );
}
