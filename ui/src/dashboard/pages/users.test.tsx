// The users page against a stand-in fetch: the list as the server sends it,
// adding an account (checked before asking, the server's refusals in words),
// each change confirmed in a dialog and sent with the CSRF token, and no
// page at all for viewers and tracers.
import { afterEach, describe, expect, it } from 'vitest';
import { render, type ComponentChildren } from 'preact';
import { act } from 'preact/test-utils';
import { Dashboard, DashboardContext } from '../state';
import { lang } from '../i18n';
import { UsersPage } from './Users';
import { Shell } from './Shell';
import type { Unit, UserAccount } from '../types';

const PROVINCE = { code: '38', name: 'Tỉnh Thanh Hóa', level: 'province' as const, parent: null };
const DISTRICT = { code: '387', name: 'Huyện Quan Sơn', level: 'district' as const, parent: '38' };
const COMMUNE = { code: '14995', name: 'Xã Trung Xuân', level: 'commune' as const, parent: '387' };

const account = (login: string, role: string, area: Unit = DISTRICT, disabled_at: string | null = null): UserAccount => ({
  login,
  role,
  area,
  created_at: '2021-08-16T02:00:00Z',
  disabled_at,
});

const LIST = [account('huyen.quanson', 'viewer'), account('quantri.thanhhoa', 'admin', PROVINCE), account('xa.cu', 'tracer', COMMUNE, '2021-08-20T01:00:00Z')];

type Answer = (path: string, body: unknown) => Response;

/** A dashboard logged in as the province's admin (or `role`); `answer` stands in for the server. */
function dashboard(role: string, answer: Answer = () => json(200, { users: LIST })) {
  const asked: { path: string; method: string; body: unknown; csrf?: string }[] = [];
  const f = (async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname.replace('/api/v1/dashboard/', '');
    const body = init.body ? JSON.parse(init.body as string) : undefined;
    asked.push({ path, method: init.method ?? 'GET', body, csrf: (init.headers as Record<string, string>)['x-csrf-token'] });
    return answer(path, body);
  }) as unknown as typeof fetch;
  const d = new Dashboard('http://h/api/v1/dashboard/', { hash: () => '#/users', setHash: () => {} }, f);
  d.session.value = { user: { login: 'quantri.thanhhoa', role, area: PROVINCE }, csrf: 'c1' };
  d.areas.value = { area: PROVINCE, units: [PROVINCE, DISTRICT, COMMUNE] };
  return { d, asked };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

let root: HTMLElement | null = null;

function show(d: Dashboard, node: ComponentChildren): HTMLElement {
  root = document.createElement('div');
  document.body.appendChild(root);
  act(() => render(<DashboardContext.Provider value={d}>{node}</DashboardContext.Provider>, root!));
  return root;
}

afterEach(() => {
  if (root) render(null, root);
  root?.remove();
  document.querySelectorAll('.dialog-backdrop').forEach((e) => e.remove());
  lang.value = 'vi';
});

const flush = () => act(() => new Promise((r) => setTimeout(r, 0)));

