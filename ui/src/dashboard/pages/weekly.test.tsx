// The weekly report drawn from sample answers: the header of an official
// report, this week beside the week before, per commune or per venue.
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { Dashboard, DashboardContext } from '../state';
import { lang } from '../i18n';
import { WeeklyActions, WeeklyDocument, type WeeklyData } from './Weekly';
import type { EVsPaper, QrPoints, SilentPoints, Unit } from '../types';

const dash = new Dashboard('http://h/api/v1/dashboard/', { hash: () => '', setHash: () => {} }, (async () => {
  throw new Error('no network in this test');
}) as unknown as typeof fetch);

let root: HTMLElement | null = null;

function show(d: WeeklyData): HTMLElement {
  root = document.createElement('div');
  document.body.appendChild(root);
  act(() => render(<DashboardContext.Provider value={dash}><WeeklyDocument {...d} /></DashboardContext.Provider>, root!));
  return root;
}

afterEach(() => {
  if (root) render(null, root);
  root?.remove();
  lang.value = 'vi';
});

const DISTRICT: Unit = { code: '387', name: 'Huyện Quan Sơn', level: 'district', parent: '38' };
const UNITS: Unit[] = [
  DISTRICT,
  { code: '14995', name: 'Xã Trung Xuân', level: 'commune', parent: '387' },
  { code: '14998', name: 'Thị trấn Sơn Lư', level: 'commune', parent: '387' },
];
const unit = { code: '387', name: 'Huyện Quan Sơn' };

const qr = (as_of: string, compare: string, scans: [number, number], change: [number, number]): QrPoints => ({
  unit,
  as_of,
  compare,
  rows: [
    { code: '14995', name: 'Xã Trung Xuân', venues: 2, scans: scans[0], venues_change: 1, scans_change: change[0], low: false },
    { code: '14998', name: 'Thị trấn Sơn Lư', venues: 1, scans: scans[1], venues_change: 0, scans_change: change[1], low: true },
  ],
  total: { venues: 3, scans: scans[0] + scans[1], venues_change: 1, scans_change: change[0] + change[1] },
  low_rule: '',
  leaders: ['Xã Trung Xuân'],
  laggards: ['Thị trấn Sơn Lư'],
});

const point = (id: string, name: string) => ({ venue_id: id, venue_name: name, commune_code: '14998', commune_name: 'Thị trấn Sơn Lư' });

const silent = (week: string, venues: number, zero: number, noData: number, scans: [number, number]): SilentPoints => ({
  unit,
  week,
  from: '',
  to: '',
  venues,
  reported_zero: Array.from({ length: zero }, (_, i) => point(`38-14998-Z${i}`, `Trường ${i}`)),
  sent_no_data: Array.from({ length: noData }, (_, i) => point(`38-14998-N${i}`, `Trạm ${i}`)),
  scans: { this_week: scans[0], previous_week: scans[1], change: scans[0] - scans[1] },
});

const evp = (rows: [string, string, number, number][]): EVsPaper => {
  const r = rows.map(([venue_id, commune_code, electronic, paper]) => ({ venue_id, venue_name: `Điểm ${venue_id}`, commune_code, total: electronic + paper, electronic, paper }));
  return {
    unit,
    from: '',
    to: '',
    rows: r,
    total: r.reduce((t, x) => ({ total: t.total + x.total, electronic: t.electronic + x.electronic, paper: t.paper + x.paper }), { total: 0, electronic: 0, paper: 0 }),
  };
};

const WEEK: WeeklyData = {
  week: '2021-W32',
  today: '2021-08-16',
  unit: DISTRICT,
  units: UNITS,
  qr: qr('2021-08-15', '2021-08-08', [1200, 10], [300, 0]),
  qrPrevious: qr('2021-08-08', '2021-08-01', [900, 10], [250, 10]),
  silent: silent('2021-W32', 3, 1, 1, [300, 260]),
  silentPrevious: silent('2021-W31', 2, 0, 1, [260, 200]),
  evp: evp([
    ['a', '14995', 150, 50],
    ['b', '14998', 0, 0],
  ]),
  evpPrevious: evp([
    ['a', '14995', 100, 100],
    ['b', '14998', 0, 0],
  ]),
};

