// The report bodies drawn from sample answers (the shapes the server sends):
// marks, names, empty states and long tables, without a browser or server.
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { Dashboard, DashboardContext } from '../state';
import { lang } from '../i18n';
import { QrPointsReport, KNOWN_LOW_RULE } from './QrPoints';
import { SilentPointsReport } from './SilentPoints';
import { EVsPaperReport } from './EVsPaper';
import type { EVsPaper, QrPoints, SilentPoints } from '../types';

const dash = new Dashboard('http://h/api/v1/dashboard/', { hash: () => '', setHash: () => {} }, (async () => {
  throw new Error('no network in this test');
}) as unknown as typeof fetch);

let root: HTMLElement | null = null;

function show(node: preact.ComponentChildren): HTMLElement {
  root = document.createElement('div');
  document.body.appendChild(root);
  act(() => render(<DashboardContext.Provider value={dash}>{node}</DashboardContext.Provider>, root!));
  return root;
}

afterEach(() => {
  if (root) render(null, root);
  root?.remove();
  lang.value = 'vi';
});

const QR: QrPoints = {
  unit: { code: '387', name: 'Huyện Quan Sơn' },
  as_of: '2021-08-15',
  compare: '2021-08-08',
  rows: [
    { code: '14995', name: 'Xã Trung Xuân', venues: 3, scans: 1200, venues_change: 1, scans_change: 300, low: false },
    { code: '14998', name: 'Thị trấn Sơn Lư', venues: 2, scans: 10, venues_change: 0, scans_change: -30, low: true },
    { code: '15004', name: 'Xã Sơn Hà', venues: 0, scans: 0, venues_change: 0, scans_change: 0, low: true },
  ],
  total: { venues: 5, scans: 1210, venues_change: 1, scans_change: 270 },
  low_rule: KNOWN_LOW_RULE,
  leaders: ['Xã Trung Xuân'],
  laggards: ['Thị trấn Sơn Lư', 'Xã Sơn Hà'],
};

describe('qr-points page body', () => {
  it('marks the low units, names leaders and laggards, states the rule', () => {
    const el = show(<QrPointsReport r={QR} byDistrict={false} />);
    const low = [...el.querySelectorAll('tbody tr[data-low=true]')].map((r) => r.getAttribute('data-code'));
    expect(low).toEqual(['14998', '15004']);
    expect(el.querySelector('thead')!.textContent).toContain('Thị trấn/xã');
    expect(el.querySelector('thead')!.textContent).toContain('Tổng số địa điểm tạo mã QR');
    expect(el.querySelector('[data-testid=leaders]')!.textContent).toContain('Xã Trung Xuân');
    expect(el.querySelector('[data-testid=laggards]')!.textContent).toContain('Thị trấn Sơn Lư, Xã Sơn Hà');
    expect(el.querySelector('[data-testid=low-rule]')!.textContent).toContain('một phần tư thấp nhất');
    expect(el.querySelector('tr[data-code="14995"] [data-col=scans]')!.textContent).toBe('1.200');
    expect(el.querySelector('tr[data-code="14998"] [data-col=scans_change]')!.textContent).toBe('\u221230');
    expect(el.querySelectorAll('[data-testid=qr-chart] .bar-row')).toHaveLength(3);
    expect(el.querySelector('[data-testid=qr-chart] .bar-row[data-key="14998"] rect')!.getAttribute('class')).toContain('tone-low');
  });

  it('a rule the page does not know is shown as the server states it', () => {
    const el = show(<QrPointsReport r={{ ...QR, low_rule: 'low: a new rule' }} byDistrict />);
    expect(el.querySelector('[data-testid=low-rule]')!.textContent).toContain('low: a new rule');
    expect(el.querySelector('thead')!.textContent).toContain('Huyện');
  });

  it('no QR point: says so, lists no laggards and draws no chart', () => {
    const none = { ...QR, rows: QR.rows.map((r) => ({ ...r, venues: 0, scans: 0, low: true })), total: { venues: 0, scans: 0, venues_change: 0, scans_change: 0 } };
    const el = show(<QrPointsReport r={none} byDistrict={false} />);
    expect(el.querySelector('[data-testid=empty]')!.textContent).toBe('Chưa có địa điểm tạo mã QR nào trong Huyện Quan Sơn đến ngày này.');
    expect(el.querySelector('[data-testid=findings]')).toBeNull();
    expect(el.querySelector('[data-testid=qr-chart]')).toBeNull();
    expect(el.querySelectorAll('tbody tr')).toHaveLength(3);
  });
});

