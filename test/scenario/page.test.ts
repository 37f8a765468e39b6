/**
 * The page of `kvmesh sim --html` (src/scenario/page.ts), from a scenario report: its facts and
 * tables, each fault a marker at its place on both time charts (a span while it lasts, a kill
 * an instant), node deaths and restarts as notes, escaped names, and for any report, however
 * odd its numbers, well-formed SVG with no NaN.
 */
import test from 'ava';
import fc from 'fast-check';
import { PLOT } from '../../src/viz/axes.js';
import { simMarkers, simPage } from '../../src/scenario/page.js';
import type { SimReport } from '../../src/scenario/page.js';
import { xmlProblems } from '../viz/xml.js';

const bins = (f: (i: number) => number): number[] => Array.from({ length: 100 }, (_, i) => f(i));

const report: SimReport = {
  kvmesh: '0.1.0',
  scenario: { file: 'scenarios/<pair>.json', name: 'the pair & "its" partition', description: 'foo and bar, cut apart' },
  seed: 7,
  host: 'sim',
  deterministic: true,
  traceHash: '1d14aa536713d182',
  durationMs: 1000,
  start: 0.05,
  end: 1000.05,
  wallMs: 373.25,
  checkMs: 96.7,
  nodes: ['foo', 'bar'],
  buckets: ['a0', 'n0'],
  keysPerBucket: 2,
  requests: { total: 100, byOutcome: { ok: 80, KV_ERR_TIMEOUT: 20 }, byOp: { get: { total: 60, byOutcome: { ok: 50, KV_ERR_TIMEOUT: 10 } }, put: { total: 40, byOutcome: { ok: 30, KV_ERR_TIMEOUT: 10 } } } },
  latencyMs: { get: { p50: 0.047, p90: 500, p99: 500, max: 500 }, put: { p50: 0.031, p90: 500, p99: 500, max: NaN } },
  hopsPerOp: { get: 0.5, put: 0.45 },
  overTime: {
    binMs: 10,
    ok: bins((i) => (i >= 30 && i < 60 ? 0 : 1)),
    failed: bins(() => 0),
    info: bins((i) => (i >= 80 && i < 90 ? 2 : 0)),
    noBucket: bins(() => 0),
    p50Ms: bins((i) => (i % 7 === 0 ? NaN : 0.05)).map((v) => (Number.isNaN(v) ? null : v)),
    p99Ms: bins((i) => (i >= 30 && i < 60 ? 500 : 0.05)),
  },
  latencyBins: { edgesMs: [0.02512, 0.03162, 0.03981, 0.05012], counts: [30, 0, 50] },
  load: { foo: { entered: 50, owned: 60, forwarded: 20 }, bar: { entered: 50, owned: 40, forwarded: 25 } },
  faults: [
    { index: 0, atMs: 300, what: 'partition foo | bar', at: 300.05, done: 300.05, until: 600.05 },
    { index: 1, atMs: 450, what: 'kill <bar>', at: 450.05, done: 450.07, until: 450.05 },
    { index: 2, atMs: 600, what: 'heal', at: 600.05, done: 600.05, until: 600.05 },
    { index: 3, atMs: 700, what: 'setRoutingTable foo [a-z → bar]', at: 700.05, done: 700.06, until: 700.06, error: 'refused: a loop' },
  ],
  nodeEvents: [
    { t: 450.06, node: 'bar', event: 'down', reason: 'killed by cluster.kill' },
    { t: 452.05, node: 'bar', event: 'up' },
  ],
  checks: { durability: { verdict: 'violation', summary: '2 of 34 acknowledged writes lost <here>' }, linearizable: { verdict: 'unknown', summary: 'out of budget' }, 'single-owner': { verdict: 'ok', summary: '2 buckets, each on one node' } },
  around: { durability: ['#40 put a0/k0 = v38 via bar [1938.5, 1938.6] ok'] },
  verdict: 'violation',
  failed: ['durability'],
  replay: 'kvmesh sim scenarios/<pair>.json --seed 7',
};

const svgs = (page: string): string[] => [...page.matchAll(/<svg [\s\S]*?<\/svg>/g)].map((m) => m[0]);
const attr = (svg: string, element: string, name: string): number[] => [...svg.matchAll(new RegExp(`<${element} class="marker"[^>]*? ${name}="([-\\d.]+)"`, 'g'))].map((m) => Number(m[1]));
/** Where ms `v` since the start is drawn on the time charts: their axis spans the run, 0 to 1000 ms. */
const xAt = (v: number): number => Math.round((PLOT.x0 + (v / 1000) * (PLOT.x1 - PLOT.x0)) * 10) / 10;

