// The users page's pure parts: a new account checked as the server checks it
// (crates/server/src/accounts.rs: check_login, check_password), and the
// list narrowed by what the admin types.
import { fold } from '../shared/text';
import type { Role, UserAccount } from './types';

/** The shortest password the server accepts (accounts::MIN_PASSWORD_CHARS). */
export const MIN_PASSWORD_CHARS = 10;

export const ROLES: readonly Role[] = ['viewer', 'tracer', 'admin'];

export type LoginProblem = 'missing' | 'format';

/** What is wrong with a login as typed (surrounding spaces aside), or null. */
export function loginProblem(text: string): LoginProblem | null {
  const s = text.trim();
  if (s === '') return 'missing';
  return /^[a-z0-9._-]{3,64}$/.test(s) ? null : 'format';
}

/** Whether a password is too short, counted in characters as the server counts them. */
export function passwordTooShort(text: string): boolean {
  return [...text].length < MIN_PASSWORD_CHARS;
}

/** The accounts whose login or area name contains `query` (case and diacritics aside). */
export function matchingUsers(users: readonly UserAccount[], query: string): UserAccount[] {
  const q = fold(query);
  if (q === '') return [...users];
  return users.filter((u) => fold(u.login).includes(q) || fold(u.area.name).includes(q) || u.area.code.startsWith(q));
}

/** A role the page knows, else viewer (the least). */
export function knownRole(role: string): Role {
  return (ROLES as readonly string[]).includes(role) ? (role as Role) : 'viewer';
}
