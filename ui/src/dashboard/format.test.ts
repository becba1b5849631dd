import { describe, expect, it } from 'vitest';
import { formatChange, formatOneDecimal, formatShare, perPoint, retryMinutes } from './format';

describe('report numbers', () => {
  it('changes carry their sign and the digit grouping', () => {
    expect(formatChange(1234, 'vi')).toBe('+1.234');
    expect(formatChange(1234, 'en')).toBe('+1,234');
    expect(formatChange(-30, 'vi')).toBe('\u221230');
    expect(formatChange(0, 'en')).toBe('0');
  });

  it('one decimal with the language mark', () => {
    expect(formatOneDecimal(12.5, 'vi')).toBe('12,5');
    expect(formatOneDecimal(12.5, 'en')).toBe('12.5');
    expect(formatOneDecimal(3, 'vi')).toBe('3');
    expect(formatOneDecimal(1234.56, 'vi')).toBe('1.234,6');
    expect(formatOneDecimal(Number.NaN, 'vi')).toBe('—');
  });

  it('scans per point and shares', () => {
    expect(perPoint(120, 3)).toBe(40);
    expect(perPoint(5, 0)).toBeNull();
    expect(formatShare(5, 8, 'vi')).toBe('62,5%');
    expect(formatShare(1, 3, 'en')).toBe('33.3%');
    expect(formatShare(0, 0, 'en')).toBe('—');
  });

  it('Retry-After seconds become whole minutes', () => {
    expect(retryMinutes(900)).toBe(15);
    expect(retryMinutes(61)).toBe(2);
    expect(retryMinutes(5)).toBe(1);
    expect(retryMinutes(null)).toBe(15);
  });
});
