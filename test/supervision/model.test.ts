/**
 * Property-based: random sequences of create/put/get/delete over buckets owned by different
 * nodes, entering at random nodes, with random kills (also in the middle of a burst of
 * writes), checked against a model. A killed node's buckets are gone after its restart;
 * every other acknowledged write is still there.
 */
import test from 'ava';
import fc from 'fast-check';
import { cluster } from '../helpers.js';
import { killAndWait } from './helpers.js';
import type { Cluster, KvClient } from '../../src/index.js';

const NODES = ['foo', 'bar', 'baz'] as const;
type NodeName = (typeof NODES)[number];
const OWNED: Record<NodeName, readonly string[]> = { foo: ['apple', 'fig'], bar: ['kiwi', 'lime'], baz: ['quince', 'sloe'] };
const ownerOf = (bucket: string): NodeName => (bucket < 'i' ? 'foo' : bucket < 'q' ? 'bar' : 'baz');

type Op =
  | { t: 'create'; b: string; via: NodeName }
  | { t: 'put'; b: string; k: string; v: string; via: NodeName }
  | { t: 'get'; b: string; k: string; via: NodeName }
  | { t: 'delete'; b: string; k: string; via: NodeName }
  | { t: 'kill'; node: NodeName }
  | { t: 'burst'; victim: NodeName; writes: { b: string; k: string; v: string }[] };

const node = fc.constantFrom(...NODES);
const bucket = fc.constantFrom(...Object.values(OWNED).flat());
const key = fc.constantFrom('a', 'b', 'c');
const value = fc.string({ unit: 'grapheme', minLength: 0, maxLength: 6 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constant('create' as const), b: bucket, via: node }) },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('put' as const), b: bucket, k: key, v: value, via: node }) },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('get' as const), b: bucket, k: key, via: node }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('delete' as const), b: bucket, k: key, via: node }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('kill' as const), node }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('burst' as const), victim: node, writes: fc.array(fc.record({ b: bucket, k: key, v: value }), { minLength: 1, maxLength: 40 }) }) },
);

type Model = Map<string, Map<string, string>>;

function fail(message: string): never {
  throw new Error(message);
}

/** Runs `fn` and returns its value, or the error code it rejected with. */
async function result(fn: () => Promise<unknown>): Promise<{ ok: unknown } | { code: string; message: string }> {
  try {
    return { ok: await fn() };
  } catch (e) {
    const err = e as { code?: string; message: string };
    return { code: err.code ?? 'none', message: err.message };
  }
}

function expectOk(what: string, got: Awaited<ReturnType<typeof result>>, want: unknown): void {
  if (!('ok' in got)) fail(`${what}: expected ${JSON.stringify(want)}, got ${got.code} ${got.message}`);
  if (got.ok !== want) fail(`${what}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got.ok)}`);
}

function expectNoBucket(what: string, got: Awaited<ReturnType<typeof result>>, b: string): void {
  const message = `no bucket "${b}" on node "${ownerOf(b)}" (create it first)`;
  if ('ok' in got || got.code !== 'KV_ERR_NO_BUCKET' || got.message !== message) fail(`${what}: expected KV_ERR_NO_BUCKET ${message}, got ${JSON.stringify(got)}`);
}

async function runOne(c: Cluster, clients: Record<NodeName, KvClient>, run: number, ops: Op[]): Promise<void> {
  const model: Model = new Map();
  // Fresh bucket names per run (same first byte, same owner), so runs share the cluster.
  const name = (b: string): string => `${b}${run}`;
  const forget = (dead: NodeName): void => {
    for (const b of [...model.keys()]) if (ownerOf(b) === dead) model.delete(b);
  };
  for (const [i, o] of ops.entries()) {
    const at = `run ${run} op ${i} ${JSON.stringify(o)}`;
    switch (o.t) {
      case 'create':
        expectOk(at, await result(() => clients[o.via].create(name(o.b))), undefined);
        if (!model.has(name(o.b))) model.set(name(o.b), new Map());
        break;
      case 'put': {
        const got = await result(() => clients[o.via].put(name(o.b), o.k, o.v));
        const m = model.get(name(o.b));
        if (m === undefined) expectNoBucket(at, got, name(o.b));
        else {
          expectOk(at, got, undefined);
          m.set(o.k, o.v);
        }
        break;
      }
      case 'get': {
        const got = await result(() => clients[o.via].get(name(o.b), o.k));
        const m = model.get(name(o.b));
        if (m === undefined) expectNoBucket(at, got, name(o.b));
        else expectOk(at, got, m.get(o.k));
        break;
      }
      case 'delete': {
        const got = await result(() => clients[o.via].delete(name(o.b), o.k));
        const m = model.get(name(o.b));
        if (m === undefined) expectNoBucket(at, got, name(o.b));
        else {
          expectOk(at, got, m.get(o.k));
          m.delete(o.k);
        }
        break;
      }
      case 'kill':
        await killAndWait(c, o.node);
        forget(o.node);
        break;
      case 'burst': {
        // Each write enters at its bucket's owner, so only the victim's own writes depend on the kill.
        const writes = o.writes.filter((w) => model.has(name(w.b)));
        const pending = writes.map((w) => result(() => clients[ownerOf(w.b)].put(name(w.b), w.k, w.v)));
        await killAndWait(c, o.victim);
        const outcomes = await Promise.all(pending);
        for (const [j, w] of writes.entries()) {
          const got = outcomes[j] as Awaited<ReturnType<typeof result>>;
          if (ownerOf(w.b) === o.victim) {
            if (!('ok' in got) && got.code !== 'KV_ERR_NODE_DOWN') fail(`${at} write ${j}: ${got.code} ${got.message}`);
            continue;
          }
          expectOk(`${at} write ${j} (acknowledged on a surviving node)`, got, undefined);
          model.get(name(w.b))?.set(w.k, w.v);
        }
        forget(o.victim);
        break;
      }
      default: {
        const never: never = o;
        fail(`unknown op ${JSON.stringify(never)}`);
      }
    }
  }
  // Everything the model holds is there, read through every entry node; what it lacks is not.
  for (const b of Object.values(OWNED).flat()) {
    const m = model.get(name(b));
    for (const via of NODES) {
      for (const k of ['a', 'b', 'c']) {
        const got = await result(() => clients[via].get(name(b), k));
        if (m === undefined) expectNoBucket(`final get ${name(b)} ${k} via ${via}`, got, name(b));
        else expectOk(`final get ${name(b)} ${k} via ${via}`, got, m.get(k));
      }
    }
  }
}

test('random operations and node kills agree with the model', async (t) => {
  const c = await cluster(t, {
    routingTable: [
      { range: 'a-h', node: 'foo' },
      { range: 'i-p', node: 'bar' },
      { range: 'q-z', node: 'baz' },
    ],
    nodes: Object.fromEntries(NODES.map((n) => [n, { restart: { maxRestarts: 1_000_000, withinMs: 1000 } }])),
  });
  const clients = Object.fromEntries(NODES.map((n) => [n, c.client({ via: n })])) as Record<NodeName, KvClient>;
  let run = 0;
  let kills = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(op, { maxLength: 30 }), async (ops) => {
      run++;
      kills += ops.filter((o) => o.t === 'kill' || o.t === 'burst').length;
      await runOne(c, clients, run, ops);
    }),
    { numRuns: 30, endOnFailure: true },
  );
  t.log(`${run} runs, ${kills} kills`);
  t.true(kills > 0);
  t.deepEqual(
    c.status().map((s) => s.state),
    ['up', 'up', 'up'],
  );
});
