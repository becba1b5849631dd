// The health-declaration reports drawn from sample answers (the shapes the
// server sends): ranks and shares, the rows to check and the legend, who did
// not declare; and the pages' queries against a stand-in fetch.
import { afterEach, describe, expect, it } from 'vitest';
import { render, type ComponentChildren } from 'preact';
import { act } from 'preact/test-utils';
import { Dashboard, DashboardContext } from '../state';
import { lang } from '../i18n';
import { CoveragePage, CoverageReport } from './Coverage';
import { ReconciliationPage, ReconciliationReport } from './Reconciliation';
import { RosterPage, RosterReport } from './Roster';
import { vietnamToday } from '../dates';
import { addDays } from '../../shared/format';
import type { Coverage, Reconciliation, ReconciliationRow, Roster } from '../types';

const AREA = { code: '387', name: 'Huyện Quan Sơn', level: 'district' as const, parent: '38' };

/** A dashboard logged in as a district viewer; `answer` stands in for the server. */
function dashboard(hash = '', answer: (path: string) => Response = () => new Response(null, { status: 500 })) {
  const asked: string[] = [];
  const f = (async (url: string) => {
    const u = new URL(url);
    const path = u.pathname.replace('/api/v1/dashboard/', '') + u.search;
    asked.push(path);
    return answer(path);
  }) as unknown as typeof fetch;
  const d = new Dashboard('http://h/api/v1/dashboard/', { hash: () => hash, setHash: () => {} }, f);
  d.session.value = { user: { login: 'huyen.quanson', role: 'viewer', area: AREA }, csrf: 'c1' };
  d.areas.value = { area: AREA, units: [AREA, { code: '14995', name: 'Xã Trung Xuân', level: 'commune', parent: '387' }] };
  return { d, asked };
}

const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

let root: HTMLElement | null = null;

