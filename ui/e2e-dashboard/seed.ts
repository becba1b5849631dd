// What the browser tests put into the real server, and what the reports must
// then say. Dates are relative to today in Asia/Ho_Chi_Minh, so the run
// works on any day: "today" visits carry the device clock, last week's
// visits a paper-logbook time (--at) on the Monday of the previous week.
import { addDays } from '../src/shared/format';
import { addWeeks, isoWeekOf, vietnamToday, weekMonday } from '../src/dashboard/dates';

export const PASSWORD = 'mật khẩu thử nghiệm 2021';

/** Accounts the setup creates (password PASSWORD). */
export const USERS = {
  province: { login: 'tinh.thanhhoa', role: 'viewer', unit: '38' },
  district: { login: 'huyen.quanson', role: 'viewer', unit: '387' },
  commune: { login: 'xa.trungxuan', role: 'viewer', unit: '14995' },
  // Contact tracing: a district tracer, and the province's admin who reads every lookup of the province.
  tracer: { login: 'truyvet.quanson', role: 'tracer', unit: '387' },
  admin: { login: 'quantri.thanhhoa', role: 'admin', unit: '38' },
} as const;

export interface VenueSeed {
  key: 'cho' | 'truong' | 'tram' | 'ubnd' | 'cho2' | 'nvh';
  name: string;
  category: string;
  commune: string;
  /** Days before today it was registered (as a QR point). */
  registeredDaysAgo: number;
  /** A station enrolled for the venue (it contacts the server this week). */
  device: boolean;
  /** Visits recorded today: source and direction. */
  today: { source: 'qr' | 'paper'; direction: 'in' | 'out' }[];
  /** Entries recorded on last week's Monday (QR, typed with --at). */
  lastWeek: number;
}

const qrIn = { source: 'qr', direction: 'in' } as const;
const qrOut = { source: 'qr', direction: 'out' } as const;
const paperIn = { source: 'paper', direction: 'in' } as const;

export const VENUES: VenueSeed[] = [
  { key: 'cho', name: 'Chợ Trung Xuân', category: 'market', commune: '14995', registeredDaysAgo: 120, device: true, today: [qrIn, qrIn, qrIn, qrIn, qrIn, qrOut, paperIn, paperIn], lastWeek: 3 },
  { key: 'truong', name: 'Trường THCS Sơn Lư', category: 'school', commune: '14998', registeredDaysAgo: 120, device: true, today: [], lastWeek: 0 },
  { key: 'tram', name: 'Trạm y tế xã Sơn Hà', category: 'clinic', commune: '15004', registeredDaysAgo: 120, device: false, today: [], lastWeek: 0 },
  { key: 'nvh', name: 'Nhà văn hóa bản Hạ', category: 'other', commune: '15004', registeredDaysAgo: 2, device: false, today: [], lastWeek: 0 },
  { key: 'ubnd', name: 'UBND xã Phú Nghiêm', category: 'workplace', commune: '15001', registeredDaysAgo: 120, device: true, today: [qrIn, qrIn, qrIn, qrIn], lastWeek: 0 },
  { key: 'cho2', name: 'Chợ Hồi Xuân', category: 'market', commune: '15007', registeredDaysAgo: 120, device: false, today: [], lastWeek: 0 },
];

/** The dates the run is about. */
export function days(now = new Date()) {
  const today = vietnamToday(now);
  const week = isoWeekOf(today);
  return {
    today,
    week,
    lastWeek: addWeeks(week, -1),
    lastWeekMonday: weekMonday(addWeeks(week, -1)),
    weekAgo: addDays(today, -7),
    sixDaysAgo: addDays(today, -6),
  };
}

/** A fictional person's CCCD code (the layout of testdata/cccd), one per visit. */
export function cccd(i: number): string {
  const id = `0380${String(98000000 + i).padStart(8, '0')}`;
  return `${id}|${String(100000000 + i)}|NGUYEN VAN ${String.fromCharCode(65 + (i % 26))}${i}|15081990|Nam|Quan Son, Thanh Hoa|01012022`;
}

/**
 * The person numbers (for `cccd`) the setup gives a venue's visits: every
 * visit is a new person, counted over the venues with a station in order,
 * today's visits before last week's (global-setup.ts records them so).
 */
export function personsAt(key: VenueSeed['key']): { today: number[]; lastWeek: number[] } {
  let person = 0;
  for (const v of VENUES) {
    if (!v.device) continue;
    const today = v.today.map(() => person++);
    const lastWeek = Array.from({ length: v.lastWeek }, () => person++);
    if (v.key === key) return { today, lastWeek };
  }
  throw new Error(`no station at ${key}`);
}

