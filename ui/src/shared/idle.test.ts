import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createIdleTimer } from './idle';

describe('kiosk inactivity timer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup() {
    const shown: (number | null)[] = [];
    const onReset = vi.fn();
    const timer = createIdleTimer({ warnAfterMs: 60_000, resetAfterMs: 90_000, onCountdown: (s) => shown.push(s), onReset });
    return { shown, onReset, timer };
  }

  it('counts down from 30 s after 60 s idle, then resets at 90 s', () => {
    const { shown, onReset, timer } = setup();
    timer.start();
    vi.advanceTimersByTime(59_999);
    expect(shown).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(shown).toEqual([30]);
    vi.advanceTimersByTime(1000);
    expect(shown.at(-1)).toBe(29);
    vi.advanceTimersByTime(28_000);
    expect(shown.at(-1)).toBe(1);
    expect(onReset).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1000);
    expect(onReset).toHaveBeenCalledTimes(1);
    expect(shown.at(-1)).toBeNull();
    expect(timer.running).toBe(false);
    vi.advanceTimersByTime(200_000);
    expect(onReset).toHaveBeenCalledTimes(1);
  });

  it('activity hides the countdown and restarts the wait', () => {
    const { shown, onReset, timer } = setup();
    timer.start();
    vi.advanceTimersByTime(75_000);
    expect(shown.at(-1)).toBe(15);
    timer.activity();
    expect(shown.at(-1)).toBeNull();
    vi.advanceTimersByTime(59_000);
    expect(shown.at(-1)).toBeNull();
    vi.advanceTimersByTime(31_000);
    expect(onReset).toHaveBeenCalledTimes(1);
  });

  it('stop ends everything', () => {
    const { shown, onReset, timer } = setup();
    timer.start();
    vi.advanceTimersByTime(70_000);
    timer.stop();
    expect(shown.at(-1)).toBeNull();
    vi.advanceTimersByTime(100_000);
    expect(onReset).not.toHaveBeenCalled();
    timer.activity();
    vi.advanceTimersByTime(100_000);
    expect(onReset).not.toHaveBeenCalled();
  });
});
