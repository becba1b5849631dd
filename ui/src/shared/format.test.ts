import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  formatDate,
  formatDateTime,
  formatDecimal,
  formatIsoDate,
  formatNumber,
  formatTime,
  formatWhen,
  localRfc3339,
  parseDateInput,
  parseDecimal,
  parseTimeInput,
  rfc3339,
} from './format';

// vitest runs with TZ=Asia/Ho_Chi_Minh (vite.config.ts).
describe('format', () => {
  it('groups digits the vi-VN way, and the English way', () => {
    expect(formatNumber(1234567, 'vi')).toBe('1.234.567');
    expect(formatNumber(1234567, 'en')).toBe('1,234,567');
    expect(formatNumber(0, 'vi')).toBe('0');
    expect(formatNumber(12.7, 'vi')).toBe('12');
    expect(formatNumber(Number.NaN, 'vi')).toBe('?');
    expect(formatDecimal(37.5, 'vi')).toBe('37,5');
    expect(formatDecimal(37.5, 'en')).toBe('37.5');
  });

  it('shows dates as dd/mm/yyyy and times on the 24-hour clock in the device zone', () => {
    expect(formatIsoDate('2021-11-24')).toBe('24/11/2021');
    expect(formatDate('2021-11-24')).toBe('24/11/2021');
    expect(formatTime('2021-11-24T13:05:09Z')).toBe('20:05');
    expect(formatTime('2021-11-24T13:05:09Z', true)).toBe('20:05:09');
    expect(formatDateTime('2021-11-24T20:30:00+07:00')).toBe('24/11/2021 20:30');
    expect(formatDate('2021-11-24T18:00:00Z')).toBe('25/11/2021');
    expect(formatTime('not a time')).toBe('not a time');
  });

  it('formatWhen: seconds for today, day and month otherwise', () => {
    const now = new Date('2021-11-24T10:00:00+07:00');
    expect(formatWhen('2021-11-24T08:30:05+07:00', now)).toBe('08:30:05');
    expect(formatWhen('2021-11-23T08:30:05+07:00', now)).toBe('23/11 08:30');
  });

  it('reads dates and times as written on paper', () => {
    expect(parseDateInput('24/11/2021')).toBe('2021-11-24');
    expect(parseDateInput('4/1/2021')).toBe('2021-01-04');
    expect(parseDateInput('24-11-2021')).toBe('2021-11-24');
    expect(parseDateInput('24.11.21')).toBe('2021-11-24');
    expect(parseDateInput('24112021')).toBe('2021-11-24');
    expect(parseDateInput('29/02/2020')).toBe('2020-02-29');
    expect(parseDateInput('29/02/2021')).toBeNull();
    expect(parseDateInput('31/04/2021')).toBeNull();
    expect(parseDateInput('2021-11-24')).toBeNull();
    expect(parseDateInput('')).toBeNull();
    expect(parseTimeInput('8:30')).toBe('08:30');
    expect(parseTimeInput('0830')).toBe('08:30');
    expect(parseTimeInput('830')).toBe('08:30');
    expect(parseTimeInput('8h30')).toBe('08:30');
    expect(parseTimeInput('8h')).toBe('08:00');
    expect(parseTimeInput('23:59')).toBe('23:59');
    expect(parseTimeInput('24:00')).toBeNull();
    expect(parseTimeInput('12:60')).toBeNull();
    expect(parseDecimal('37,5')).toBe(37.5);
    expect(parseDecimal('37.25')).toBe(37.25);
    expect(parseDecimal('abc')).toBeNull();
  });

  it('writes RFC 3339 with the device offset', () => {
    expect(localRfc3339('2021-11-24', '08:30')).toBe('2021-11-24T08:30:00+07:00');
    expect(rfc3339(new Date('2021-11-24T01:30:05Z'))).toBe('2021-11-24T08:30:05+07:00');
  });

  it('counts days', () => {
    expect(addDays('2021-11-24', 14)).toBe('2021-12-08');
    expect(addDays('2021-03-01', -1)).toBe('2021-02-28');
    expect(daysBetween('2021-11-24', '2021-12-08')).toBe(14);
  });
});
