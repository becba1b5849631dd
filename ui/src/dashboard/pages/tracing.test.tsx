// Tracing and its log drawn from the shapes the server sends, and the
// tracing form against a stand-in fetch: refusals say what to do.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, type ComponentChildren } from 'preact';
import { act } from 'preact/test-utils';
import { Dashboard, DashboardContext } from '../state';
import { lang } from '../i18n';
import { PersonResult, TracePage, VenueResult } from './Trace';
import { AuditPage, AuditTable } from './Audit';
import type { AuditEntry, PersonTrace, VenueTrace } from '../types';

const AREA = { code: '387', name: 'Huyện Quan Sơn', level: 'district' as const, parent: '38' };

/** A dashboard logged in with `role`; `answer` stands in for the server. */
function dashboard(role: string, answer: (path: string, body: unknown) => Response = () => new Response(null, { status: 500 })) {
  const asked: { path: string; body: unknown; csrf?: string }[] = [];
  const f = (async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname.replace('/api/v1/dashboard/', '') + new URL(url).search;
    const body = init.body ? JSON.parse(init.body as string) : undefined;
    asked.push({ path, body, csrf: (init.headers as Record<string, string>)['x-csrf-token'] });
    return answer(path, body);
  }) as unknown as typeof fetch;
  const d = new Dashboard('http://h/api/v1/dashboard/', { hash: () => '#/trace', setHash: () => {} }, f);
  d.session.value = { user: { login: 'truyvet.quanson', role, area: AREA }, csrf: 'c1' };
  d.areas.value = { area: AREA, units: [AREA, { code: '14995', name: 'Xã Trung Xuân', level: 'commune', parent: '387' }] };
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

const VENUE: VenueTrace = {
  venue: { id: '38-14995-3PV2W6', name: 'Chợ Trung Xuân', commune_code: '14995' },
  window: { from: '2021-08-09T17:00:00Z', to: '2021-08-10T16:59:00Z' },
  stay_minutes: 90,
  people: [
    { name: 'NGUYEN VAN B', id_number: null, phone: '0912345678', entered_at: null, left_at: '2021-08-10T10:15:00+07:00', left_estimated: false, source: 'kiosk' },
    { name: 'NGUYEN VAN A', id_number: '038098000000', phone: null, entered_at: '2021-08-10T08:30:00+07:00', left_at: '2021-08-10T10:00:00+07:00', left_estimated: true, source: 'qr' },
  ],
  audit_id: 41,
};

describe('tracing results', () => {
  it('people at a venue: the venue and commune named, estimated exits marked, the audit number shown', () => {
    const el = show(dashboard('tracer').d, <VenueResult r={VENUE} />);
    expect(el.querySelector('h2')!.textContent).toBe('Những người có mặt tại Chợ Trung Xuân (Xã Trung Xuân)');
    expect(el.textContent).toContain('Từ 10/08/2021 00:00 đến 10/08/2021 23:59 (giờ Việt Nam)');
    expect(el.querySelector('[data-testid=audit-id]')!.textContent).toBe('Lượt tra cứu này đã được ghi vào nhật ký tra cứu, mã số 41.');
    const rows = el.querySelectorAll('tbody tr');
    expect(rows).toHaveLength(2);
    expect(rows[0].querySelector('[data-col=in]')!.textContent).toBe('Không ghi nhận');
    expect(rows[0].querySelector('[data-col=phone]')!.textContent).toBe('0912345678');
    expect(rows[0].querySelector('[data-col=source]')!.textContent).toBe('Ki-ốt khai báo');
    expect(rows[1].getAttribute('data-estimated')).toBe('true');
    expect(rows[1].querySelector('[data-col=out]')!.textContent).toBe('10/08/2021 10:00ước tính');
    expect(el.textContent).toContain('lấy giờ vào cộng 90 phút');
  });

  it('where a person went, in English; nobody found says so', () => {
    lang.value = 'en';
    const r: PersonTrace = {
      window: VENUE.window,
      visits: [{ at: '2021-08-10T01:05:00Z', venue_id: '38-14995-3PV2W6', venue_name: 'Chợ Trung Xuân', commune_code: '14995', direction: null, source: 'self' }],
      audit_id: 42,
    };
    const el = show(dashboard('tracer').d, <PersonResult r={r} q={{ phone: '0912 345 678', from: '', to: '', reason: '' }} />);
    expect(el.querySelector('h2')!.textContent).toBe('Where Phone 0912345678 went');
    const row = el.querySelector('tbody tr')!;
    expect(row.querySelector('[data-col=at]')!.textContent).toBe('10/08/2021 08:05');
    expect(row.querySelector('[data-col=commune]')!.textContent).toBe('Xã Trung Xuân');
    expect(row.querySelector('[data-col=direction]')!.textContent).toBe('Health declaration');
    expect(row.querySelector('[data-col=source]')!.textContent).toBe('Self check-in');
    render(null, root!);
    const none = show(dashboard('tracer').d, <VenueResult r={{ ...VENUE, people: [] }} />);
    expect(none.querySelector('[data-testid=empty]')!.textContent).toBe('Nobody was recorded at this venue during the chosen time.');
  });
});

