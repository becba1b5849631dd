// The station's state as signals, filled by what the backend pushes
// (station://status, scan, sync, camera) and by the answers to our own
// commands. The UI never polls: it calls station_status once at start.
import { batch, signal, computed } from '@preact/signals';
import { createContext } from 'preact';
import { useContext, useEffect } from 'preact/hooks';
import type {
  Admission,
  CameraState,
  CommandError,
  Direction,
  Language,
  ScanEvent,
  StationStatus,
  SyncState,
} from '../shared/gen';
import { toCommandError, type Backend } from '../shared/backend';
import { lang } from '../shared/i18n';
import { errorLine } from '../shared/errors';
import { toast } from '../shared/components/toast';
import { listenForWedge } from '../shared/wedge';
import { playCue } from '../shared/sound';
import { describeAdmission } from '../shared/verdict';

export type Route = 'gate' | 'kiosk' | 'paper' | 'quarantine' | 'sync' | 'settings';
export const ROUTES: readonly Route[] = ['gate', 'kiosk', 'paper', 'quarantine', 'sync', 'settings'];

export const RECENT_LIMIT = 20;
const KIOSK_KEY = 'checkin.kioskLocked';
/** The last language shown, so a store that cannot be read still speaks the user's language. */
const LANGUAGE_KEY = 'checkin.language';

/** The gate's last verdict; `seq` grows with every new one. */
export interface Shown {
  admission: Admission;
  seq: number;
}

/** What the camera pipeline reported with the last scan. */
export interface ScanInfo {
  at_ms: number;
  latency_ms: number;
  source: string;
}

declare global {
  interface Window {
    /** Benchmark hook: ms from frame capture to painted verdict, one per scan event. */
    __checkinLatencies?: number[];
  }
}

/** Reads the enrollment code a scan carries, when the backend sends it (see the UI section of docs/architecture.md). */
export function enrollCodeOf(a: Admission): string | null {
  if (a.status !== 'not_checkin' || a.kind !== 'enroll') return null;
  const text = (a as { text?: unknown }).text;
  return typeof text === 'string' && text ? text : null;
}

function parseRoute(hash: string): Route | null {
  const r = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return (ROUTES as readonly string[]).includes(r) ? (r as Route) : null;
}

export interface StationEnv {
  win: Window;
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  /** Calls back once the next frame (with the latest changes) is painted. */
  afterPaint: (fn: () => void) => void;
}

function defaultEnv(): StationEnv {
  let storage: StationEnv['storage'] = null;
  try {
    storage = window.localStorage;
  } catch {
    storage = null;
  }
  return {
    win: window,
    storage,
    // The frame that shows a change starts with its animation-frame
    // callbacks and paints right after them; a task queued from there runs
    // once that frame is painted (a second animation frame would wait for
    // the next frame too).
    afterPaint: (fn) =>
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => fn();
        ch.port2.postMessage(null);
      }),
  };
}

export class Station {
  readonly status = signal<StationStatus | null>(null);
  readonly startError = signal<CommandError | null>(null);
  readonly sync = signal<SyncState | null>(null);
  readonly camera = signal<CameraState | null>(null);
  readonly route = signal<Route>('gate');
  readonly kioskLocked = signal(false);
  readonly direction = signal<Direction>('in');
  readonly shown = signal<Shown | null>(null);
  readonly repeat = signal<{ at: string; seq: number } | null>(null);
  readonly recent = signal<Admission[]>([]);
  readonly lastScan = signal<ScanInfo | null>(null);
  readonly enrollScan = signal<string | null>(null);
  /** A name handed from the gate to paper entry ("enter a paper form" after an amber verdict). */
  readonly paperPrefill = signal<string | null>(null);
  /** The venue records are made for: the one chosen in settings, else the
   * enrollment's only venue (as the station itself decides). */
  readonly venueName = computed(() => {
    const s = this.status.value;
    if (!s) return null;
    const v = s.settings.venue_id
      ? s.venues.find((x) => x.id === s.settings.venue_id)
      : s.venues.length === 1
        ? s.venues[0]
        : undefined;
    return v?.name ?? null;
  });
  /** `units` as the unit pickers call it (stable, so their cache works). */
  readonly loadUnits = (parent: string | null) => this.backend.units({ parent });
  private seq = 0;
  private wedgeHandler: ((code: string) => void) | null = null;
  private languageInFlight: Language | null = null;
  private readonly stops: (() => void)[] = [];
  readonly env: StationEnv;

