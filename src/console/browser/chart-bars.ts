// Horizontal bar charts as inline SVG (no chart library: the page loads nothing from elsewhere).
// Each bar is a <g> carrying its label and exact value as data-* attributes, for a reader's tools
// and the browser tests; its label and figure are SVG text, so a screen reader reads them too.

import { el, svg } from './dom.js';

export type Bar = {
  label: string;
  value: number;
  /** What the bar's end says; default: the value. */
  display?: string;
  tone?: 'accent' | 'good' | 'bad' | 'warn' | 'muted';
  /** More data-* attributes of the bar (e.g. a funnel step's paid-after count). */
  data?: Record<string, string | number>;
};

const WIDTH = 320;
const ROW = 34;
/** A chart of one bar per row, its label above it on the left and its figure on the right; `max` fixes the scale (1 for shares). */
export const barChart = (o: { title: string; testid: string; bars: Bar[]; max?: number; empty?: string }): Element => {
  if (o.bars.length === 0) return el('p', { class: 'muted', 'data-testid': o.testid }, o.empty ?? 'Nothing in this window.');
  const max = o.max ?? Math.max(1, ...o.bars.map((b) => b.value));
  return svg('svg', {
    class: 'chart bars', viewBox: `0 0 ${WIDTH} ${o.bars.length * ROW + 2}`, role: 'img', 'aria-label': o.title, 'data-testid': o.testid,
  },
  svg('title', {}, o.title),
  ...o.bars.map((b, i) => {
    const y = i * ROW;
    const w = b.value > 0 ? Math.max(2, Math.round((Math.min(b.value, max) / max) * WIDTH)) : 0;
    const data = Object.fromEntries(Object.entries(b.data ?? {}).map(([k, v]) => [`data-${k}`, v]));
    return svg('g', { class: `bar ${b.tone ?? 'accent'}`, 'data-label': b.label, 'data-value': b.value, ...data },
      svg('text', { x: 0, y: y + 11, class: 'bar-label' }, b.label),
      svg('rect', { x: 0, y: y + 15, width: WIDTH, height: 14, rx: 2, class: 'bar-track' }),
      svg('rect', { x: 0, y: y + 15, width: w, height: 14, rx: 2, class: 'bar-fill' }),
      svg('text', { x: WIDTH, y: y + 11, 'text-anchor': 'end', class: 'bar-value' }, b.display ?? String(b.value)));
  }));
};

/** A share as a percentage with at most one decimal: 0.66667 → "66.7%". */
export const percent = (share: number | null): string => (share === null ? '—' : `${Math.round(share * 1000) / 10}%`);
