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
