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
