// The kiosk's inactivity timer: after `warnAfterMs` without input it starts a
// visible countdown, after `resetAfterMs` it clears the form. Timers and the
// clock are injected so tests drive it with fake time.

export interface IdleTimerOptions {
  warnAfterMs: number;
  resetAfterMs: number;
  /** Seconds left while warning, null when not warning. */
  onCountdown: (secondsLeft: number | null) => void;
  onReset: () => void;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (id: unknown) => void;
}

export interface IdleTimer {
  /** Input seen: restart the wait and hide any countdown. */
  activity(): void;
  /** Starts (or restarts) watching. */
  start(): void;
  /** Stops watching and hides the countdown. */
  stop(): void;
  readonly running: boolean;
}

export function createIdleTimer(o: IdleTimerOptions): IdleTimer {
  const now = o.now ?? (() => Date.now());
  const setTimer = o.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = o.clearTimer ?? ((id) => clearTimeout(id as ReturnType<typeof setTimeout>));
  let last = 0;
  let timer: unknown = null;
  let running = false;
  let shown: number | null = null;

  const show = (s: number | null) => {
    if (s !== shown) {
      shown = s;
      o.onCountdown(s);
    }
  };

  const tick = () => {
    timer = null;
    if (!running) return;
    const idle = now() - last;
    if (idle >= o.resetAfterMs) {
      running = false;
      show(null);
      o.onReset();
      return;
    }
    if (idle >= o.warnAfterMs) {
      show(Math.ceil((o.resetAfterMs - idle) / 1000));
      // Wake at the next whole second of the countdown.
      const toNext = ((o.resetAfterMs - idle) % 1000) || 1000;
      timer = setTimer(tick, toNext);
    } else {
      show(null);
      timer = setTimer(tick, o.warnAfterMs - idle);
    }
  };

  const schedule = () => {
    if (timer !== null) clearTimer(timer);
    timer = null;
    tick();
  };

  return {
    activity() {
      last = now();
      if (running) schedule();
    },
    start() {
      running = true;
      last = now();
      schedule();
    },
    stop() {
      running = false;
      if (timer !== null) clearTimer(timer);
      timer = null;
      show(null);
    },
    get running() {
      return running;
    },
  };
}
