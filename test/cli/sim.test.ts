/**
 * `kvmesh sim` in-process: its usage errors (exit 2, the next command runs), a bad scenario file
 * (exit 2), a passing run (0) and a failing one (1) with the replay line, --json, --trace (whose
 * lines hash to the report's trace hash), --seeds on one thread and on two, --shrink writing a
 * smaller scenario that still fails, --check-determinism, --host threads, and the progress bar
 * shown only where the io has one.
 */
import test from 'ava';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/command.js';
import { traceLine } from '../../src/sim/trace.js';
import type { TraceEvent } from '../../src/sim/trace.js';
import type { ScenarioReport } from '../../src/scenario/report.js';
import { loadScenario } from '../../src/scenariorun/load.js';
import { tempConfigs } from './temp.js';

const temp = tempConfigs('kvmesh-sim-');
const config = {
  routingTable: [
    { range: 'a-m', node: 'foo' },
    { range: 'n-z', node: 'bar' },
  ],
  nodes: ['foo', 'bar'],
  timeout: 200,
};
const passing = {
  config,
  seed: 2,
  durationMs: 1000,
  workload: { ratePerSec: 100, buckets: 2, keysPerBucket: 3 },
  faults: [
    { atMs: 300, partition: [['foo'], ['bar']] },
    { atMs: 600, heal: true },
  ],
};
// The swap leaves a-m's buckets on foo; the link delay and the pause are there for --shrink to drop.
const failing = {
  config,
  seed: 3,
  durationMs: 1000,
  workload: { ratePerSec: 100, buckets: 2, keysPerBucket: 3 },
  faults: [
    { atMs: 100, link: { from: 'foo', to: 'bar', delayMs: 1 } },
    { atMs: 200, pause: 'bar' },
    { atMs: 250, resume: 'bar' },
    { atMs: 500, setRoutingTable: { node: 'bar', table: [{ range: 'a-z', node: 'bar' }] } },
    { atMs: 500, setRoutingTable: { node: 'foo', table: [{ range: 'a-z', node: 'bar' }] } },
  ],
  checks: ['durability'],
};

/** Runs `kvmesh ...argv` in-process; `progress`: give the io a progress line, as a terminal's has. */
async function run(argv: string[], progress = false): Promise<{ code: number; out: string; err: string; bar: string }> {
  const out: string[] = [];
  const err: string[] = [];
  let bar = '';
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), ...(progress ? { progress: (text: string) => void (bar += text) } : {}) };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n'), bar };
}

test('usage errors: each named, exit 2, a hint to --help; the next command runs', async (t) => {
  const hint = 'Run `kvmesh sim --help` for usage.';
  const cases: [string[], string[]][] = [
    [[], ['missing SCENARIO (for example: kvmesh sim scenarios/guide-partition.json)']],
    [
      ['x.json', '--seed', '1.5', '--seeds', '5..1', '--jobs', '0', '--host', 'vm'],
      ['--seed must be a whole number, received "1.5"', '--seeds must be N..M with N ≤ M (for example 1..1000), received "5..1"', '--jobs must be a whole number from 1 to 256, received "0"', '--host must be sim or threads, received "vm"'],
    ],
    [['x.json', '--seed', '1', '--seeds', '1..2'], ['--seed and --seeds do not go together (one seed, or a range)']],
    [['x.json', '--seeds', '1..2', '--trace', 't.jsonl'], ['--trace records one run: use it with --seed, not --seeds']],
    [['x.json', '--host', 'threads', '--shrink', '--check-determinism'], ['--shrink, --check-determinism need the simulation: not with --host threads (real time replays nothing)']],
    [['x.json', 'y.json'], ['unexpected argument "y.json"']],
  ];
  for (const [argv, issues] of cases) t.deepEqual(await run(['sim', ...argv]), { code: 2, out: '', err: [...issues.map((i) => `kvmesh sim: ${i}`), hint].join('\n'), bar: '' }, argv.join(' '));
  t.is((await run(['sim', temp.config('ok.json', passing)])).code, 0);
});

test('a bad scenario file: every issue, exit 2; the next run is served', async (t) => {
  const file = temp.config('bad.json', { ...passing, durationMs: -1, faults: [{ atMs: 1, kill: 'nobody' }] });
  const r = await run(['sim', file]);
  t.is(r.code, 2);
  t.is(r.err, `kvmesh sim: ${file}: invalid scenario (1 issue):\n  - durationMs: expected an integer from 1 to 86400000 but received number -1`);
  const names = temp.config('names.json', { ...passing, faults: [{ atMs: 1, kill: 'nobody' }] });
  t.is((await run(['sim', names])).err, `kvmesh sim: ${names}: invalid scenario (1 issue):\n  - faults[0].kill: unknown node "nobody" (nodes: foo, bar)`);
  t.is((await run(['sim', temp.config('ok2.json', passing)])).code, 0);
});

