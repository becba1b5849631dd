import { describe, expect, it } from 'vitest';
import { EXPLAINED_PARTS, addsUp, flagged, formatPercent, formatPercentCell, hasPopulation, needsCheck, notDeclaredCount, rankText } from './declarations';
import type { Coverage, ReconciliationRow } from './types';

const row = (over: Partial<ReconciliationRow>): ReconciliationRow => ({
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

describe('declaration reports', () => {
  it.each([
    [33.3, 'vi', '33,3%', '33,3'],
    [33.3, 'en', '33.3%', '33.3'],
    [25, 'vi', '25,0%', '25,0'],
    [0, 'en', '0.0%', '0.0'],
    [100, 'vi', '100,0%', '100,0'],
    [1234.5, 'vi', '1.234,5%', '1.234,5'],
    [null, 'vi', '—', '—'],
    [undefined, 'en', '—', '—'],
    [Number.NaN, 'en', '—', '—'],
  ] as const)('percent %s in %s', (share, l, full, cell) => {
    expect(formatPercent(share, l)).toBe(full);
    expect(formatPercentCell(share, l)).toBe(cell);
  });

  it('the explained parts in the order of the officials’ table', () => {
    expect(EXPLAINED_PARTS).toEqual(['other_units', 'paper_late', 'synced_late', 'outside_period']);
  });

  it('rows whose difference the system cannot explain, either way, need a check', () => {
    const ok = row({ reported: 3, paper_late: 2, synced_late: 1, difference: 3, explained: 3 });
    const more = row({ reported: 7, system: 5, other_units: 1, difference: 2, explained: 1, unexplained: 1 });
    const fewer = row({ commune_code: '15001', reported: 1, system: 2, difference: -1, unexplained: -1 });
    expect([ok, more, fewer].map(needsCheck)).toEqual([false, true, true]);
    expect(flagged([ok, more, fewer])).toEqual([more, fewer]);
    expect([ok, more, fewer].every(addsUp)).toBe(true);
    expect(addsUp({ ...more, unexplained: 0 })).toBe(false);
    expect(addsUp({ ...more, explained: 2 })).toBe(false);
  });

  it('the staff who did not declare', () => {
    expect(notDeclaredCount({ staff: 4, declared: 2 })).toBe(2);
    expect(notDeclaredCount({ staff: 0, declared: 0 })).toBe(0);
    expect(notDeclaredCount({ staff: 1, declared: 3 })).toBe(0);
  });

  it('ranks as written, none without a population', () => {
    expect(rankText(1)).toBe('1');
    expect(rankText(null)).toBe('—');
    const c: Coverage = { unit: { code: '387', name: 'Huyện Quan Sơn' }, as_of: '2021-08-15', rows: [{ rank: null, code: '15004', name: 'Xã Sơn Hà', population: null, declared: 3, share: null }], total: { population: null, declared: 3, share: null } };
    expect(hasPopulation(c)).toBe(false);
    expect(hasPopulation({ ...c, rows: [{ ...c.rows[0], population: 10, share: 30, rank: 1 }] })).toBe(true);
  });
});
