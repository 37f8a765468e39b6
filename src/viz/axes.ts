/**
 * The frame every chart of charts.ts draws in: scales (linear, or logarithmic for latencies),
 * round tick values, and the SVG around a plot (title, axes, ticks, grid, labels, legend).
 * Pure arithmetic and strings; attributes only, so a chart renders offline anywhere.
 */
import { num, short, xml } from './markup.js';
import { colors } from './style.js';

/** The size of every chart and the room around its plot. */
export const CHART = { width: 640, height: 300, left: 64, right: 20, top: 44, bottom: 52 } as const;
/** The plot area inside the frame. */
export const PLOT = { x0: CHART.left, x1: CHART.width - CHART.right, y0: CHART.top, y1: CHART.height - CHART.bottom } as const;

const LEGEND_Y = 36;

/** The colours of successive series. */
export const PALETTE = ['#2563eb', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#be123c'] as const;

/** Maps a value of the data to a position on screen. */
export type Scale = (v: number) => number;

/** `[d0, d1]` onto `[r0, r1]`, linearly (a flat domain maps to the middle). */
export function linear(d0: number, d1: number, r0: number, r1: number): Scale {
  if (d1 === d0) return () => (r0 + r1) / 2;
  // Scaled first, so that a domain near the ends of the doubles does not overflow.
  const k = Math.max(Math.abs(d0), Math.abs(d1));
  return (v) => r0 + ((v / k - d0 / k) / (d1 / k - d0 / k)) * (r1 - r0);
}

/** `[d0, d1]` (both above 0) onto `[r0, r1]`, by their logarithms. */
export function logarithmic(d0: number, d1: number, r0: number, r1: number): Scale {
  const l = linear(Math.log10(d0), Math.log10(d1), r0, r1);
  return (v) => l(Math.log10(v));
}

/** About `count` round values (steps of 1, 2 or 5 × 10ⁿ) from at most `min` to at least `max`. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max <= min) return max === 0 ? [0, 1] : niceTicks(Math.min(0, max), Math.max(0, max), count);
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const first = Math.floor(min / step);
  const n = Math.ceil(max / step) - first + 1;
  const ticks = n <= 50 ? Array.from({ length: n }, (_, i) => Number(((first + i) * step).toPrecision(12))) : [];
  // Past what doubles resolve (a span of 1e-6 at 1e9, a span past 1e308): the ends alone.
  return ticks.length >= 2 && ticks.every((v, i) => Number.isFinite(v) && (i === 0 || v > (ticks[i - 1] ?? v))) && (ticks[0] ?? NaN) <= min && (ticks[n - 1] ?? NaN) >= max ? ticks : [min, max];
}

/** The whole decades around `[min, max]` (both above 0): a log axis spans `[10^lo, 10^hi]`. */
export function decades(min: number, max: number): [number, number] {
  const lo = Math.max(-300, Math.floor(Math.log10(min)));
  return [10 ** lo, 10 ** Math.min(300, Math.max(lo + 1, Math.ceil(Math.log10(max))))];
}

/** Ticks of a log axis over whole decades `[from, to]`: each power of ten, and 2× and 5× when it spans two decades or less. */
export function logTicks(from: number, to: number): number[] {
  const lo = Math.round(Math.log10(from));
  const hi = Math.round(Math.log10(to));
  const steps = hi - lo <= 2 ? [1, 2, 5] : [1];
  // At most about 12 labels: every k-th decade over a wide range.
  const every = Math.max(1, Math.ceil((hi - lo) / 12));
  const ticks: number[] = [];
  for (let e = lo; e < hi; e += every) for (const m of steps) ticks.push(Number((m * 10 ** e).toPrecision(12)));
  return [...ticks, 10 ** hi];
}

/** What a chart draws inside its frame. */
export interface Frame {
  /** `histogram`, `series` or `bars`: the page and its tests find charts by it. */
  readonly kind: string;
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Tick positions (already scaled) and their labels. */
  readonly xTicks: readonly { readonly at: number; readonly label: string }[];
  readonly yTicks: readonly { readonly at: number; readonly label: string }[];
  /** SVG elements of the plot itself. */
  readonly body: readonly string[];
  /** Names and colours of the series, shown top right when there are several. */
  readonly legend?: readonly { readonly name: string; readonly color: string }[];
}

/** Text at a point, escaped. */
export function label(x: number, y: number, s: string, attrs = ''): string {
  return `<text x="${num(x)}" y="${num(y)}"${attrs}>${xml(s)}</text>`;
}

/** A tick label for `v`. */
export const tickLabel = short;

/** One chart as a standalone SVG element (class `chart`, `data-chart` its kind). */
export function frame(f: Frame): string {
  const { width, height } = CHART;
  const grid = f.yTicks.map((t) => `<line x1="${PLOT.x0}" x2="${PLOT.x1}" y1="${num(t.at)}" y2="${num(t.at)}" stroke="#e2e8f0"/>`);
  const yTicks = f.yTicks.map((t) => label(PLOT.x0 - 6, t.at + 4, t.label, ' text-anchor="end"'));
  const xTicks = f.xTicks.flatMap((t) => [`<line x1="${num(t.at)}" x2="${num(t.at)}" y1="${PLOT.y1}" y2="${PLOT.y1 + 4}" stroke="${colors.forward}"/>`, label(t.at, PLOT.y1 + 16, t.label, ' text-anchor="middle"')]);
  const items = f.legend ?? [];
  // One row under the title, right-aligned, 120 px an entry.
  const legend =
    items.length < 2
      ? []
      : items.flatMap((l, i) => {
          const x = PLOT.x1 - (items.length - i) * 120;
          return [`<rect x="${x}" y="${LEGEND_Y - 9}" width="10" height="10" fill="${l.color}"/>`, label(x + 14, LEGEND_Y, l.name)];
        });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="${xml(f.kind)}" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11" fill="${colors.node}">`,
    `<title>${xml(f.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    label(PLOT.x0, 20, f.title, ' font-size="13" font-weight="bold"'),
    ...grid,
    `<g class="plot">`,
    ...f.body,
    '</g>',
    `<path d="M${PLOT.x0},${PLOT.y0} V${PLOT.y1} H${PLOT.x1}" fill="none" stroke="${colors.forward}"/>`,
    ...yTicks,
    ...xTicks,
    ...legend,
    label((PLOT.x0 + PLOT.x1) / 2, height - 10, f.xLabel, ' text-anchor="middle"'),
    label(14, (PLOT.y0 + PLOT.y1) / 2, f.yLabel, ` text-anchor="middle" transform="rotate(-90 14 ${num((PLOT.y0 + PLOT.y1) / 2)})"`),
    '</svg>',
  ].join('\n');
}