  readonly backend: Backend;

  constructor(backend: Backend, env: Partial<StationEnv> = {}) {
    this.backend = backend;
    this.env = { ...defaultEnv(), ...env };
    const saved = this.env.storage?.getItem(LANGUAGE_KEY);
    if (saved === 'vi' || saved === 'en') lang.value = saved;
  }

  private rememberLanguage(l: Language): void {
    try {
      this.env.storage?.setItem(LANGUAGE_KEY, l);
    } catch {
      // A full or disabled storage only loses the remembered language.
    }
  }

  /** Subscribes to events, restores kiosk mode and the route, loads the status. */
  async start(): Promise<void> {
    const b = this.backend;
    this.stops.push(
      b.on('station://status', (s) => this.applyStatus(s)),
      b.on('station://sync', (s) => this.applySync(s)),
      b.on('station://camera', (c) => (this.camera.value = c)),
      b.on('station://scan', (e) => this.onScan(e)),
    );
    const win = this.env.win;
    this.kioskLocked.value = this.env.storage?.getItem(KIOSK_KEY) === '1';
    this.route.value = this.kioskLocked.value ? 'kiosk' : (parseRoute(win.location.hash) ?? 'gate');
    const onHash = () => {
      const r = parseRoute(win.location.hash);
      if (this.kioskLocked.value && r !== 'kiosk') {
        win.history.replaceState(null, '', '#/kiosk');
        this.route.value = 'kiosk';
      } else if (r) this.route.value = r;
    };
    win.addEventListener('hashchange', onHash);
    this.stops.push(() => win.removeEventListener('hashchange', onHash));
    this.stops.push(listenForWedge(win.document, (code) => this.wedgeHandler?.(code)));
    await this.refreshStatus(true);
    if (this.status.value) void this.loadRecent();
  }

  stop(): void {
    for (const s of this.stops.splice(0)) s();
  }

  /** station_status; at start a failure opens the status screen with the error. */
  async refreshStatus(atStart = false): Promise<void> {
    try {
      const hadError = this.startError.value !== null;
      this.applyStatus(await this.backend.station_status());
      this.startError.value = null;
      // The gate's list could not be read while the store failed.
      if (hadError && !atStart) void this.loadRecent();
    } catch (e) {
      const err = toCommandError(e);
      this.startError.value = err;
      if (atStart && !this.kioskLocked.value) this.navigate('sync');
    }
  }

  async loadRecent(): Promise<void> {
    try {
      this.recent.value = await this.backend.gate_recent({ limit: RECENT_LIMIT });
    } catch (e) {
      this.fail(e);
    }
  }

  private applyStatus(s: StationStatus): void {
    batch(() => {
      this.status.value = s;
      this.sync.value = s.sync;
      this.startError.value = null;
      if (this.languageInFlight === null && lang.value !== s.settings.language) {
        lang.value = s.settings.language;
        this.rememberLanguage(s.settings.language);
      }
    });
  }

  private applySync(s: SyncState): void {
    batch(() => {
      this.sync.value = s;
      const st = this.status.value;
      if (st) this.status.value = { ...st, sync: s };
    });
  }

  /** Shows an error as a toast (what happened, what to do). */
  fail(e: unknown): CommandError {
    const err = toCommandError(e);
    toast(errorLine(err), 'error');
    return err;
  }

