/** `kvmesh bench`'s pure parts: the histogram and its summary, the options, the plan, the table, the progress bars. */
import test from 'ava';
import { Worker } from 'node:worker_threads';
import type { RecordableHistogram } from 'node:perf_hooks';
import { fourFigures, latencyHistogram, recordMs, summarize } from '../../src/loadgen/histogram.js';
import { parseBenchOptions } from '../../src/loadgen/options.js';
import { planBuckets } from '../../src/loadgen/plan.js';
import { ownerFrom } from '../../src/core/routing.js';
import type { RoutingTable } from '../../src/core/routing.js';
import { formatReport, progressBar } from '../../src/loadgen/report.js';
import type { ScenarioFigures } from '../../src/loadgen/report.js';
import { Bar } from '../../src/loadgen/progress.js';
import { UsageError } from '../../src/cli/command.js';
import { formatTable } from '../../src/index.js';

test('the histogram keeps true values to 4 figures (a true 1005 µs reads 1005, not a bucket edge)', (t) => {
  const h = latencyHistogram();
  for (const ms of [1.005, 0.05631, 12.91]) recordMs(h, ms);
  t.deepEqual(summarize(h), {
    count: 3,
    minUs: 56.29,
    meanUs: 4656,
    stddevUs: 5847,
    maxUs: 12910,
    p50Us: 1005,
    p99Us: 12910,
    p999Us: 12910,
    percentiles: { p0: 56.29, p1: 56.32, p5: 56.32, p10: 56.32, p25: 56.32, p50: 1005, p75: 1005, p90: 12910, p95: 12910, p99: 12910, 'p99.5': 12910, 'p99.9': 12910, 'p99.95': 12910, 'p99.99': 12910, p100: 12910 },
  });
  const uniform = latencyHistogram();
  for (let us = 1; us <= 1000; us++) recordMs(uniform, us / 1000);
  t.like(summarize(uniform), { count: 1000, minUs: 1, meanUs: 500.5, maxUs: 1000, p50Us: 500.2, p99Us: 990.2, p999Us: 999.4 });
  t.deepEqual(Object.keys(summarize(uniform).percentiles), ['p0', 'p1', 'p5', 'p10', 'p25', 'p50', 'p75', 'p90', 'p95', 'p99', 'p99.5', 'p99.9', 'p99.95', 'p99.99', 'p100']);
  const empty = summarize(latencyHistogram());
  t.is(empty.count, 0);
  t.true([empty.minUs, empty.maxUs, empty.p50Us, empty.meanUs, ...Object.values(empty.percentiles)].every(Number.isNaN));
  t.deepEqual([56.3149, 311.24, 1005.4, 12914, 0, 0.00012345].map(fourFigures), [56.31, 311.2, 1005, 12910, 0, 0.0001234]);
});

