// The health-declaration reports' arithmetic, free of the DOM: percents as
// the server rounds them (to one decimal), the parts of a reconciliation
// difference in the officials' column order and which figures need a look,
// the staff of an agency who did not declare.
import type { Language } from '../shared/gen';
import type { Coverage, Reconciled, ReconciliationRow, RosterRow } from './types';

const tenths: Partial<Record<Language, Intl.NumberFormat>> = {};

/** A percent the server sends (already rounded to a tenth) in a column titled "(%)": "33,3", "25,0"; "—" for none. */
export function formatPercentCell(share: number | null | undefined, language: Language): string {
  if (share == null || !Number.isFinite(share)) return '—';
  const f = (tenths[language] ??= new Intl.NumberFormat(language === 'vi' ? 'vi-VN' : 'en-GB', {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }));
  return f.format(share);
}

/** The same with its sign: "33,3%" / "33.3%"; "—" for none. */
export function formatPercent(share: number | null | undefined, language: Language): string {
  const cell = formatPercentCell(share, language);
  return cell === '—' ? cell : `${cell}%`;
}

/** The parts of a difference the system explains, in the order of the officials' table. */
export const EXPLAINED_PARTS = ['other_units', 'paper_late', 'synced_late', 'outside_period'] as const satisfies readonly (keyof Reconciled)[];

export type ExplainedPart = (typeof EXPLAINED_PARTS)[number];

/**
 * A figure the system cannot fully explain: the unit reported more people
 * (positive) or fewer (negative) than the system and the explained parts
 * account for. Such rows are drawn out for the official to check.
 */
export function needsCheck(r: Pick<ReconciliationRow, 'unexplained'>): boolean {
  return r.unexplained !== 0;
}

/** The figures that need a look, in the table's order. */
export function flagged(rows: readonly ReconciliationRow[]): ReconciliationRow[] {
  return rows.filter(needsCheck);
}

/**
 * Whether a row adds up as the report defines it: difference = reported −
 * system, explained = the four parts, unexplained = difference − explained.
 */
export function addsUp(r: ReconciliationRow): boolean {
  const explained = EXPLAINED_PARTS.reduce((s, k) => s + r[k], 0);
  return r.difference === r.reported - r.system && r.explained === explained && r.unexplained === r.difference - r.explained;
}

/** Staff of an agency who did not declare in the period. */
export function notDeclaredCount(r: Pick<RosterRow, 'staff' | 'declared'>): number {
  return Math.max(0, r.staff - r.declared);
}

/** Whether any unit of a coverage report has a population (else no share can be computed). */
export function hasPopulation(r: Coverage): boolean {
  return r.total.population != null || r.rows.some((x) => x.population != null);
}

/**
 * The rank as the table writes it: "1", and "1" again for a tie (the
 * server gives tied units the same rank); "—" for a unit without a population.
 */
export function rankText(rank: number | null): string {
  return rank == null ? '—' : String(rank);
}