test('a passing run prints the report and exits 0; a failing one exits 1 with what failed and the replay', async (t) => {
  const ok = await run(['sim', temp.config('pass.json', passing)]);
  t.is(ok.code, 0);
  const lines = ok.out.split('\n');
  t.regex(lines[0] ?? '', /^.*pass\.json: seed 2, simulated, deterministic, trace [0-9a-f]{12}$/);
  t.true(lines.includes('verdict: ok, every check holds'));
  t.true(lines.some((l) => l.startsWith('  at 300 (t=') && l.endsWith('): partition foo | bar')));
  const file = temp.config('fail.json', failing);
  const bad = await run(['sim', file]);
  t.is(bad.code, 1);
  t.true(bad.out.includes('\nverdict: FAILED (durability)\n'), bad.out);
  t.true(bad.out.endsWith(`\nreplay: kvmesh sim ${file} --seed 3`));
  t.true(bad.out.includes('away from its data on node "foo"'));
});

test('a check that cannot decide within its budget is no pass: exit 1, verdict unknown', async (t) => {
  const r = await run(['sim', temp.config('budget.json', { ...passing, linearizableBudget: 1 })]);
  t.is(r.code, 1);
  t.true(r.out.includes('\n  linearizable  UNKNOWN: '), r.out);
  t.true(r.out.includes('\nverdict: unknown (a check ran out of budget)\n'));
});

test('--json writes the report; --trace writes every event, whose canonical lines hash to the trace hash', async (t) => {
  const json = `${temp.dir()}/report.json`;
  const trace = `${temp.dir()}/trace.jsonl`;
  t.is((await run(['sim', temp.config('traced.json', passing), '--json', json, '--trace', trace, '--seed', '9'])).code, 0);
  const report = JSON.parse(readFileSync(json, 'utf8')) as ScenarioReport;
  t.is(report.seed, 9);
  t.is(report.verdict, 'ok');
  t.is(report.requests.total, 100);
  const events = readFileSync(trace, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as TraceEvent);
  t.true(events.length > 200);
  t.is(createHash('sha256').update(events.map(traceLine).join('')).digest('hex'), report.traceHash ?? '');
});

test('--seeds runs every seed, on one thread or two, and lists the failing ones', async (t) => {
  const ok = await run(['sim', temp.config('seeds-ok.json', passing), '--seeds', '1..3', '--jobs', '1']);
  t.is(ok.code, 0);
  t.regex(ok.out, /^seeds 1\.\.3: 3 runs in \d+\.\d s on 1 thread: 3 ok, 0 failed, 0 unknown$/);
  const file = temp.config('seeds-bad.json', failing);
  const json = `${temp.dir()}/seeds.json`;
  const bad = await run(['sim', file, '--seeds', '1..4', '--jobs', '2', '--json', json]);
  t.is(bad.code, 1);
  const [head, list, replay] = bad.out.split('\n');
  t.regex(head ?? '', /^seeds 1\.\.4: 4 runs in \d+\.\d s on 2 threads: 0 ok, 4 failed, 0 unknown$/);
  t.is(list, 'failing seeds: 1 (durability), 2 (durability), 3 (durability), 4 (durability)');
  t.is(replay, `replay: kvmesh sim ${file} --seed 1`);
  const doc = JSON.parse(readFileSync(json, 'utf8')) as { results: { seed: number; verdict: string }[] };
  t.deepEqual(
    doc.results.map((r) => [r.seed, r.verdict]),
    [
      [1, 'violation'],
      [2, 'violation'],
      [3, 'violation'],
      [4, 'violation'],
    ],
  );
});

test('--shrink writes a smaller scenario beside the input that fails the same check on the same seed', async (t) => {
  const file = temp.config('swap.json', failing);
  const r = await run(['sim', file, '--shrink', '--shrink-runs', '60']);
  t.is(r.code, 1);
  const shrunk = `${temp.dir()}/swap.shrunk.json`;
  t.true(r.out.includes(`\nshrunk in `) && r.out.includes(`: ${shrunk}\n`), r.out);
  const small = await loadScenario(shrunk);
  t.true(small.scenario.faults.length < failing.faults.length);
  t.true(
    small.scenario.faults.every((f) => f.kind === 'setRoutingTable'),
    'only the swap is needed',
  );
  t.true(small.scenario.workload.ratePerSec * small.scenario.durationMs < 100 * 1000);
  const again = await run(['sim', shrunk]);
  t.is(again.code, 1);
  t.true(again.out.includes('verdict: FAILED (durability)'));
});

test('--check-determinism runs twice and says so; --host threads runs in real time, not deterministic', async (t) => {
  const file = temp.config('twice.json', passing);
  const twice = await run(['sim', file, '--check-determinism']);
  t.is(twice.code, 0);
  t.regex(twice.out, /\ndeterminism: two runs, the same trace \([0-9a-f]{64}\)$/);
  const json = `${temp.dir()}/threads.json`;
  const threads = await run(['sim', temp.config('threads.json', { ...passing, durationMs: 500, faults: [] }), '--host', 'threads', '--json', json]);
  t.is(threads.code, 0, threads.out);
  t.true(threads.out.split('\n')[0]?.endsWith('seed 2, worker threads, real time (not deterministic)'));
  const report = JSON.parse(readFileSync(json, 'utf8')) as ScenarioReport;
  t.deepEqual([report.host, report.deterministic, report.traceHash, report.requests.total], ['threads', false, null, 50]);
});

test('a progress bar only where the io shows progress (a terminal)', async (t) => {
  const file = temp.config('bar.json', passing);
  t.is((await run(['sim', file])).bar, '');
  const shown = await run(['sim', file], true);
  t.regex(shown.bar, /^\rsimulating 1000 ms \[ *\] {3}0%.*\r.*\[#{30}\] 100%\n$/s);
});
