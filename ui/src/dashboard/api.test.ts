import { describe, expect, it } from 'vitest';
import { ApiError, DashboardApi, apiBase, parseRetryAfter } from './api';

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/** A fetch that answers from `answer` and records what it was asked. */
function fakeFetch(answer: (s: Seen) => Response | Promise<Response>) {
  const seen: Seen[] = [];
  const f = (async (url: string, init: RequestInit) => {
    const s = { url, method: init.method ?? 'GET', headers: init.headers as Record<string, string>, body: init.body as string | undefined };
    seen.push(s);
    return answer(s);
  }) as unknown as typeof fetch;
  return { f, seen };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('dashboard API client', () => {
  it('finds the API beside the pages', () => {
    expect(apiBase('https://checkin.soyte.vn/dashboard/#/qr-points')).toBe('https://checkin.soyte.vn/api/v1/dashboard/');
    expect(apiBase('https://x.vn/tinh/dashboard/index.html')).toBe('https://x.vn/tinh/api/v1/dashboard/');
    expect(apiBase('http://localhost:5174/')).toBe('http://localhost:5174/api/v1/dashboard/');
  });

  it('builds report and download URLs', () => {
    const api = new DashboardApi({ base: 'http://h/api/v1/dashboard/' });
    expect(api.reportUrl('qr-points', { unit: '387', as_of: '2021-08-15', compare: '' })).toBe(
      'http://h/api/v1/dashboard/reports/qr-points?as_of=2021-08-15&unit=387',
    );
    expect(api.reportUrl('silent-points', { week: '2021-W32' }, 'xlsx')).toBe(
      'http://h/api/v1/dashboard/reports/silent-points?week=2021-W32&format=xlsx',
    );
  });

  it('logs in without a CSRF token and posts logout with it', async () => {
    const { f, seen } = fakeFetch((s) =>
      s.url.endsWith('/login') ? json(200, { user: { login: 'hanh.nt', role: 'viewer', area: {} }, csrf: 'tok' }) : new Response(null, { status: 204 }),
    );
    const api = new DashboardApi({ base: 'http://h/api/v1/dashboard/', fetch: f, csrf: () => 'tok' });
    const s = await api.login('hanh.nt', 'mật khẩu dài');
    expect(s.csrf).toBe('tok');
    expect(seen[0].headers['x-csrf-token']).toBeUndefined();
    expect(JSON.parse(seen[0].body!)).toEqual({ login: 'hanh.nt', password: 'mật khẩu dài' });
    await api.logout();
    expect(seen[1]).toMatchObject({ method: 'POST', url: 'http://h/api/v1/dashboard/logout' });
    expect(seen[1].headers['x-csrf-token']).toBe('tok');
  });

  it('turns error answers into codes, with Retry-After', async () => {
    const { f } = fakeFetch(() => json(429, { error: 'too_many_attempts', message: 'wait' }, { 'retry-after': '840' }));
    const api = new DashboardApi({ base: 'http://h/', fetch: f });
    const e = await api.login('a', 'b').catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 429, code: 'too_many_attempts', detail: 'wait', retryAfter: 840 });
  });

  it('a 401 on login is bad credentials, elsewhere the end of the session', async () => {
    let ended = 0;
    const { f } = fakeFetch(() => json(401, { error: 'bad_credentials', message: 'no' }));
    const api = new DashboardApi({ base: 'http://h/', fetch: f, onUnauthorized: () => ended++ });
    await expect(api.login('a', 'b')).rejects.toMatchObject({ code: 'bad_credentials' });
    expect(ended).toBe(0);
    await expect(api.report('qr-points', {})).rejects.toMatchObject({ status: 401 });
    expect(ended).toBe(1);
  });

  it('no answer and non-JSON errors still give a code', async () => {
    const down = new DashboardApi({
      base: 'http://h/',
      fetch: (async () => {
        throw new TypeError('Failed to fetch');
      }) as unknown as typeof fetch,
    });
    await expect(down.me()).rejects.toMatchObject({ status: 0, code: 'network' });
    const proxy = new DashboardApi({ base: 'http://h/', fetch: fakeFetch(() => new Response('Bad Gateway', { status: 502 })).f });
    await expect(proxy.areas()).rejects.toMatchObject({ status: 502, code: 'http_502', detail: 'Bad Gateway' });
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('120')).toBe(120);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', new Date('2015-10-21T07:27:00Z'))).toBe(60);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
});
