import test from 'ava';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Histogram } from '../../src/loadgen/histogram.js';
import { planBuckets } from '../../src/loadgen/plan.js';
import { benchCommand } from '../../src/loadgen/command.js';
import type { ScenarioFigures } from '../../src/loadgen/report.js';
import { formatTable } from '../../src/index.js';

test('histogram percentiles are within one bucket (about 2 %) and merge', (t) => {
  const h = new Histogram();
  for (let us = 1; us <= 1000; us++) h.record(us);
  t.true(Math.abs(h.percentile(0.5) - 500) / 500 < 0.025, String(h.percentile(0.5)));
  t.true(Math.abs(h.percentile(0.99) - 990) / 990 < 0.025, String(h.percentile(0.99)));
  const other = new Histogram();
  other.record(100_000);
  h.merge(other);
  t.is(h.total, 1001);
  t.true(h.percentile(1) >= 100_000 && h.percentile(1) < 102_500);
  t.true(Number.isNaN(new Histogram().percentile(0.5)));
});

test('the plan puts buckets on every owning node, routed from the first node', (t) => {
  const tables = new Map([
    ['foo', [{ from: 97, to: 109, node: 'foo' }, { from: 110, to: 122, node: 'bar' }]],
    ['bar', [{ from: 0, to: 255, node: 'bar' }]],
    ['baz', [{ from: 0, to: 255, node: 'baz' }]],
  ]);
  const plan = planBuckets(tables, ['foo', 'bar', 'baz'], 2, 16);
  t.deepEqual([...plan.owners], [
    ['foo', ['abench0', 'abench1']],
    ['bar', ['nbench0', 'nbench1']],
  ]);
  t.deepEqual(plan.buckets, ['abench0', 'abench1', 'nbench0', 'nbench1']);
  const none = t.throws(() => planBuckets(new Map([['foo', []]]), ['foo'], 2, 16));
  t.is(none?.message, 'kvmesh bench: no bucket name starting with a letter or digit reaches an owner from node "foo"; check the routing tables');
  t.is(formatTable(tables.get('foo') ?? []), '[a-m → foo, n-z → bar]');
});

/** Collects what a command prints. */
function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

const dir = mkdtempSync(join(tmpdir(), 'kvmesh-bench-'));
const config = join(dir, 'kvrc.json');

test.before(async () => {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(config, JSON.stringify({ routingTable: [{ range: 'a-m', node: 'foo' }, { range: 'n-z', node: 'bar' }], nodes: { foo: {}, bar: {} } }));
});

test('kvmesh bench runs single ops and batches on the config and writes the figures as JSON', async (t) => {
  const json = join(dir, 'out.json');
  const printed = capture();
  const code = await benchCommand(['--config', config, '--duration', '0.3', '--inflight', '8', '--batch', '16', '--keys', '50', '--json', json], printed.io);
  t.is(code, 0, printed.err.join('\n'));
  t.regex(printed.out.join('\n'), /^scenario +ops\/s +p50 µs +p99 µs +p99\.9 µs +msgs\/op +posts\/op +hops\/op +errors\nmixed, single ops, 8 in flight +\d/);
  const out = JSON.parse(readFileSync(json, 'utf8')) as { nodes: string[]; scenarios: ScenarioFigures[] };
  t.deepEqual(out.nodes, ['foo', 'bar']);
  t.deepEqual(out.scenarios.map((s) => s.scenario), ['mixed, single ops, 8 in flight', 'mixed, batches of 16, 8 in flight']);
  for (const s of out.scenarios) {
    t.true(s.ops > 0, s.scenario);
    t.is(s.errors, 0, s.firstError);
    t.true(s.p50Us > 0 && s.p50Us <= s.p99Us && s.p99Us <= s.p999Us, s.scenario);
    // Lanes enter at foo and bar in turn and the buckets are split between them: half the ops are forwarded.
    t.true(Math.abs(s.hopsPerOp - 0.5) < 0.1, String(s.hopsPerOp));
  }
  const [single, batched] = out.scenarios as [ScenarioFigures, ScenarioFigures];
  t.false([...printed.out, ...printed.err].some((l) => l.includes('%')), 'no progress bar where nobody watches (not a TTY)');
  t.true(Math.abs(single.messagesPerOp - 2.5) < 0.1, String(single.messagesPerOp));
  t.true(batched.messagesPerOp < 0.5, String(batched.messagesPerOp));
});

test('kvmesh bench from client threads', async (t) => {
  const json = join(dir, 'threads.json');
  t.is(await benchCommand(['--config', config, '--duration', '0.3', '--inflight', '4', '--clients', '2', '--workload', 'get', '--keys', '20', '--json', json], capture().io), 0);
  const [s] = (JSON.parse(readFileSync(json, 'utf8')) as { scenarios: ScenarioFigures[] }).scenarios;
  t.is(s?.scenario, 'get, single ops, 4 in flight, 2 client threads');
  t.true((s?.ops ?? 0) > 0);
  t.is(s?.errors, 0, s?.firstError);
});

test('kvmesh bench rejects bad options with exit code 2, and a bad config with 1', async (t) => {
  const bad = capture();
  t.is(await benchCommand(['--workload', 'nope', '--inflight', '0'], bad.io), 2);
  t.deepEqual(bad.err.slice(0, 2), ['kvmesh bench: --workload must be get, put or mixed, received "nope"', 'kvmesh bench: --inflight must be an integer from 1 to 100000, received "0"']);
  const unknown = capture();
  t.is(await benchCommand(['--bogus'], unknown.io), 2);
  t.regex(unknown.err[0] ?? '', /^kvmesh bench: Unknown option '--bogus'/);
  const missing = capture();
  t.is(await benchCommand(['--config', join(dir, 'missing.json'), '--duration', '0.1'], missing.io), 1);
  t.regex(missing.err[0] ?? '', /^kvmesh bench: cannot read configuration ".*missing\.json": ENOENT/);
  const help = capture();
  t.is(await benchCommand(['--help'], help.io), 0);
  t.regex(help.out[0] ?? '', /^usage: kvmesh bench/);
});

test('on a terminal, kvmesh bench shows a progress bar per scenario, ending at 100 %', async (t) => {
  const shown: string[] = [];
  const tty = { ...capture().io, progress: (text: string) => shown.push(text) };
  t.is(await benchCommand(['--config', config, '--duration', '0.5', '--inflight', '4', '--keys', '20'], tty), 0);
  t.true(shown.length >= 2, String(shown.length));
  t.true(shown.every((s) => s.startsWith('\rmixed, single ops, 4 in flight [')));
  t.is(shown.at(-1), `\rmixed, single ops, 4 in flight [${'#'.repeat(30)}] 100%\n`);
});