test("a client thread's histogram arrives whole and merges into the main thread's as if recorded there", async (t) => {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     const { createHistogram } = require('node:perf_hooks');
     const h = createHistogram({ lowest: 1, highest: 3600000000000, figures: 3 });
     for (let us = 501; us <= 1000; us++) h.record(us * 1000);
     parentPort.postMessage(h);`,
    { eval: true },
  );
  t.teardown(() => worker.terminate());
  const theirs = await new Promise<RecordableHistogram>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const merged = latencyHistogram();
  const local = latencyHistogram();
  for (let us = 1; us <= 500; us++) recordMs(merged, us / 1000);
  merged.add(theirs);
  for (let us = 1; us <= 1000; us++) recordMs(local, us / 1000);
  t.is(merged.count, 1000);
  t.deepEqual(summarize(merged), summarize(local));
});

const defaults = { config: undefined, workload: 'mixed', inflight: 64, durationS: 5, warmupS: 1, batch: 1, clients: 0, keys: 1000, json: undefined, html: undefined, record: undefined };

test('bench options: defaults, and every option given', (t) => {
  t.deepEqual(parseBenchOptions([]), defaults);
  const all = ['-c', 'k.json', '--workload', 'get', '--inflight', '8', '--duration', '0.5', '--warmup', '0', '--batch', '16', '--clients', '2', '--keys', '50', '--json', 'o.json', '--html', 'o.html', '--record', 't.json'];
  t.deepEqual(parseBenchOptions(all), { config: 'k.json', workload: 'get', inflight: 8, durationS: 0.5, warmupS: 0, batch: 16, clients: 2, keys: 50, json: 'o.json', html: 'o.html', record: 't.json' });
  t.like(parseBenchOptions(['--duration', '.25', '--warmup', '2.']), { durationS: 0.25, warmupS: 2 });
});

test('bench options: every bad value is named with its rule, all at once', (t) => {
  const issues = (args: string[]): readonly string[] => {
    const e = t.throws(() => parseBenchOptions(args), { instanceOf: UsageError });
    t.is(e.command, 'bench');
    return e.issues;
  };
  t.deepEqual(issues(['--workload', 'nope', '--inflight', '0', '--duration', '0', '--warmup=-1', '--batch', '1.5', '--clients', '65', '--keys', '1e3', '--json', '', '--html', '']), [
    '--workload must be get, put or mixed, received "nope"',
    '--inflight must be a whole number from 1 to 100000, received "0"',
    '--duration must be a number of seconds above 0 to 3600, received "0"',
    '--warmup must be a number of seconds from 0 to 3600, received "-1"',
    '--batch must be a whole number from 1 to 65535, received "1.5"',
    '--clients must be a whole number from 0 to 64, received "65"',
    '--keys must be a whole number from 1 to 10000000, received "1e3"',
    '--json must name a file, received ""',
    '--html must name a file, received ""',
  ]);
  t.deepEqual(issues(['--duration', '3601']), ['--duration must be a number of seconds above 0 to 3600, received "3601"']);
  t.deepEqual(issues(['--duration', 'five']), ['--duration must be a number of seconds above 0 to 3600, received "five"']);
  t.deepEqual(issues(['--inflight', ' 8']), ['--inflight must be a whole number from 1 to 100000, received " 8"']);
  t.deepEqual(issues(['--inflight', '100001']), ['--inflight must be a whole number from 1 to 100000, received "100001"']);
  t.deepEqual(issues(['--keys', '0']), ['--keys must be a whole number from 1 to 10000000, received "0"']);
  t.deepEqual(issues(['extra']), ['unexpected argument "extra"']);
  t.deepEqual(issues(['--keys']), ["Option '--keys <value>' argument missing"]);
  t.deepEqual(issues(['--warmup', '-1']), ["Option '--warmup' argument is ambiguous.\nDid you forget to specify the option argument for '--warmup'?\nTo specify an option argument starting with a dash use '--warmup=-XYZ'."]);
  t.deepEqual(parseBenchOptions(['--keys', '10000000']).keys, 10_000_000, 'the bounds themselves are accepted');
});

test('the plan puts buckets on every owning node, routed from the first node', (t) => {
  const tables = new Map([
    [
      'foo',
      [
        { from: 97, to: 109, node: 'foo' },
        { from: 110, to: 122, node: 'bar' },
      ],
    ],
    ['bar', [{ from: 0, to: 255, node: 'bar' }]],
    ['baz', [{ from: 0, to: 255, node: 'baz' }]],
  ]);
  const plan = planBuckets(tables, ['foo', 'bar', 'baz'], 2, 16);
  t.deepEqual(
    [...plan.owners],
    [
      ['foo', ['abench0', 'abench1']],
      ['bar', ['nbench0', 'nbench1']],
    ],
  );
  t.deepEqual(plan.buckets, ['abench0', 'abench1', 'nbench0', 'nbench1']);
  const none = t.throws(() => planBuckets(new Map([['foo', []]]), ['foo'], 2, 16));
  t.is(none.message, 'no bucket name starting with a letter or digit reaches an owner from node "foo"; check the routing tables');
  t.is(formatTable(tables.get('foo') ?? []), '[a-m → foo, n-z → bar]');
});

test('on hash slots and rings the plan tries names until every owner has its share, each routed to it', (t) => {
  const slots = {
    slots: [
      { from: 0, to: 16382, node: 'foo' },
      { from: 16383, to: 16383, node: 'bar' },
    ],
  };
  const tables = new Map<string, RoutingTable>([
    ['foo', slots],
    ['bar', slots],
  ]);
  const plan = planBuckets(tables, ['foo', 'bar'], 2, 16);
  t.deepEqual([...plan.owners.keys()], ['foo', 'bar']);
  t.deepEqual(plan.owners.get('foo'), ['bench0', 'bench1']);
  for (const [owner, names] of plan.owners) for (const name of names) t.is(ownerFrom(tables, 'foo', name), owner);
  t.is(plan.owners.get('bar')?.length, 2, 'an owner of one slot in 16384 gets its share too');
  const ring = { ring: { size: 4, nodes: ['foo', 'bar'], owners: ['foo', 'bar', 'bar', 'bar'] } };
  const ringPlan = planBuckets(
    new Map([
      ['foo', ring],
      ['bar', ring],
    ]),
    ['foo', 'bar'],
    3,
    16,
  );
  t.deepEqual(
    [...ringPlan.owners].map(([n, names]) => [n, names.length]),
    [
      ['foo', 3],
      ['bar', 3],
    ],
  );
});

const figures = (over: Partial<ScenarioFigures>): ScenarioFigures => {
  const h = latencyHistogram();
  for (const ms of [0.05631, 0.3112, 2.896]) recordMs(h, ms);
  return {
    scenario: 'mixed, single ops, 64 in flight',
    batch: 1,
    ops: 1000,
    seconds: 1,
    opsPerSec: 557_123,
    latency: summarize(h),
    messagesPerOp: 2.5,
    postsPerOp: 0.156,
    hopsPerOp: 0.5,
    errors: 0,
    firstError: null,
    latencyBins: { edgesUs: [], counts: [] },
    throughput: { intervalMs: 100, opsPerSec: [] },
    perNode: [],
    ...over,
  };
};

test('the table: 4-figure latencies, rates in k and M, and how long each scenario warmed up and counted', (t) => {
  const rows = [figures({}), figures({ scenario: 'mixed, batches of 64, 64 in flight', opsPerSec: 1_240_000, messagesPerOp: 0.0625, postsPerOp: 0.0625, errors: 3 })];
  t.is(
    formatReport(rows, { warmupS: 1, durationS: 5 }),
    [
      'scenario                             ops/s  p50 µs  p99 µs  p99.9 µs  max µs  msgs/op  posts/op  hops/op  errors',
      'mixed, single ops, 64 in flight     557.1k   311.3    2898      2898    2898     2.50     0.156     0.50       0',
      'mixed, batches of 64, 64 in flight   1.24M   311.3    2898      2898    2898     0.06     0.063     0.50       3',
      'each scenario: a 1 s warm-up (not counted), then 5 s counted; latency per call (one op or one batch)',
    ].join('\n'),
  );
  t.true(formatReport([figures({ opsPerSec: 950 })], { warmupS: 0, durationS: 0.5 }).endsWith('\neach scenario: no warm-up, 0.5 s counted; latency per call (one op or one batch)'));
});

test('a progress bar is redrawn in place, only when its text changes, and stays at 100 % once done', (t) => {
  t.is(progressBar('get', 0.5, 10), '\rget [#####     ]  50%');
  t.is(progressBar('get', 2, 4), '\rget [####] 100%');
  const shown: string[] = [];
  const bar = new Bar({ out: () => undefined, err: () => undefined, progress: (s) => shown.push(s) }, 'load');
  bar.update(0.001);
  bar.update(0.5);
  bar.update(0.5);
  bar.done();
  t.deepEqual(shown, [progressBar('load', 0), progressBar('load', 0.5), progressBar('load', 1), '\n']);
  t.notThrows(() => new Bar({ out: () => undefined, err: () => undefined }, 'nobody watches').done());
});
