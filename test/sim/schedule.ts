/**
 * Random fault schedules for the simulation's property tests, as data (so fast-check shrinks the
 * faults and ops themselves, not a seed: research-next.md §1.7), and the runner that plays one on
 * a simulation, recording every request's issue and settle time and outcome, the deaths, and
 * when some link duplicated frames.
 */
import fc from 'fast-check';
import type { LinkSettings, Simulation } from '../../src/testing.js';
import type { KvConfig } from '../../src/index.js';
import { overlaps } from './history.js';
import type { Outcome } from './history.js';

/** A config to run schedules on, the buckets to use (each owner's) and the node names. */
export interface Setup {
  readonly name: string;
  readonly config: KvConfig & { timeout: number };
  readonly nodes: readonly string[];
  readonly buckets: readonly string[];
  readonly keys: readonly string[];
}

/** One step: a request entering at a node (not awaited: requests overlap faults and each other), or a fault, or time passing. */
export type Step =
  | { readonly k: 'op'; readonly op: 'create' | 'put' | 'get' | 'delete'; readonly via: number; readonly bucket: number; readonly key: number }
  | { readonly k: 'sleep'; readonly ms: number }
  | { readonly k: 'partition'; readonly a: readonly string[]; readonly b: readonly string[]; readonly oneWay: boolean }
  | { readonly k: 'link'; readonly from: string; readonly to: string; readonly set: Partial<LinkSettings> }
  | { readonly k: 'heal' | 'clear' }
  | { readonly k: 'kill' | 'pause' | 'resume'; readonly node: string };

/** A request as it went: where it entered, what it wrote (`v<step>` for a put), when it was issued and settled, how. */
export interface Request {
  readonly step: number;
  readonly op: 'create' | 'put' | 'get' | 'delete';
  readonly via: string;
  readonly bucket: string;
  readonly key: string;
  readonly value: string | undefined;
  readonly issued: number;
  settled: number;
  outcome: Outcome | undefined;
  dupable: boolean;
}

/** What a played schedule left to check. */
export interface Played {
  readonly requests: readonly Request[];
  /** Virtual times of each node's deaths (`nodedown`). */
  readonly deaths: ReadonlyMap<string, readonly number[]>;
}

/** The arbitrary of one schedule on `setup`: 1 to `max` steps, about half of them requests. */
export function schedule(setup: Setup, max: number): fc.Arbitrary<Step[]> {
  const parties = [...setup.nodes, 'client'];
  const n = setup.nodes.length;
  const node = fc.constantFrom(...setup.nodes);
  const party = fc.constantFrom(...parties);
  const ms = (top: number): fc.Arbitrary<number> => fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: top }));
  const settings: fc.Arbitrary<Partial<LinkSettings>> = fc.record({ delayMs: ms(400), jitterMs: ms(100), drop: fc.constantFrom(0, 0.1, 0.5, 1), duplicate: fc.constantFrom(0, 0.2, 1) }, { requiredKeys: [] });
  const groups = fc.tuple(fc.subarray(parties, { minLength: 1, maxLength: parties.length - 1 }), fc.subarray(parties, { minLength: 1 }));
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 12, arbitrary: fc.record({ k: fc.constant('op' as const), op: fc.constantFrom('create' as const, 'put' as const, 'put' as const, 'get' as const, 'delete' as const), via: fc.nat(n - 1), bucket: fc.nat(setup.buckets.length - 1), key: fc.nat(setup.keys.length - 1) }) },
    { weight: 5, arbitrary: fc.record({ k: fc.constant('sleep' as const), ms: ms(500) }) },
    {
      weight: 2,
      arbitrary: fc.record({ groups, oneWay: fc.boolean() }).map(({ groups: [a, b], oneWay }) => {
        // Groups must not share a member: B is what A leaves of it, or else the first party outside A.
        const rest = b.filter((p) => !a.includes(p));
        return { k: 'partition' as const, a, b: rest.length > 0 ? rest : [parties.find((p) => !a.includes(p)) as string], oneWay };
      }),
    },
    { weight: 3, arbitrary: fc.record({ k: fc.constant('link' as const), from: party, to: party, set: settings }).filter((s) => s.from !== s.to) },
    { weight: 1, arbitrary: fc.record({ k: fc.constantFrom('heal' as const, 'clear' as const) }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constantFrom('kill' as const, 'pause' as const, 'resume' as const, 'resume' as const), node }) },
  );
  return fc.array(step, { minLength: 1, maxLength: max, size: 'max' });
}