  /** Runs a command; on failure shows the toast and resolves to undefined. */
  async run<T>(p: Promise<T>): Promise<T | undefined> {
    try {
      return await p;
    } catch (e) {
      this.fail(e);
      return undefined;
    }
  }

  navigate(r: Route): void {
    if (this.kioskLocked.value && r !== 'kiosk') return;
    this.route.value = r;
    const want = `#/${r}`;
    if (this.env.win.location.hash !== want) this.env.win.history.pushState(null, '', want);
  }

  /** Changes the UI language at once and saves it in the settings. */
  async setLanguage(l: Language): Promise<void> {
    lang.value = l;
    this.rememberLanguage(l);
    this.languageInFlight = l;
    try {
      const settings = await this.backend.settings_update({ patch: { language: l } });
      const st = this.status.value;
      if (st) this.status.value = { ...st, settings };
    } catch (e) {
      this.fail(e);
    } finally {
      this.languageInFlight = null;
    }
  }

  lockKiosk(): boolean {
    if (!this.status.value?.settings.kiosk_pin_set) return false;
    this.env.storage?.setItem(KIOSK_KEY, '1');
    this.kioskLocked.value = true;
    this.navigate('kiosk');
    return true;
  }

  /** kiosk_unlock; true when the PIN was right and kiosk mode ended. */
  async unlockKiosk(pin: string): Promise<boolean> {
    const ok = await this.backend.kiosk_unlock({ pin });
    if (ok) {
      this.env.storage?.removeItem(KIOSK_KEY);
      this.kioskLocked.value = false;
    }
    return ok;
  }

  /** The current screen's handler for scanner bursts (null: ignore them). */
  setWedgeHandler(h: ((code: string) => void) | null): void {
    this.wedgeHandler = h;
  }

  /** Shows an admission at the gate: a new verdict, or the small "already scanned" note. */
  showAdmission(a: Admission): void {
    batch(() => {
      if (a.status === 'repeat') {
        this.repeat.value = { at: a.at, seq: ++this.seq };
        return;
      }
      this.repeat.value = null;
      this.shown.value = { admission: a, seq: ++this.seq };
      if (a.status === 'recorded') {
        this.recent.value = [a, ...this.recent.value.filter((x) => x !== a)].slice(0, RECENT_LIMIT);
      }
    });
    if (this.route.value === 'gate') {
      const cue = describeAdmission(a)?.cue;
      if (cue) playCue(cue);
    }
  }

  private onScan(e: ScanEvent): void {
    const code = enrollCodeOf(e.admission);
    if (code !== null && this.route.value === 'settings') this.enrollScan.value = code;
    else this.showAdmission(e.admission);
    this.lastScan.value = { at_ms: e.decided_at_ms, latency_ms: Math.max(0, e.decided_at_ms - e.frame_at_ms), source: e.source };
    const frameAt = e.frame_at_ms;
    const win = this.env.win;
    this.env.afterPaint(() => {
      (win.__checkinLatencies ??= []).push(Date.now() - frameAt);
    });
  }

  /** The entry/exit toggle: typed codes use it here, camera scans on the Rust side. */
  async setDirection(d: Direction): Promise<void> {
    this.direction.value = d;
    await this.run(this.backend.gate_set_direction({ direction: d }));
  }

  /** A typed or wedge-scanned code at the gate. */
  async admitCode(code: string): Promise<Admission | undefined> {
    const a = await this.run(this.backend.gate_admit({ code, direction: this.direction.value }));
    if (a) this.showAdmission(a);
    return a;
  }
}

export const StationContext = createContext<Station | null>(null);

export function useStation(): Station {
  const s = useContext(StationContext);
  if (!s) throw new Error('useStation outside StationContext');
  return s;
}

/** Routes scanner bursts to `handler` while the calling screen is shown. */
export function useWedge(handler: ((code: string) => void) | null): void {
  const station = useStation();
  useEffect(() => {
    station.setWedgeHandler(handler);
    return () => station.setWedgeHandler(null);
  });
}
