import { describe, expect, it } from 'vitest';
import type { EVsPaperRow, QrPoints, Unit } from './types';
import {
  agencyName,
  childUnder,
  documentDate,
  electronicShare,
  placeName,
  visitsByUnit,
  weekPlan,
  weeklyQueries,
  weeklyUnitRows,
  weekUnfinished,
} from './weekly';

describe('the days of a weekly report', () => {
  it('a week in the middle of the year', () => {
    expect(weekPlan('2021-W32')).toEqual({
      week: '2021-W32',
      previous: '2021-W31',
      monday: '2021-08-09',
      sunday: '2021-08-15',
      previousMonday: '2021-08-02',
      previousSunday: '2021-08-08',
      previousPreviousSunday: '2021-08-01',
    });
  });

  it('across a year end, with a 53rd week', () => {
    expect(weekPlan('2021-W01')).toMatchObject({
      previous: '2020-W53',
      monday: '2021-01-04',
      sunday: '2021-01-10',
      previousMonday: '2020-12-28',
      previousSunday: '2021-01-03',
      previousPreviousSunday: '2020-12-27',
    });
    // Week 1 of 2020 starts in 2019; the week before is 2019's 52nd.
    expect(weekPlan('2020-W01')).toMatchObject({ previous: '2019-W52', monday: '2019-12-30', sunday: '2020-01-05', previousSunday: '2019-12-29' });
    expect(weekPlan('2020-W53')).toMatchObject({ monday: '2020-12-28', sunday: '2021-01-03' });
  });

  it('refuses what is no week', () => {
    expect(() => weekPlan('2021-W53')).toThrow();
    expect(() => weekPlan('2021-32')).toThrow();
  });

  it('the report calls: qr-points Sunday against Sunday, silent-points by week, e-vs-paper Monday to Sunday, each for the week before too', () => {
    expect(weeklyQueries('387', '2021-W32', 'district')).toEqual({
      qr: { unit: '387', as_of: '2021-08-15', compare: '2021-08-08' },
      qrPrevious: { unit: '387', as_of: '2021-08-08', compare: '2021-08-01' },
      silent: { unit: '387', week: '2021-W32' },
      silentPrevious: { unit: '387', week: '2021-W31' },
      evp: { unit: '387', from: '2021-08-09', to: '2021-08-15' },
      evpPrevious: { unit: '387', from: '2021-08-02', to: '2021-08-08' },
    });
    // qr-points counts per commune or district: not asked for a commune.
    const commune = weeklyQueries('14995', '2021-W01', 'commune');
    expect(commune.qr).toBeNull();
    expect(commune.qrPrevious).toBeNull();
    expect(commune.silentPrevious).toEqual({ unit: '14995', week: '2020-W53' });
    expect(commune.evpPrevious).toEqual({ unit: '14995', from: '2020-12-28', to: '2021-01-03' });
  });

  it('a week is unfinished up to and on its Sunday', () => {
    expect(weekUnfinished('2021-W32', '2021-08-15')).toBe(true);
    expect(weekUnfinished('2021-W32', '2021-08-09')).toBe(true);
    expect(weekUnfinished('2021-W32', '2021-08-16')).toBe(false);
  });
});

describe('the header of an official report', () => {
  it.each([
    ['Huyện Quan Sơn', 'Quan Sơn'],
    ['Tỉnh Thanh Hóa', 'Thanh Hóa'],
    ['Thành phố Thanh Hóa', 'Thanh Hóa'],
    ['Thị xã Bỉm Sơn', 'Bỉm Sơn'],
    ['Thị trấn Sơn Lư', 'Sơn Lư'],
    ['Xã Trung Xuân', 'Trung Xuân'],
    ['Phường Điện Biên', 'Điện Biên'],
    ['Quận 1', '1'],
    ['TP. Hồ Chí Minh', 'Hồ Chí Minh'],
    ['  xã   Sơn Hà ', 'Sơn Hà'],
    ['Hà Nội', 'Hà Nội'],
    ['Huyện', 'Huyện'],
  ])('the place of %s is %s', (unit, place) => {
    expect(placeName(unit)).toBe(place);
  });

  it('the issuing unit in capitals, with its diacritics', () => {
    expect(agencyName('Huyện Quan Sơn')).toBe('HUYỆN QUAN SƠN');
    expect(agencyName('Xã  Trung Xuân')).toBe('XÃ TRUNG XUÂN');
  });

  it('dates as Decree 30 writes them: a zero before days under 10 and months 1 and 2', () => {
    expect(documentDate('2026-11-24', 'vi')).toBe('ngày 24 tháng 11 năm 2026');
    expect(documentDate('2026-02-05', 'vi')).toBe('ngày 05 tháng 02 năm 2026');
    expect(documentDate('2026-01-10', 'vi')).toBe('ngày 10 tháng 01 năm 2026');
    expect(documentDate('2026-03-09', 'vi')).toBe('ngày 09 tháng 3 năm 2026');
    expect(documentDate('2026-12-01', 'vi')).toBe('ngày 01 tháng 12 năm 2026');
    expect(documentDate('2026-03-09', 'en')).toBe('9 March 2026');
  });
});