test('the facts: what ran, how, its verdict and the replay, escaped', (t) => {
  const page = simPage(report);
  t.true(page.startsWith('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>kvmesh sim: the pair &#38; &#34;its&#34; partition</title>'));
  for (const [k, v] of [
    ['file', 'scenarios/&#60;pair&#62;.json'],
    ['seed', '7'],
    ['host', 'the simulation (virtual time)'],
    ['deterministic', 'yes: the same file and seed replay the same run'],
    ['trace hash', '1d14aa536713d182'],
    ['workload', '1000 virtual ms from t=0.05; the run (with its final reads) ended at t=1000.05'],
    ['wall time', '373 ms, checked in 96.7 ms'],
    ['verdict', 'FAILED (durability)'],
    ['replay', 'kvmesh sim scenarios/&#60;pair&#62;.json --seed 7'],
  ])
    t.true(page.includes(`<dt>${k}</dt><dd>${v}</dd>`), k);
  t.false(/<script|<link|<img|<iframe|\ssrc=|\shref=|url\(|@import/i.test(page));
  t.false(page.includes('<pair>') || page.includes('<bar>') || page.includes('<here>'));
  const threads = simPage({ ...report, host: 'threads', deterministic: false, traceHash: null, replay: null, verdict: 'ok', failed: [] });
  t.true(threads.includes('<dt>deterministic</dt><dd>no (real time replays nothing)</dd>') && threads.includes('<dt>trace hash</dt><dd>none</dd>') && threads.includes('<dt>verdict</dt><dd>ok, every check holds</dd>'));
  t.true(threads.includes('<dt>workload</dt><dd>1000 ms from t=0.05'));
});

test('the tables: checks, faults and nodes in time order, requests by outcome and op, latency per op', (t) => {
  const page = simPage(report);
  t.deepEqual(
    [...page.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1]),
    ['checks', 'around the findings', 'over time', 'faults and nodes', 'requests by outcome', 'latency per op', 'load per node'],
  );
  const rows = (heading: string): string[] => {
    const part = page.slice(page.indexOf(`<h2>${heading}</h2>`));
    return [...(/<table>\n([^]*?)\n<\/table>/.exec(part)?.[1] ?? '').matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => (m[1] ?? '').replace(/<t[hd][^>]*>/g, '|').replace(/<\/t[hd]>/g, ''));
  };
  t.deepEqual(rows('checks'), ['|check|verdict|summary', '|durability|VIOLATION|2 of 34 acknowledged writes lost &#60;here&#62;', '|linearizable|UNKNOWN|out of budget', '|single-owner|ok|2 buckets, each on one node']);
  t.true(page.includes('<p>durability: the operations on the key of its first finding</p>\n<p>#40 put a0/k0 = v38 via bar [1938.5, 1938.6] ok</p>'));
  t.deepEqual(rows('faults and nodes'), [
    '|at (virtual ms since the start)|until|what|result',
    '|300|600|partition foo | bar|ok',
    '|450||kill &#60;bar&#62;|ok',
    '|450.01||node bar down|killed by cluster.kill',
    '|452||node bar up|',
    '|600||heal|ok',
    '|700|700.01|setRoutingTable foo [a-z → bar]|FAILED: refused: a loop',
  ]);
  t.deepEqual(rows('requests by outcome'), ['|outcome|requests|get|put', '|ok|80|50|30', '|KV_ERR_TIMEOUT|20|10|10']);
  t.deepEqual(rows('latency per op'), ['|op|requests|p50 ms|p90 ms|p99 ms|max ms|hops/op', '|get|60|0.047|500|500|500|0.5', '|put|40|0.031|500|500|n/a|0.45']);
});