describe('the tracing form', () => {
  it('a viewer gets no form and asks nothing', () => {
    const { d, asked } = dashboard('viewer');
    const el = show(d, <TracePage />);
    expect(el.querySelector('[data-testid=not-allowed]')!.textContent).toContain('chỉ dành cho tài khoản truy vết hoặc quản trị');
    expect(el.querySelector('form')).toBeNull();
    expect(asked).toEqual([]);
  });

  it('sends the lookup as the API reads it, with the CSRF token', async () => {
    const { d, asked } = dashboard('tracer', () => json(200, VENUE));
    const el = show(d, <TracePage />);
    type(el.querySelector('#venue-id'), ' 38-14995-3pv2w6 ');
    type(el.querySelector('#from-date'), '10/08/2021');
    type(el.querySelector('#from-time'), '8h');
    type(el.querySelector('#to-date'), '10/08/2021');
    type(el.querySelector('#to-time'), '1730');
    type(el.querySelector('#stay'), '90');
    type(el.querySelector('#reason'), '  Ca F0 số 12  ');
    act(() => (el.querySelector('[data-testid=trace-submit]') as HTMLButtonElement).click());
    await flush();
    expect(asked).toEqual([
      {
        path: 'trace/venue',
        body: { venue_id: '38-14995-3pv2w6', from: '2021-08-10T08:00', to: '2021-08-10T17:30', reason: 'Ca F0 số 12', stay_minutes: 90 },
        csrf: 'c1',
      },
    ]);
    expect(el.querySelectorAll('[data-testid=trace-people] tbody tr')).toHaveLength(2);
  });

  it('finds a venue by name after a pause in typing and fills its code in', async () => {
    vi.useFakeTimers();
    try {
      const venues = (n: number) =>
        Array.from({ length: n }, (_, i) => ({
          id: `38-14995-CHO00${i}`,
          name: `Chợ Trung Xuân ${i + 1}`,
          category: 'market',
          commune_code: '14995',
          commune_name: 'Xã Trung Xuân',
          registered_on: '2021-08-02',
        }));
      const { d, asked } = dashboard('tracer', (path) =>
        path.startsWith('venues?q=cho%20trung') ? json(200, { venues: venues(10), total: 12 }) : json(200, { venues: [], total: 0 }),
      );
      const el = show(d, <TracePage />);
      // One letter asks nothing; typing on restarts the pause.
      type(el.querySelector('#venue-search'), 'c');
      await act(async () => {
        await vi.advanceTimersByTimeAsync(1000);
      });
      type(el.querySelector('#venue-search'), 'cho tr');
      await act(async () => {
        await vi.advanceTimersByTimeAsync(100);
      });
      type(el.querySelector('#venue-search'), 'cho trung');
      await act(async () => {
        await vi.advanceTimersByTimeAsync(400);
      });
      expect(asked.map((a) => a.path)).toEqual(['venues?q=cho%20trung']);
      const choices = el.querySelectorAll('[data-testid=venue-choices] button');
      expect(choices).toHaveLength(8);
      expect(el.querySelector('#venue-search-status')!.textContent).toBe('12 địa điểm khớp trong địa bàn của bạn');
      expect(el.textContent).toContain('Còn 4 địa điểm nữa: gõ thêm để thu hẹp.');
      expect(choices[1].textContent).toBe('Chợ Trung Xuân 2Xã Trung Xuân · 38-14995-CHO001');
      act(() => (choices[1] as HTMLButtonElement).click());
      expect((el.querySelector('#venue-id') as HTMLInputElement).value).toBe('38-14995-CHO001');
      expect((el.querySelector('#venue-search') as HTMLInputElement).value).toBe('');
      expect(el.querySelector('[data-testid=venue-choices]')).toBeNull();
      // Nothing matching says so.
      type(el.querySelector('#venue-search'), 'xyz');
      await act(async () => {
        await vi.advanceTimersByTimeAsync(400);
      });
      expect(el.querySelector('#venue-search-status')!.textContent).toBe('Không có địa điểm nào khớp trong địa bàn của bạn.');
    } finally {
      vi.useRealTimers();
    }
  });

  it('a 403 for the role says the account may not trace', async () => {
    const { d } = dashboard('tracer', () => json(403, { error: 'role', message: 'your role does not allow contact tracing' }));
    const el = show(d, <TracePage />);
    type(el.querySelector('#venue-id'), '38-14995-3PV2W6');
    type(el.querySelector('#reason'), 'Ca F0 số 12');
    act(() => (el.querySelector('[data-testid=trace-submit]') as HTMLButtonElement).click());
    await flush();
    const box = el.querySelector('[data-testid=error]')!;
    expect(box.getAttribute('data-code')).toBe('role');
    expect(box.querySelector('[data-testid=error-advice]')!.textContent).toContain('không có quyền');
    expect(box.querySelector('[data-testid=error-detail]')!.textContent).toBe('your role does not allow contact tracing');
    expect(box.querySelector('[data-testid=retry]')).toBeNull();
  });

  it('a 400 shows the server’s message under the advice', async () => {
    const { d } = dashboard('admin', () => json(400, { error: 'invalid', message: 'the window is longer than 31 days: narrow it' }));
    const el = show(d, <TracePage />);
    type(el.querySelector('#venue-id'), '38-14995-3PV2W6');
    type(el.querySelector('#reason'), 'Ca F0 số 12');
    act(() => (el.querySelector('[data-testid=trace-submit]') as HTMLButtonElement).click());
    await flush();
    expect(el.querySelector('[data-testid=error-advice]')!.textContent).toBe('Máy chủ không nhận yêu cầu tra cứu này. Hãy sửa lại theo chi tiết bên dưới rồi bấm “Truy vết”.');
    expect(el.querySelector('[data-testid=error-detail]')!.textContent).toBe('the window is longer than 31 days: narrow it');
  });

  it('nothing is sent while a field is wrong', () => {
    const { d, asked } = dashboard('tracer');
    const el = show(d, <TracePage />);
    type(el.querySelector('#reason'), 'ổ'.repeat(501));
    act(() => (el.querySelector('[data-testid=trace-submit]') as HTMLButtonElement).click());
    const errors = [...el.querySelectorAll('[data-testid=field-error]')].map((e) => e.textContent);
    expect(errors).toEqual(['Hãy nhập mã địa điểm.', 'Lý do quá dài (tối đa 500 ký tự). Hãy rút gọn lại.']);
    expect(asked).toEqual([]);
  });
});

