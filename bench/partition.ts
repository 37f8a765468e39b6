/**
 * Partitioners (issue 12): what a route decision costs with hash slots and a ring against the
 * guide's byte ranges (the Router's own lookup, ns per decision), and single-op throughput through a
 * cluster on each, measured in the same run, ranges first as the floor.
 */
import { startCluster } from '../src/index.js';
import type { KvClient, KvConfig } from '../src/index.js';
import { validateConfig } from '../src/core/config.js';
import { Router } from '../src/node/router.js';
import { planBuckets } from '../src/loadgen/plan.js';
import { throughput } from './lib.js';
import type { Record as RecordFigure } from './lib.js';

const nodes = ['foo', 'bar', 'baz'];
type Kind = 'ranges' | 'slots' | 'ring';
const partitionConfigs: Readonly<Record<Kind, KvConfig>> = {
  ranges: {
    routingTable: [
      { range: 'a-i', node: 'foo' },
      { range: 'j-r', node: 'bar' },
      { range: 's-z', node: 'baz' },
    ],
    nodes,
  },
  slots: {
    routingTable: {
      slots: [
        { slots: '0-5460', node: 'foo' },
        { slots: '5461-10922', node: 'bar' },
        { slots: '10923-16383', node: 'baz' },
      ],
    },
    nodes,
  },
  ring: { routingTable: { ring: { size: 64, nodes } }, nodes },
};

/** Names in every unit: lower-case first letters (ranges route them), hashed names spread over slots and partitions. */
const names = Array.from({ length: 4096 }, (_, i) => `${String.fromCharCode(97 + (i % 26))}bucket${i}`);

/** ns per `Router.decide` over `names`, for the config of `kind`. */
function lookupNs(kind: Kind): number {
  const { settings } = validateConfig(partitionConfigs[kind]);
  const router = new Router('foo', nodes, 16, Object.fromEntries(settings.nodes.map((n) => [n.name, n.table])));
  let sink = 0;
  const run = (n: number): void => {
    for (let i = 0; i < n; i++) if (router.decide(names[i & 4095] as string, 0).kind === 'local') sink++;
  };
  run(200_000);
  const n = 2_000_000;
  const t0 = performance.now();
  run(n);
  const ns = ((performance.now() - t0) * 1e6) / n;
  return sink < 0 ? NaN : ns;
}

/** A cluster of `kind` and single ops (75 % get, 25 % put) through `foo` on buckets `foo` owns (no forward). */
async function opsOn(kind: Kind): Promise<{ op: (i: number) => Promise<unknown>; close: () => Promise<void> }> {
  const c = await startCluster({ config: partitionConfigs[kind] });
  const kv: KvClient = c.client({ via: 'foo' });
  const plan = planBuckets(new Map(c.nodes.map((n) => [n, c.routingTable(n)])), c.nodes, 16, 16);
  const buckets = plan.owners.get('foo') ?? [];
  await kv.batch(buckets.map((bucket) => ({ op: 'create' as const, bucket })));
  const op = (i: number): Promise<unknown> => ((i & 3) === 0 ? kv.put(buckets[i & 15] as string, `key${i & 4095}`, 'value-0123456789') : kv.get(buckets[i & 15] as string, `key${i & 4095}`));
  return { op, close: () => c.close() };
}

const below200 = { text: '< 200 ns', met: (_r: number, v: number) => v < 200 };
const within5 = { text: '≥ 0.95x', met: (r: number) => r >= 0.95 };

/** The lookup and throughput of slots and the ring, each against ranges measured just before it. */
export async function partitionScenario(record: RecordFigure): Promise<void> {
  for (const kind of ['slots', 'ring'] as const) {
    const floor = lookupNs('ranges');
    record({ group: 'partition', name: `${kind} lookup (Router.decide)`, unit: 'ns', better: 'lower', floorName: 'ranges lookup', target: below200 }, floor, lookupNs(kind));
  }
  // The three clusters up at once (idle threads cost nothing), measured in turns: a drift of the
  // machine's load shows in all three alike.
  const clusters = { ranges: await opsOn('ranges'), slots: await opsOn('slots'), ring: await opsOn('ring') };
  try {
    for (let turn = 0; turn < 6; turn++) {
      for (const kind of ['slots', 'ring'] as const) {
        // Which goes first alternates: the second of two runs back to back tends to be faster.
        const even = turn % 2 === 0;
        const [first, second] = even ? [clusters.ranges, clusters[kind]] : [clusters[kind], clusters.ranges];
        const a = await throughput(256, first.op, 1, 500, 100);
        const b = await throughput(256, second.op, 1, 500, 100);
        const [floor, value] = even ? [a, b] : [b, a];
        record({ group: 'partition', name: `single op on ${kind}, 256 in flight`, unit: 'ops/s', better: 'higher', floorName: 'same on ranges', target: within5 }, floor, value);
      }
    }
  } finally {
    await Promise.all(Object.values(clusters).map((c) => c.close()));
  }
}