test('the charts: requests/s and latency over time with every fault and node event on the time axis, the histogram, the load', (t) => {
  const charts = svgs(simPage(report));
  t.deepEqual(
    charts.map((s) => /data-chart="(\w+)"/.exec(s)?.[1]),
    ['series', 'series', 'histogram', 'bars'],
  );
  for (const s of charts) t.deepEqual(xmlProblems(s), []);
  const [rate, latency, histogram, load] = charts as [string, string, string, string];
  for (const svg of [rate, latency]) {
    // The partition a span from 300 to 600; the kill, the heal and the node events instants; the failed table a short span drawn as an instant.
    t.deepEqual(attr(svg, 'rect', 'x'), [xAt(300)]);
    t.deepEqual(attr(svg, 'rect', 'width'), [Math.round((xAt(600) - xAt(300)) * 10) / 10]);
    t.deepEqual(attr(svg, 'line', 'x1'), [xAt(450), xAt(600), xAt(700), xAt(450.01), xAt(452)]);
    t.is([...svg.matchAll(/<[a-z]+ class="marker"[^>]*#dc2626/g)].length, 4, 'the faults in red');
    for (const l of ['partition foo | bar', 'kill &#60;bar&#62;', 'heal', 'setRoutingTable foo [a-z → bar] (fa…', 'bar down', 'bar up']) t.true(svg.includes(`>${l}`), l);
  }
  t.true(rate.includes('>ok</title>') && rate.includes('>timed out / unknown</title>') && !rate.includes('>no bucket</title>'), 'only the error classes that happened');
  t.regex(rate, /<path class="line" d="M64,[\d.]+ L[\d.]+/);
  t.true(latency.includes('>p50</title>') && latency.includes('>p99</title>'));
  t.is([...histogram.matchAll(/<rect class="bar"/g)].length, 2, 'the non-empty bins');
  t.true(load.includes('<title>entered: 50</title>') && load.includes('<title>owned: 60</title>') && load.includes('<title>forwarded: 25</title>'));
});

test('markers: spans shorter than 1/200 of the run drawn as instants, times rounded before the start at 0, long labels cut', (t) => {
  const faults = [
    { index: 4, atMs: 0, what: 'link foo → bar delayMs=3 jitterMs=1 drop=0.05 duplicate=0.1', at: 0.0495, done: 0.0495, until: 1000.0495 },
    { index: 5, atMs: 5, what: 'setRoutingTable bar [a-z → bar]', at: 5.05, done: 5.06, until: 10.05 },
    { index: 6, atMs: 9, what: 'setRoutingTable foo [a-z → bar]', at: 9.05, done: 9.06, until: 9.06 },
  ];
  t.deepEqual(simMarkers({ ...report, faults, nodeEvents: [] }), [
    { at: 0, until: 1000.0495 - 0.05, label: 'link foo → bar delayMs=3 jitterMs=1…', tone: 'fault' },
    { at: 5.05 - 0.05, until: 10.05 - 0.05, label: 'setRoutingTable bar [a-z → bar]', tone: 'fault' },
    { at: 9.05 - 0.05, label: 'setRoutingTable foo [a-z → bar]', tone: 'fault' },
  ]);
});

test('any report, however odd its numbers and names, gives well-formed SVG and no NaN', (t) => {
  const value = fc.oneof(fc.double(), fc.integer({ min: 0, max: 1e6 }));
  const name = fc.string({ maxLength: 12 }).filter((s) => !/NaN|Infinity/.test(s));
  const series = fc.array(value, { maxLength: 40 });
  fc.assert(
    fc.property(
      fc.record({
        start: value,
        end: value,
        binMs: value,
        ok: series,
        info: series,
        p50: fc.array(fc.option(value), { maxLength: 40 }),
        edges: series,
        counts: series,
        faults: fc.array(fc.record({ what: name, at: value, until: value, failed: fc.boolean() }), { maxLength: 6 }),
        nodes: fc.array(fc.tuple(name, value), { maxLength: 4 }),
      }),
      (g) => {
        const r: SimReport = {
          ...report,
          scenario: { file: null, name: g.faults[0]?.what ?? null, description: null },
          start: g.start,
          end: g.end,
          overTime: { binMs: g.binMs, ok: g.ok, failed: [], info: g.info, noBucket: g.ok, p50Ms: g.p50, p99Ms: g.p50 },
          latencyBins: { edgesMs: g.edges, counts: g.counts },
          load: Object.fromEntries(g.nodes.map(([n, v]) => [n, { entered: v, owned: v, forwarded: v }])),
          faults: g.faults.map((f, i) => ({ index: i, atMs: i, what: f.what, at: f.at, done: f.at, until: f.until, ...(f.failed ? { error: f.what } : {}) })),
          nodeEvents: g.nodes.map(([node, t]) => ({ t, node, event: 'down' as const })),
        };
        const page = simPage(r);
        for (const svg of svgs(page)) t.deepEqual(xmlProblems(svg), []);
        t.false(/NaN|Infinity/.test(page));
      },
    ),
    { numRuns: 200 },
  );
});