/** The ID-card number and the name inside `cccd(i)`. */
export const idNumber = (i: number) => cccd(i).split('|')[0];
export const personName = (i: number) => cccd(i).split('|')[2];

/** The figures the pages must show for this seed. */
export const EXPECT = {
  district387: {
    // Xã Trung Xuân: 8 today + 3 last week; Sơn Lư: a silent point; Sơn Hà: two points, no scan, one new.
    rows: [
      { code: '14995', name: 'Xã Trung Xuân', venues: 1, scans: 11, venuesChange: 0, scansChange: 8, low: false },
      { code: '14998', name: 'Thị trấn Sơn Lư', venues: 1, scans: 0, venuesChange: 0, scansChange: 0, low: true },
      { code: '15004', name: 'Xã Sơn Hà', venues: 2, scans: 0, venuesChange: 1, scansChange: 0, low: true },
    ],
    total: { venues: 4, scans: 11 },
    leaders: ['Xã Trung Xuân'],
    laggards: ['Thị trấn Sơn Lư', 'Xã Sơn Hà'],
  },
  province38: {
    rows: [
      { code: '387', name: 'Huyện Quan Sơn', venues: 4, scans: 11, low: false },
      { code: '388', name: 'Huyện Quan Hóa', venues: 2, scans: 4, low: true },
    ],
    total: { venues: 6, scans: 15 },
  },
  silent387: {
    reportedZero: ['Trường THCS Sơn Lư'],
    sentNoData: ['Trạm y tế xã Sơn Hà', 'Nhà văn hóa bản Hạ'],
    thisWeek: 8,
    previousWeek: 3,
  },
  evp38: {
    rows: { 'Chợ Trung Xuân': { total: 7, electronic: 5, paper: 2 }, 'UBND xã Phú Nghiêm': { total: 4, electronic: 4, paper: 0 } },
    total: { total: 11, electronic: 9, paper: 2 },
  },
};

/** What contact tracing must find (district tracer, venue "cho", today 00:00–23:59). */
export const TRACE = {
  // Each of today's 8 visits at the market is another person: 7 entries with
  // no exit (estimated exits) and one exit with no entry (person 5).
  venue: { key: 'cho', name: 'Chợ Trung Xuân', commune: 'Xã Trung Xuân', stays: 8, estimated: 7, exitOnly: 1 },
  firstPerson: personsAt('cho').today[0],
  exitOnly: personsAt('cho').today[5],
  // Last week's first visit at the market, on Monday at 09:10.
  person: { index: personsAt('cho').lastWeek[0], venue: 'Chợ Trung Xuân', commune: 'Xã Trung Xuân', time: '09:10' },
} as const;

/** The weekly report of district 387 for this week, and its comparisons with last week. */
export const WEEKLY = {
  district387: {
    venues: 4,
    scans: { this: 8, prev: 3 },
    cumulative: { this: 11, prev: 3 },
    visits: { this: 7, prev: 3 },
    electronic: { this: 5, prev: 3 },
    paper: { this: 2, prev: 0 },
    // Xã Trung Xuân: 8 scans this week, 3 the week before; 7 visits, 5 of them electronic.
    rows: [
      { code: '14995', venues: 1, scans: 8, prev: 3, visits: 7, low: false },
      { code: '14998', venues: 1, scans: 0, prev: 0, visits: 0, low: true },
      { code: '15004', venues: 2, scans: 0, prev: 0, visits: 0, low: true },
    ],
  },
  // The province by district: visits summed over each district's communes.
  province38: [
    { code: '387', scans: 8, visits: 7 },
    { code: '388', scans: 4, visits: 4 },
  ],
};

// ---- health declarations: populations, rosters, reported figures ----
//
// People declare on commune stations (a device enrolled for a commune, with
// no venue), so no check-in and no QR point's figures change. Each
// declarant is a person of their own (ID-card numbers 0380990000xx, apart
// from the visitors above); `home` is the commune of the address they give.

/** The commune stations declarations are taken on. */
export const COMMUNE_STATIONS = { tx: '14995', sl: '14998', pn: '15001' } as const;

export type CommuneStation = keyof typeof COMMUNE_STATIONS;

export interface DeclarantSeed {
  key: string;
  name: string;
  /** The ID-card number, or none (then the phone is the person's key). */
  id: string | null;
  phone: string;
  birth: string;
  gender: 'male' | 'female';
  home: { district: string; commune: string };
  /** Where and how they declared: days before today (0: today, on the station's clock), the source. */
  declarations: { at: CommuneStation; daysAgo: number; source: 'kiosk' | 'paper' | 'manual' }[];
}

