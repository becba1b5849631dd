// The dashboard API (docs/dashboard.md) over fetch: JSON in and out, the
// session cookie sent by the browser, X-CSRF-Token on every POST but login.
// Errors come back as ApiError with the server's stable code; a 401 on
// anything but login means the session ended, and `onUnauthorized` is told.
import type { Areas, AuditLog, PersonTrace, ReportData, ReportName, Role, Session, UserAccount, UserList, VenueList, VenueTrace } from './types';
import type { Params } from './route';

/** A failed call: HTTP status (0: no answer), the API's code and message. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  /** Seconds from Retry-After, when the server sent one. */
  readonly retryAfter: number | null;

  constructor(status: number, code: string, detail: string, retryAfter: number | null = null) {
    super(`${status} ${code}: ${detail}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.retryAfter = retryAfter;
  }
}

/** The API's root for pages served at `<root>/dashboard/`: "<root>/api/v1/dashboard/". */
export function apiBase(pageHref: string): string {
  return new URL('../api/v1/dashboard/', pageHref).toString();
}

/** Retry-After as seconds: a number of seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: Date = new Date()): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

export type Format = 'json' | 'csv' | 'xlsx';

/** `POST /trace/venue`: who was at a venue during a window. */
export interface VenueLookup {
  venue_id: string;
  /** "YYYY-MM-DDTHH:MM", Vietnam time. */
  from: string;
  to: string;
  reason: string;
  stay_minutes?: number;
}

/** `POST /trace/person`: where a person (by ID-card number or phone) went. */
export interface PersonLookup {
  id_number?: string;
  phone?: string;
  from: string;
  to: string;
  reason: string;
}

/** `POST /users`: a new account. */
export interface NewUser {
  login: string;
  password: string;
  role: Role;
  area_code: string;
}

/** A file the server sent as an attachment. */
export interface Download {
  blob: Blob;
  filename: string;
}

/** The file name of a Content-Disposition header ("attachment; filename=\"a.csv\""), else `fallback`. */
export function attachmentName(header: string | null, fallback: string): string {
  if (!header) return fallback;
  let name = '';
  const star = /filename\*\s*=\s*(?:UTF-8'[^']*')?([^;]+)/i.exec(header);
  if (star) {
    try {
      name = decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      name = '';
    }
  }
  if (!name) {
    const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(header);
    name = plain ? (plain[2] ?? plain[1]).trim() : '';
  }
  // Never a path: only the last segment.
  return name.split(/[\\/]/).pop() || fallback;
}

export interface ApiOptions {
  base: string;
  fetch?: typeof fetch;
  /** The session's CSRF token, for POSTs. */
  csrf?: () => string | null;
  /** A call other than login answered 401: the session is gone. */
  onUnauthorized?: () => void;
}

export class DashboardApi {
  private readonly opts: ApiOptions;

  constructor(opts: ApiOptions) {
    this.opts = opts;
  }

  /** The URL of a report (the weekly report too, for its downloads); with `format` csv or xlsx, the download link. */
  reportUrl(name: ReportName | 'weekly', params: Params, format: Format = 'json'): string {
    const u = new URL(`reports/${name}`, this.opts.base);
    for (const k of Object.keys(params).sort()) if (params[k]) u.searchParams.set(k, params[k]);
    if (format !== 'json') u.searchParams.set('format', format);
    return u.toString();
  }

  login(login: string, password: string): Promise<Session> {
    return this.call<Session>('POST', 'login', { body: { login, password }, isLogin: true });
  }

  async logout(): Promise<void> {
    await this.call<null>('POST', 'logout');
  }

  me(signal?: AbortSignal): Promise<Session> {
    return this.call<Session>('GET', 'me', { signal });
  }

  areas(signal?: AbortSignal): Promise<Areas> {
    return this.call<Areas>('GET', 'areas', { signal });
  }

  report<N extends ReportName>(name: N, params: Params, signal?: AbortSignal): Promise<ReportData[N]> {
    return this.call<ReportData[N]>('GET', this.reportUrl(name, params), { signal });
  }

  /** Who was at a venue; each answered lookup is written to the audit log first. */
  traceVenue(q: VenueLookup, signal?: AbortSignal): Promise<VenueTrace> {
    return this.call<VenueTrace>('POST', 'trace/venue', { body: q, signal });
  }

  /** Where a person went inside the user's area (audited too). */
  tracePerson(q: PersonLookup, signal?: AbortSignal): Promise<PersonTrace> {
    return this.call<PersonTrace>('POST', 'trace/person', { body: q, signal });
  }

  /** The same lookup as the officials' CSV (a lookup of its own in the audit log). */
  async traceCsv(kind: 'venue' | 'person', q: VenueLookup | PersonLookup): Promise<Download> {
    const resp = await this.send('POST', `trace/${kind}`, { body: { ...q, format: 'csv' } }, 'text/csv');
    return { blob: await resp.blob(), filename: attachmentName(resp.headers.get('content-disposition'), `truy-vet-${kind}.csv`) };
  }

  /** QR points inside the user's area whose name (accents aside) or code contains `q`. */
  venues(q: string, signal?: AbortSignal): Promise<VenueList> {
    return this.call<VenueList>('GET', `venues?q=${encodeURIComponent(q)}`, { signal });
  }

  /** The audit log, newest first: an admin's area, a tracer's own lookups. */
  audit(limit: number, signal?: AbortSignal): Promise<AuditLog> {
    return this.call<AuditLog>('GET', `audit?limit=${encodeURIComponent(String(limit))}`, { signal });
  }

  /** The accounts of the admin's area (admins only). */
  users(signal?: AbortSignal): Promise<UserList> {
    return this.call<UserList>('GET', 'users', { signal });
  }

  /** Creates an account inside the admin's area. */
  addUser(u: NewUser): Promise<UserAccount> {
    return this.call<UserAccount>('POST', 'users', { body: u });
  }

  /** Disables an account (its sessions end at once) or enables it again. */
  setDisabled(login: string, disabled: boolean): Promise<UserAccount> {
    return this.call<UserAccount>('POST', `users/${encodeURIComponent(login)}/${disabled ? 'disable' : 'enable'}`, { body: {} });
  }

  /** Sets a new password (the account's sessions end). */
  setPassword(login: string, password: string): Promise<UserAccount> {
    return this.call<UserAccount>('POST', `users/${encodeURIComponent(login)}/password`, { body: { password } });
  }

  setRole(login: string, role: Role): Promise<UserAccount> {
    return this.call<UserAccount>('POST', `users/${encodeURIComponent(login)}/role`, { body: { role } });
  }

  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    o: { body?: unknown; isLogin?: boolean; signal?: AbortSignal } = {},
  ): Promise<T> {
    const resp = await this.send(method, path, o, 'application/json');
    const text = await resp.text().catch(() => '');
    if (text === '') return null as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(resp.status, 'bad_answer', 'the server answered something that is not JSON');
    }
  }

  /** The request; a successful response as is, any other as an ApiError. */
  private async send(
    method: 'GET' | 'POST',
    path: string,
    o: { body?: unknown; isLogin?: boolean; signal?: AbortSignal },
    accept: string,
  ): Promise<Response> {
    const headers: Record<string, string> = { accept };
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    if (method === 'POST' && !o.isLogin) {
      const token = this.opts.csrf?.();
      if (token) headers['x-csrf-token'] = token;
    }
    let resp: Response;
    try {
      resp = await (this.opts.fetch ?? fetch)(new URL(path, this.opts.base).toString(), {
        method,
        headers,
        body: o.body === undefined ? undefined : JSON.stringify(o.body),
        credentials: 'same-origin',
        cache: 'no-store',
        signal: o.signal,
      });
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') throw e;
      throw new ApiError(0, 'network', String((e as Error)?.message ?? e));
    }
    if (resp.ok) return resp;
    const text = await resp.text().catch(() => '');
    let code = `http_${resp.status}`;
    let detail = '';
    try {
      const j = JSON.parse(text) as { error?: unknown; message?: unknown };
      if (typeof j.error === 'string') code = j.error;
      if (typeof j.message === 'string') detail = j.message;
    } catch {
      detail = text.slice(0, 200);
    }
    const err = new ApiError(resp.status, code, detail, parseRetryAfter(resp.headers.get('retry-after')));
    if (resp.status === 401 && !o.isLogin) this.opts.onUnauthorized?.();
    throw err;
  }
}
