/** The page of `kvmesh bench --html` (src/viz/bench-page.ts, page.ts), from a bench document: its parts, its charts, and nothing it would fetch. */
import test from 'ava';
import { benchPage } from '../../src/viz/bench-page.js';
import type { BenchReport, BenchScenario } from '../../src/viz/bench-page.js';
import { htmlPage } from '../../src/viz/page.js';
import { xmlProblems } from './xml.js';

const scenario = (over: Partial<BenchScenario>): BenchScenario => ({
  scenario: 'mixed, single ops, 64 in flight',
  batch: 1,
  ops: 90_265,
  seconds: 1,
  opsPerSec: 90_265,
  latency: { p50Us: 345.9, p99Us: 7119, p999Us: 33_010, maxUs: 70_710 },
  messagesPerOp: 2.5,
  hopsPerOp: 0.5,
  errors: 0,
  firstError: null,
  latencyBins: { edgesUs: [100, 125.9, 158.5, 199.5, 251.2], counts: [10, 0, 300, 20] },
  throughput: { intervalMs: 100, opsPerSec: [90_000, 91_000, 89_500] },
  perNode: [
    { node: 'foo', requests: 68_600, forwarded: 23_500 },
    { node: 'bar', requests: 66_800, forwarded: 21_600 },
  ],
  ...over,
});

const doc: BenchReport = {
  kvmesh: '0.1.0',
  startedAt: '2026-12-02T05:34:04.282Z',
  options: { workload: 'mixed', inflight: 64, durationS: 1, warmupS: 0.2, batch: 16, clients: 0, keys: 100, config: '/tmp/kvrc.json' },
  machine: { cpu: 'AMD EPYC', cores: 2, memoryGiB: 23.5, node: 'v20.20.2', platform: 'linux x64', loadavg: [8.62, 6.84, 4.95] },
  nodes: ['foo', 'bar'],
  scenarios: [scenario({}), scenario({ scenario: 'mixed, batches of 16, 64 in flight', batch: 16, ops: 364_624, opsPerSec: 364_300, messagesPerOp: 0.25, errors: 2, firstError: 'KV_ERR_TIMEOUT: <slow> & "late"' })],
};

const svgs = (page: string): string[] => [...page.matchAll(/<svg [\s\S]*?<\/svg>/g)].map((m) => m[0]);

test('the page: what ran and where, the table, then per scenario a histogram, ops/s over time and the load per node', (t) => {
  const page = benchPage(doc);
  t.true(page.startsWith('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>kvmesh bench, 2026-12-02T05:34:04.282Z</title>'));
  t.true(page.endsWith('</body>\n</html>\n'));
  t.true(page.includes('<dt>machine</dt><dd>AMD EPYC, 2 cores, 23.5 GiB; Node v20.20.2 on linux x64; load average 8.62 6.84 4.95</dd>'));
  t.true(page.includes('<dt>each scenario</dt><dd>0.2 s warm-up (not counted), then 1 s counted</dd>'));
  t.deepEqual(
    [...page.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1]),
    ['scenarios', 'mixed, single ops, 64 in flight', 'mixed, batches of 16, 64 in flight'],
  );
  t.true(page.includes('<tr><td>mixed, single ops, 64 in flight</td><td class="num">90.3k</td><td class="num">346</td><td class="num">7119</td><td class="num">33k</td><td class="num">70.7k</td><td class="num">2.5</td><td class="num">0.5</td><td class="num">0</td></tr>'));
  const charts = svgs(page);
  t.deepEqual(
    charts.map((s) => /data-chart="(\w+)"/.exec(s)?.[1]),
    ['bars', 'histogram', 'series', 'bars', 'histogram', 'series', 'bars'],
  );
  for (const s of charts) t.deepEqual(xmlProblems(s), []);
  const [, histogram, series, load] = charts as [string, string, string, string];
  t.is([...histogram.matchAll(/<rect class="bar"/g)].length, 3, 'the non-empty bins');
  t.is([...histogram.matchAll(/<line class="marker"/g)].length, 3, 'p50, p99, p99.9');
  t.regex(series, /<path class="line" d="M[\d.]+,[\d.]+ L[\d.]+,[\d.]+ L[\d.]+,[\d.]+"/);
  t.true(load.includes('<title>requests/s: 68.6k</title>') && load.includes('<title>forwards/s: 21.6k</title>'));
});

test('the page is self-contained and escapes what it shows', (t) => {
  const page = benchPage(doc);
  t.false(/<script|<link|<img|<iframe|\ssrc=|\shref=|url\(|@import/i.test(page));
  t.deepEqual([...new Set(page.match(/https?:\/\/[^\s"<]+/g))], ['http://www.w3.org/2000/svg'], 'only the SVG namespace, which nothing fetches');
  t.true(page.includes('2 errors (first: KV_ERR_TIMEOUT: &#60;slow&#62; &#38; &#34;late&#34;).'));
  t.false(page.includes('<slow>'));
});

test('a generic page: facts, text, a table with numbers right-aligned, charts; empty parts leave nothing behind', (t) => {
  const page = htmlPage({
    title: 'a <sim>',
    sections: [
      { heading: 'h', text: ['one', 'two'], table: { head: ['name', 'n'], rows: [['a&b', '1.5k']] } },
      { heading: 'none', charts: [] },
    ],
  });
  t.true(page.includes('<title>a &#60;sim&#62;</title>'));
  t.false(page.includes('<dl'));
  t.true(page.includes('<p>one</p>\n<p>two</p>'));
  t.true(page.includes('<tr><td>a&#38;b</td><td class="num">1.5k</td></tr>'));
  t.false(page.includes('<div class="charts">'));
});
