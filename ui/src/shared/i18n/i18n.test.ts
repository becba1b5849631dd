import { describe, expect, it } from 'vitest';
import { vi as viMessages } from './vi';
import { en } from './en';
import { lang, t, translate, hasMessage, MESSAGES } from './index';

const SAMPLE = { n: 3, min: 1891, max: 200, s: 30, what: 'X', detail: 'D', date: '24/11/2021', time: '08:30', name: 'Nguyễn Văn An', kind: 'K', hint: '…2345', year: 1990, level: 'L', place: 'P', fps: 10, ms: 40, sent: 1, total: 3, reason: 'r', id: 'ID', code: '00004', start: 'a', end: 'b', t: '37,5', source: 'S', days: 28, dose: 2, age: '3 ngày trước' };

describe('i18n', () => {
  it('English has exactly the Vietnamese keys, with the same kind of value', () => {
    const vk = Object.keys(viMessages).sort();
    const ek = Object.keys(en).sort();
    expect(ek).toEqual(vk);
    for (const k of vk) {
      expect(typeof (en as Record<string, unknown>)[k], k).toBe(typeof (viMessages as Record<string, unknown>)[k]);
    }
  });

  it('every message renders to non-empty text in both languages', () => {
    for (const language of ['vi', 'en'] as const) {
      for (const [k, v] of Object.entries(MESSAGES[language])) {
        const text = typeof v === 'function' ? (v as (a: unknown) => string)(SAMPLE) : v;
        expect(text.trim(), `${language} ${k}`).not.toBe('');
        expect(text, `${language} ${k}`).not.toMatch(/undefined|\$\{|NaN/);
      }
    }
  });

  it('Vietnamese uses the official terms', () => {
    const all = Object.values(viMessages)
      .map((v) => (typeof v === 'function' ? (v as (a: unknown) => string)(SAMPLE) : v))
      .join('\n')
      .toLowerCase();
    for (const term of [
      'khai báo y tế',
      'mã qr',
      'xã/phường/thị trấn',
      'quận/huyện',
      'tỉnh/thành phố',
      'căn cước công dân (cccd)',
      'cách ly tại nhà',
      'cách ly tập trung',
      'đồng bộ',
      'hàng đợi',
    ])
      expect(all, term).toContain(term);
  });

  it('field errors say how to fix the value (an example or an instruction)', () => {
    for (const [k, v] of Object.entries(viMessages)) {
      if (!k.startsWith('err.')) continue;
      const text = typeof v === 'function' ? (v as (a: unknown) => string)(SAMPLE) : v;
      expect(text, k).toMatch(/Hãy|ví dụ|để trống/);
    }
    expect(translate('vi', 'err.phone.format')).toBe('Số điện thoại phải có từ 8 đến 15 chữ số, ví dụ 0912345678.');
  });

  it('t follows the language signal', () => {
    lang.value = 'vi';
    expect(t('nav.sync')).toBe('Đồng bộ');
    expect(t('chip.pending', { n: 5 })).toBe('5 chờ gửi');
    lang.value = 'en';
    expect(t('nav.sync')).toBe('Sync');
    expect(t('chip.pending', { n: 5 })).toBe('5 pending');
    lang.value = 'vi';
  });

  it('hasMessage tells known keys', () => {
    expect(hasMessage('errc.disk_full')).toBe(true);
    expect(hasMessage('errc.nope')).toBe(false);
    expect(hasMessage('toString')).toBe(false);
  });
});
