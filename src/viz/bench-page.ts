/**
 * The page of `kvmesh bench --html FILE`, from the document `--json` writes: what ran and where,
 * the figures of every scenario as a table and its hops and messages per op, then for each
 * scenario its latency histogram, its ops/s over the counted run and each node's load. Pure:
 * the charts are charts.ts, the page page.ts.
 */
import { barChartSvg, histogramSvg, timeSeriesSvg } from './charts.js';
import { short } from './markup.js';
import { htmlPage } from './page.js';
import type { PageSection } from './page.js';

/** What the page reads of a scenario (src/loadgen/report.ts's ScenarioFigures has it all). */
export interface BenchScenario {
  readonly scenario: string;
  readonly batch: number;
  readonly ops: number;
  readonly seconds: number;
  readonly opsPerSec: number;
  readonly latency: { readonly p50Us: number; readonly p99Us: number; readonly p999Us: number; readonly maxUs: number };
  readonly messagesPerOp: number;
  readonly hopsPerOp: number;
  readonly errors: number;
  readonly firstError: string | null;
  readonly latencyBins: { readonly edgesUs: readonly number[]; readonly counts: readonly number[] };
  readonly throughput: { readonly intervalMs: number; readonly opsPerSec: readonly number[] };
  readonly perNode: readonly { readonly node: string; readonly requests: number; readonly forwarded: number }[];
}

/** What the page reads of a bench document (src/loadgen/report.ts's BenchDocument). */
export interface BenchReport {
  readonly kvmesh: string;
  readonly startedAt: string;
  readonly options: { readonly workload: string; readonly inflight: number; readonly durationS: number; readonly warmupS: number; readonly batch: number; readonly clients: number; readonly keys: number; readonly config: string | null };
  readonly machine: { readonly cpu: string; readonly cores: number; readonly memoryGiB: number; readonly node: string; readonly platform: string; readonly loadavg: readonly number[] };
  readonly nodes: readonly string[];
  readonly scenarios: readonly BenchScenario[];
}

/** The charts of one scenario. */
function scenarioSection(s: BenchScenario): PageSection {
  const { edgesUs, counts } = s.latencyBins;
  const bins = counts.map((count, i) => ({ from: edgesUs[i] ?? NaN, to: edgesUs[i + 1] ?? NaN, count }));
  const percentiles = [
    { at: s.latency.p50Us, label: `p50 ${short(s.latency.p50Us)} µs` },
    { at: s.latency.p99Us, label: `p99 ${short(s.latency.p99Us)} µs` },
    { at: s.latency.p999Us, label: `p99.9 ${short(s.latency.p999Us)} µs` },
  ];
  const step = s.throughput.intervalMs / 1000;
  const points = s.throughput.opsPerSec.map((v, i): [number, number] => [(i + 0.5) * step, v]);
  const perSecond = (n: number): number => (s.seconds > 0 ? n / s.seconds : NaN);
  const call = s.batch > 1 ? `a call is a batch of ${s.batch} ops` : 'a call is one op';
  return {
    heading: s.scenario,
    text: [`${short(s.opsPerSec)} ops/s over ${s.seconds} s (${s.ops} ops); ${call}; ${s.errors} error${s.errors === 1 ? '' : 's'}${s.firstError === null ? '' : ` (first: ${s.firstError})`}.`],
    charts: [
      histogramSvg({ title: `latency per call: ${s.scenario}`, xLabel: 'latency per call (µs, log scale)', yLabel: 'calls', bins, logX: true, markers: percentiles }),
      timeSeriesSvg({ title: `ops/s over the counted run: ${s.scenario}`, xLabel: 'seconds since counting started', yLabel: 'ops/s', series: [{ name: 'ops/s', points }] }),
      barChartSvg({
        title: `load per node: ${s.scenario}`,
        xLabel: 'node',
        yLabel: 'per second',
        categories: s.perNode.map((n) => n.node),
        series: [
          { name: 'requests/s', values: s.perNode.map((n) => perSecond(n.requests)) },
          { name: 'forwards/s', values: s.perNode.map((n) => perSecond(n.forwarded)) },
        ],
      }),
    ],
  };
}

/** The whole page. */
export function benchPage(doc: BenchReport): string {
  const { options: o, machine: m, scenarios } = doc;
  const facts: [string, string][] = [
    ['started', doc.startedAt],
    ['kvmesh', doc.kvmesh],
    ['machine', `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; Node ${m.node} on ${m.platform}; load average ${m.loadavg.join(' ')}`],
    ['nodes', doc.nodes.join(', ')],
    ['config', o.config ?? '(built-in default)'],
    ['load', `${o.workload}, ${o.inflight} in flight, ${o.keys} keys per bucket${o.clients > 0 ? `, ${o.clients} client threads` : ', from the main thread'}`],
    ['each scenario', `${o.warmupS > 0 ? `${o.warmupS} s warm-up (not counted), then ` : ''}${o.durationS} s counted`],
  ];
  const table = {
    head: ['scenario', 'ops/s', 'p50 µs', 'p99 µs', 'p99.9 µs', 'max µs', 'msgs/op', 'hops/op', 'errors'],
    rows: scenarios.map((s) => [s.scenario, short(s.opsPerSec), short(s.latency.p50Us), short(s.latency.p99Us), short(s.latency.p999Us), short(s.latency.maxUs), short(s.messagesPerOp), short(s.hopsPerOp), String(s.errors)]),
  };
  const names = scenarios.map((s) => (s.batch > 1 ? `batches of ${s.batch}` : 'single ops'));
  const perOp = barChartSvg({
    title: 'hops and messages per op',
    xLabel: 'scenario',
    yLabel: 'per op',
    categories: names,
    series: [
      { name: 'hops/op', values: scenarios.map((s) => s.hopsPerOp) },
      { name: 'messages/op', values: scenarios.map((s) => s.messagesPerOp) },
    ],
  });
  const overview: PageSection = { heading: 'scenarios', text: ['Latency is per call (one op, or one batch); hops are forwards between nodes.'], table, charts: [perOp] };
  return htmlPage({ title: `kvmesh bench, ${doc.startedAt}`, facts, sections: [overview, ...scenarios.map(scenarioSection)] });
}
