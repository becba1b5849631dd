// Local dates in Asia/Ho_Chi_Minh and ISO weeks, as "YYYY-MM-DD" and
// "YYYY-Www" strings (the API's forms). Vietnam keeps UTC+07:00 all year,
// so "today there" is UTC shifted by seven hours, whatever the browser's zone.
import { addDays, parseDateInput } from '../shared/format';

const DAY = 86_400_000;
const VIETNAM_OFFSET = 7 * 3_600_000;

const pad = (n: number) => String(n).padStart(2, '0');

function utcMs(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

function isoOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Today's date in Asia/Ho_Chi_Minh. */
export function vietnamToday(now: Date = new Date()): string {
  return isoOf(now.getTime() + VIETNAM_OFFSET);
}

/** True for a real calendar date written "YYYY-MM-DD". */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return isoOf(t) === s;
}

export interface IsoWeek {
  year: number;
  week: number;
}

/** The ISO week a date falls in (weeks start on Monday; week 1 holds 4 January). */
export function isoWeekOf(date: string): string {
  const t = utcMs(date);
  const monday0 = (new Date(t).getUTCDay() + 6) % 7;
  const thursday = t + (3 - monday0) * DAY;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / DAY / 7) + 1;
  return `${year}-W${pad(week)}`;
}

/** 52 or 53. */
export function weeksInYear(year: number): number {
  return Number(isoWeekOf(`${year}-12-28`).slice(6));
}

/** "2021-W32" as numbers; null when malformed or past the year's last week. */
export function parseIsoWeek(s: string): IsoWeek | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(s);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (week < 1 || week > weeksInYear(year)) return null;
  return { year, week };
}

/** The Monday of an ISO week ("YYYY-MM-DD"). */
export function weekMonday(w: string): string {
  const p = parseIsoWeek(w);
  if (!p) throw new Error(`not an ISO week: ${w}`);
  const jan4 = Date.UTC(p.year, 0, 4);
  const firstMonday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY;
  return isoOf(firstMonday + (p.week - 1) * 7 * DAY);
}

/** The Sunday of an ISO week. */
export function weekSunday(w: string): string {
  return addDays(weekMonday(w), 6);
}

/** The week `n` weeks after `w` (before, when negative). */
export function addWeeks(w: string, n: number): string {
  return isoWeekOf(addDays(weekMonday(w), 7 * n));
}

/** The ISO week before the one holding `today`: the silent-points default. */
export function previousWeek(today: string): string {
  return addWeeks(isoWeekOf(today), -1);
}

/** `count` weeks ending with `last`, newest first. */
export function recentWeeks(last: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addWeeks(last, -i));
}

export interface DateRange {
  /** "YYYY-MM-DD", null when the text is no date. */
  from: string | null;
  to: string | null;
  /** Both are dates and `from` comes after `to`. */
  reversed: boolean;
}

/** Two dates typed as people write them ("24/11/2021"), and whether they are in order. */
export function readRange(fromText: string, toText: string): DateRange {
  const from = parseDateInput(fromText);
  const to = parseDateInput(toText);
  return { from, to, reversed: from !== null && to !== null && from > to };
}