const UNITS: Unit[] = [
  { code: '38', name: 'Tỉnh Thanh Hóa', level: 'province', parent: null },
  { code: '387', name: 'Huyện Quan Sơn', level: 'district', parent: '38' },
  { code: '388', name: 'Huyện Quan Hóa', level: 'district', parent: '38' },
  { code: '14995', name: 'Xã Trung Xuân', level: 'commune', parent: '387' },
  { code: '15004', name: 'Xã Sơn Hà', level: 'commune', parent: '387' },
  { code: '15001', name: 'Xã Phú Nghiêm', level: 'commune', parent: '388' },
];

const row = (venue: string, commune: string, electronic: number, paper: number): EVsPaperRow => ({
  venue_id: venue,
  venue_name: venue,
  commune_code: commune,
  total: electronic + paper,
  electronic,
  paper,
});

const ROWS = [row('a', '14995', 5, 2), row('b', '14995', 1, 0), row('c', '15004', 0, 0), row('d', '15001', 4, 0), row('e', '99999', 9, 9)];

describe('visits per unit', () => {
  it('finds the unit directly under a parent', () => {
    const byCode = new Map(UNITS.map((u) => [u.code, u]));
    expect(childUnder('14995', '387', byCode)).toBe('14995');
    expect(childUnder('14995', '38', byCode)).toBe('387');
    expect(childUnder('15001', '387', byCode)).toBeNull();
    expect(childUnder('99999', '38', byCode)).toBeNull();
  });

  it('sums venues per commune of a district, per district of a province; venues elsewhere are left out', () => {
    expect(Object.fromEntries(visitsByUnit(ROWS, '387', UNITS))).toEqual({
      '14995': { total: 8, electronic: 6, paper: 2 },
      '15004': { total: 0, electronic: 0, paper: 0 },
    });
    expect(Object.fromEntries(visitsByUnit(ROWS, '38', UNITS))).toEqual({
      '387': { total: 8, electronic: 6, paper: 2 },
      '388': { total: 4, electronic: 4, paper: 0 },
    });
  });

  it('a unit’s line: this week’s and last week’s scans from the changes, the week’s visits', () => {
    const qr = (rows: [string, number, number, number, number][]): QrPoints => ({
      unit: { code: '387', name: 'Huyện Quan Sơn' },
      as_of: '',
      compare: '',
      rows: rows.map(([code, venues, venues_change, scans, scans_change]) => ({ code, name: code, venues, venues_change, scans, scans_change, low: scans_change === 0 })),
      total: { venues: 0, scans: 0, venues_change: 0, scans_change: 0 },
      low_rule: '',
      leaders: [],
      laggards: [],
    });
    const now = qr([
      ['14995', 2, 1, 11, 8],
      ['15004', 1, 0, 0, 0],
    ]);
    const before = qr([['14995', 1, 0, 3, 3]]);
    const rows = weeklyUnitRows(now, before, visitsByUnit(ROWS, '387', UNITS));
    expect(rows).toEqual([
      { code: '14995', name: '14995', venues: 2, newVenues: 1, scans: 8, previousScans: 3, visits: { total: 8, electronic: 6, paper: 2 }, low: false },
      { code: '15004', name: '15004', venues: 1, newVenues: 0, scans: 0, previousScans: 0, visits: { total: 0, electronic: 0, paper: 0 }, low: true },
    ]);
    expect(weeklyUnitRows(now, null, new Map())[0].previousScans).toBe(0);
  });

  it('the electronic share', () => {
    expect(electronicShare({ total: 8, electronic: 6, paper: 2 })).toBe(75);
    expect(electronicShare({ total: 0, electronic: 0, paper: 0 })).toBeNull();
  });
});
