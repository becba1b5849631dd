// Unit levels from the units list, or from the code's length when the unit
// is not in it (2 digits a province, 3 a district, 5 a commune).
import type { Level, Unit } from './types';

export function levelOf(code: string, unit?: Unit): Level {
  if (unit) return unit.level;
  return code.length <= 2 ? 'province' : code.length === 3 ? 'district' : 'commune';
}

/** Commune names by code, for rows that carry only the code. */
export function communeNames(units: readonly Unit[] | undefined): Map<string, string> {
  return new Map((units ?? []).filter((u) => u.level === 'commune').map((u) => [u.code, u.name]));
}
