//! A record the caller was told is stored survives `kill -9` at the next instant.
//!
//! The test re-runs its own binary as a child that writes records as fast as
//! it can and prints each id after the write returns. The parent SIGKILLs it
//! mid-stream, reopens the database, and looks for every printed id.

use checkin_core::{CheckIn, DeviceId, Direction, Policy, Source};
use checkin_store::{ListFilter, Store};
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHILD_ENV: &str = "CHECKIN_KILL9_CHILD_DIR";

#[test]
fn kill9_child_writer() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let mut store = Store::open(dir.as_ref()).unwrap();
    let mut out = std::io::stdout().lock();
    for i in 0u64.. {
        let mut c = CheckIn::from_code(
            &format!("001098{i:06}||NGUYỄN VĂN {i}|01012000|Nam|Hà Nội|01012022"),
            "01-00001-KILL".parse().unwrap(),
            Direction::In,
            Source::Qr,
            DeviceId::new(),
            chrono::Utc::now().fixed_offset(),
            &Policy::default(),
        )
        .unwrap();
        store.record_checkin(&mut c).unwrap();
        writeln!(out, "{}", c.id).unwrap();
        out.flush().unwrap();
    }
}

#[test]
#[cfg(unix)]
fn every_confirmed_record_survives_sigkill() {
    for round in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "kill9_child_writer",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut printed = HashSet::new();
        let target = 50 + round * 97;
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut lines = BufReader::new(stdout).lines();
        while printed.len() < target && Instant::now() < deadline {
            let Some(Ok(line)) = lines.next() else { break };
            if let Ok(id) = line.trim().parse::<uuid::Uuid>() {
                printed.insert(id);
            }
        }
        // SIGKILL: no destructors, no flush, no chance to finish the write in hand.
        child.kill().unwrap();
        child.wait().unwrap();
        // Ids the child printed before dying but we had not read yet are in the pipe.
        for line in lines.map_while(Result::ok) {
            if let Ok(id) = line.trim().parse::<uuid::Uuid>() {
                printed.insert(id);
            }
        }
        assert!(
            printed.len() >= target,
            "child printed only {} ids",
            printed.len()
        );
        let store = Store::open(dir.path()).unwrap();
        let stored: HashSet<_> = store
            .list(ListFilter::default())
            .unwrap()
            .into_iter()
            .map(|r| r.record.id().0)
            .collect();
        let missing: Vec<_> = printed.difference(&stored).collect();
        assert!(
            missing.is_empty(),
            "round {round}: {} confirmed records lost: {missing:?}",
            missing.len()
        );
        assert!(stored.len() >= printed.len());
    }
}