function show(node: ComponentChildren, d: Dashboard = dashboard().d): HTMLElement {
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
const text = (el: Element, sel: string) => el.querySelector(sel)?.textContent ?? null;

const COVERAGE: Coverage = {
  unit: { code: '387', name: 'Huyện Quan Sơn' },
  as_of: '2021-08-15',
  rows: [
    { rank: 1, code: '14998', name: 'Thị trấn Sơn Lư', population: 1200, declared: 400, share: 33.3 },
    { rank: 2, code: '14995', name: 'Xã Trung Xuân', population: 2000, declared: 500, share: 25 },
    { rank: 2, code: '15001', name: 'Xã Sơn Thủy', population: 400, declared: 100, share: 25 },
    { rank: null, code: '15004', name: 'Xã Sơn Hà', population: null, declared: 7, share: null },
  ],
  total: { population: 3600, declared: 1007, share: 28 },
};

describe('coverage page body', () => {
  it('ranks as the server does, ties sharing a rank, units without a population last and unranked', () => {
    const el = show(<CoverageReport r={COVERAGE} byDistrict={false} />);
    const rows = [...el.querySelectorAll('[data-testid=cov-table] tbody tr')];
    expect(rows.map((r) => r.getAttribute('data-code'))).toEqual(['14998', '14995', '15001', '15004']);
    expect(rows.map((r) => r.querySelector('[data-col=rank]')!.textContent)).toEqual(['1', '2', '2', '—']);
    expect(rows.map((r) => r.querySelector('[data-col=share]')!.textContent)).toEqual(['33,3', '25,0', '25,0', '—']);
    expect(rows[0].querySelector('[data-col=population]')!.textContent).toBe('1.200');
    expect(rows[3].querySelector('[data-col=population]')!.textContent).toBe('Chưa có số dân');
    expect(rows[3].querySelector('[data-col=declared]')!.textContent).toBe('7');
    expect(el.querySelector('thead')!.textContent).toContain('Xã/phường/thị trấn');
    expect(el.querySelector('thead')!.textContent).toContain('Số người đã khai báo y tế');
    expect(text(el, '[data-testid=total-row] [data-col=declared]')).toBe('1.007');
    expect(text(el, '[data-testid=cov-share-value]')).toBe('28,0%');
    expect(text(el, 'caption')).toBe('Huyện Quan Sơn: số người đã khai báo y tế so với dân số, đến hết ngày 15/08/2021, xếp hạng từ cao xuống thấp');
    // The chart in rank order; no bar and a word for the unit without a population.
    const bars = [...el.querySelectorAll('[data-testid=cov-chart] .bar-row')];
    expect(bars.map((b) => b.getAttribute('data-key'))).toEqual(['14998', '14995', '15001', '15004']);
    expect(bars[0].querySelector('.bar-value')!.textContent).toBe('33,3%');
    expect(bars[3].querySelector('rect')).toBeNull();
    expect(bars[3].querySelector('.bar-value')!.textContent).toBe('Chưa có số dân');
  });

  it('a province by district, in English', () => {
    lang.value = 'en';
    const el = show(<CoverageReport r={{ ...COVERAGE, unit: { code: '38', name: 'Tỉnh Thanh Hóa' } }} byDistrict />);
    expect(el.querySelector('thead')!.textContent).toContain('District');
    expect(text(el, '[data-testid=cov-chart] .bar-row .bar-value')).toBe('33.3%');
    expect(text(el, '[data-testid=total-row] [data-col=population]')).toBe('3,600');
  });

  it('no population anywhere: says what to ask for, and draws no chart', () => {
    const none: Coverage = { ...COVERAGE, rows: COVERAGE.rows.map((r) => ({ ...r, rank: null, population: null, share: null })), total: { population: null, declared: 1007, share: null } };
    const el = show(<CoverageReport r={none} byDistrict={false} />);
    expect(text(el, '[data-testid=cov-no-population]')).toContain('Hãy đề nghị quản trị hệ thống nhập số dân');
    expect(el.querySelector('[data-testid=cov-chart]')).toBeNull();
    expect(el.querySelectorAll('[data-testid=cov-table] tbody tr')).toHaveLength(4);
    expect(text(el, '[data-testid=cov-share-value]')).toBe('—');
  });
});

const recon = (over: Partial<ReconciliationRow>): ReconciliationRow => ({
  commune_code: '14995',
  commune_name: 'Xã Trung Xuân',
  agency: '',
  date: '2021-08-15',
  reported: 0,
  system: 0,
  paper_late: 0,
  synced_late: 0,
  other_units: 0,
  outside_period: 0,
  difference: 0,
  explained: 0,
  unexplained: 0,
  ...over,
});

const RECON: Reconciliation = {
  unit: { code: '387', name: 'Huyện Quan Sơn' },
  as_of: '2021-08-15',
  rows: [
    recon({ reported: 7, system: 5, other_units: 1, difference: 2, explained: 1, unexplained: 1 }),
    recon({ agency: 'Trạm Y tế xã Trung Xuân', reported: 2, system: 2 }),
    recon({ commune_code: '14998', commune_name: 'Thị trấn Sơn Lư', date: '2021-08-14', reported: 1200, paper_late: 2, synced_late: 1, outside_period: 4, difference: 1200, explained: 7, unexplained: 1193 }),
    recon({ commune_code: '15004', commune_name: 'Xã Sơn Hà', reported: 1, system: 2, difference: -1, unexplained: -1 }),
  ],
  total: recon({ commune_code: '387', commune_name: 'Huyện Quan Sơn', reported: 1210, system: 9, paper_late: 2, synced_late: 1, other_units: 1, outside_period: 4, difference: 1201, explained: 8, unexplained: 1193 }),
};

describe('reconciliation page body', () => {
  it('reported against the system, the explained parts in order, rows to check drawn out', () => {
    const el = show(<ReconciliationReport r={RECON} />);
    const head = [...el.querySelectorAll('thead th')].map((th) => th.textContent);
    expect(head).toEqual([
      'STT',
      'Đơn vị báo cáo',
      'Ngày báo cáo',
      'Số báo cáo',
      'Số trên hệ thống',
      'Chênh lệch',
      'Trong đó giải thích được',
      'Chưa giải thích được',
      'Trùng giữa các đơn vị',
      'Phiếu giấy nhập sau',
      'Đồng bộ sau',
      'Ngoài kỳ báo cáo',
    ]);
    const rows = [...el.querySelectorAll('[data-testid=recon-table] tbody tr')];
    expect(rows.map((r) => r.getAttribute('data-check'))).toEqual(['true', 'false', 'true', 'true']);
    expect(rows.map((r) => r.querySelector('[data-col=unexplained]')!.textContent)).toEqual(['+1', '0', '+1.193', '\u22121']);
    const parts = (th: Element) => [...th.children].map((c) => c.textContent);
    expect(parts(rows[0].querySelector('th')!)).toEqual(['Xã Trung Xuân', 'Số liệu chung của địa phương', 'Ngày báo cáo: 15/08/2021', 'Cần kiểm tra']);
    expect(parts(rows[1].querySelector('th')!)).toEqual(['Trạm Y tế xã Trung Xuân', 'Xã Trung Xuân', 'Ngày báo cáo: 15/08/2021']);
    expect(rows[2].querySelector('[data-col=date]')!.textContent).toBe('14/08/2021');
    expect([...rows[2].querySelectorAll('td.part')].map((c) => c.textContent)).toEqual(['0', '2', '1', '4']);
    expect(rows[2].querySelector('[data-col=reported]')!.textContent).toBe('1.200');
    expect(rows[3].querySelector('[data-col=difference]')!.textContent).toBe('\u22121');
    expect(text(el, '[data-testid=recon-flagged]')).toBe('3 số liệu có chênh lệch chưa giải thích được (tô màu trong bảng): đề nghị đơn vị báo cáo kiểm tra lại.');
    expect(text(el, '[data-testid=total-row] [data-col=system]')).toBe('9');
    expect(text(el, '[data-testid=recon-unexplained-value]')).toBe('+1.193');
  });

  it('the legend says what each column means, in plain words', () => {
    const el = show(<ReconciliationReport r={RECON} />);
    const terms = [...el.querySelectorAll('[data-testid=recon-legend] dt')].map((d) => d.textContent);
    expect(terms).toEqual(['Số báo cáo', 'Số trên hệ thống', 'Chênh lệch', 'Trùng giữa các đơn vị', 'Phiếu giấy nhập sau', 'Đồng bộ sau', 'Ngoài kỳ báo cáo', 'Chưa giải thích được']);
    expect(text(el, '[data-term=paper_late] dd')).toContain('phiếu giấy');
    expect(text(el, '[data-term=other_units] dd')).toContain('khai báo lần đầu');
  });

  it('everything explained, in English; no figure at all', () => {
    lang.value = 'en';
    const ok: Reconciliation = { ...RECON, rows: [RECON.rows[1]], total: recon({ reported: 2, system: 2 }) };
    const el = show(<ReconciliationReport r={ok} />);
    expect(text(el, '[data-testid=recon-flagged]')).toBe('Every difference is explained.');
    expect(el.querySelector('tr.row-check')).toBeNull();
    render(null, root!);
    lang.value = 'vi';
    const empty = show(<ReconciliationReport r={{ ...RECON, rows: [], total: recon({}) }} />);
    expect(text(empty, '[data-testid=empty]')).toBe(
      'Chưa có số liệu báo cáo nào của các xã/phường/thị trấn hoặc cơ quan, đơn vị trong Huyện Quan Sơn đến hết ngày 15/08/2021.',
    );
    expect(empty.querySelector('[data-testid=recon-legend]')).not.toBeNull();
  });
});

const ROSTER: Roster = {
  unit: { code: '387', name: 'Huyện Quan Sơn' },
  from: '2021-08-09',
  to: '2021-08-15',
  rows: [
    { commune_code: '14995', commune_name: 'Xã Trung Xuân', agency: 'Trạm Y tế xã Trung Xuân', staff: 4, declared: 2, share: 50, not_declared: ['Đinh Văn Long', 'Lê Thị Nga'] },
    { commune_code: '14998', commune_name: 'Thị trấn Sơn Lư', agency: 'Trường THCS Sơn Lư', staff: 3, declared: 3, share: 100, not_declared: [] },
  ],
  total: { staff: 7, declared: 5, share: 71.4 },
};

describe('roster page body', () => {
  it('per agency: staff, declared, share, and who did not declare behind a disclosure', () => {
    const el = show(<RosterReport r={ROSTER} />);
    const rows = [...el.querySelectorAll('[data-testid=roster-table] tbody tr')];
    expect(rows.map((r) => r.querySelector('th')!.textContent)).toEqual(['Trạm Y tế xã Trung Xuân', 'Trường THCS Sơn Lư']);
    expect(rows.map((r) => r.querySelector('[data-col=missing]')!.textContent)).toEqual(['2', '0']);
    expect(rows.map((r) => r.querySelector('[data-col=share]')!.textContent)).toEqual(['50,0', '100,0']);
    const names = rows[0].querySelector('details')!;
    expect(names.open).toBe(false);
    expect(names.querySelector('summary')!.textContent).toBe('Danh sách 2 người');
    expect([...names.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['Đinh Văn Long', 'Lê Thị Nga']);
    expect(rows[1].querySelector('[data-col=names]')!.textContent).toBe('Tất cả đã khai báo');
    expect(text(el, '[data-testid=roster-share-value]')).toBe('71,4%');
    expect(text(el, '[data-testid=roster-missing-value]')).toBe('2');
    expect(text(el, '[data-testid=roster-note]')).toContain('từ ngày 09/08/2021 đến ngày 15/08/2021');
    // One button opens (and closes) every list.
    const all = el.querySelector('[data-testid=roster-toggle-all]') as HTMLButtonElement;
    expect(all.textContent).toBe('Mở tất cả danh sách');
    act(() => all.click());
    expect(names.open).toBe(true);
    expect(all.textContent).toBe('Thu gọn danh sách');
    act(() => all.click());
    expect(names.open).toBe(false);
  });

  it('no roster yet says what to ask for', () => {
    lang.value = 'en';
    const el = show(<RosterReport r={{ ...ROSTER, rows: [], total: { staff: 0, declared: 0, share: null } }} />);
    expect(text(el, '[data-testid=empty]')).toBe('No agency of Huyện Quan Sơn has a staff roster yet. Ask the system administrator to import one.');
    expect(text(el, '[data-testid=roster-share-value]')).toBe('—');
    expect(el.querySelector('[data-testid=roster-toggle-all]')).toBeNull();
  });
});

describe('the pages ask the server', () => {
  it('coverage and reconciliation as of today by default, or the date in the link', async () => {
    const today = vietnamToday();
    const a = dashboard('#/coverage', () => json(COVERAGE));
    show(<CoveragePage />, a.d);
    await flush();
    expect(a.asked).toEqual([`reports/coverage?as_of=${today}&unit=387`]);
    expect(root!.querySelector('[data-testid=download-xlsx]')!.getAttribute('href')).toBe(
      `http://h/api/v1/dashboard/reports/coverage?as_of=${today}&unit=387&format=xlsx`,
    );
    render(null, root!);
    const b = dashboard('#/reconciliation?as_of=2021-08-15&unit=14995', () => json(RECON));
    show(<ReconciliationPage />, b.d);
    await flush();
    expect(b.asked).toEqual(['reports/reconciliation?as_of=2021-08-15&unit=14995']);
    expect((root!.querySelector('#as_of') as HTMLInputElement).value).toBe('15/08/2021');
  });

  it('roster over the last seven days by default; a reversed link falls back to them', async () => {
    const today = vietnamToday();
    const a = dashboard('#/roster', () => json(ROSTER));
    show(<RosterPage />, a.d);
    await flush();
    expect(a.asked).toEqual([`reports/roster?from=${addDays(today, -6)}&to=${today}&unit=387`]);
    render(null, root!);
    const b = dashboard('#/roster?from=2021-08-20&to=2021-08-15', () => json(ROSTER));
    show(<RosterPage />, b.d);
    await flush();
    expect(b.asked).toEqual(['reports/roster?from=2021-08-09&to=2021-08-15&unit=387']);
  });

  it('a refusal shows what to do', async () => {
    const a = dashboard('#/roster?unit=388', () => new Response(JSON.stringify({ error: 'outside_area', message: 'this unit is outside your area' }), { status: 403 }));
    show(<RosterPage />, a.d);
    await flush();
    expect(root!.querySelector('[data-testid=error]')!.getAttribute('data-code')).toBe('outside_area');
    expect(root!.querySelector('[data-testid=download-csv]')).toBeNull();
  });
});
