/** `kvmesh bench` run in-process (`main(['bench', …], io)`) on real worker threads, and its JSON. */
import test from 'ava';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/command.js';
import type { BenchDocument } from '../../src/loadgen/report.js';

/** Runs `kvmesh bench ...args` in-process; `progress` makes it a terminal. */
async function bench(args: string[], progress?: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(...l.split('\n')), err: (l) => err.push(l), ...(progress === undefined ? {} : { progress: (s: string) => void progress.push(s) }) };
  return { code: await main(['bench', ...args], io), out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'kvmesh-bench-'));
let busy: Server;
let port: number;
test.before(async () => {
  // A port someone else holds (as `npm start` holds 4040): bench must not try to listen on it.
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  port = (busy.address() as { port: number }).port;
});
test.after.always(() => {
  busy.close();
  rmSync(dir, { recursive: true, force: true });
});

const table = [
  { range: 'a-m', node: 'foo' },
  { range: 'n-z', node: 'bar' },
];
function config(name: string, nodes: Record<string, unknown>): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ routingTable: table, nodes }));
  return path;
}

test('bench runs single ops and batches beside a server holding its port, and writes options, machine, timestamp and histograms', async (t) => {
  const file = config('kvrc.json', { foo: { port }, bar: {} });
  const json = join(dir, 'out.json');
  const before = Date.now();
  const { code, out, err } = await bench(['--config', file, '--duration', '0.3', '--warmup', '0.1', '--inflight', '8', '--batch', '16', '--keys', '50', '--json', json]);
  t.is(code, 0, err.join('\n'));
  t.deepEqual(err, []);
  t.is(out.length, 4, out.join('\n'));
  t.regex(out[0] ?? '', /^scenario +ops\/s +p50 µs +p99 µs +p99\.9 µs +max µs +msgs\/op +posts\/op +hops\/op +errors$/);
  t.regex(out[1] ?? '', /^mixed, single ops, 8 in flight +[\d.]+[kM]? (?: +[\d.]+){7} +0$/);
  t.regex(out[2] ?? '', /^mixed, batches of 16, 8 in flight +[\d.]+[kM]? (?: +[\d.]+){7} +0$/);
  t.is(out[3], 'each scenario: a 0.1 s warm-up (not counted), then 0.3 s counted; latency per call (one op or one batch)');
  const doc = JSON.parse(readFileSync(json, 'utf8')) as BenchDocument;
  t.is(doc.kvmesh, (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version);
  t.true(Date.parse(doc.startedAt) >= before - 1 && Date.parse(doc.startedAt) <= Date.now(), doc.startedAt);
  t.deepEqual(doc.options, { config: file, workload: 'mixed', inflight: 8, durationS: 0.3, warmupS: 0.1, batch: 16, clients: 0, keys: 50 });
  t.like(doc.machine, { cpu: cpus()[0]?.model.trim() ?? '', cores: availableParallelism(), node: process.version, platform: `${process.platform} ${process.arch}` });
  t.is(doc.machine.loadavg.length, 3);
  t.deepEqual(doc.nodes, ['foo', 'bar']);
  t.deepEqual(
    doc.scenarios.map((s) => [s.scenario, s.batch]),
    [
      ['mixed, single ops, 8 in flight', 1],
      ['mixed, batches of 16, 8 in flight', 16],
    ],
  );
  for (const s of doc.scenarios) {
    const l = s.latency;
    t.is(s.errors, 0, s.firstError ?? '');
    t.is(s.firstError, null);
    t.is(l.count * s.batch, s.ops, 'one latency per call');
    t.true(s.seconds >= 0.3 && s.seconds < 2, String(s.seconds));
    t.true(Math.abs(s.opsPerSec * s.seconds - s.ops) <= s.ops * 0.002 + 1, 'ops/s of the counted seconds');
    const points = Object.values(l.percentiles);
    t.is(l.percentiles['p0'], l.minUs);
    t.is(l.percentiles['p100'], l.maxUs);
    t.is(l.percentiles['p50'], l.p50Us);
    t.deepEqual(
      [...points].sort((a, b) => a - b),
      points,
      'percentiles rise',
    );
    t.true(l.minUs > 0 && l.minUs <= l.meanUs && l.meanUs <= l.maxUs, JSON.stringify(l));
    // 4 significant figures at most, and nothing from floating-point noise in the ratios.
    for (const v of [l.minUs, l.maxUs, l.meanUs, ...points]) t.is(Number(v.toPrecision(4)), v);
    for (const v of [s.messagesPerOp, s.postsPerOp, s.hopsPerOp, s.seconds]) t.is(Number(v.toFixed(3)), v);
    // Lanes enter at foo and bar in turn and the buckets are split between them: half the ops are forwarded.
    t.true(Math.abs(s.hopsPerOp - 0.5) < 0.1, String(s.hopsPerOp));
  }
  const [single, batched] = doc.scenarios;
  t.true(Math.abs((single?.messagesPerOp ?? 0) - 2.5) < 0.1, String(single?.messagesPerOp));
  t.true((batched?.messagesPerOp ?? 1) < 0.5, String(batched?.messagesPerOp));
  t.false(
    [...out, ...err].some((l) => l.includes('%') || l.includes('\r')),
    'no progress where nobody watches',
  );
});

test('bench from client threads through a router-only node (storage: false, no port); no warm-up', async (t) => {
  const file = config('router.json', { foo: { port }, bar: {}, front: { storage: false } });
  const json = join(dir, 'threads.json');
  const { code, out, err } = await bench(['--config', file, '--duration', '0.3', '--warmup', '0', '--inflight', '6', '--clients', '2', '--workload', 'get', '--keys', '20', '--json', json]);
  t.is(code, 0, err.join('\n'));
  t.is(out[2], 'each scenario: no warm-up, 0.3 s counted; latency per call (one op or one batch)');
  const [s] = (JSON.parse(readFileSync(json, 'utf8')) as BenchDocument).scenarios;
  t.is(s?.scenario, 'get, single ops, 6 in flight, 2 client threads');
  t.is(s?.errors, 0, s?.firstError ?? '');
  t.is(s?.latency.count, s?.ops, 'the threads’ histograms merged: one latency per op');
  // A third of the lanes enter at front, which forwards every op: more hops than the 0.5 of foo and bar alone.
  t.true((s?.hopsPerOp ?? 0) > 0.55 && (s?.hopsPerOp ?? 1) < 1, String(s?.hopsPerOp));
});

test('on a terminal, bench shows its stages: starting, preloading bucket by bucket, warm-up and counted bars', async (t) => {
  const shown: string[] = [];
  const { code, out } = await bench(['--config', config('tty.json', { foo: {}, bar: {} }), '--duration', '0.3', '--warmup', '0.1', '--inflight', '4', '--keys', '20'], shown);
  t.is(code, 0);
  t.regex(out[0] ?? '', /^scenario +ops\/s /, 'the table still goes to out');
  t.is(out.length, 3);
  // What stays on screen: the last drawing of every finished line.
  const lines = shown
    .join('')
    .split('\n')
    .map((l) => l.slice(l.lastIndexOf('\r') + 1));
  const done = (label: string) => `${label} [${'#'.repeat(30)}] 100%`;
  t.deepEqual(lines, ['starting 2 nodes (no TCP servers)', done('preloading 20 keys into each of 8 buckets'), done('mixed, single ops, 4 in flight: warm-up 0.1 s'), done('mixed, single ops, 4 in flight: 0.3 s counted'), '']);
  t.deepEqual(
    [...shown.join('').matchAll(/\rpreloading [^\r]* +(\d+)%/g)].map((m) => Number(m[1])),
    [0, 13, 25, 38, 50, 63, 75, 88, 100],
  );
  t.true(
    shown.every((s) => s === '\n' || s.startsWith('\r')),
    'every drawing starts at the line start',
  );
});

test('bench refuses a --json it could not write, and a bad config, before starting anything (exit 1); the next run works', async (t) => {
  const missing = join(dir, 'no-such-folder', 'out.json');
  t.deepEqual(await bench(['--json', missing]), { code: 1, out: [], err: [`kvmesh: --json ${JSON.stringify(missing)}: cannot write the figures there: its folder ${JSON.stringify(join(dir, 'no-such-folder'))} does not exist`] });
  const folder = join(dir, 'a-folder');
  mkdirSync(folder);
  t.deepEqual(await bench(['--json', folder]), { code: 1, out: [], err: [`kvmesh: --json ${JSON.stringify(folder)}: cannot write the figures there: it is a folder`] });
  const none = join(dir, 'none.json');
  t.deepEqual(await bench(['--config', none]), { code: 1, out: [], err: [`kvmesh: cannot read configuration ${JSON.stringify(none)}: ENOENT: no such file or directory, open '${none}'`] });
  const invalid = config('invalid.json', { foo: { port: -1 }, bar: {} });
  t.deepEqual(await bench(['--config', invalid, '--json', join(dir, 'never.json')]), { code: 1, out: [], err: [`kvmesh: ${invalid}: invalid configuration (1 issue):\n  - nodes.foo.port: expected an integer from 0 to 65535 but received number -1`] });
  t.false(existsSync(join(dir, 'never.json')));
  const noOwner = join(dir, 'no-owner.json');
  writeFileSync(noOwner, JSON.stringify({ nodes: { foo: {} } }));
  t.deepEqual(await bench(['--config', noOwner, '--duration', '0.1']), { code: 1, out: [], err: ['kvmesh: no bucket name starting with a letter or digit reaches an owner from node "foo"; check the routing tables'] });
  t.is((await bench(['--config', config('next.json', { foo: {}, bar: {} }), '--duration', '0.1', '--warmup', '0', '--keys', '1'])).code, 0);
});

test('bench usage errors: every bad option on its own line, named once, exit 2', async (t) => {
  t.deepEqual(await bench(['--workload', 'nope', '--inflight', '0', 'extra']), { code: 2, out: [], err: ['kvmesh bench: unexpected argument "extra"', 'Run `kvmesh bench --help` for usage.'] });
  t.deepEqual(await bench(['--workload', 'nope', '--inflight', '0']), {
    code: 2,
    out: [],
    err: ['kvmesh bench: --workload must be get, put or mixed, received "nope"', 'kvmesh bench: --inflight must be a whole number from 1 to 100000, received "0"', 'Run `kvmesh bench --help` for usage.'],
  });
});

test('bench --record FILE writes every request of the run as a traffic log; a folder it could not write is refused first', async (t) => {
  const file = config('record.json', { foo: {}, bar: {} });
  const log = join(dir, 'traffic.json');
  const { code, err } = await bench(['--config', file, '--duration', '0.1', '--warmup', '0', '--inflight', '2', '--keys', '3', '--record', log]);
  t.is(code, 0, err.join('\n'));
  const traffic = JSON.parse(readFileSync(log, 'utf8')) as { kvmeshTraffic: number; clock: string; nodes: string[]; records: [number, number, string, string, number, number, number][] };
  t.like(traffic, { kvmeshTraffic: 1, clock: 'real', nodes: ['foo', 'bar'] });
  t.deepEqual(err, [`kvmesh: recorded ${traffic.records.length} requests to ${log}`]);
  const ops = traffic.records.map((r) => r[2]);
  // Eight buckets created, three keys preloaded into each, then the mixed run.
  t.deepEqual(ops.slice(0, 32), [...Array<string>(8).fill('c'), ...Array<string>(24).fill('p')]);
  t.true(ops.slice(32).includes('g'));
  t.deepEqual(await bench(['--record', dir]), { code: 1, out: [], err: [`kvmesh: --record ${JSON.stringify(dir)}: cannot write the traffic log there: it is a folder`] });
});