const entry = (id: number, at: string, action: string, query: string, reason: string): AuditEntry => ({ id, at, login: 'truyvet.quanson', area_code: '387', action, reason, query, results: id });

describe('the lookup log', () => {
  it('newest first, what was asked in words, the reason as written', () => {
    const entries = [
      entry(2, '2021-08-10T03:00:00Z', 'trace_person', '{"person":"phone:0912345678","from":"2021-08-09T17:00:00Z","to":"2021-08-10T16:59:00Z"}', 'Ca F1'),
      entry(1, '2021-08-10T02:00:00Z', 'trace_venue', '{"venue_id":"38-14995-3PV2W6","from":"2021-08-09T17:00:00Z","to":"2021-08-10T16:59:00Z"}', 'Ca F0 số 12'),
    ];
    const el = show(dashboard('admin').d, <AuditTable entries={entries} more={null} />);
    const rows = el.querySelectorAll('tbody tr');
    expect([...rows].map((r) => r.getAttribute('data-id'))).toEqual(['2', '1']);
    expect(rows[0].querySelector('[data-col=at]')!.textContent).toBe('10/08/2021 10:00');
    expect(rows[0].querySelector('[data-col=query]')!.textContent).toBe('NgườiSố điện thoại 091234567810/08/2021 00:00 – 10/08/2021 23:59');
    expect(rows[1].querySelector('[data-col=action]')!.textContent).toBe('Địa điểm');
    expect(rows[1].querySelector('[data-col=reason]')!.textContent).toBe('Ca F0 số 12');
    expect(rows[1].querySelector('[data-col=login]')!.textContent).toBe('truyvet.quanson' + 'Khu vực: Huyện Quan Sơn');
  });

  it('a change made at the server console is named so, in both languages', () => {
    const add = { ...entry(3, '2021-08-10T04:00:00Z', 'user_add', '{"login":"xa.trungxuan","role":"viewer","area_code":"14995"}', ''), login: '(admin CLI)', area_code: '38' };
    const el = show(dashboard('admin').d, <AuditTable entries={[add]} more={null} />);
    const who = () => el.querySelector('tbody tr [data-col=login]')!.textContent;
    expect(who()).toMatch(/^Quản trị máy chủ \(dòng lệnh\)/);
    act(() => {
      lang.value = 'en';
    });
    expect(who()).toMatch(/^Server console \(admin CLI\)/);
  });

  it('an admin reads the area’s log, a tracer their own; a viewer nothing', async () => {
    const admin = dashboard('admin', () => json(200, { entries: [] }));
    const el = show(admin.d, <AuditPage />);
    await flush();
    expect(admin.asked[0].path).toBe('audit?limit=200');
    expect(el.querySelector('[data-testid=audit-intro]')!.textContent).toBe('Mọi lượt truy vết và thay đổi tài khoản trong Huyện Quan Sơn, mới nhất trước.');
    expect(el.querySelector('[data-testid=audit-empty]')!.textContent).toBe('Chưa có lượt tra cứu nào.');
    render(null, root!);
    const viewer = dashboard('viewer');
    const v = show(viewer.d, <AuditPage />);
    await flush();
    expect(v.querySelector('[data-testid=not-allowed]')).not.toBeNull();
    expect(viewer.asked).toEqual([]);
  });
});
