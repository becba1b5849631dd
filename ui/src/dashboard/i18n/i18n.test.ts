import { describe, expect, it } from 'vitest';
import { vi as viMessages } from './vi';
import { en } from './en';
import { MESSAGES, lang, setLanguage, storedLanguage, t, translate } from './index';

const SAMPLE = { at: '24/11/2026 19:04', id: 12, venue: 'Chợ Trung Xuân', commune: 'Xã Trung Xuân', who: 'CCCD/CMND 038098000008', area: 'Huyện Quan Sơn', value: '038098000008', today: '24/11/2026', place: 'Quan Sơn', share: '71,4%', prev: '3', trend: 'tăng 5 lượt', zero: 1, noData: 2, n: 3, date: '08/08/2021', from: '09/08/2021', to: '15/08/2021', unit: 'Huyện Quan Sơn', asOf: '15/08/2021', compare: '08/08/2021', name: 'Xã Trung Xuân', parent: 'Huyện Quan Sơn', level: 'Quận/huyện', week: 32, year: 2021, of: 40, login: 'hanh.nt', role: 'Người xem' };

const render = (v: unknown) => (typeof v === 'function' ? (v as (a: unknown) => string)(SAMPLE) : (v as string));

describe('dashboard text', () => {
  it('English has exactly the Vietnamese keys, with the same kind of value', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(viMessages).sort());
    for (const k of Object.keys(viMessages)) {
      expect(typeof (en as Record<string, unknown>)[k], k).toBe(typeof (viMessages as Record<string, unknown>)[k]);
    }
  });

  it('every message renders to non-empty text in both languages', () => {
    for (const language of ['vi', 'en'] as const) {
      for (const [k, v] of Object.entries(MESSAGES[language])) {
        const text = render(v);
        expect(text.trim(), `${language} ${k}`).not.toBe('');
        expect(text, `${language} ${k}`).not.toMatch(/undefined|\$\{|NaN|\[object/);
      }
    }
  });

  it('Vietnamese uses the official terms, with their diacritics', () => {
    const all = Object.values(viMessages).map(render).join('\n');
    for (const term of ['Tổng số địa điểm tạo mã QR', 'Tổng lượt quét', 'Huyện', 'Thị trấn/xã', 'xã/phường/thị trấn', 'khai báo y tế', 'Quận/huyện', 'STT', 'truy vết', 'Truy vết', 'nhật ký tra cứu', 'Nhật ký tra cứu', 'mã QR', 'lượt quét', 'CCCD/CMND', 'Báo cáo tuần', 'BÁO CÁO', 'Cơ quan, đơn vị', 'Tỷ lệ khai báo', 'Đối chiếu số liệu', 'Cán bộ khai báo', 'Trùng giữa các đơn vị', 'Phiếu giấy nhập sau', 'Đồng bộ sau', 'Ngoài kỳ báo cáo', 'Chưa giải thích được', 'Dân số', 'Xếp hạng', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', 'Nơi nhận:', '(Ký, ghi rõ họ tên)', 'Người dùng', 'Tài khoản', 'Vai trò', 'Địa bàn', 'Người xem', 'Truy vết', 'Quản trị', 'Khóa', 'Mở khóa', 'Đặt lại mật khẩu', 'Đổi vai trò'])
      expect(all, term).toContain(term);
    // No text left in English or without diacritics by mistake.
    for (const [k, v] of Object.entries(viMessages)) {
      if (k.startsWith('lang.')) continue;
      expect(render(v), k).not.toMatch(/\b(the|and|of|Report|Loading|Error)\b/);
    }
  });

  it('errors say what to do', () => {
    for (const [k, v] of Object.entries(viMessages)) {
      if (!k.startsWith('err.') || k === 'err.title' || k === 'err.detail' || k === 'err.areas') continue;
      expect(render(v), k).toMatch(/Hãy/);
    }
    expect(translate('vi', 'login.tooMany', { n: 15 })).toContain('15 phút');
    expect(translate('en', 'login.tooMany', { n: 1 })).toContain('1 minute,');
  });

  it('t follows the language, and the choice is remembered', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    expect(storedLanguage(storage)).toBe('vi');
    setLanguage('en', storage);
    expect(t('login.submit')).toBe('Log in');
    expect(storedLanguage(storage)).toBe('en');
    setLanguage('vi', storage);
    expect(lang.value).toBe('vi');
    expect(t('login.submit')).toBe('Đăng nhập');
    expect(storedLanguage(null)).toBe('vi');
  });
});
