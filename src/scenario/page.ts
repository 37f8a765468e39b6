/**
 * The page of `kvmesh sim SCENARIO --html FILE`, from the report `--json` writes: what ran and
 * how (seed, host, trace, the replay command), each check's verdict, then the run over time:
 * requests/s by outcome and latency p50/p99 with every fault marked on the time axis (a span
 * while a partition or a link's settings last, an instant for a kill or a pause) and node
 * deaths and restarts as notes; the faults as a table, requests by outcome, latency per op and
 * its distribution, and each node's load. Pure: the charts are src/viz/charts.ts, the page src/viz/page.ts.
 */
import { PALETTE } from '../viz/axes.js';
import { barChartSvg, histogramSvg, timeSeriesSvg } from '../viz/charts.js';
import type { Marker } from '../viz/charts.js';
import { short } from '../viz/markup.js';
import { htmlPage } from '../viz/page.js';
import type { PageSection } from '../viz/page.js';
import type { ScenarioReport } from './report.js';
import type { CheckName } from './spec.js';

/** What the page reads of a check's result. */
export interface SimCheck {
  readonly verdict: string;
  readonly summary: string;
}

/** What the page reads of a scenario report: the report itself, of whose checks only the verdict and summary. */
export type SimReport = Omit<ScenarioReport, 'checks' | 'other' | 'messagesPerOp'> & { readonly checks: Partial<Readonly<Record<CheckName, SimCheck>>> };

/** A span narrower than this share of the run is drawn as an instant. */
const THIN = 1 / 200;
/** Marker labels are cut to this many characters (the faults table has them whole). */
const LABEL = 36;

const cut = (s: string): string => (s.length > LABEL ? `${s.slice(0, LABEL - 1)}…` : s);
const fixed = (x: number, digits = 3): string => (Number.isFinite(x) ? String(Number(x.toFixed(digits))) : 'n/a');
/** Ms since the workload started (a time the report rounded to just before it counts as its start). */
const since = (r: SimReport, t: number): number => Math.max(0, t - r.start);

/** Every fault (red) and node death or restart (grey), at ms since the workload started. */
export function simMarkers(r: SimReport): Marker[] {
  const thin = Math.max(0, r.end - r.start) * THIN;
  const faults = r.faults.map((f): Marker => {
    const label = cut(`${f.what}${f.error === undefined ? '' : ' (failed)'}`);
    return { at: since(r, f.at), ...(f.until - f.at >= thin && f.until > f.at ? { until: since(r, f.until) } : {}), label, tone: 'fault' };
  });
  const nodes = r.nodeEvents.map((e): Marker => ({ at: since(r, e.t), label: `${e.node} ${e.event}`, tone: 'note' }));
  return [...faults, ...nodes];
}

/** Requests/s and latency over the run (each bin at its start), the faults marked on both. */
function overTimeCharts(r: SimReport, xLabel: string): string[] {
  const o = r.overTime;
  const markers = simMarkers(r);
  // Both charts span the run: the last bin starts before its end.
  const xRange = [0, Math.max(since(r, r.end), (o.ok.length - 1) * o.binMs)] as const;
  const rate = (counts: readonly number[]): [number, number][] => counts.map((n, i) => [i * o.binMs, n / (o.binMs / 1000)]);
  const errors = [
    { name: 'failed', counts: o.failed, color: PALETTE[3] },
    { name: 'timed out / unknown', counts: o.info, color: PALETTE[5] },
    { name: 'no bucket', counts: o.noBucket, color: PALETTE[2] },
  ].filter((s) => s.counts.some((n) => n > 0));
  const points = (qs: readonly (number | null)[]): [number, number][] => qs.flatMap((q, i): [number, number][] => (q === null ? [] : [[i * o.binMs, q]]));
  return [
    timeSeriesSvg({ title: `requests/s by outcome (bins of ${short(o.binMs)} ms, by completion)`, xLabel, yLabel: 'requests/s', series: [{ name: 'ok', points: rate(o.ok), color: PALETTE[0] }, ...errors.map((s) => ({ name: s.name, points: rate(s.counts), color: s.color }))], markers, xRange }),
    timeSeriesSvg({
      title: `latency (bins of ${short(o.binMs)} ms, by invocation)`,
      xLabel,
      yLabel: 'ms',
      series: [
        { name: 'p50', points: points(o.p50Ms), color: PALETTE[0] },
        { name: 'p99', points: points(o.p99Ms), color: PALETTE[3] },
      ],
      markers,
      xRange,
    }),
  ];
}

