// Contact tracing's pure parts: the lookup form read and checked as the
// server checks it (docs/dashboard.md, crates/server/src/trace.rs), instants
// shown in Vietnam time whatever the browser's zone, and the audit log's
// "what was asked" read back from its JSON text.
import { parseDateInput, parseTimeInput } from '../shared/format';

/** The widest window one lookup may cover (trace::MAX_WINDOW_DAYS). */
export const MAX_WINDOW_DAYS = 31;
/** A reason has at least this many characters… */
export const REASON_MIN_CHARS = 5;
/** …and at most this many (the server counts characters, as people do). */
export const REASON_MAX_CHARS = 500;
/** The stay taken when no exit was recorded (trace::DEFAULT_STAY_MINUTES). */
export const DEFAULT_STAY_MINUTES = 120;
export const MAX_STAY_MINUTES = 24 * 60;

const VIETNAM_OFFSET = 7 * 3_600_000;

/** An instant (RFC 3339, any offset) as the date and time on a clock in Vietnam. */
export function vietnamClock(rfc3339: string): { date: string; time: string } | null {
  const ms = Date.parse(rfc3339);
  if (Number.isNaN(ms)) return null;
  const s = new Date(ms + VIETNAM_OFFSET).toISOString();
  return { date: s.slice(0, 10), time: s.slice(11, 16) };
}

/** "24/11/2021 08:30", Vietnam time; the text itself when it is no instant. */
export function formatVietnamDateTime(rfc3339: string): string {
  const c = vietnamClock(rfc3339);
  if (!c) return rfc3339;
  const [y, m, d] = c.date.split('-');
  return `${d}/${m}/${y} ${c.time}`;
}

/** Minutes since the epoch of a Vietnam date and time ("YYYY-MM-DD", "HH:MM"). */
function vietnamMinutes(date: string, time: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  return (Date.UTC(y, m - 1, d, h, mi) - VIETNAM_OFFSET) / 60_000;
}

/** The window as typed: dates as on paper (dd/mm/yyyy), times as "8:30", "08h30"… */
export interface WindowDraft {
  fromDate: string;
  fromTime: string;
  toDate: string;
  toTime: string;
}

export type WindowProblem = 'date' | 'time' | 'order' | 'too_long';

export interface CheckedWindow {
  /** "YYYY-MM-DDTHH:MM" in Vietnam time (what the API reads), null while something is wrong. */
  from: string | null;
  to: string | null;
  problems: Partial<Record<keyof WindowDraft, WindowProblem>>;
}

/** Reads a typed window and says what is wrong with it, as the server would. */
export function checkWindow(d: WindowDraft): CheckedWindow {
  const fromDate = parseDateInput(d.fromDate);
  const fromTime = parseTimeInput(d.fromTime);
  const toDate = parseDateInput(d.toDate);
  const toTime = parseTimeInput(d.toTime);
  const problems: CheckedWindow['problems'] = {};
  if (!fromDate) problems.fromDate = 'date';
  if (!fromTime) problems.fromTime = 'time';
  if (!toDate) problems.toDate = 'date';
  if (!toTime) problems.toTime = 'time';
  if (fromDate && fromTime && toDate && toTime) {
    const span = vietnamMinutes(toDate, toTime) - vietnamMinutes(fromDate, fromTime);
    if (span < 0) problems.toDate = 'order';
    else if (span > MAX_WINDOW_DAYS * 24 * 60) problems.toDate = 'too_long';
  }
  const ok = Object.keys(problems).length === 0;
  return {
    from: ok ? `${fromDate}T${fromTime}` : null,
    to: ok ? `${toDate}T${toTime}` : null,
    problems,
  };
}

/** What is wrong with a reason (trimmed as the server trims it). */
export function reasonProblem(text: string): 'missing' | 'short' | 'long' | null {
  const r = text.trim();
  if (r === '') return 'missing';
  const chars = [...r].length;
  if (chars < REASON_MIN_CHARS) return 'short';
  if (chars > REASON_MAX_CHARS) return 'long';
  return null;
}

/** The optional stay in minutes: empty is the default; else a whole number 1–1440. */
export function readStay(text: string): { minutes: number | undefined; problem: 'range' | null } {
  const s = text.trim();
  if (s === '') return { minutes: undefined, problem: null };
  if (!/^\d{1,4}$/.test(s)) return { minutes: undefined, problem: 'range' };
  const n = Number(s);
  return n >= 1 && n <= MAX_STAY_MINUTES ? { minutes: n, problem: null } : { minutes: undefined, problem: 'range' };
}

/** A venue id as printed under its QR code ("38-14995-3PV2W6"): letters, digits, dashes, at most 64. */
export function venueIdProblem(text: string): 'missing' | 'format' | null {
  const s = text.trim();
  if (s === '') return 'missing';
  return /^[A-Za-z0-9-]{1,64}$/.test(s) ? null : 'format';
}

export type PersonBy = 'id_number' | 'phone';

/** What the audit log says was asked. */
export interface AskedFor {
  venueId?: string;
  /** The person's key: kind (id, phone, name) and value. */
  person?: { kind: string; value: string };
  from?: string;
  to?: string;
}

/** Reads an audit entry's query (JSON text); unknown shapes give what they can. */
export function readAuditQuery(query: string): AskedFor {
  let j: unknown;
  try {
    j = JSON.parse(query);
  } catch {
    return {};
  }
  if (!j || typeof j !== 'object') return {};
  const o = j as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const out: AskedFor = {};
  for (const [key, field] of [
    ['venueId', 'venue_id'],
    ['from', 'from'],
    ['to', 'to'],
  ] as const) {
    const v = str(o[field]);
    if (v) out[key] = v;
  }
  const person = str(o.person);
  if (person) {
    const i = person.indexOf(':');
    out.person = i > 0 ? { kind: person.slice(0, i), value: person.slice(i + 1) } : { kind: '', value: person };
  }
  return out;
}

/** Audit entries newest first (by time, then id), whatever order they came in. */
export function newestFirst<T extends { id: number; at: string }>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || b.id - a.id);
}

/** A typed ID-card or phone number without the spaces, dots and dashes people put in it (for showing what was asked). */
export function compactNumber(text: string): string {
  return text.replace(/[\s.\-]/g, '');
}
