// Timings of the station UI. Browser tests (fake backend only) shorten the
// kiosk's inactivity times through window.__CHECKIN_FAKE_INIT__.kioskIdle.

export const kioskIdle = {
  /** Countdown shown after this long without input. */
  warnMs: 60_000,
  /** Form cleared after this long without input. */
  resetMs: 90_000,
};