function type(el: Element | null, value: string) {
  const input = el as HTMLInputElement;
  act(() => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

const click = (el: Element | null) => act(() => (el as HTMLElement).click());

/** Picks a radio button as a person does. */
function choose(el: Element | null) {
  const input = el as HTMLInputElement;
  act(() => {
    input.checked = true;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
}
const row = (el: HTMLElement, login: string) => el.querySelector(`tbody tr[data-login="${login}"]`)!;
const text = (el: Element | null) => el?.textContent ?? '';

describe('who sees the users page', () => {
  it('only admins have the tab; a viewer or tracer who types the link is told why and nothing is asked', () => {
    for (const role of ['viewer', 'tracer']) {
      const { d, asked } = dashboard(role);
      const el = show(d, <Shell />);
      expect(el.querySelector('.tab[data-route=users]'), role).toBeNull();
      expect(text(el.querySelector('[data-testid=not-allowed]'))).toContain('chỉ dành cho tài khoản quản trị');
      expect(asked.filter((a) => a.path === 'users'), role).toEqual([]);
      render(null, root!);
    }
    const el = show(dashboard('admin').d, <Shell />);
    expect(text(el.querySelector('.tab[data-route=users]'))).toBe('Người dùng');
  });
});

describe('the list', () => {
  it('every account of the area with its role, area and status, in Vietnamese', async () => {
    const el = show(dashboard('admin').d, <UsersPage />);
    await flush();
    expect(text(el.querySelector('h1'))).toBe('Người dùng');
    expect(text(el.querySelector('caption'))).toBe('3 tài khoản');
    const heads = [...el.querySelectorAll('thead th')].map((h) => h.textContent);
    expect(heads).toEqual(['Tài khoản', 'Vai trò', 'Địa bàn', 'Ngày tạo', 'Trạng thái', 'Thao tác']);
    const viewer = row(el, 'huyen.quanson');
    expect(text(viewer.querySelector('[data-col=role]'))).toBe('Người xem');
    expect(text(viewer.querySelector('[data-col=area]'))).toBe('Huyện Quan SơnQuận/huyện · 387');
    expect(text(viewer.querySelector('[data-col=created]'))).toBe('16/08/2021');
    expect(text(viewer.querySelector('[data-col=status]'))).toBe('Đang hoạt động');
    expect([...viewer.querySelectorAll('[data-action]')].map((b) => b.textContent)).toEqual(['Đổi vai trò', 'Đặt lại mật khẩu', 'Khóa']);
    const old = row(el, 'xa.cu');
    expect(old.getAttribute('data-disabled')).toBe('true');
    expect(text(old.querySelector('[data-col=role]'))).toBe('Truy vết');
    expect(text(old.querySelector('[data-col=status]'))).toBe('Đã khóa từ 20/08/2021');
    expect(text(old.querySelector('[data-action=enable]'))).toBe('Mở khóa');
    // Their own account: neither disabled nor demoted from here.
    const own = row(el, 'quantri.thanhhoa');
    expect(text(own.querySelector('[data-col=login]'))).toContain('(bạn)');
    expect(text(own.querySelector('[data-col=role]'))).toBe('Quản trị');
    expect([...own.querySelectorAll('[data-action]')].map((b) => b.getAttribute('data-action'))).toEqual(['password']);
  });

  it('narrowed by login or area name typed without diacritics, in English', async () => {
    lang.value = 'en';
    const el = show(dashboard('admin').d, <UsersPage />);
    await flush();
    type(el.querySelector('#user-search'), 'trung xuan');
    expect([...el.querySelectorAll('tbody tr')].map((r) => r.getAttribute('data-login'))).toEqual(['xa.cu']);
    expect(text(el.querySelector('caption'))).toBe('1 of 3 accounts');
    expect(text(row(el, 'xa.cu').querySelector('[data-col=status]'))).toBe('Disabled since 20/08/2021');
    type(el.querySelector('#user-search'), 'nobody');
    expect(text(el.querySelector('[data-testid=users-none-found]'))).toBe('No account matches what you typed.');
  });
});

describe('adding an account', () => {
  it('nothing is sent while a field is wrong', async () => {
    const { d, asked } = dashboard('admin');
    const el = show(d, <UsersPage />);
    await flush();
    click(el.querySelector('[data-testid=user-add-open]'));
    type(el.querySelector('#new-login'), 'Hạnh NT');
    type(el.querySelector('#new-password'), 'ngắn');
    click(el.querySelector('[data-testid=user-create]'));
    const errors = [...el.querySelectorAll('[data-testid=field-error]')].map((e) => e.textContent);
    expect(errors).toEqual([
      'Tên đăng nhập chỉ gồm 3 đến 64 chữ thường không dấu, số, dấu chấm, gạch dưới, gạch ngang. Hãy sửa lại, ví dụ hanh.nt.',
      'Mật khẩu quá ngắn. Hãy dùng ít nhất 10 ký tự.',
    ]);
    expect(asked.filter((a) => a.method === 'POST')).toEqual([]);
  });

  it('sends the account as the API reads it, with the CSRF token; the new row is shown and said', async () => {
    const created = account('hanh.nt', 'tracer', COMMUNE);
    const { d, asked } = dashboard('admin', (path) => (path === 'users' && asked.at(-1)?.method === 'POST' ? json(201, created) : json(200, { users: LIST })));
    const el = show(d, <UsersPage />);
    await flush();
    click(el.querySelector('[data-testid=user-add-open]'));
    expect(el.querySelector('#new-area')!.getAttribute('data-value')).toBe('38');
    type(el.querySelector('#new-login'), ' hanh.nt ');
    type(el.querySelector('#new-password'), 'mật khẩu đủ dài');
    expect(el.querySelector('#new-password')!.getAttribute('type')).toBe('password');
    click(el.querySelector('[data-testid=new-password-show]'));
    expect(el.querySelector('#new-password')!.getAttribute('type')).toBe('text');
    const box = el.querySelector('#new-area') as HTMLInputElement;
    act(() => box.focus());
    type(box, 'trung xuan');
    click(el.querySelector('#new-area-opt-14995'));
    choose(el.querySelector('[data-testid=new-role-tracer]'));
    click(el.querySelector('[data-testid=user-create]'));
    await flush();
    expect(asked.at(-1)).toEqual({
      path: 'users',
      method: 'POST',
      body: { login: 'hanh.nt', password: 'mật khẩu đủ dài', role: 'tracer', area_code: '14995' },
      csrf: 'c1',
    });
    expect(el.querySelector('[data-testid=user-form]')).toBeNull();
    expect(text(el.querySelector('[data-testid=users-done]'))).toBe('Đã tạo tài khoản hanh.nt.');
    expect(row(el, 'hanh.nt').classList.contains('row-changed')).toBe(true);
    expect(text(el.querySelector('caption'))).toBe('4 tài khoản');
  });

  it('a taken login is said at the login field; a unit outside the area in words', async () => {
    let answer = json(409, { error: 'login_taken', message: 'the login "hanh.nt" is taken: choose another' });
    const { d } = dashboard('admin', (_path, body) => (body ? answer : json(200, { users: LIST })));
    const el = show(d, <UsersPage />);
    await flush();
    click(el.querySelector('[data-testid=user-add-open]'));
    type(el.querySelector('#new-login'), 'hanh.nt');
    type(el.querySelector('#new-password'), 'mật khẩu đủ dài');
    click(el.querySelector('[data-testid=user-create]'));
    await flush();
    expect(text(el.querySelector('[data-field=new-login] [data-testid=field-error]'))).toBe('Tên đăng nhập này đã có người dùng. Hãy chọn tên khác.');
    answer = json(403, { error: 'outside_area', message: 'this unit is outside your area' });
    type(el.querySelector('#new-login'), 'hanh.nt2');
    click(el.querySelector('[data-testid=user-create]'));
    await flush();
    const error = el.querySelector('[data-testid=error]')!;
    expect(error.getAttribute('data-code')).toBe('outside_area');
    expect(text(error.querySelector('[data-testid=error-advice]'))).toBe('Tài khoản hoặc địa bàn này nằm ngoài địa bàn của bạn. Hãy chọn trong danh sách của trang.');
  });
});

describe('changing an account', () => {
  it('disabling is confirmed first; the row then says since when and offers to enable', async () => {
    const { d, asked } = dashboard('admin', (path) =>
      path === 'users/huyen.quanson/disable' ? json(200, account('huyen.quanson', 'viewer', DISTRICT, '2021-08-21T03:00:00Z')) : json(200, { users: LIST }),
    );
    const el = show(d, <UsersPage />);
    await flush();
    click(row(el, 'huyen.quanson').querySelector('[data-action=disable]'));
    const dialog = document.querySelector('[data-testid=user-dialog]')!;
    expect(text(dialog.querySelector('h2'))).toBe('Khóa tài khoản huyen.quanson?');
    expect(asked.filter((a) => a.method === 'POST')).toEqual([]);
    click(dialog.querySelector('[data-testid=user-dialog-cancel]'));
    expect(document.querySelector('[data-testid=user-dialog]')).toBeNull();
    click(row(el, 'huyen.quanson').querySelector('[data-action=disable]'));
    click(document.querySelector('[data-testid=user-dialog-submit]'));
    await flush();
    expect(asked.at(-1)).toEqual({ path: 'users/huyen.quanson/disable', method: 'POST', body: {}, csrf: 'c1' });
    expect(document.querySelector('[data-testid=user-dialog]')).toBeNull();
    expect(text(el.querySelector('[data-testid=users-done]'))).toBe('Đã khóa tài khoản huyen.quanson.');
    expect(text(row(el, 'huyen.quanson').querySelector('[data-col=status]'))).toBe('Đã khóa từ 21/08/2021');
    expect(row(el, 'huyen.quanson').querySelector('[data-action=enable]')).not.toBeNull();
  });

  it('a new password is checked, then sent', async () => {
    const { d, asked } = dashboard('admin', (path) => (path.endsWith('/password') ? json(200, LIST[0]) : json(200, { users: LIST })));
    const el = show(d, <UsersPage />);
    await flush();
    click(row(el, 'huyen.quanson').querySelector('[data-action=password]'));
    type(document.querySelector('#reset-password'), 'ngắn');
    click(document.querySelector('[data-testid=user-dialog-submit]'));
    expect(text(document.querySelector('[data-field=reset-password] [data-testid=field-error]'))).toBe('Mật khẩu quá ngắn. Hãy dùng ít nhất 10 ký tự.');
    expect(asked.filter((a) => a.method === 'POST')).toEqual([]);
    type(document.querySelector('#reset-password'), 'mật khẩu mới đủ dài');
    click(document.querySelector('[data-testid=user-dialog-submit]'));
    await flush();
    expect(asked.at(-1)).toEqual({ path: 'users/huyen.quanson/password', method: 'POST', body: { password: 'mật khẩu mới đủ dài' }, csrf: 'c1' });
    expect(text(el.querySelector('[data-testid=users-done]'))).toBe('Đã đặt mật khẩu mới cho huyen.quanson.');
  });

  it('a new role, in English; a refusal stays in the dialog with what it means', async () => {
    lang.value = 'en';
    let answer = json(403, { error: 'outside_area', message: 'this account is outside your area' });
    const { d, asked } = dashboard('admin', (path) => (path.endsWith('/role') ? answer : json(200, { users: LIST })));
    const el = show(d, <UsersPage />);
    await flush();
    click(row(el, 'huyen.quanson').querySelector('[data-action=role]'));
    const submit = document.querySelector('[data-testid=user-dialog-submit]') as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    choose(document.querySelector('[data-testid=set-role-tracer]'));
    expect(submit.disabled).toBe(false);
    click(submit);
    await flush();
    expect(text(document.querySelector('[data-testid=user-dialog] [data-testid=error-advice]'))).toBe('This account or unit is outside your area. Pick one from the page’s list.');
    answer = json(200, account('huyen.quanson', 'tracer'));
    click(document.querySelector('[data-testid=user-dialog-submit]'));
    await flush();
    expect(asked.at(-1)).toEqual({ path: 'users/huyen.quanson/role', method: 'POST', body: { role: 'tracer' }, csrf: 'c1' });
    expect(text(el.querySelector('[data-testid=users-done]'))).toBe('huyen.quanson is now Contact tracer.');
    expect(text(row(el, 'huyen.quanson').querySelector('[data-col=role]'))).toBe('Contact tracer');
  });
});
