// The dashboard API (docs/dashboard.md) over fetch: JSON in and out, the
// session cookie sent by the browser, X-CSRF-Token on every POST but login.
// Errors come back as ApiError with the server's stable code; a 401 on
// anything but login means the session ended, and `onUnauthorized` is told.
import type { Areas, ReportData, ReportName, Session } from './types';
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

  /** The URL of a report; with `format` csv or xlsx, the download link. */
  reportUrl(name: ReportName, params: Params, format: Format = 'json'): string {
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

  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    o: { body?: unknown; isLogin?: boolean; signal?: AbortSignal } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
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
    const text = await resp.text().catch(() => '');
    if (resp.ok) {
      if (text === '') return null as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new ApiError(resp.status, 'bad_answer', 'the server answered something that is not JSON');
      }
    }
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