/** The tables and charts below the facts. */
function sections(r: SimReport, unit: string): PageSection[] {
  const names = ['durability', 'linearizable', 'single-owner'] as const;
  const checks = names.flatMap((n) => {
    const c = r.checks[n];
    return c === undefined ? [] : [[n, c.verdict === 'ok' ? 'ok' : c.verdict.toUpperCase(), c.summary]];
  });
  const around = Object.entries(r.around).flatMap(([n, ops]) => (ops.length === 0 ? [] : [`${n}: the operations on the key of its first finding`, ...ops]));
  const events = [
    ...r.faults.map((f) => ({ t: f.at, row: [fixed(since(r, f.at), 2), f.until > f.at ? fixed(since(r, f.until), 2) : '', f.what, f.error === undefined ? 'ok' : `FAILED: ${f.error}`] })),
    ...r.nodeEvents.map((e) => ({ t: e.t, row: [fixed(since(r, e.t), 2), '', `node ${e.node} ${e.event}`, e.reason ?? ''] })),
  ].sort((a, b) => a.t - b.t);
  const ops = Object.keys(r.requests.byOp);
  const outcomes = Object.keys(r.requests.byOutcome).sort((a, b) => (a === 'ok' ? -1 : b === 'ok' ? 1 : (r.requests.byOutcome[b] ?? 0) - (r.requests.byOutcome[a] ?? 0)));
  const { edgesMs, counts } = r.latencyBins;
  const bins = counts.map((count, i) => ({ from: edgesMs[i] ?? NaN, to: edgesMs[i + 1] ?? NaN, count }));
  const load = Object.entries(r.load);
  return [
    { heading: 'checks', table: { head: ['check', 'verdict', 'summary'], rows: checks } },
    ...(around.length === 0 ? [] : [{ heading: 'around the findings', text: around }]),
    { heading: 'over time', text: [`Time is ${unit} since the workload started. Red: faults (shaded while they last); grey: nodes going down and up.`], charts: overTimeCharts(r, `${unit} since the workload started`) },
    { heading: 'faults and nodes', table: { head: [`at (${unit} since the start)`, 'until', 'what', 'result'], rows: events.map((e) => e.row) } },
    {
      heading: 'requests by outcome',
      text: [`${r.requests.total} requests of the workload (the first creates and the final reads not counted).`],
      table: { head: ['outcome', 'requests', ...ops], rows: outcomes.map((o) => [o, String(r.requests.byOutcome[o] ?? 0), ...ops.map((op) => String(r.requests.byOp[op]?.byOutcome[o] ?? 0))]) },
    },
    {
      heading: 'latency per op',
      table: { head: ['op', 'requests', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'hops/op'], rows: ops.map((op) => [op, String(r.requests.byOp[op]?.total ?? 0), ...(['p50', 'p90', 'p99', 'max'] as const).map((q) => fixed(r.latencyMs[op]?.[q] ?? NaN)), fixed(r.hopsPerOp[op] ?? NaN)]) },
      charts: bins.length === 0 ? [] : [histogramSvg({ title: 'latency of the requests', xLabel: `latency (${unit}, log scale)`, yLabel: 'requests', bins, logX: true })],
    },
    {
      heading: 'load per node',
      text: ['Requests of every phase that entered at, were owned by, and were forwarded by each node.'],
      charts: [
        barChartSvg({
          title: 'load per node',
          xLabel: 'node',
          yLabel: 'requests',
          categories: load.map(([n]) => n),
          series: (['entered', 'owned', 'forwarded'] as const).map((k) => ({ name: k, values: load.map(([, l]) => l[k]) })),
        }),
      ],
    },
  ];
}

/** The whole page. */
export function simPage(r: SimReport): string {
  const title = r.scenario.name ?? r.scenario.file ?? 'scenario';
  const unit = r.host === 'sim' ? 'virtual ms' : 'ms';
  const verdict = r.verdict === 'ok' ? 'ok, every check holds' : r.verdict === 'unknown' ? 'unknown (a check ran out of budget)' : `FAILED (${r.failed.join(', ')})`;
  const facts: [string, string][] = [
    ['scenario', title],
    ...(r.scenario.description === null ? [] : [['description', r.scenario.description] as [string, string]]),
    ['file', r.scenario.file ?? '(a scenario given as an object)'],
    ['seed', String(r.seed)],
    ['host', r.host === 'sim' ? 'the simulation (virtual time)' : 'worker threads (real time)'],
    ['deterministic', r.deterministic ? 'yes: the same file and seed replay the same run' : 'no (real time replays nothing)'],
    ['trace hash', r.traceHash ?? 'none'],
    ['workload', `${fixed(r.durationMs)} ${unit} from t=${fixed(r.start)}; the run (with its final reads) ended at t=${fixed(r.end)}`],
    ['cluster', `${r.nodes.length} nodes (${r.nodes.join(', ')}), ${r.buckets.length} buckets × ${r.keysPerBucket} keys`],
    ['wall time', `${short(r.wallMs)} ms, checked in ${short(r.checkMs)} ms`],
    ['verdict', verdict],
    ['replay', r.replay ?? '(none: a scenario given as an object)'],
    ['kvmesh', r.kvmesh],
  ];
  return htmlPage({ title: `kvmesh sim: ${title}`, facts, sections: sections(r, unit) });
}
