/**
 * Three charts as standalone SVG (pure, deterministic, no script): a histogram (bins on a linear
 * or logarithmic axis), time series with markers on the time axis (an instant or a span: a
 * fault, a phase), and grouped bars. Used by the `kvmesh bench --html` page (bench-page.ts) and
 * open to any other report: put the SVGs into a page with page.ts.
 */
import { CHART, PALETTE, PLOT, decades, frame, label, linear, logTicks, logarithmic, niceTicks, tickLabel } from './axes.js';
import type { Scale } from './axes.js';
import { num, xml } from './markup.js';
import { colors } from './style.js';

/** Something marked on the x axis: an instant (`at`), or a span (`at` to `until`). `fault` is drawn red, `note` grey. */
export interface Marker {
  readonly at: number;
  readonly until?: number;
  readonly label: string;
  readonly tone?: 'fault' | 'note';
}

/** Counts of values in `[from, to)`; `logX` when the bins grow geometrically (latencies). */
export interface HistogramChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly bins: readonly { readonly from: number; readonly to: number; readonly count: number }[];
  readonly logX?: boolean;
  readonly markers?: readonly Marker[];
}

/** Lines of `[x, y]` points (x ascending), markers on the x axis; a series without a colour takes the palette's next. */
export interface TimeSeriesChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly { readonly name: string; readonly points: readonly (readonly [number, number])[]; readonly color?: string }[];
  readonly markers?: readonly Marker[];
  /** The x axis spans exactly `[from, to]` (charts side by side share it; points outside are left out); by default, the points and markers. */
  readonly xRange?: readonly [number, number];
}

/** One group of bars per category, one bar per series in each group. */
export interface BarChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly categories: readonly string[];
  readonly series: readonly { readonly name: string; readonly values: readonly number[] }[];
}

const finite = (...xs: number[]): boolean => xs.every(Number.isFinite);
const none = (x: number, y: number): string => label(x, y, 'no data', ` text-anchor="middle" fill="${colors.forward}"`);

/** A y scale from 0 to a round value at or above `max`, with its ticks. */
function countAxis(max: number): { y: Scale; yTicks: { at: number; label: string }[] } {
  const ticks = niceTicks(0, max > 0 ? Math.min(max, Number.MAX_VALUE) : 1);
  const scale = linear(0, ticks[ticks.length - 1] ?? 1, PLOT.y1, PLOT.y0);
  const y = (v: number): number => Math.min(PLOT.y1, Math.max(PLOT.y0, scale(v)));
  return { y, yTicks: ticks.map((v) => ({ at: y(v), label: tickLabel(v) })) };
}

/** Rows of marker labels at most, and the width of a character of theirs (11 px sans-serif), about. */
const LABEL_ROWS = 5;
const CHAR_PX = 6.2;

/** The row of each label of `spans` (left and right ends, px): the first free from the top, in order of x, so that neighbours do not overlap. */
function labelRows(spans: readonly (readonly [number, number])[]): number[] {
  const ends: number[] = [];
  const rows = new Array<number>(spans.length).fill(0);
  const order = spans.map((_, i) => i).sort((a, b) => (spans[a]?.[0] ?? 0) - (spans[b]?.[0] ?? 0));
  for (const i of order) {
    const [left, right] = spans[i] as readonly [number, number];
    let row = ends.findIndex((end) => end + 4 <= left);
    if (row === -1) row = ends.length < LABEL_ROWS ? ends.length : ends.indexOf(Math.min(...ends));
    ends[row] = right;
    rows[i] = row;
  }
  return rows;
}