type Client = ReturnType<Simulation['client']>;

/** Calls `done` with the outcome of `p` when it settles. */
function settle(p: Promise<unknown>, done: (o: Outcome) => void): Promise<void> {
  return p.then(
    (ok) => done({ ok }),
    (e: unknown) => done({ code: String((e as { code?: unknown }).code), message: (e as Error).message }),
  );
}

/**
 * Plays `steps` on `sim` (buckets created first); resolves once the faults are cleared, every node
 * is resumed and every deadline is past. `serial`: a request is issued only once the one before
 * it settled (faults and sleeps still land while it is in flight).
 */
export async function play(sim: Simulation, setup: Setup, steps: readonly Step[], serial = false): Promise<Played> {
  const requests: Request[] = [];
  const deaths = new Map<string, number[]>(setup.nodes.map((n) => [n, []]));
  sim.on('nodedown', ({ node }: { node: string }) => deaths.get(node)?.push(sim.now()));
  const clients = setup.nodes.map((via) => sim.client({ via }));
  const inFlight: Promise<void>[] = [];
  const issue = (r: Request, p: Promise<unknown>): void => {
    requests.push(r);
    inFlight.push(
      settle(p, (o) => {
        r.settled = sim.now();
        r.outcome = o;
      }),
    );
  };
  // The buckets, created first (entering at the first node), are requests like the others.
  for (const bucket of setup.buckets) {
    issue({ step: -1, op: 'create', via: setup.nodes[0] as string, bucket, key: '', value: undefined, issued: sim.now(), settled: NaN, outcome: undefined, dupable: false }, (clients[0] as Client).create(bucket));
  }
  await Promise.all(inFlight);
  // When some direction duplicates frames: intervals, the last open until a clear.
  const dups: { from: number; to: number }[] = [];
  const duplicating = new Set<string>();
  const setDup = (key: string | undefined, on: boolean): void => {
    const was = duplicating.size > 0;
    if (key === undefined) duplicating.clear();
    else if (on) duplicating.add(key);
    else duplicating.delete(key);
    if (!was && duplicating.size > 0) dups.push({ from: sim.now(), to: Infinity });
    const last = dups.at(-1);
    if (was && duplicating.size === 0 && last !== undefined) last.to = sim.now();
  };
  // A control call refused because the node is not up (killed, restarting) is part of the game, nothing else.
  const control = (p: Promise<unknown>): Promise<unknown> =>
    p.catch((e: { code?: string }) => {
      if (e.code !== 'KV_ERR_NODE_DOWN') throw e;
    });
  for (const [i, s] of steps.entries()) {
    switch (s.k) {
      case 'op': {
        if (serial) await inFlight.at(-1);
        const via = setup.nodes[s.via] as string;
        const kv = clients[s.via] as Client;
        const bucket = setup.buckets[s.bucket] as string;
        const key = setup.keys[s.key] as string;
        const value = s.op === 'put' ? `v${i}` : undefined;
        const p = s.op === 'create' ? kv.create(bucket) : s.op === 'put' ? kv.put(bucket, key, value as string) : s.op === 'get' ? kv.get(bucket, key) : kv.delete(bucket, key);
        issue({ step: i, op: s.op, via, bucket, key, value, issued: sim.now(), settled: NaN, outcome: undefined, dupable: false }, p);
        break;
      }
      case 'sleep':
        await sim.sleep(s.ms);
        break;
      case 'partition':
        await sim.faults.partition([...s.a], [...s.b], { oneWay: s.oneWay });
        break;
      case 'link':
        await sim.faults.link(s.from, s.to, s.set);
        if (s.set.duplicate !== undefined) setDup(`${s.from}→${s.to}`, s.set.duplicate > 0);
        break;
      case 'heal':
        await sim.faults.heal();
        break;
      case 'clear':
        await sim.faults.clear();
        setDup(undefined, false);
        break;
      case 'kill':
        await control(sim.kill(s.node));
        break;
      case 'pause':
        await control(sim.pause(s.node));
        break;
      case 'resume':
        sim.resume(s.node);
        break;
    }
  }
  await sim.faults.clear();
  setDup(undefined, false);
  for (const n of setup.nodes) sim.resume(n);
  // Past every deadline, every held or delayed frame (400 + 100 ms a hop, twice for a copy) and every restart.
  // Nothing is awaited beyond that: a request still pending then is what property a reports.
  await sim.sleep(3_000);
  for (const r of requests) r.dupable = overlaps(dups, r.issued, r.settled);
  return { requests, deaths };
}
