// Dates, times and numbers as staff read them: dd/mm/yyyy, 24-hour clock,
// vi-VN digit grouping (1.234.567) in Vietnamese, 1,234,567 in English.
// Times from the backend are RFC 3339; they are shown in the device's time
// zone. Plain dates ("YYYY-MM-DD") are shown as written, never shifted.
import type { Language } from './gen';

const numberFormats: Partial<Record<Language, Intl.NumberFormat>> = {};

/** A whole count with the language's digit grouping. */
export function formatNumber(n: number, language: Language): string {
  if (!Number.isFinite(n)) return '?';
  const f = (numberFormats[language] ??= new Intl.NumberFormat(language === 'vi' ? 'vi-VN' : 'en-GB', {
    maximumFractionDigits: 0,
  }));
  return f.format(Math.trunc(n));
}

/** A decimal (temperature) with one digit after the language's decimal mark: 37,5 / 37.5. */
export function formatDecimal(n: number, language: Language): string {
  const s = n.toFixed(1);
  return language === 'vi' ? s.replace('.', ',') : s;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "YYYY-MM-DD" -> "dd/mm/yyyy"; anything else unchanged. */
export function formatIsoDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** An RFC 3339 string or a Date as a Date (null when unreadable). */
export function toDate(v: string | Date | number): Date | null {
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** dd/mm/yyyy of an instant in the device's time zone. */
export function formatDate(v: string | Date | number): string {
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return formatIsoDate(v);
  const d = toDate(v);
  return d ? `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()}` : String(v);
}

/** HH:MM or HH:MM:SS (24-hour) of an instant in the device's time zone. */
export function formatTime(v: string | Date | number, seconds = false): string {
  const d = toDate(v);
  if (!d) return String(v);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return seconds ? `${hm}:${pad(d.getSeconds())}` : hm;
}

/** "dd/mm/yyyy HH:MM". */
export function formatDateTime(v: string | Date | number): string {
  const d = toDate(v);
  return d ? `${formatDate(d)} ${formatTime(d)}` : String(v);
}

/** A time of today as "HH:MM:SS", other days as "dd/mm HH:MM". */
export function formatWhen(v: string | Date | number, now: Date): string {
  const d = toDate(v);
  if (!d) return String(v);
  if (localIsoDate(d) === localIsoDate(now)) return formatTime(d, true);
  return `${pad(d.getDate())}/${pad(d.getMonth() + 1)} ${formatTime(d)}`;
}

/** "YYYY-MM-DD" of an instant in the device's time zone. */
export function localIsoDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** "HH:MM" of an instant in the device's time zone. */
export function localHm(d: Date): string {
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Adds whole days to "YYYY-MM-DD". */
export function addDays(iso: string, days: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** Whole days from `a` to `b` ("YYYY-MM-DD" each). */
export function daysBetween(a: string, b: string): number {
  const ms = (s: string) => {
    const [y, m, d] = s.split('-').map(Number);
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((ms(b) - ms(a)) / 86_400_000);
}

function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || y < 1000 || y > 9999) return false;
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/**
 * A date typed as written on paper: "24/11/2021", "24-11-2021", "24.11.2021",
 * "24/11/21" (20xx) or "24112021". Returns "YYYY-MM-DD", or null when it is no real date.
 */
export function parseDateInput(text: string): string | null {
  const s = text.trim();
  let m = /^(\d{1,2})[/.\-\s](\d{1,2})[/.\-\s](\d{2}|\d{4})$/.exec(s);
  if (!m) {
    const c = /^(\d{2})(\d{2})(\d{4})$/.exec(s);
    if (c) m = c;
  }
  if (!m) return null;
  const d = Number(m[1]);
  const mo = Number(m[2]);
  let y = Number(m[3]);
  if (m[3].length === 2) y += 2000;
  return isRealDate(y, mo, d) ? `${y}-${pad(mo)}-${pad(d)}` : null;
}

/** A time typed as "8:30", "08:30", "0830", "8h30" or "8". Returns "HH:MM" or null. */
export function parseTimeInput(text: string): string | null {
  const s = text.trim().toLowerCase();
  const m = /^(\d{1,2})(?:[:h.\s]?(\d{2}))?$/.exec(s) ?? /^(\d{1,2})h$/.exec(s);
  if (!m) return null;
  const h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  if (h > 23 || min > 59) return null;
  return `${pad(h)}:${pad(min)}`;
}

/** A temperature typed with a comma or a dot ("37,5"). Null when it is no number. */
export function parseDecimal(text: string): number | null {
  const s = text.trim().replace(',', '.');
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(s)) return null;
  return Number(s);
}

/** UTC offset of `d` in the device's zone as "+07:00". */
export function offsetOf(d: Date): string {
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const a = Math.abs(off);
  return `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/**
 * RFC 3339 for a local date and time as written on paper ("2021-11-24", "08:30"),
 * with the device's UTC offset for that moment: "2021-11-24T08:30:00+07:00".
 */
export function localRfc3339(isoDate: string, hm: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  const [h, mi] = hm.split(':').map(Number);
  const local = new Date(y, m - 1, d, h, mi, 0);
  return `${isoDate}T${hm}:00${offsetOf(local)}`;
}

/** RFC 3339 of an instant in the device's zone, with seconds: "2021-11-24T08:30:05+07:00". */
export function rfc3339(d: Date): string {
  return `${localIsoDate(d)}T${localHm(d)}:${pad(d.getSeconds())}${offsetOf(d)}`;
}
