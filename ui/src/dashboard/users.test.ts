import { describe, expect, it } from 'vitest';
import { knownRole, loginProblem, matchingUsers, passwordTooShort } from './users';
import type { UserAccount } from './types';

const user = (login: string, code: string, name: string): UserAccount => ({
  login,
  role: 'viewer',
  area: { code, name, level: code.length === 5 ? 'commune' : 'district', parent: null },
  created_at: '2021-08-16T02:00:00Z',
  disabled_at: null,
});

describe('new accounts, checked as the server checks them', () => {
  it('logins: 3 to 64 of a-z 0-9 . _ -', () => {
    for (const ok of ['hanh.nt', 'abc', ' cdc-001_a ', 'a'.repeat(64)]) expect(loginProblem(ok), ok).toBeNull();
    expect(loginProblem('  ')).toBe('missing');
    for (const bad of ['ab', 'Hanh', 'hạnh', 'a b', 'x/y', 'a'.repeat(65)]) expect(loginProblem(bad), bad).toBe('format');
  });

  it('passwords: at least 10 characters, counted as characters', () => {
    expect(passwordTooShort('ngắn')).toBe(true);
    expect(passwordTooShort('123456789')).toBe(true);
    expect(passwordTooShort('1234567890')).toBe(false);
    // Ten characters, more than ten bytes.
    expect(passwordTooShort('mậtkhẩuđủư')).toBe(false);
  });

  it('unknown roles read as the least', () => {
    expect(knownRole('tracer')).toBe('tracer');
    expect(knownRole('boss')).toBe('viewer');
  });
});

describe('finding an account', () => {
  const all = [user('hanh.nt', '387', 'Huyện Quan Sơn'), user('xa.trungxuan', '14995', 'Xã Trung Xuân')];
  it('by login or area name, diacritics aside, or area code', () => {
    expect(matchingUsers(all, '').map((u) => u.login)).toEqual(['hanh.nt', 'xa.trungxuan']);
    expect(matchingUsers(all, 'quan son').map((u) => u.login)).toEqual(['hanh.nt']);
    expect(matchingUsers(all, 'TRUNG').map((u) => u.login)).toEqual(['xa.trungxuan']);
    expect(matchingUsers(all, '149').map((u) => u.login)).toEqual(['xa.trungxuan']);
    expect(matchingUsers(all, 'không có')).toEqual([]);
  });
});
