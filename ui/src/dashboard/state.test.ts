import { describe, expect, it } from 'vitest';
import { Dashboard } from './state';
import { errorAdvice } from './errors';
import { ApiError } from './api';

const AREA = { code: '387', name: 'Huyện Quan Sơn', level: 'district', parent: '38' };
const UNITS = [AREA, { code: '14995', name: 'Xã Trung Xuân', level: 'commune', parent: '387' }];

/** A tiny stand-in for the server: one account, a session flag, a report. */
function server() {
  let session = false;
  const calls: { path: string; csrf?: string }[] = [];
  const json = (status: number, body: unknown) => new Response(body === null ? null : JSON.stringify(body), { status });
  const f = (async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname.replace('/api/v1/dashboard/', '');
    calls.push({ path, csrf: (init.headers as Record<string, string>)['x-csrf-token'] });
    if (path === 'login') {
      const b = JSON.parse(init.body as string);
      if (b.password !== 'đúng mật khẩu') return json(401, { error: 'bad_credentials', message: 'bad login or password' });
      session = true;
      return json(200, { user: { login: b.login, role: 'viewer', area: AREA }, csrf: 'c1' });
    }
    if (!session) return json(401, { error: 'not_logged_in', message: 'log in' });
    if (path === 'me') return json(200, { user: { login: 'hanh.nt', role: 'viewer', area: AREA }, csrf: 'c1' });
    if (path === 'areas') return json(200, { area: AREA, units: UNITS });
    if (path === 'logout') {
      session = false;
      return json(204, null);
    }
    return json(404, { error: 'not_found', message: path });
  }) as unknown as typeof fetch;
  return { f, calls, end: () => (session = false) };
}

function env() {
  const e = { h: '#/silent-points?week=2021-W32', hash: () => e.h, setHash: (h: string) => void (e.h = h) };
  return e;
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('dashboard session', () => {
  it('no session: the login page; logging in loads the areas', async () => {
    const s = server();
    const d = new Dashboard('http://h/api/v1/dashboard/', env(), s.f);
    await d.start();
    expect(d.phase.value).toBe('login');
    await expect(d.login('hanh.nt', 'sai')).rejects.toMatchObject({ code: 'bad_credentials' });
    expect(d.phase.value).toBe('login');
    await d.login('hanh.nt', 'đúng mật khẩu');
    await flush();
    expect(d.phase.value).toBe('ready');
    expect(d.areas.value?.units).toHaveLength(2);
    expect(d.unitCode.value).toBe('387');
    expect(d.unit('14995')?.name).toBe('Xã Trung Xuân');
    expect(d.route.value.page).toBe('silent-points');
  });

  it('a 401 during work sends back to login, saying the session ended', async () => {
    const s = server();
    const d = new Dashboard('http://h/api/v1/dashboard/', env(), s.f);
    await d.login('hanh.nt', 'đúng mật khẩu');
    s.end();
    await expect(d.api.report('qr-points', {})).rejects.toBeInstanceOf(ApiError);
    expect(d.phase.value).toBe('login');
    expect(d.notice.value).toBe('expired');
    expect(d.session.value).toBeNull();
  });

  it('logout posts the CSRF token and says so', async () => {
    const s = server();
    const d = new Dashboard('http://h/api/v1/dashboard/', env(), s.f);
    await d.login('hanh.nt', 'đúng mật khẩu');
    await d.logout();
    expect(s.calls.find((c) => c.path === 'logout')?.csrf).toBe('c1');
    expect(d.phase.value).toBe('login');
    expect(d.notice.value).toBe('logged_out');
  });

  it('navigation writes the hash; the hash is followed back', () => {
    const e = env();
    const d = new Dashboard('http://h/', e, server().f);
    d.navigate('e-vs-paper', { unit: '14995', from: '2021-08-01', to: '2021-08-15' });
    expect(e.h).toBe('#/e-vs-paper?from=2021-08-01&to=2021-08-15&unit=14995');
    e.h = '#/qr-points?unit=387';
    d.followHash();
    expect(d.route.value).toEqual({ page: 'qr-points', params: { unit: '387' } });
  });

  it('error advice by code', () => {
    expect(errorAdvice(new ApiError(0, 'network', ''), 'vi')).toContain('kết nối');
    expect(errorAdvice(new ApiError(403, 'outside_area', ''), 'en')).toContain('outside');
    expect(errorAdvice(new ApiError(400, 'invalid', 'x'), 'en')).toContain('Show report');
    expect(errorAdvice(new ApiError(503, 'overloaded', ''), 'en')).toContain('server has a problem');
    expect(errorAdvice(new ApiError(429, 'slow_down', '', 20), 'en')).toContain('20 seconds');
  });
});
