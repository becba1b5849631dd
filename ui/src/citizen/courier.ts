// When the page sends the queue: now, when the browser says it is online
// again, when the page comes back into view, and after a failure on a
// growing delay (5 s doubling to a minute, or what the server asked for).
// Background Sync, where the browser has it, lets the service worker send
// the queue after the page is closed.
import { SYNC_TAG, flushOutbox, type FlushResult, type Send } from './outbox';
import type { CitizenDb } from './db';

const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 60_000;

export interface Timers {
  set: (fn: () => void, ms: number) => unknown;
  clear: (handle: unknown) => void;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class Courier {
  private running: Promise<void> | null = null;
  private again = false;
  private retry: unknown = null;
  private delay = FIRST_RETRY_MS;

  private readonly db: () => CitizenDb | null;
  private readonly onChange: (r: FlushResult) => void;
  private readonly send: Send | undefined;
  private readonly timers: Timers;

  constructor(db: () => CitizenDb | null, onChange: (r: FlushResult) => void, send?: Send, timers: Timers = realTimers) {
    this.db = db;
    this.onChange = onChange;
    this.send = send;
    this.timers = timers;
  }

  /** Sends what is queued (at once; a second call while sending runs once more after). */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    if (this.retry !== null) {
      this.timers.clear(this.retry);
      this.retry = null;
    }
    this.running = this.run().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        void this.kick();
      }
    });
    return this.running;
  }

  private async run(): Promise<void> {
    const db = this.db();
    if (!db) return;
    let r: FlushResult;
    try {
      r = await flushOutbox(db, this.send);
    } catch {
      // IndexedDB itself failed (e.g. the data was just deleted): nothing to send.
      return;
    }
    this.onChange(r);
    if (r.stopped && r.left > 0) {
      const wait = r.stopped.retryAfter !== null ? r.stopped.retryAfter * 1000 : this.delay;
      this.delay = Math.min(this.delay * 2, MAX_RETRY_MS);
      this.retry = this.timers.set(() => {
        this.retry = null;
        void this.kick();
      }, wait);
    } else {
      this.delay = FIRST_RETRY_MS;
    }
  }

  /** Kicks on the browser's signals that the link may be back. */
  listen(win: Window): () => void {
    const online = () => void this.kick();
    const visible = () => {
      if (win.document.visibilityState === 'visible') void this.kick();
    };
    win.addEventListener('online', online);
    win.document.addEventListener('visibilitychange', visible);
    return () => {
      win.removeEventListener('online', online);
      win.document.removeEventListener('visibilitychange', visible);
    };
  }
}

/** Asks the browser to wake the service worker when the link is back (Chromium). */
export async function requestBackgroundSync(): Promise<boolean> {
  try {
    // `ready` never settles without a service worker in charge.
    if (!navigator.serviceWorker?.controller) return false;
    const reg = await navigator.serviceWorker.ready;
    const sync = (reg as (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }) | undefined)?.sync;
    if (!sync) return false;
    await sync.register(SYNC_TAG);
    return true;
  } catch {
    return false;
  }
}
