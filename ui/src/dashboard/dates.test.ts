import { describe, expect, it } from 'vitest';
import { addWeeks, readRange, isIsoDate, isoWeekOf, parseIsoWeek, previousWeek, recentWeeks, vietnamToday, weekMonday, weekSunday, weeksInYear } from './dates';

describe('dates in Asia/Ho_Chi_Minh', () => {
  it('today is the Vietnamese date, whatever the instant', () => {
    expect(vietnamToday(new Date('2021-08-15T16:59:59Z'))).toBe('2021-08-15');
    // Midnight in Hà Nội is 17:00 UTC the day before.
    expect(vietnamToday(new Date('2021-08-15T17:00:00Z'))).toBe('2021-08-16');
    expect(vietnamToday(new Date('2021-12-31T17:30:00Z'))).toBe('2022-01-01');
  });

  it('knows real dates', () => {
    expect(isIsoDate('2021-08-15')).toBe(true);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2021-02-29')).toBe(false);
    expect(isIsoDate('2021-8-15')).toBe(false);
    expect(isIsoDate('')).toBe(false);
  });
});

describe('ISO weeks', () => {
  it.each([
    ['2021-08-09', '2021-W32'], // Monday
    ['2021-08-15', '2021-W32'], // Sunday
    ['2021-08-16', '2021-W33'],
    ['2021-01-03', '2020-W53'], // a Sunday in the last week of the year before
    ['2021-01-04', '2021-W01'],
    ['2019-12-30', '2020-W01'], // a Monday in the first week of the next year
    ['2026-12-31', '2026-W53'],
    ['2027-01-01', '2026-W53'],
  ])('%s is in %s', (date, week) => {
    expect(isoWeekOf(date)).toBe(week);
  });

  it('Monday and Sunday of a week', () => {
    expect(weekMonday('2021-W32')).toBe('2021-08-09');
    expect(weekSunday('2021-W32')).toBe('2021-08-15');
    expect(weekMonday('2020-W53')).toBe('2020-12-28');
    expect(weekSunday('2020-W53')).toBe('2021-01-03');
    expect(weekMonday('2020-W01')).toBe('2019-12-30');
  });

  it('weeks in a year and malformed weeks', () => {
    expect(weeksInYear(2020)).toBe(53);
    expect(weeksInYear(2021)).toBe(52);
    expect(parseIsoWeek('2021-W53')).toBeNull();
    expect(parseIsoWeek('2020-W53')).toEqual({ year: 2020, week: 53 });
    expect(parseIsoWeek('2021-W00')).toBeNull();
    expect(parseIsoWeek('2021W32')).toBeNull();
    expect(() => weekMonday('nope')).toThrow();
  });

  it('steps across year ends', () => {
    expect(addWeeks('2021-W01', -1)).toBe('2020-W53');
    expect(addWeeks('2020-W53', 1)).toBe('2021-W01');
    expect(addWeeks('2021-W52', 1)).toBe('2022-W01');
    expect(previousWeek('2021-08-16')).toBe('2021-W32');
    expect(previousWeek('2021-01-06')).toBe('2020-W53');
    expect(recentWeeks('2021-W02', 3)).toEqual(['2021-W02', '2021-W01', '2020-W53']);
  });
});

describe('typed date ranges', () => {
  it('reads dates as written and checks their order', () => {
    expect(readRange('09/08/2021', '15/08/2021')).toEqual({ from: '2021-08-09', to: '2021-08-15', reversed: false });
    expect(readRange('15/08/2021', '9/8/2021')).toEqual({ from: '2021-08-15', to: '2021-08-09', reversed: true });
    expect(readRange('31/02/2021', '')).toEqual({ from: null, to: null, reversed: false });
    expect(readRange('15-08-2021', '15.08.2021').reversed).toBe(false);
  });
});