/** Vertical lines (or shaded spans) with their labels, in rows so that neighbours stay readable. */
function markerSvg(markers: readonly Marker[], x: Scale, lo: number, hi: number): string[] {
  const shown = markers.filter((m) => finite(m.at) && m.at >= lo && m.at <= hi);
  const placed = shown.map((m) => {
    const x0 = x(m.at);
    const anchor = x0 > (PLOT.x0 + PLOT.x1) / 2 ? 'end' : 'start';
    const width = m.label.length * CHAR_PX;
    return { m, x0, anchor, span: anchor === 'end' ? ([x0 - 3 - width, x0 - 3] as const) : ([x0 + 3, x0 + 3 + width] as const) };
  });
  const rows = labelRows(placed.map((p) => p.span));
  return placed.flatMap(({ m, x0, anchor }, i) => {
    const color = m.tone === 'fault' ? colors.loop : colors.forward;
    const span = m.until !== undefined && Number.isFinite(m.until) ? x(Math.min(hi, m.until)) - x0 : 0;
    const mark = span > 0 ? `<rect class="marker" x="${num(x0)}" y="${PLOT.y0}" width="${num(span)}" height="${PLOT.y1 - PLOT.y0}" fill="${color}" fill-opacity="0.12"/>` : `<line class="marker" x1="${num(x0)}" x2="${num(x0)}" y1="${PLOT.y0}" y2="${PLOT.y1}" stroke="${color}" stroke-dasharray="4 3"/>`;
    return [mark, label(x0 + (anchor === 'end' ? -3 : 3), PLOT.y0 + 12 + (rows[i] ?? 0) * 12, m.label, ` text-anchor="${anchor}" fill="${color}" stroke="#ffffff" stroke-width="3" paint-order="stroke"`)];
  });
}

/** A histogram: one bar per non-empty bin. */
export function histogramSvg(c: HistogramChart): string {
  const bins = c.bins.filter((b) => finite(b.from, b.to, b.count) && b.to > b.from && (c.logX !== true || b.from > 0));
  const base = { kind: 'histogram', title: c.title, xLabel: c.xLabel, yLabel: c.yLabel };
  if (bins.length === 0) return frame({ ...base, xTicks: [], yTicks: [], body: [none((PLOT.x0 + PLOT.x1) / 2, (PLOT.y0 + PLOT.y1) / 2)] });
  // The axis spans the bins and the markers.
  const marks = (c.markers ?? []).map((m) => m.at).filter((v) => Number.isFinite(v) && (c.logX !== true || v > 0));
  const from = Math.min(...bins.map((b) => b.from), ...marks);
  const to = Math.max(...bins.map((b) => b.to), ...marks);
  const [lo, hi] = c.logX === true ? decades(from, to) : [from, to];
  const x = c.logX === true ? logarithmic(lo, hi, PLOT.x0, PLOT.x1) : linear(lo, hi, PLOT.x0, PLOT.x1);
  const ticks = c.logX === true ? logTicks(lo, hi) : niceTicks(lo, hi).filter((v) => v >= lo && v <= hi);
  const { y, yTicks } = countAxis(Math.max(...bins.map((b) => b.count)));
  const bars = bins.filter((b) => b.count > 0).map((b) => `<rect class="bar" x="${num(x(b.from))}" y="${num(y(b.count))}" width="${num(Math.max(1, x(b.to) - x(b.from) - 1))}" height="${num(PLOT.y1 - y(b.count))}" fill="${PALETTE[0]}"><title>${xml(`${tickLabel(b.from)}–${tickLabel(b.to)}: ${b.count}`)}</title></rect>`);
  return frame({ ...base, xTicks: ticks.map((v) => ({ at: x(v), label: tickLabel(v) })), yTicks, body: [...bars, ...markerSvg(c.markers ?? [], x, lo, hi)] });
}

