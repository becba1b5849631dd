// Matching Vietnamese text typed without diacritics: "truc bach" finds
// "Phường Trúc Bạch", "da nang" finds "Thành phố Đà Nẵng".

/** Lower case, no diacritics, đ -> d, single spaces. */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

const UNIT_PREFIXES = ['thanh pho', 'tinh', 'quan', 'huyen', 'thi xa', 'thi tran', 'phuong', 'xa'].map((p) => `${p} `);

/** A unit name without its kind word ("phuong truc bach" -> "truc bach"). */
export function stripUnitKind(folded: string): string {
  for (const p of UNIT_PREFIXES) if (folded.startsWith(p)) return folded.slice(p.length);
  return folded;
}

export interface Matchable {
  value: string;
  label: string;
}

/**
 * Options matching `query`, best first: names (without their kind word)
 * starting with the query, then names containing it, then codes starting with it.
 */
export function filterOptions<T extends Matchable>(options: readonly T[], query: string): T[] {
  const q = fold(query);
  if (q === '') return [...options];
  const starts: T[] = [];
  const contains: T[] = [];
  const codes: T[] = [];
  for (const o of options) {
    const name = fold(o.label);
    const bare = stripUnitKind(name);
    if (bare.startsWith(q) || name.startsWith(q)) starts.push(o);
    else if (name.includes(q)) contains.push(o);
    else if (o.value.startsWith(q)) codes.push(o);
  }
  return [...starts, ...contains, ...codes];
}
