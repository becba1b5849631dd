//! A station whose device an administrator revoked: it says so, stops
//! trying, keeps every record queued, and sends them after it enrolls
//! again with a new code. Against a stand-in server on loopback (`stub`).

mod stub;

use checkin_core::{Direction, Source};
use checkin_station::sync::{self, SyncControl, SyncSettings, WatchMode};
use checkin_station::{EnrollInput, Station, StationError, SyncPhase};
use checkin_store::{ListFilter, QueueStatus, RecordState};
use std::time::Duration;
use stub::Stub;

const SYNC: &str = "POST /api/v1/sync";
const ENROLL: &str = "POST /api/v1/enroll";

fn card(i: u32) -> String {
    format!("0010980123{i:02}||NGUYỄN VĂN B|15081990|Nam|Hà Nội|01012021")
}

fn code(code: String) -> EnrollInput {
    EnrollInput {
        code,
        server_url: None,
        label: None,
        force: false,
    }
}

/// A station enrolled with `stub` that recorded `n` visitors.
async fn enrolled(stub: &Stub, n: u32) -> (tempfile::TempDir, Station) {
    let dir = tempfile::tempdir().unwrap();
    let mut st = Station::open(dir.path()).unwrap();
    st.enroll(&code(stub.code())).await.unwrap();
    admit(&mut st, 0..n);
    (dir, st)
}

fn admit(st: &mut Station, people: std::ops::Range<u32>) {
    for i in people {
        st.admit(&card(i), Direction::In, Source::Qr).unwrap();
    }
}

fn settings() -> SyncSettings {
    SyncSettings {
        // Everything acknowledged would go at once if a pass got that far.
        retention_days: 0,
        ..SyncSettings::default()
    }
}

#[tokio::test]
async fn a_revoked_station_says_so_stops_and_keeps_its_records_queued() {
    let stub = Stub::start();
    let (_dir, mut st) = enrolled(&stub, 3).await;
    sync::sync_once(&mut st, &SyncSettings::default())
        .await
        .unwrap();
    admit(&mut st, 3..5);
    stub.revoke();

    let err = sync::sync_once(&mut st, &settings()).await.unwrap_err();
    assert_eq!(checkin_station::sync_code(&err), "device_revoked", "{err}");
    assert!(sync::is_fatal(&err));
    assert_eq!(stub.requests(SYNC), 2, "a refusal is not retried");

    // The watch loop of the CLI returns at once, saying why.
    let mut seen = Vec::new();
    let control = SyncControl::new();
    let mode = WatchMode {
        stop_on_fatal: true,
        poll: None,
        gather: Duration::ZERO,
    };
    let err = sync::watch(&mut st, &settings(), &control, mode, |state, _| {
        seen.push(state.clone());
    })
    .await
    .unwrap_err();
    assert_eq!(checkin_station::sync_code(&err), "device_revoked");
    let last = seen.last().unwrap();
    assert_eq!(last.phase, SyncPhase::Error);
    assert_eq!(last.error_code.as_deref(), Some("device_revoked"));
    assert!(last.online, "the server answered");
    assert_eq!(stub.requests(SYNC), 3);

    // Nothing set aside, nothing purged: the two new records wait, the
    // three acknowledged ones are still there.
    let status = st.store().status().unwrap();
    assert_eq!(
        (status.pending, status.synced, status.rejected),
        (2, 3, 0),
        "{status:?}"
    );
    let waiting = st
        .store()
        .list(ListFilter::default())
        .unwrap()
        .into_iter()
        .filter(|r| matches!(r.state, RecordState::Pending | RecordState::Sent))
        .count();
    assert_eq!(waiting, 2);

    // A new code enrolls the same device again, records pending or not,
    // and the queue then drains.
    let device = st.store().device_id();
    st.enroll(&code(stub.code())).await.unwrap();
    assert_eq!(st.store().device_id(), device);
    let outcome = sync::sync_once(&mut st, &SyncSettings::default())
        .await
        .unwrap();
    assert_eq!(outcome.report.sent, 2);
    assert_eq!(
        st.store().status().unwrap(),
        QueueStatus {
            synced: 5,
            ..QueueStatus::default()
        }
    );
    assert_eq!(stub.stored(), 5);
}

#[tokio::test]
async fn a_working_credential_is_not_replaced_while_records_are_pending() {
    let stub = Stub::start();
    let (_dir, mut st) = enrolled(&stub, 1).await;
    let err = st.enroll(&code(stub.code())).await.unwrap_err();
    assert!(
        matches!(err, StationError::PendingRecords { pending: 1 }),
        "{err:?}"
    );
    assert_eq!(stub.requests(ENROLL), 1, "the new token was not spent");
    let mut forced = code(stub.code());
    forced.force = true;
    st.enroll(&forced).await.unwrap();
    assert_eq!(stub.requests(ENROLL), 2);
}

#[tokio::test]
async fn a_revoked_station_does_not_move_to_another_server_with_records_pending() {
    let stub = Stub::start();
    let other = Stub::start();
    let (_dir, mut st) = enrolled(&stub, 1).await;
    stub.revoke();
    let err = st.enroll(&code(other.code())).await.unwrap_err();
    assert!(
        matches!(err, StationError::PendingRecords { pending: 1 }),
        "{err:?}"
    );
    assert_eq!(other.requests(ENROLL), 0);
    assert_eq!(st.store().status().unwrap().pending, 1);
}