describe('the weekly report', () => {
  it('is laid out as an official report: issuing unit, Quốc hiệu and tiêu ngữ, place and date, title', () => {
    const el = show(WEEK);
    expect(el.querySelector('[data-testid=doc-agency]')!.textContent).toBe('HUYỆN QUAN SƠN');
    expect(el.querySelector('[data-testid=doc-nation]')!.textContent).toBe('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(el.querySelector('[data-testid=doc-motto]')!.textContent).toBe('Độc lập - Tự do - Hạnh phúc');
    expect(el.querySelector('[data-testid=doc-place-date]')!.textContent).toBe('Quan Sơn, ngày 16 tháng 8 năm 2021');
    expect(el.querySelector('[data-testid=doc-title]')!.textContent).toBe('BÁO CÁOKết quả quét mã QR và khai báo y tế tuần 32 năm 2021');
    expect(el.textContent).toContain('(Từ ngày 09/08/2021 đến ngày 15/08/2021)');
    expect(el.querySelector('[data-testid=doc-up-to]')).toBeNull();
    expect(el.textContent).toContain('NGƯỜI LẬP BÁO CÁO');
    expect(el.textContent).toContain('Nơi nhận:');
  });

  it('sets this week beside the week before', () => {
    const el = show(WEEK);
    const cells = (row: string) => [...el.querySelectorAll(`[data-testid=weekly-overview] tr[data-row=${row}] td.num`)].map((c) => c.textContent);
    expect(el.querySelector('[data-testid=weekly-overview] thead')!.textContent).toContain('Tuần 32Tuần 31');
    expect(cells('venues')).toEqual(['3', '2', '+1']);
    expect(cells('scans')).toEqual(['300', '260', '+40']);
    expect(cells('cumulative')).toEqual(['1.210', '910', '+300']);
    expect(cells('visits')).toEqual(['200', '200', '0']);
    expect(cells('share')).toEqual(['75%', '50%', '+25 điểm %']);
    expect(cells('silent')).toEqual(['2', '1', '+1']);
    expect(cells('no-data')).toEqual(['1', '1', '0']);
  });

  it('per commune: the week’s scans from qr-points’ changes, visits summed per commune', () => {
    const el = show(WEEK);
    const row = el.querySelector('[data-testid=doc-units] tr[data-code="14995"]')!;
    const col = (c: string) => row.querySelector(`[data-col=${c}]`)!.textContent;
    expect([col('venues'), col('new'), col('scans'), col('prev'), col('change'), col('visits'), col('share')]).toEqual(['2', '+1', '300', '250', '+50', '200', '75%']);
    expect(el.querySelector('[data-testid=doc-units] tr[data-code="14998"]')!.textContent).toContain('Thấp');
    expect(el.querySelector('[data-testid=doc-zero]')!.textContent).toContain('Trường 0');
    expect(el.querySelector('[data-testid=doc-zero]')!.textContent).toContain('38-14998-Z0');
    expect(el.querySelector('[data-testid=doc-notes]')!.textContent).toContain('Trong tuần ghi nhận 300 lượt quét, tăng 40 lượt so với tuần trước (260 lượt).');
    expect(el.querySelector('[data-testid=doc-laggards]')!.textContent).toContain('Thị trấn Sơn Lư');
  });

  it('a commune: its venues, no per-unit table; an unfinished week says so; in English', () => {
    lang.value = 'en';
    const commune: Unit = { code: '14995', name: 'Xã Trung Xuân', level: 'commune', parent: '387' };
    const el = show({ ...WEEK, today: '2021-08-12', unit: commune, qr: null, qrPrevious: null, silent: { ...WEEK.silent, unit: { code: '14995', name: 'Xã Trung Xuân' } } });
    expect(el.querySelector('[data-testid=doc-units]')).toBeNull();
    expect(el.querySelector('tr[data-row=cumulative]')).toBeNull();
    const a = el.querySelector('[data-testid=doc-venues] tr[data-venue=a]')!;
    expect([...a.querySelectorAll('td.num')].map((c) => c.textContent)).toEqual(['200', '150', '50', '200', '0']);
    expect(el.querySelector('[data-testid=doc-agency]')!.textContent).toBe('XÃ TRUNG XUÂN');
    expect(el.querySelector('[data-testid=doc-place-date]')!.textContent).toBe('Trung Xuân, 12 August 2021');
    expect(el.querySelector('[data-testid=doc-nation]')!.textContent).toBe('SOCIALIST REPUBLIC OF VIETNAM');
    expect(el.querySelector('[data-testid=doc-up-to]')!.textContent).toBe('The week has not ended: figures up to the end of 12/08/2021.');
  });
});

describe('the weekly report’s buttons', () => {
  it('print once drawn, and the server’s CSV and XLSX of the same unit and week', () => {
    root = document.createElement('div');
    document.body.appendChild(root);
    act(() => render(<DashboardContext.Provider value={dash}><WeeklyActions unit="387" week="2021-W32" printable={false} /></DashboardContext.Provider>, root!));
    expect(root.querySelector<HTMLButtonElement>('[data-testid=print]')!.disabled).toBe(true);
    expect(root.querySelector('[data-testid=download-csv]')!.getAttribute('href')).toBe('http://h/api/v1/dashboard/reports/weekly?unit=387&week=2021-W32&format=csv');
    expect(root.querySelector('[data-testid=download-xlsx]')!.getAttribute('href')).toBe('http://h/api/v1/dashboard/reports/weekly?unit=387&week=2021-W32&format=xlsx');
    expect(root.querySelector('.downloads')!.classList.contains('no-print')).toBe(true);
    act(() => render(<DashboardContext.Provider value={dash}><WeeklyActions unit="14995" week="2021-W31" printable /></DashboardContext.Provider>, root!));
    expect(root.querySelector<HTMLButtonElement>('[data-testid=print]')!.disabled).toBe(false);
    expect(root.querySelector('[data-testid=download-xlsx]')!.getAttribute('href')).toBe('http://h/api/v1/dashboard/reports/weekly?unit=14995&week=2021-W31&format=xlsx');
  });
});
