// Horizontal bar charts drawn as SVG at the box's own pixel width, so text
// stays at its size on a desktop or a tablet: one row per unit or venue, a
// bar made of one or more segments (stacked), the value after the bar, a
// scale with round ticks underneath. The figures are also in the table
// beside it; the SVG carries a text description for screen readers.
import { useId } from 'preact/hooks';
import { barLayout, barLength, estimate, fitLabel, maxOf, niceScale, type Measure } from '../chart';
import { useWidth } from '../hooks';

export type Tone = 'primary' | 'low' | 'electronic' | 'paper' | 'muted';

export interface Segment {
  value: number;
  tone: Tone;
}

export interface BarRow {
  key: string;
  label: string;
  segments: Segment[];
  /** Written after the bar. */
  valueText: string;
  /** Drawn out (label in the low colour): a bar of 0 shows no colour of its own. */
  marked?: boolean;
  /** For the row's tooltip and the description; defaults to label + valueText. */
  describe?: string;
}

export interface LegendItem {
  tone: Tone;
  label: string;
}

export interface BarChartProps {
  title: string;
  rows: BarRow[];
  /** Counts step by whole numbers; rates may step by fractions. */
  whole?: boolean;
  tick: (n: number) => string;
  legend?: LegendItem[];
  testid?: string;
  /** Pixels kept right of the longest bar for its value. */
  valueRoom?: number;
}

let canvas: CanvasRenderingContext2D | null | undefined;

/** Text width at the charts' font, measured by a canvas (an estimate where there is none). */
export const measure: Measure = (text) => {
  if (canvas === undefined) {
    try {
      canvas = document.createElement('canvas').getContext('2d');
      if (canvas) canvas.font = `14px ${getComputedStyle(document.body).fontFamily || 'sans-serif'}`;
    } catch {
      canvas = null;
    }
  }
  return canvas ? canvas.measureText(text).width : estimate(text);
};

export function BarChart(p: BarChartProps) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const titleId = useId();
  const valueRoom = p.valueRoom ?? Math.max(48, ...p.rows.map((r) => measure(r.valueText) + 16));
  const L = barLayout(width, p.rows.map((r) => r.label), valueRoom, measure);
  const totals = p.rows.map((r) => r.segments.reduce((s, x) => s + Math.max(0, x.value), 0));
  const scale = niceScale(maxOf(totals), Math.min(8, Math.max(2, Math.floor(L.barSpan / 70))), p.whole ?? true);
  const axisY = L.top + p.rows.length * L.rowHeight;
  const describe = p.rows.map((r) => r.describe ?? `${r.label}: ${r.valueText}`).join('; ');
  return (
    <figure class="chart" data-testid={p.testid}>
      <figcaption id={titleId} class="chart-title">
        {p.title}
      </figcaption>
      {p.legend && (
        <ul class="legend" aria-hidden="true">
          {p.legend.map((l) => (
            <li key={l.tone}>
              <span class={`swatch tone-${l.tone}`} />
              {l.label}
            </li>
          ))}
        </ul>
      )}
      <div class="chart-box" ref={ref}>
        <svg
          width={L.width}
          height={L.height}
          viewBox={`0 0 ${L.width} ${L.height}`}
          role="img"
          aria-labelledby={titleId}
          aria-describedby={`${titleId}-desc`}
          class="chart-svg"
        >
          <desc id={`${titleId}-desc`}>{describe}</desc>
          {scale.ticks.map((v) => {
            const x = L.x0 + barLength(v, scale, L.barSpan);
            return (
              <g key={`t${v}`} class="tick">
                <line x1={x} x2={x} y1={L.top - 4} y2={axisY} />
                <text x={x} y={axisY + 18} text-anchor="middle">
                  {p.tick(v)}
                </text>
              </g>
            );
          })}
          {p.rows.map((r, i) => {
            const y = L.top + i * L.rowHeight;
            const barY = y + (L.rowHeight - L.barHeight) / 2;
            let x = L.x0;
            const segs = r.segments.map((s, j) => {
              const w = barLength(s.value, scale, L.barSpan);
              const rect = w > 0 ? <rect key={j} class={`bar tone-${s.tone}`} x={x} y={barY} width={Math.max(1, w)} height={L.barHeight} /> : null;
              x += w;
              return rect;
            });
            return (
              <g key={r.key} class={`bar-row${r.marked ? ' marked' : ''}`} data-key={r.key}>
                <title>{r.describe ?? `${r.label}: ${r.valueText}`}</title>
                <text class="bar-label" x={L.labelWidth} y={y + L.rowHeight / 2} text-anchor="end" dominant-baseline="central">
                  {fitLabel(r.label, L.labelWidth - 6, measure)}
                </text>
                {segs}
                <text class="bar-value" x={x + 6} y={y + L.rowHeight / 2} dominant-baseline="central">
                  {r.valueText}
                </text>
              </g>
            );
          })}
          <line class="axis" x1={L.x0} x2={L.x0} y1={L.top - 4} y2={axisY} />
        </svg>
      </div>
    </figure>
  );
}

export interface SharePart {
  tone: Tone;
  label: string;
  value: number;
  /** "62,5%" */
  share: string;
}

/** One bar across the whole width split by share, each part named under it. */
export function ShareBar({ title, parts, testid }: { title: string; parts: SharePart[]; testid?: string }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const titleId = useId();
  const total = parts.reduce((s, p) => s + Math.max(0, p.value), 0);
  const w = Math.max(240, Math.floor(width));
  const h = 36;
  let x = 0;
  return (
    <figure class="chart share" data-testid={testid}>
      <figcaption id={titleId} class="chart-title">
        {title}
      </figcaption>
      <div class="chart-box" ref={ref}>
        <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-labelledby={titleId} aria-describedby={`${titleId}-desc`} class="chart-svg">
          <desc id={`${titleId}-desc`}>{parts.map((p) => `${p.label}: ${p.share}`).join('; ')}</desc>
          <rect class="share-track" x={0} y={0} width={w} height={h} rx={6} />
          {total > 0 &&
            parts.map((p) => {
              const pw = (Math.max(0, p.value) / total) * w;
              const rect = (
                <g key={p.tone}>
                  <rect class={`bar tone-${p.tone}`} x={x} y={0} width={pw} height={h} />
                  {pw > 70 && (
                    <text class="share-text" x={x + pw / 2} y={h / 2} text-anchor="middle" dominant-baseline="central">
                      {p.share}
                    </text>
                  )}
                </g>
              );
              x += pw;
              return rect;
            })}
        </svg>
      </div>
      <ul class="legend">
        {parts.map((p) => (
          <li key={p.tone}>
            <span class={`swatch tone-${p.tone}`} aria-hidden="true" />
            {p.label}: <strong>{p.share}</strong>
          </li>
        ))}
      </ul>
    </figure>
  );
}
