//! Wall-clock time, injected: records carry the device's local time with its
//! UTC offset, and tests set the time by hand instead of waiting for it.

use chrono::{DateTime, FixedOffset, Local, TimeZone, Utc};
use std::fmt;
use std::sync::{Arc, Mutex};

/// A source of the current local time (with its UTC offset).
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current time, in the device's local offset.
    fn now(&self) -> DateTime<FixedOffset>;

    /// The current time in UTC.
    fn now_utc(&self) -> DateTime<Utc> {
        self.now().with_timezone(&Utc)
    }
}

/// The operating system's clock, in its local time zone.
#[derive(Debug, Clone, Copy, Default)]
pub struct LocalClock;

impl Clock for LocalClock {
    fn now(&self) -> DateTime<FixedOffset> {
        Local::now().fixed_offset()
    }
}

/// A clock that shows what it is set to; clones share one time. For tests,
/// and for replaying paper records at the time written on them.
#[derive(Debug, Clone)]
pub struct SetClock(Arc<Mutex<DateTime<FixedOffset>>>);

impl SetClock {
    /// A clock stopped at `at`.
    pub fn new(at: DateTime<FixedOffset>) -> Self {
        Self(Arc::new(Mutex::new(at)))
    }

    /// A clock stopped at a wall time in Vietnam (UTC+7), e.g. `(2021, 8, 1, 9, 30, 0)`.
    pub fn vietnam(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Self {
        let tz = FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset");
        let at = tz
            .with_ymd_and_hms(y, mo, d, h, mi, s)
            .single()
            .expect("a valid local time");
        Self::new(at)
    }

    /// Moves the clock to `at`.
    pub fn set(&self, at: DateTime<FixedOffset>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = at;
    }

    /// Moves the clock forward (or back, for a negative duration).
    pub fn advance(&self, by: chrono::Duration) {
        let mut t = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *t += by;
    }
}

impl Clock for SetClock {
    fn now(&self) -> DateTime<FixedOffset> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A shared clock, as the store and the station hold it.
pub type SharedClock = Arc<dyn Clock>;

/// The system clock as a [`SharedClock`].
pub fn system_clock() -> SharedClock {
    Arc::new(LocalClock)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_clock_moves_only_when_told_and_clones_share_it() {
        let c = SetClock::vietnam(2021, 8, 1, 9, 0, 0);
        let other = c.clone();
        assert_eq!(c.now(), other.now());
        c.advance(chrono::Duration::minutes(90));
        assert_eq!(other.now().to_rfc3339(), "2021-08-01T10:30:00+07:00");
        assert_eq!(other.now_utc().to_rfc3339(), "2021-08-01T03:30:00+00:00");
    }
}