const home = (commune: string) => ({ district: commune === '15001' || commune === '15007' ? '388' : '387', commune });

export const DECLARANTS: DeclarantSeed[] = [
  { key: 'hoa', name: 'Lê Thị Hoa', id: '038099000001', phone: '0912000001', birth: '1985-03-02', gender: 'female', home: home('14995'), declarations: [{ at: 'tx', daysAgo: 0, source: 'kiosk' }] },
  { key: 'binh', name: 'Phạm Văn Bình', id: '038099000002', phone: '0912000002', birth: '1979-11-20', gender: 'male', home: home('14995'), declarations: [{ at: 'tx', daysAgo: 0, source: 'kiosk' }] },
  { key: 'cuc', name: 'Hà Thị Cúc', id: '038099000003', phone: '0912000003', birth: '1990-07-15', gender: 'female', home: home('14995'), declarations: [{ at: 'tx', daysAgo: 0, source: 'paper' }] },
  // First declared in Sơn Lư three days ago (on a station that synced only today), then in Trung Xuân today.
  { key: 'dung', name: 'Lò Văn Dũng', id: '038099000004', phone: '0912000004', birth: '1988-01-09', gender: 'male', home: home('14998'), declarations: [{ at: 'sl', daysAgo: 3, source: 'kiosk' }, { at: 'tx', daysAgo: 0, source: 'kiosk' }] },
  { key: 'en', name: 'Vi Thị Én', id: '038099000005', phone: '0912000005', birth: '1992-05-30', gender: 'female', home: home('14995'), declarations: [{ at: 'tx', daysAgo: 0, source: 'kiosk' }] },
  { key: 'phuc', name: 'Lương Văn Phúc', id: '038099000006', phone: '0912000006', birth: '1983-09-12', gender: 'male', home: home('14998'), declarations: [{ at: 'sl', daysAgo: 2, source: 'paper' }] },
  { key: 'giang', name: 'Cầm Thị Giang', id: '038099000007', phone: '0912000007', birth: '1995-12-01', gender: 'female', home: home('14998'), declarations: [{ at: 'sl', daysAgo: 1, source: 'manual' }] },
  { key: 'hai', name: 'Hoàng Văn Hải', id: '038099000008', phone: '0912000008', birth: '1970-02-28', gender: 'male', home: home('14998'), declarations: [{ at: 'sl', daysAgo: 0, source: 'kiosk' }] },
  { key: 'lan', name: 'Phạm Thị Lan', id: '038099000009', phone: '0912000009', birth: '1987-04-04', gender: 'female', home: home('15001'), declarations: [{ at: 'pn', daysAgo: 0, source: 'kiosk' }] },
  { key: 'khanh', name: 'Ngân Văn Khánh', id: '038099000010', phone: '0912000010', birth: '1999-10-10', gender: 'male', home: home('15007'), declarations: [{ at: 'pn', daysAgo: 0, source: 'kiosk' }] },
  // No ID-card number: the phone is the key, on the roster too.
  { key: 'mai', name: 'Bùi Thị Mai', id: null, phone: '0912000011', birth: '1993-06-18', gender: 'female', home: home('14995'), declarations: [{ at: 'tx', daysAgo: 0, source: 'kiosk' }] },
];

/** `admin import-population`: Sơn Hà (15004) has no figure; districts and the province take their communes' sums. */
export const POPULATION: Record<string, number> = { '14995': 20, '14998': 12, '15001': 10, '15007': 8 };

const TRAM = 'Trạm Y tế xã Trung Xuân';
const TRUONG = 'Trường THCS Sơn Lư';
const UBND = 'UBND xã Phú Nghiêm';

/** `admin import-roster`, in file order (names of who declared come from DECLARANTS). */
export const ROSTER: { agency: string; commune: string; name: string; id: string; phone: string }[] = [
  { agency: TRAM, commune: '14995', name: 'Vi Thị Én', id: '038099000005', phone: '0912000005' },
  { agency: TRAM, commune: '14995', name: 'Bùi Thị Mai', id: '', phone: '0912000011' },
  { agency: TRAM, commune: '14995', name: 'Đinh Văn Long', id: '038099000021', phone: '' },
  { agency: TRAM, commune: '14995', name: 'Lê Thị Nga', id: '', phone: '0912000022' },
  { agency: TRUONG, commune: '14998', name: 'Lương Văn Phúc', id: '038099000006', phone: '' },
  { agency: TRUONG, commune: '14998', name: 'Hà Văn Quân', id: '038099000023', phone: '' },
  { agency: TRUONG, commune: '14998', name: 'Vi Thị Sen', id: '038099000024', phone: '0912000024' },
  { agency: UBND, commune: '15001', name: 'Phạm Thị Lan', id: '038099000009', phone: '' },
  { agency: UBND, commune: '15001', name: 'Lò Văn Tùng', id: '038099000025', phone: '' },
];

