/** Live resharding (`cluster.reshard`) on every host with a supervisor: under load, nothing acknowledged is lost; a target that dies undoes the move. */
import type { Suite } from './suite.js';
import type { SupervisedCluster } from './host.js';
import type { KvConfig, NodeDownEvent, NodeUpEvent, ReshardProgress } from '../../src/index.js';
import { ownerFrom } from '../../src/core/routing.js';
import type { RoutingTable } from '../../src/core/routing.js';
import { writeLoad } from './load.js';
import { rejectsWith } from '../helpers.js';
import { slots2, slotsSwapped as swapped } from './configs.js';

const buckets = Array.from({ length: 24 }, (_, i) => `bucket${i}`);

/** Creates the buckets with 20 keys each. */
async function fill(c: SupervisedCluster): Promise<void> {
  const kv = c.client();
  await kv.batch(buckets.map((bucket) => ({ op: 'create' as const, bucket })));
  await kv.batch(buckets.flatMap((bucket) => Array.from({ length: 20 }, (_, k) => ({ op: 'put' as const, bucket, key: `k${k}`, value: 'v' }))));
}

/** Where each bucket is held: the node whose registry has it. */
async function holders(c: SupervisedCluster): Promise<string[]> {
  const found = await Promise.all(buckets.map(async (b) => (await Promise.all(c.nodes.map((n) => c.call<string | null>(n, 'KV.Registry', 'lookup', [b])))).filter((x) => x !== null).join('+')));
  return found;
}