const point = (i: number) => ({ venue_id: `38-14995-P${i}`, venue_name: `Điểm ${i}`, commune_code: '14995', commune_name: 'Xã Trung Xuân' });

describe('silent-points page body', () => {
  it('the two lists with names and communes, in English too', () => {
    lang.value = 'en';
    const r: SilentPoints = {
      unit: { code: '387', name: 'Huyện Quan Sơn' },
      week: '2021-W32',
      from: '2021-08-09',
      to: '2021-08-15',
      venues: 5,
      reported_zero: [point(1)],
      sent_no_data: [point(2), point(3)],
      scans: { this_week: 40, previous_week: 50, change: -10 },
    };
    const el = show(<SilentPointsReport r={r} />);
    expect(el.querySelectorAll('[data-testid=reported-zero] tbody tr')).toHaveLength(1);
    expect(el.querySelector('[data-testid=sent-no-data]')!.textContent).toContain('Điểm 3');
    expect(el.querySelector('[data-testid=sent-no-data]')!.textContent).toContain('Xã Trung Xuân');
    expect(el.querySelector('[data-testid=scans-this]')!.textContent).toContain('\u221210 since Week 31, 2021');
  });

  it('no QR point by the end of the week', () => {
    const r: SilentPoints = { unit: { code: '387', name: 'Huyện Quan Sơn' }, week: '2021-W32', from: '2021-08-09', to: '2021-08-15', venues: 0, reported_zero: [], sent_no_data: [], scans: { this_week: 0, previous_week: 0, change: 0 } };
    expect(show(<SilentPointsReport r={r} />).querySelector('[data-testid=empty]')!.textContent).toContain('Chưa có địa điểm tạo mã QR nào');
  });
});

describe('e-vs-paper page body', () => {
  it('a long table draws its first rows and offers the rest; the chart the busiest', () => {
    const rows = Array.from({ length: 250 }, (_, i) => ({ venue_id: `v${i}`, venue_name: `Điểm ${i}`, commune_code: '14995', total: i, electronic: i - (i % 3), paper: i % 3 }));
    const total = rows.reduce((t, r) => ({ total: t.total + r.total, electronic: t.electronic + r.electronic, paper: t.paper + r.paper }), { total: 0, electronic: 0, paper: 0 });
    const r: EVsPaper = { unit: { code: '38', name: 'Tỉnh Thanh Hóa' }, from: '2021-08-09', to: '2021-08-15', rows, total };
    const el = show(<EVsPaperReport r={r} />);
    expect(el.querySelectorAll('[data-testid=evp-table] tbody tr')).toHaveLength(100);
    expect(el.querySelector('[data-testid=more-rows]')!.textContent).toContain('Đang hiện 100 trong 250 dòng.');
    act(() => (el.querySelector('[data-testid=more-rows] button') as HTMLButtonElement).click());
    expect(el.querySelectorAll('[data-testid=evp-table] tbody tr')).toHaveLength(250);
    expect(el.querySelector('[data-testid=more-rows]')).toBeNull();
    const bars = [...el.querySelectorAll('[data-testid=venues-chart] .bar-row')].map((b) => b.getAttribute('data-key'));
    expect(bars).toHaveLength(15);
    expect(bars[0]).toBe('v249');
  });

  it('venues but no visits in the range', () => {
    const r: EVsPaper = { unit: { code: '38', name: 'Tỉnh Thanh Hóa' }, from: '2021-08-09', to: '2021-08-15', rows: [{ venue_id: 'v', venue_name: 'Chợ', commune_code: '14995', total: 0, electronic: 0, paper: 0 }], total: { total: 0, electronic: 0, paper: 0 } };
    const el = show(<EVsPaperReport r={r} />);
    expect(el.querySelector('[data-testid=empty]')!.textContent).toBe('Không có lượt người vào nào từ 09/08/2021 đến 15/08/2021.');
    expect(el.querySelector('[data-testid=venues-chart]')).toBeNull();
  });
});
