import { describe, expect, it } from 'vitest';
import { ApiError, DashboardApi, apiBase, attachmentName, parseRetryAfter } from './api';

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

  it('tracing posts JSON with the CSRF token; the CSV comes back as a file with its name', async () => {
    const { f, seen } = fakeFetch((s) =>
      JSON.parse(s.body!).format === 'csv'
        ? new Response('\ufeffSTT,Họ và tên\r\n', { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="truy-vet-38-14995-3PV2W6.csv"' } })
        : json(200, { venue: { id: '38-14995-3PV2W6', name: 'Chợ', commune_code: '14995' }, window: { from: 'a', to: 'b' }, stay_minutes: 120, people: [], audit_id: 7 }),
    );
    const api = new DashboardApi({ base: 'http://h/api/v1/dashboard/', fetch: f, csrf: () => 'tok' });
    const q = { venue_id: '38-14995-3pv2w6', from: '2021-08-10T00:00', to: '2021-08-10T23:59', reason: 'Ca F0 số 12' };
    expect((await api.traceVenue(q)).audit_id).toBe(7);
    expect(seen[0]).toMatchObject({ method: 'POST', url: 'http://h/api/v1/dashboard/trace/venue' });
    expect(seen[0].headers['x-csrf-token']).toBe('tok');
    expect(JSON.parse(seen[0].body!)).toEqual(q);
    const file = await api.traceCsv('venue', q);
    expect(file.filename).toBe('truy-vet-38-14995-3PV2W6.csv');
    expect(JSON.parse(seen[1].body!)).toEqual({ ...q, format: 'csv' });
    expect(await file.blob.text()).toContain('Họ và tên');
  });

  it('tracing refusals keep the server’s code and message', async () => {
    const { f } = fakeFetch(() => json(403, { error: 'role', message: 'your role does not allow contact tracing' }));
    const api = new DashboardApi({ base: 'http://h/', fetch: f });
    await expect(api.tracePerson({ id_number: '1', from: 'a', to: 'b', reason: 'x' })).rejects.toMatchObject({ status: 403, code: 'role', detail: 'your role does not allow contact tracing' });
    await expect(api.traceCsv('person', { phone: '1', from: 'a', to: 'b', reason: 'x' })).rejects.toMatchObject({ code: 'role' });
  });

  it('asks for the audit log with a limit', async () => {
    const { f, seen } = fakeFetch(() => json(200, { entries: [] }));
    await new DashboardApi({ base: 'http://h/api/v1/dashboard/', fetch: f }).audit(200);
    expect(seen[0]).toMatchObject({ method: 'GET', url: 'http://h/api/v1/dashboard/audit?limit=200' });
  });

  it('reads an attachment’s file name, never a path', () => {
    expect(attachmentName('attachment; filename="truy-vet-nguoi.csv"', 'x.csv')).toBe('truy-vet-nguoi.csv');
    expect(attachmentName('attachment; filename=a.csv', 'x.csv')).toBe('a.csv');
    expect(attachmentName("attachment; filename*=UTF-8''truy%20v%E1%BA%BFt.csv", 'x.csv')).toBe('truy vết.csv');
    expect(attachmentName('attachment; filename="../../etc/passwd"', 'x.csv')).toBe('passwd');
    expect(attachmentName('attachment', 'x.csv')).toBe('x.csv');
    expect(attachmentName(null, 'x.csv')).toBe('x.csv');
  });
});