/** Registers the reshard cases. */
export function reshardCases(s: Suite): void {
  s.testWith(['supervision'], 'reshard under load: every bucket ends at its new owner, no acknowledged write is lost, no request fails, old owners forward', slots2, async (c, t) => {
    await fill(c);
    const phases: ReshardProgress['phase'][] = [];
    const shown = new Set<string | undefined>();
    const load = writeLoad(c, buckets, 6, ['foo', 'bar']);
    const result = await c.reshard(swapped, {
      onProgress: (p) => {
        if (phases.at(-1) !== p.phase) phases.push(p.phase);
        shown.add(c.status()[1]?.move?.phase);
      },
    });
    const { errors, ops, check } = await load.stop();
    t.true(result.committed, result.reason);
    t.deepEqual([...new Set(phases)], ['copy', 'catch-up', 'fence', 'switch', 'done']);
    t.is(result.version, 1);
    t.is(c.tableVersion, 1);
    t.deepEqual(errors, []);
    t.true(ops > 0);
    const { keys, lost } = await check();
    t.deepEqual(lost, []);
    t.true(keys > 0);
    const tables = new Map<string, RoutingTable>(c.nodes.map((n) => [n, c.routingTable(n)]));
    t.deepEqual(
      await holders(c),
      buckets.map((b) => ownerFrom(tables, 'foo', b)),
    );
    for (const b of buckets) t.is(await c.client({ via: 'bar' }).get(b, 'k19'), 'v');
    t.deepEqual(
      (await Promise.all(c.nodes.map((n) => c.stats(n)))).map((st) => st.tableVersion),
      [1, 1],
    );
    t.true(result.moved.buckets > 0 && result.moved.keys >= result.moved.buckets * 20);
    t.deepEqual((await c.plan(swapped)).moves, [], 'nothing left to move');
    t.true(c.status().every((st) => st.move === undefined));
    t.deepEqual([...shown], ['copy', 'catch-up', 'fence', 'switch', undefined], 'status() shows the move while it runs');
  });

  const ranges: KvConfig = { routingTable: [{ range: [0, 255], node: 'foo' }], nodes: ['foo', 'bar'] };
  s.testWith(['supervision'], 'reshard from byte ranges to hash slots: each bucket goes where its slot says', ranges, async (c, t) => {
    await fill(c);
    const result = await c.reshard(slots2);
    t.true(result.committed);
    const tables = new Map<string, RoutingTable>(c.nodes.map((n) => [n, c.routingTable(n)]));
    t.deepEqual(
      await holders(c),
      buckets.map((b) => ownerFrom(tables, 'bar', b)),
    );
    t.true((await holders(c)).includes('bar'));
    for (const b of buckets) t.is(await c.client({ via: 'foo' }).get(b, 'k0'), 'v');
  });

  s.testWith(['supervision'], 'a target that dies mid-move undoes it: the old owner keeps serving, the tables stay, a later reshard works', slots2, async (c, t, h) => {
    await fill(c);
    const before = await holders(c);
    const load = writeLoad(c, buckets, 4, ['foo']);
    const down = new Promise<NodeDownEvent>((resolve) => c.once('nodedown', resolve));
    const up = new Promise<NodeUpEvent>((resolve) => c.once('nodeup', resolve));
    let killed = false;
    // foo's slots 0-4095 go to bar: bar dies as soon as the first chunk reached it.
    const result = await c.reshard(swapped, {
      onProgress: (p) => {
        if (killed || p.phase !== 'copy' || p.keys === 0) return;
        killed = true;
        void c.kill('bar');
      },
    });
    t.false(result.committed);
    t.regex(result.reason ?? '', /node "bar"/);
    t.is(c.tableVersion, 0);
    t.is(result.version, 0);
    t.is((await h.settle(down, 5000, 'nodedown')).node, 'bar');
    await h.settle(up, 10_000, 'nodeup');
    const { errors, check } = await load.stop();
    // foo's buckets never left it; writes to buckets bar held were lost with it (a death, not the move).
    const stayed = buckets.filter((_, i) => before[i] === 'foo');
    t.deepEqual(
      (await holders(c)).filter((_, i) => before[i] === 'foo'),
      stayed.map(() => 'foo'),
    );
    const { lost } = await check();
    t.deepEqual(
      lost.filter((l) => stayed.some((b) => l.startsWith(`${b}/`))),
      [],
    );
    t.true(
      errors.every((e) => /bar/.test(e)),
      errors.join('\n'),
    );
    const again = await c.reshard(swapped);
    t.true(again.committed);
    t.is(c.tableVersion, 1);
  });

  s.testWith(['supervision'], 'reshard refuses, naming why, other nodes, tables that loop, a bucket left with no owner, bad options; nothing changes and the next request is served', slots2, async (c, t) => {
    await c.client().create('123456789');
    await rejectsWith(t, c.reshard({ ...slots2, nodes: ['foo', 'bar', 'baz'] }), 'KV_ERR_BAD_ARGUMENT', 'reshard: the next configuration has nodes foo, bar, baz, the cluster foo, bar: nodes join and leave with addNode and removeNode');
    const loop = { nodes: { foo: { routingTable: { slots: [{ slots: '0-16383', node: 'bar' }] } }, bar: { routingTable: { slots: [{ slots: '0-16383', node: 'foo' }] } } } };
    await rejectsWith(t, c.reshard(loop), 'KV_ERR_BAD_CONFIG', 'invalid configuration (1 issue):\n  - routingTable: slots 0-16383 loop between nodes: bar → foo → bar');
    const gap = { routingTable: { slots: [{ slots: '0-8191', node: 'foo' }] }, nodes: ['foo', 'bar'] };
    await rejectsWith(t, c.reshard(gap), 'KV_ERR_BAD_CONFIG', 'invalid configuration (1 issue):\n  - routingTable: bucket "123456789" on node "bar" would have no owner under the next tables');
    await t.throwsAsync(c.reshard(slots2, 5 as never), { instanceOf: TypeError, message: 'reshard: options must be an object, received number' });
    t.is(c.tableVersion, 0);
    await c.client().put('123456789', 'k', 'v');
    t.is(await c.client({ via: 'foo' }).get('123456789', 'k'), 'v');
  });

  s.testWith(['supervision'], 'changes never interleave: reshards and a table set at once run one after the other, each counting a version', slots2, async (c, t) => {
    await fill(c);
    const [first, , second] = await Promise.all([c.reshard(swapped), c.setRoutingTable('foo', { slots: [{ slots: '0-16383', node: 'foo' }] }), c.reshard(slots2)]);
    t.deepEqual([first.version, second.version, c.tableVersion], [1, 3, 3]);
    const tables = new Map<string, RoutingTable>(c.nodes.map((n) => [n, c.routingTable(n)]));
    t.deepEqual(
      await holders(c),
      buckets.map((b) => ownerFrom(tables, 'bar', b)),
    );
    for (const b of buckets) t.is(await c.client({ via: 'bar' }).get(b, 'k3'), 'v');
  });
}
