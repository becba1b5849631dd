// The weekly report's pure parts: which report queries make up an ISO week
// and the week before it, the per-unit rows put together from them, and
// the wording of a Vietnamese official document's header (place and date).
import { addDays } from '../shared/format';
import type { Language } from '../shared/gen';
import { addWeeks, parseIsoWeek, weekMonday, weekSunday } from './dates';
import type { Params } from './route';
import type { EVsPaperRow, Level, QrPoints, Unit } from './types';

/** The days a weekly report is about: its ISO week and the week before. */
export interface WeekPlan {
  week: string;
  previous: string;
  monday: string;
  sunday: string;
  previousMonday: string;
  previousSunday: string;
  /** The Sunday before the previous week: qr-points' compare date for it. */
  previousPreviousSunday: string;
}

/** The days of `week` ("YYYY-Www") and of the week before; throws on a malformed week. */
export function weekPlan(week: string): WeekPlan {
  if (!parseIsoWeek(week)) throw new Error(`not an ISO week: ${week}`);
  const previous = addWeeks(week, -1);
  return {
    week,
    previous,
    monday: weekMonday(week),
    sunday: weekSunday(week),
    previousMonday: weekMonday(previous),
    previousSunday: weekSunday(previous),
    previousPreviousSunday: addDays(weekMonday(previous), -1),
  };
}

/** The report calls that make up the weekly report of `unit` for `week`. */
export interface WeeklyQueries {
  /** qr-points up to the week's Sunday against the Sunday before: the week's new points and scans per unit. Null for a commune (qr-points counts per commune or district). */
  qr: Params | null;
  /** The same for the previous week. */
  qrPrevious: Params | null;
  silent: Params;
  silentPrevious: Params;
  /** e-vs-paper from the week's Monday to its Sunday. */
  evp: Params;
  evpPrevious: Params;
}

export function weeklyQueries(unit: string, week: string, level: Level): WeeklyQueries {
  const p = weekPlan(week);
  const perUnit = level !== 'commune';
  return {
    qr: perUnit ? { unit, as_of: p.sunday, compare: p.previousSunday } : null,
    qrPrevious: perUnit ? { unit, as_of: p.previousSunday, compare: p.previousPreviousSunday } : null,
    silent: { unit, week: p.week },
    silentPrevious: { unit, week: p.previous },
    evp: { unit, from: p.monday, to: p.sunday },
    evpPrevious: { unit, from: p.previousMonday, to: p.previousSunday },
  };
}

/** True while `week` has not ended on `today` (its figures are up to today only). */
export function weekUnfinished(week: string, today: string): boolean {
  return weekSunday(week) >= today;
}

const LEVEL_WORDS = ['thành phố', 'thị trấn', 'thị xã', 'tỉnh', 'huyện', 'quận', 'phường', 'xã', 'tp.'];

/** The place named in "…, ngày … tháng … năm …": the unit's name without its level ("Huyện Quan Sơn" → "Quan Sơn"). */
export function placeName(unitName: string): string {
  const name = unitName.trim().replace(/\s+/g, ' ');
  const lower = name.toLocaleLowerCase('vi');
  for (const w of LEVEL_WORDS) {
    if (lower.startsWith(`${w} `) && name.length > w.length + 1) return name.slice(w.length + 1).trim();
  }
  return name;
}

/** The unit's name as a document's issuing body is written: in capitals ("HUYỆN QUAN SƠN"). */
export function agencyName(unitName: string): string {
  return unitName.trim().replace(/\s+/g, ' ').toLocaleUpperCase('vi');
}

const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * The date of a document: "ngày 05 tháng 02 năm 2026" (days under 10 and the
 * months 1 and 2 take a leading zero, as Decree 30/2020/NĐ-CP writes them),
 * "5 February 2026" in English.
 */
export function documentDate(iso: string, language: Language): string {
  const [y, m, d] = iso.split('-').map(Number);
  if (language === 'en') return `${d} ${EN_MONTHS[m - 1]} ${y}`;
  const day = d < 10 ? `0${d}` : String(d);
  const month = m <= 2 ? `0${m}` : String(m);
  return `ngày ${day} tháng ${month} năm ${y}`;
}

export interface Visits {
  total: number;
  electronic: number;
  paper: number;
}

const NO_VISITS: Visits = { total: 0, electronic: 0, paper: 0 };

/** The unit directly under `parent` that holds `code` (itself when it is directly under). */
export function childUnder(code: string, parent: string, byCode: ReadonlyMap<string, Unit>): string | null {
  let c: string | null = code;
  for (let guard = 0; c && guard < 4; guard++) {
    const u = byCode.get(c);
    if (!u) return null;
    if (u.parent === parent) return c;
    c = u.parent;
  }
  return null;
}

/** e-vs-paper's venue rows summed per unit directly under `parent` (per commune of a district, per district of a province). */
export function visitsByUnit(rows: readonly EVsPaperRow[], parent: string, units: readonly Unit[]): Map<string, Visits> {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const out = new Map<string, Visits>();
  for (const r of rows) {
    const child = childUnder(r.commune_code, parent, byCode);
    if (!child) continue;
    const v = out.get(child) ?? { ...NO_VISITS };
    v.total += r.total;
    v.electronic += r.electronic;
    v.paper += r.paper;
    out.set(child, v);
  }
  return out;
}

/** One unit's line in the weekly report. */
export interface WeeklyUnitRow {
  code: string;
  name: string;
  /** QR points registered by the week's Sunday. */
  venues: number;
  /** Points registered during the week. */
  newVenues: number;
  /** Scans recorded during the week, and during the week before. */
  scans: number;
  previousScans: number;
  visits: Visits;
  low: boolean;
}

/**
 * The per-unit lines: qr-points of the week and of the week before (their
 * changes are the weeks' scans and new points) with the week's visits.
 */
export function weeklyUnitRows(qr: QrPoints, qrPrevious: QrPoints | null, visits: ReadonlyMap<string, Visits>): WeeklyUnitRow[] {
  const before = new Map((qrPrevious?.rows ?? []).map((r) => [r.code, r]));
  return qr.rows.map((r) => ({
    code: r.code,
    name: r.name,
    venues: r.venues,
    newVenues: r.venues_change,
    scans: r.scans_change,
    previousScans: before.get(r.code)?.scans_change ?? 0,
    visits: visits.get(r.code) ?? { ...NO_VISITS },
    low: r.low,
  }));
}

/** The electronic share of visits in percent, null with no visit. */
export function electronicShare(v: Visits): number | null {
  return v.total > 0 ? (100 * v.electronic) / v.total : null;
}
