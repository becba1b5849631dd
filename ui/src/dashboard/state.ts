// The dashboard's state: who is logged in, the units they may pick, which
// report is shown with which query. Components read the signals; the
// methods talk to the API.
import { signal, computed, type Signal } from '@preact/signals';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { ApiError, DashboardApi } from './api';
import { parseHash, routeHash, type Params, type Route } from './route';
import type { Areas, PageName, Session, Unit } from './types';

export type Phase = 'starting' | 'login' | 'ready';

/** Why the login page is shown again. */
export type LoginNotice = 'expired' | 'logged_out' | null;

export interface Env {
  /** The URL's hash now. */
  hash(): string;
  /** Sets the hash (adding a history entry unless `replace`). */
  setHash(hash: string, replace: boolean): void;
}

export class Dashboard {
  readonly phase = signal<Phase>('starting');
  readonly session = signal<Session | null>(null);
  readonly areas = signal<Areas | null>(null);
  readonly areasError = signal<ApiError | null>(null);
  readonly startError = signal<ApiError | null>(null);
  readonly notice = signal<LoginNotice>(null);
  readonly route: Signal<Route>;
  readonly api: DashboardApi;
  private readonly env: Env;

  /** The unit the reports are about: the one picked, else the user's area. */
  readonly unitCode = computed(() => this.route.value.params.unit ?? this.session.value?.user.area.code ?? '');

  constructor(base: string, env: Env, fetchImpl?: typeof fetch) {
    this.env = env;
    this.route = signal<Route>(parseHash(env.hash()));
    this.api = new DashboardApi({
      base,
      fetch: fetchImpl,
      csrf: () => this.session.value?.csrf ?? null,
      onUnauthorized: () => this.expire(),
    });
  }

  /** Asks the server whether this browser already has a session. */
  async start(): Promise<void> {
    this.startError.value = null;
    try {
      const s = await this.api.me();
      this.enter(s);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        this.phase.value = 'login';
      } else {
        this.startError.value = e instanceof ApiError ? e : new ApiError(0, 'network', String(e));
        this.phase.value = 'login';
      }
    }
  }

  /** Logs in; throws the ApiError for the form to show. */
  async login(login: string, password: string): Promise<void> {
    const s = await this.api.login(login, password);
    this.notice.value = null;
    this.startError.value = null;
    this.enter(s);
  }

  /** Ends the session on the server, then shows the login page. */
  async logout(): Promise<void> {
    try {
      await this.api.logout();
    } catch (e) {
      // Already ended (401) is what we wanted; anything else still leaves
      // this page logged out, and the cookie expires on its own.
      if (!(e instanceof ApiError)) throw e;
    }
    this.leave('logged_out');
  }

  /** The server no longer knows the session (a 401 anywhere). */
  expire(): void {
    if (this.phase.value === 'ready') this.leave('expired');
  }

  async loadAreas(): Promise<void> {
    this.areasError.value = null;
    try {
      this.areas.value = await this.api.areas();
    } catch (e) {
      if (e instanceof ApiError && e.status !== 401) this.areasError.value = e;
    }
  }

  /** The unit with `code` among those the user may pick. */
  unit(code: string): Unit | undefined {
    const a = this.areas.value;
    if (!a) return code === this.session.value?.user.area.code ? this.session.value.user.area : undefined;
    return a.units.find((u) => u.code === code) ?? (a.area.code === code ? a.area : undefined);
  }

  /** Shows `page` with `params` (kept in the URL). */
  navigate(page: PageName, params: Params, replace = false): void {
    const r: Route = { page, params };
    this.route.value = r;
    this.env.setHash(routeHash(r), replace);
  }

  /** The hash changed under us (back button, a typed URL). */
  followHash(): void {
    const r = parseHash(this.env.hash());
    if (routeHash(r) !== routeHash(this.route.value)) this.route.value = r;
  }

  private enter(s: Session): void {
    this.session.value = s;
    this.phase.value = 'ready';
    void this.loadAreas();
  }

  private leave(notice: LoginNotice): void {
    this.session.value = null;
    this.areas.value = null;
    this.areasError.value = null;
    this.notice.value = notice;
    this.phase.value = 'login';
  }
}

export const DashboardContext = createContext<Dashboard | null>(null);

export function useDashboard(): Dashboard {
  const d = useContext(DashboardContext);
  if (!d) throw new Error('DashboardContext missing');
  return d;
}
