//! One scan event per code per hold time.
//!
//! A camera sees the same code in many consecutive frames. The debouncer
//! reports a code the first time, then stays silent for that code until the
//! hold time (default 3 s) has passed since it was last reported. A different
//! code is reported at once. Time comes from a [`Clock`], so tests drive it by
//! hand with [`ManualClock`].

use crate::decoder::Code;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Default hold time.
pub const DEFAULT_HOLD: Duration = Duration::from_secs(3);

/// A monotonic clock.
pub trait Clock {
    /// Time since an arbitrary fixed origin.
    fn now(&self) -> Duration;
}

/// The real monotonic clock.
#[derive(Debug, Clone, Copy)]
pub struct SystemClock(Instant);

impl Default for SystemClock {
    fn default() -> Self {
        Self(Instant::now())
    }
}

impl Clock for SystemClock {
    fn now(&self) -> Duration {
        self.0.elapsed()
    }
}

/// A clock moved by hand; clones share the same time.
#[derive(Debug, Clone, Default)]
pub struct ManualClock(Arc<Mutex<Duration>>);

impl ManualClock {
    pub fn advance(&self, by: Duration) {
        let mut t = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *t += by;
    }
    pub fn set(&self, to: Duration) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = to;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Duration {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A code reported by the debouncer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanEvent {
    pub code: Code,
    /// Clock time of the report.
    pub at: Duration,
}

/// Turns per-frame codes into scan events.
#[derive(Debug)]
pub struct Debouncer<C: Clock = SystemClock> {
    hold: Duration,
    clock: C,
    /// Code bytes -> time last reported.
    last: HashMap<Vec<u8>, Duration>,
}

impl Default for Debouncer<SystemClock> {
    fn default() -> Self {
        Self::new(DEFAULT_HOLD, SystemClock::default())
    }
}

impl<C: Clock> Debouncer<C> {
    pub fn new(hold: Duration, clock: C) -> Self {
        Self {
            hold,
            clock,
            last: HashMap::new(),
        }
    }

    pub fn hold(&self) -> Duration {
        self.hold
    }

    /// Feeds the codes of one frame; returns the ones to report now.
    pub fn feed(&mut self, codes: &[Code]) -> Vec<ScanEvent> {
        let now = self.clock.now();
        let hold = self.hold;
        self.last
            .retain(|_, t| now.checked_sub(*t).is_none_or(|age| age < hold));
        let mut events = Vec::new();
        for code in codes {
            if self.last.contains_key(&code.bytes) {
                continue;
            }
            self.last.insert(code.bytes.clone(), now);
            events.push(ScanEvent {
                code: code.clone(),
                at: now,
            });
        }
        events
    }

    /// Forgets every code (e.g. after the operator cancelled a scan).
    pub fn reset(&mut self) {
        self.last.clear();
    }
}
