// Chart arithmetic, free of the DOM: round axis ends and ticks, bar lengths,
// where labels go. The SVG components draw what these compute.

/** The smallest of 1, 2, 5 × 10^k that is at least `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw * (1 - 1e-9)) return m * p;
  return 10 * p;
}

export interface Scale {
  /** The axis end: a multiple of `step`, at least the data's largest value. */
  max: number;
  step: number;
  ticks: number[];
}

/**
 * A linear axis from 0 that holds `max` in at most `maxTicks` round steps.
 * `whole` keeps steps whole numbers (counts); rates may step by 0.5, 0.2….
 */
export function niceScale(max: number, maxTicks = 5, whole = true): Scale {
  if (!(max > 0) || !Number.isFinite(max)) return { max: 1, step: 1, ticks: [0, 1] };
  let step = niceStep(max / Math.max(1, maxTicks));
  if (whole) step = Math.max(1, Math.round(step));
  const end = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; i * step <= end + step * 1e-9; i++) ticks.push(round(i * step));
  return { max: round(end), step, ticks };
}

/** Kills float noise such as 0.30000000000000004. */
function round(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

/** Pixels along a bar of `length` px for `value` on `scale` (clamped to the axis). */
export function barLength(value: number, scale: Scale, length: number): number {
  if (!(value > 0) || scale.max <= 0) return 0;
  return Math.min(length, (value / scale.max) * length);
}

export interface BarLayout {
  width: number;
  height: number;
  /** The left column holding the row labels. */
  labelWidth: number;
  /** Where bars start and how long the longest may be. */
  x0: number;
  barSpan: number;
  rowHeight: number;
  barHeight: number;
  top: number;
}

/** Width of a text in px at the charts' 14 px font. */
export type Measure = (text: string) => number;

/** A rough width when nothing can measure (tests, very old browsers): wide Vietnamese letters. */
export const estimate: Measure = (text) => [...text].length * 8.2;

/**
 * Horizontal bars, one row per label: a label column as wide as the longest
 * label (at most 40 % of the chart, at least 90 px), the bars, and room at
 * the right for the value written after each bar.
 */
export function barLayout(width: number, labels: readonly string[], valueRoom = 96, measure: Measure = estimate): BarLayout {
  const w = Math.max(240, Math.floor(width));
  const longest = labels.reduce((m, l) => Math.max(m, measure(l)), 0);
  const labelWidth = Math.round(Math.min(w * 0.4, Math.max(90, longest + 12)));
  const rowHeight = 34;
  const top = 8;
  const axis = 28;
  const x0 = labelWidth + 8;
  return {
    width: w,
    height: top + labels.length * rowHeight + axis,
    labelWidth,
    x0,
    barSpan: Math.max(40, w - x0 - valueRoom),
    rowHeight,
    barHeight: 22,
    top,
  };
}

/** `text` whole if it fits `maxPx`, else cut with an ellipsis until it does. */
export function fitLabel(text: string, maxPx: number, measure: Measure = estimate): string {
  if (measure(text) <= maxPx) return text;
  const chars = [...text];
  for (let n = chars.length - 1; n > 1; n--) {
    const s = `${chars.slice(0, n).join('').trimEnd()}…`;
    if (measure(s) <= maxPx) return s;
  }
  return `${chars[0] ?? ''}…`;
}

/** The largest of `values`, 0 for none. */
export function maxOf(values: readonly number[]): number {
  return values.reduce((m, v) => (v > m ? v : m), 0);
}

/** Labels up to this many characters stay on one line in the tab bar. */
export const SHORT_TAB = 12;

/** The longer line, in characters, of the most even split of `label` into two lines. */
export function twoLines(label: string): number {
  const words = label.trim().split(/\s+/);
  const len = (ws: string[]) => [...ws.join(' ')].length;
  let best = len(words);
  for (let i = 1; i < words.length; i++) best = Math.min(best, Math.max(len(words.slice(0, i)), len(words.slice(i))));
  return best;
}

/**
 * The desktop tab bar's columns, as CSS grid tracks sharing the row by each
 * label's need in characters: a short label its whole length (one line), a
 * longer one the longer line of its most even two-line split.
 */
export function tabTracks(labels: readonly string[]): string {
  return labels
    .map((l) => {
      const n = [...l].length;
      return `minmax(min-content, ${(n <= SHORT_TAB ? n : twoLines(l)) + 3}fr)`;
    })
    .join(' ');
}