/** Time series: a line per series over a shared x axis, markers drawn over them. */
export function timeSeriesSvg(c: TimeSeriesChart): string {
  const range = c.xRange !== undefined && finite(...c.xRange) && c.xRange[1] > c.xRange[0] ? c.xRange : undefined;
  const inside = (px: number): boolean => range === undefined || (px >= range[0] && px <= range[1]);
  const series = c.series.map((s, i) => ({ name: s.name, color: s.color ?? PALETTE[i % PALETTE.length] ?? colors.node, points: s.points.filter(([px, py]) => finite(px, py) && inside(px)) }));
  const xs = series.flatMap((s) => s.points.map(([px]) => px));
  const base = { kind: 'series', title: c.title, xLabel: c.xLabel, yLabel: c.yLabel, legend: series };
  if (xs.length === 0) return frame({ ...base, xTicks: [], yTicks: [], body: [none((PLOT.x0 + PLOT.x1) / 2, (PLOT.y0 + PLOT.y1) / 2)] });
  const marks = (c.markers ?? []).flatMap((m) => [m.at, m.until ?? m.at]).filter(Number.isFinite);
  // A given range cuts the round ticks past it: ask for one more.
  const ticks = range === undefined ? niceTicks(Math.min(...xs, ...marks), Math.max(...xs, ...marks)) : niceTicks(range[0], range[1], 6).filter((v) => v >= range[0] && v <= range[1]);
  const lo = range?.[0] ?? ticks[0] ?? 0;
  const hi = range?.[1] ?? ticks[ticks.length - 1] ?? 1;
  const x = linear(lo, hi, PLOT.x0, PLOT.x1);
  const { y, yTicks } = countAxis(Math.max(...series.flatMap((s) => s.points.map(([, py]) => py))));
  const lines = series.map((s) => {
    const d = s.points.map(([px, py], i) => `${i === 0 ? 'M' : 'L'}${num(x(px))},${num(y(py))}`).join(' ');
    const dots = s.points.length === 1 ? s.points.map(([px, py]) => `<circle cx="${num(x(px))}" cy="${num(y(py))}" r="3" fill="${s.color}"/>`) : [];
    return [`<path class="line" d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"><title>${xml(s.name)}</title></path>`, ...dots].join('');
  });
  return frame({ ...base, xTicks: ticks.map((v) => ({ at: x(v), label: tickLabel(v) })), yTicks, body: [...lines, ...markerSvg(c.markers ?? [], x, lo, hi)] });
}

/** Grouped bars, each labelled with its value. */
export function barChartSvg(c: BarChart): string {
  const series = c.series.map((s, i) => ({ name: s.name, color: PALETTE[i % PALETTE.length] ?? colors.node, values: s.values }));
  const values = series.flatMap((s) => s.values.filter(Number.isFinite));
  const base = { kind: 'bars', title: c.title, xLabel: c.xLabel, yLabel: c.yLabel, legend: series };
  if (c.categories.length === 0 || values.length === 0) return frame({ ...base, xTicks: [], yTicks: [], body: [none((PLOT.x0 + PLOT.x1) / 2, (PLOT.y0 + PLOT.y1) / 2)] });
  // Headroom above the tallest bar for its value label.
  const { y, yTicks } = countAxis(Math.max(0, ...values) * 1.15);
  const group = (PLOT.x1 - PLOT.x0) / c.categories.length;
  const bar = Math.min(48, (group * 0.8) / Math.max(1, series.length));
  const body = c.categories.flatMap((_, ci) => {
    const left = PLOT.x0 + ci * group + (group - bar * series.length) / 2;
    return series.flatMap((s, si) => {
      const v = s.values[ci];
      if (v === undefined || !Number.isFinite(v)) return [];
      const top = y(Math.max(0, v));
      return [`<rect class="bar" x="${num(left + si * bar)}" y="${num(top)}" width="${num(bar - 2)}" height="${num(PLOT.y1 - top)}" fill="${s.color}"><title>${xml(`${s.name}: ${tickLabel(v)}`)}</title></rect>`, label(left + si * bar + bar / 2 - 1, top - 3, tickLabel(v), ' text-anchor="middle" font-size="10"')];
    });
  });
  // Long category names are cut to what fits under their group.
  const fit = Math.max(4, Math.floor(group / 6));
  const xTicks = c.categories.map((name, ci) => ({ at: PLOT.x0 + (ci + 0.5) * group, label: name.length > fit ? `${name.slice(0, fit - 1)}…` : name }));
  return frame({ ...base, xTicks, yTicks, body });
}

/** The size of each chart, for a page laying them out. */
export const CHART_SIZE = { width: CHART.width, height: CHART.height } as const;