/** `admin import-reported`: figures as of a date, days before today ('' agency: the commune's own). */
export const REPORTED: { unit: string; agency: string; daysAgo: number; reported: number }[] = [
  { unit: '14995', agency: '', daysAgo: 0, reported: 7 },
  { unit: '14995', agency: TRAM, daysAgo: 0, reported: 2 },
  // An older figure of Sơn Lư, replaced by yesterday's as the latest.
  { unit: '14998', agency: '', daysAgo: 4, reported: 1 },
  { unit: '14998', agency: '', daysAgo: 1, reported: 3 },
  { unit: '15001', agency: '', daysAgo: 0, reported: 1 },
];

/** What the declaration reports must say for this seed (as of today; roster over the last seven days). */
export const DECLARED = {
  coverage387: {
    // Sơn Lư: Dũng, Phúc, Giang, Hải of 12; Trung Xuân: Hoa, Bình, Cúc, Én, Mai of 20; Sơn Hà: no population.
    rows: [
      { code: '14998', name: 'Thị trấn Sơn Lư', population: 12, declared: 4, share: 33.3, rank: 1 },
      { code: '14995', name: 'Xã Trung Xuân', population: 20, declared: 5, share: 25, rank: 2 },
      { code: '15004', name: 'Xã Sơn Hà', population: null, declared: 0, share: null, rank: null },
    ],
    total: { population: 32, declared: 9, share: 28.1 },
    // Three days ago Dũng had declared, two days ago Phúc too (Giang only yesterday).
    twoDaysAgo: { '14998': 2, '14995': 0 },
  },
  coverage38: {
    rows: [
      { code: '387', name: 'Huyện Quan Sơn', population: 32, declared: 9, share: 28.1, rank: 1 },
      { code: '388', name: 'Huyện Quan Hóa', population: 18, declared: 2, share: 11.1, rank: 2 },
    ],
    total: { population: 50, declared: 11, share: 22 },
  },
  reconciliation387: {
    rows: [
      // Hoa, Bình, Cúc, Én, Mai first declared here today; Dũng declared here too but counts in Sơn Lư.
      { commune: '14995', agency: '', daysAgo: 0, reported: 7, system: 5, other_units: 1, paper_late: 0, synced_late: 0, outside_period: 0, difference: 2, unexplained: 1 },
      { commune: '14995', agency: TRAM, daysAgo: 0, reported: 2, system: 2, other_units: 0, paper_late: 0, synced_late: 0, outside_period: 0, difference: 0, unexplained: 0 },
      // Yesterday's figure: Phúc (paper) and Giang (typed in by staff) reached the system today, Dũng's station synced today.
      { commune: '14998', agency: '', daysAgo: 1, reported: 3, system: 0, other_units: 0, paper_late: 2, synced_late: 1, outside_period: 0, difference: 3, unexplained: 0 },
    ],
    total: { reported: 12, system: 7, other_units: 1, paper_late: 2, synced_late: 1, outside_period: 0, difference: 5, unexplained: 1 },
  },
  // Phú Nghiêm reported one person; the system knows Lan and Khánh.
  reconciliation15001: { commune: '15001', reported: 1, system: 2, difference: -1, unexplained: -1 },
  roster387: {
    rows: [
      { commune: '14995', agency: TRAM, staff: 4, declared: 2, share: 50, notDeclared: ['Đinh Văn Long', 'Lê Thị Nga'] },
      { commune: '14998', agency: TRUONG, staff: 3, declared: 1, share: 33.3, notDeclared: ['Hà Văn Quân', 'Vi Thị Sen'] },
    ],
    total: { staff: 7, declared: 3, share: 42.9 },
    // Today alone Phúc (two days ago) has not declared.
    today: { agency: TRUONG, declared: 0, notDeclared: ['Lương Văn Phúc', 'Hà Văn Quân', 'Vi Thị Sen'] },
  },
  roster38: { agencies: [TRAM, TRUONG, UBND], total: { staff: 9, declared: 4, share: 44.4 } },
};
