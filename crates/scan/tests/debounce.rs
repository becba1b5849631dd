//! Debounce with an injected clock.
use checkin_core::payload::PayloadKind;
use checkin_scan::{Charset, Code, Debouncer, ManualClock};
use std::time::Duration;

fn code(text: &str) -> Code {
    Code {
        text: text.into(),
        bytes: text.as_bytes().to_vec(),
        charset: Charset::Utf8,
        kind: PayloadKind::Text,
        corners: [(0, 0); 4],
    }
}

#[test]
fn same_code_reported_once_per_hold_time() {
    let clock = ManualClock::default();
    let mut d = Debouncer::new(Duration::from_secs(3), clock.clone());
    let a = code("A");
    let mut events = 0;
    // 15 fps for 2.9 s: one event.
    for _ in 0..44 {
        events += d.feed(std::slice::from_ref(&a)).len();
        clock.advance(Duration::from_millis(66));
    }
    assert_eq!(events, 1);
    // Past the hold time since the report: reported again.
    clock.set(Duration::from_millis(3000));
    assert_eq!(d.feed(std::slice::from_ref(&a)).len(), 1);
    assert_eq!(d.feed(std::slice::from_ref(&a)).len(), 0);
}

#[test]
fn different_code_reported_at_once() {
    let clock = ManualClock::default();
    let mut d = Debouncer::new(Duration::from_secs(3), clock.clone());
    assert_eq!(d.feed(&[code("A")]).len(), 1);
    clock.advance(Duration::from_millis(100));
    let ev = d.feed(&[code("B")]);
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].code.text, "B");
    assert_eq!(ev[0].at, Duration::from_millis(100));
    // A again within its hold time: still suppressed (two cards in view
    // must not alternate into repeated check-ins).
    clock.advance(Duration::from_millis(100));
    assert!(d.feed(&[code("A")]).is_empty());
    // Both in one frame, later: both reported.
    clock.advance(Duration::from_secs(3));
    assert_eq!(d.feed(&[code("A"), code("B")]).len(), 2);
    // Empty frames change nothing.
    assert!(d.feed(&[]).is_empty());
}

#[test]
fn hold_time_is_configurable_and_reset_forgets() {
    let clock = ManualClock::default();
    let mut d = Debouncer::new(Duration::from_millis(500), clock.clone());
    assert_eq!(d.hold(), Duration::from_millis(500));
    assert_eq!(d.feed(&[code("A")]).len(), 1);
    clock.advance(Duration::from_millis(499));
    assert!(d.feed(&[code("A")]).is_empty());
    clock.advance(Duration::from_millis(1));
    assert_eq!(d.feed(&[code("A")]).len(), 1);
    d.reset();
    assert_eq!(d.feed(&[code("A")]).len(), 1);
    // The default is 3 s.
    assert_eq!(Debouncer::default().hold(), Duration::from_secs(3));
}
