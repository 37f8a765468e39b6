/**
 * The scenarios of scenarios/, each run through `runScenario` (kvmesh/testing) with the verdict
 * it is there to show: the guide's pair survives a partition, a chain survives the death of its
 * middle node (losing only what that node held, reported), a table swap that leaves data behind
 * is flagged by durability, and a link that duplicates frames re-applies old writes. A run
 * replays: the same seed gives the same trace.
 */
import test from 'ava';
import { fileURLToPath } from 'node:url';
import { runScenario } from '../../src/testing.js';

const dir = fileURLToPath(new URL('../../../scenarios/', import.meta.url));

test("the guide's pair through a partition: requests across it time out, every check holds", async (t) => {
  const r = await runScenario(`${dir}guide-partition.json`);
  t.is(r.verdict, 'ok');
  t.deepEqual(Object.keys(r.requests.byOutcome).sort(), ['KV_ERR_TIMEOUT', 'ok']);
  t.true(r.checks.durability !== undefined && r.checks.durability.writes > 1000);
  t.is(r.checks.linearizable?.verdict, 'ok');
  t.deepEqual(
    r.faults.map((f) => f.what),
    ['link foo → bar delayMs=3 jitterMs=1', 'partition foo | bar', 'heal'],
  );
  // A request that crossed the partition waited its whole deadline, exactly.
  t.is(r.latencyMs['get']?.max, 500);
});

test('a chain whose middle node dies: what it held is lost with it, and said so; every check holds', async (t) => {
  const r = await runScenario(`${dir}chain-middle-dies.json`);
  t.is(r.verdict, 'ok');
  const d = r.checks.durability;
  t.true(d !== undefined && d.lostWithNodeCount > 0);
  t.true(d?.lostWithNode.every((l) => l.why.startsWith('node "bar" died at 3000.')));
  t.deepEqual(
    r.nodeEvents.map((e) => `${e.node} ${e.event}`),
    ['bar down', 'bar up'],
  );
  t.deepEqual(r.other['recreate'], { ok: 2 });
});

test('a table swap that moves buckets away from their data: durability flags exactly that', async (t) => {
  const r = await runScenario(`${dir}table-swap.json`);
  t.is(r.verdict, 'violation');
  t.true(r.failed.includes('durability'));
  const first = r.checks.durability?.violations[0];
  t.regex(first?.why ?? '', /^setRoutingTable \(faults\[0\], faults\[1\]\) at 2000\.\d+ sent bucket "a\d" to node "bar", away from its data on node "foo"$/);
  t.is(r.checks['single-owner']?.verdict, 'ok');
  // Named as typed from the project's folder, where ava runs.
  t.is(r.replay, 'kvmesh sim scenarios/table-swap.json --seed 3');
});

test('a flaky link that duplicates frames: an old write runs again over a newer one, and both checks see it', async (t) => {
  const r = await runScenario(`${dir}flaky-link.json`);
  t.is(r.verdict, 'violation');
  t.deepEqual([...r.failed].sort(), ['durability', 'linearizable']);
  t.regex(r.checks.durability?.violations[0]?.why ?? '', /may have run twice: a link duplicated frames while it was in flight/);
  t.true((r.checks.linearizable?.witness?.lines.length ?? 99) <= 6);
  t.true((r.requests.byOutcome['KV_ERR_TIMEOUT'] ?? 0) > 0, 'dropped frames time out');
});

test('a scenario replays: the same seed, the same trace; another seed, another', async (t) => {
  const a = await runScenario(`${dir}table-swap.json`, { checkDeterminism: true });
  const b = await runScenario(`${dir}table-swap.json`);
  const c = await runScenario(`${dir}table-swap.json`, { seed: 4 });
  t.is(a.traceHash, b.traceHash);
  t.not(a.traceHash, c.traceHash);
  t.is(c.seed, 4);
});
