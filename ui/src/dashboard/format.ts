// Numbers as the reports show them: counts with the language's grouping,
// signed changes, scans per point and shares with one decimal.
import type { Language } from '../shared/gen';
import { formatNumber } from '../shared/format';

const MINUS = '\u2212';

/** "+1.234", "−56", "0": a change since the compare date. */
export function formatChange(n: number, language: Language): string {
  if (n === 0) return '0';
  return `${n > 0 ? '+' : MINUS}${formatNumber(Math.abs(n), language)}`;
}

const oneDecimal: Partial<Record<Language, Intl.NumberFormat>> = {};

/** At most one decimal, the language's decimal mark: "12,5" / "12.5", "3". */
export function formatOneDecimal(x: number, language: Language): string {
  if (!Number.isFinite(x)) return '—';
  const f = (oneDecimal[language] ??= new Intl.NumberFormat(language === 'vi' ? 'vi-VN' : 'en-GB', {
    maximumFractionDigits: 1,
  }));
  return f.format(x);
}

/** Scans per QR point; null when the unit has no point. */
export function perPoint(scans: number, venues: number): number | null {
  return venues > 0 ? scans / venues : null;
}

/** A part of a whole as a percentage with one decimal ("62,5%"); "—" when the whole is 0. */
export function formatShare(part: number, whole: number, language: Language): string {
  if (!(whole > 0)) return '—';
  return `${formatOneDecimal((100 * part) / whole, language)}%`;
}

/** Whole minutes to wait for a Retry-After in seconds (at least 1). */
export function retryMinutes(seconds: number | null | undefined): number {
  if (seconds == null || !Number.isFinite(seconds) || seconds <= 0) return 15;
  return Math.max(1, Math.ceil(seconds / 60));
}

/** "+3,2", "−0,5", "0": a change with at most one decimal (percentage points). */
export function formatSignedOneDecimal(x: number, language: Language): string {
  if (!Number.isFinite(x)) return '—';
  const r = Math.round(x * 10) / 10;
  if (r === 0) return '0';
  return `${r > 0 ? '+' : MINUS}${formatOneDecimal(Math.abs(r), language)}`;
}
