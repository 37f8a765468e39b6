/**
 * Plays a scenario on a cluster and records what the checkers read: the buckets created first,
 * then two lanes on one clock, the workload's requests (never awaited: they overlap each other
 * and the faults) and the fault timeline (faults sharing an `atMs` one after the other, a later
 * group on time whatever an earlier one waits for); then, with `finalReads`, faults cleared,
 * paused nodes resumed, every written key read back and every node asked which buckets it holds.
 * The same code runs in virtual time (a simulation) and in real time (worker threads).
 */
import type { Cluster } from '../cluster/cluster.js';
import type { KvClient } from '../client.js';
import { KvError, messageOf } from '../protocol/errors.js';
import type { NodeDownEvent, NodeUpEvent } from '../cluster/events.js';
import type { RoutingTable } from '../core/routing.js';
import { ownerFrom } from '../core/routing.js';
import { toBytes } from '../core/bytes.js';
import { outcomeOf } from '../scenario/history.js';
import type { Death, HistoryOp, HistoryOpKind, TableChange } from '../scenario/history.js';
import { describeFault } from '../scenario/fault-spec.js';
import type { Fault, Scenario } from '../scenario/spec.js';
import { round } from '../scenario/numbers.js';
import type { RunRecord } from '../scenario/report.js';
import type { FaultRecord } from '../scenario/timeline-series.js';
import { valueOf } from '../scenario/workload.js';
import type { Workload } from '../scenario/workload.js';

/** The time a run is played in. */
export interface Clock {
  now(): number;
  /** Resolves once the time is `t` (at once if it is past). */
  until(t: number): Promise<void>;
  /** Resolves as `p` does (a simulation runs its events meanwhile); rejects past `withinMs` if given. */
  drive<T>(p: Promise<T>, withinMs?: number): Promise<T>;
}

/** Plays `s` with workload `w` on `cluster` (whose config has `hopLimit`); `progress(fraction)` is told how far the workload is. */
export async function play(cluster: Cluster, clock: Clock, s: Scenario, w: Workload, hopLimit: number, progress: (fraction: number) => void = () => undefined): Promise<RunRecord> {
  const history: HistoryOp[] = [];
  const inFlight: Promise<void>[] = [];
  const deaths: Death[] = [];
  const ups: { node: string; t: number }[] = [];
  const snapshot = (): Map<string, RoutingTable> => new Map(cluster.nodes.map((n) => [n, cluster.routingTable(n)]));
  const tables: TableChange[] = [{ t: 0, done: 0, tables: snapshot(), why: 'config' }];
  const clients = new Map<string, KvClient>(cluster.nodes.map((n) => [n, cluster.client({ via: n })]));
  const messagesAtStart = [...clients.values()].reduce((a, c) => a + c.counters.messages, 0);
  const issue = (op: HistoryOpKind, bucket: string, key: string, value: string | undefined, via: string, phase: HistoryOp['phase']): Promise<void> => {
    const h: HistoryOp = { id: history.length, op, bucket, key, value, via, invoke: clock.now(), complete: Infinity, outcome: undefined, phase };
    history.push(h);
    const kv = clients.get(via) as KvClient;
    const p: Promise<unknown> = op === 'get' ? kv.get(bucket, key) : op === 'put' ? kv.put(bucket, key, value ?? '') : op === 'delete' ? kv.delete(bucket, key) : kv.create(bucket);
    const done = p.then(
      (v) => void ((h.complete = clock.now()), (h.outcome = outcomeOf({ value: v }))),
      (e: unknown) => void ((h.complete = clock.now()), (h.outcome = outcomeOf({ error: e }))),
    );
    inFlight.push(done);
    return done;
  };
  const paused = new Set<string>();
  cluster.on('nodedown', (e: NodeDownEvent) => {
    deaths.push({ node: e.node, t: clock.now(), reason: e.reason.message });
    paused.delete(e.node);
  });
  cluster.on('nodeup', (e: NodeUpEvent) => {
    ups.push({ node: e.node, t: clock.now() });
    if (!s.workload.recreate) return;
    const now = snapshot();
    for (const b of w.buckets) if (ownerFrom(now, e.node, toBytes(b)) === e.node) void issue('create', b, '', undefined, e.node, 'recreate');
  });
  cluster.on('routingtable', ({ node }) => tables.push({ t: clock.now(), done: clock.now(), tables: snapshot(), why: `node ${node}'s own put_env` }));
  const entry = w.entries[0] as string;
  await clock.drive(Promise.all(w.buckets.map((b) => issue('create', b, '', undefined, entry, 'setup'))));
  const start = clock.now();
  const faults: FaultRecord[] = [];
  let killed = 0;
  // Which directions duplicate frames, and when any did.
  const dup = new Map<string, number>();
  const duplicating: { from: number; to: number }[] = [];
  const noteDuplicating = (): void => {
    const on = [...dup.values()].some((p) => p > 0);
    const open = duplicating.at(-1)?.to === Infinity;
    if (on && !open) duplicating.push({ from: clock.now(), to: Infinity });
    if (!on && open) (duplicating.at(-1) as { to: number }).to = clock.now();
  };
  const apply = async (f: Fault): Promise<void> => {
    switch (f.kind) {
      case 'link':
        if (f.settings.duplicate !== undefined) dup.set(`${f.from}→${f.to}`, f.settings.duplicate);
        noteDuplicating();
        return cluster.faults.link(f.from, f.to, f.settings);
      case 'partition':
        for (let i = 0; i < f.groups.length; i++) for (let j = i + 1; j < f.groups.length; j++) await cluster.faults.partition(f.groups[i] as string[], f.groups[j] as string[], { oneWay: f.oneWay });
        return;
      case 'heal':
        return cluster.faults.heal();
      case 'clear':
        dup.clear();
        noteDuplicating();
        return cluster.faults.clear();
      case 'kill':
        // What it sent in the life that ends here counts too.
        killed += await cluster.stats(f.node).then(
          (st) => st.messages,
          () => 0,
        );
        return cluster.kill(f.node);
      case 'pause':
        paused.add(f.node);
        return cluster.pause(f.node);
      case 'resume':
        paused.delete(f.node);
        cluster.resume(f.node);
        return;
      case 'setRoutingTable':
        await cluster.setRoutingTable(f.node, f.table);
        return;
    }
  };
  const group = async (g: readonly Fault[]): Promise<void> => {
    const t = clock.now();
    for (const f of g) {
      const at = clock.now();
      const error = await apply(f).then(() => undefined, reason);
      faults.push({ index: f.index, atMs: f.atMs, what: describeFault(f), at: round(at, 6), done: round(clock.now(), 6), ...(error === undefined ? {} : { error }) });
    }
    // Tables changed together count as one change (the checkers see no half-swapped state).
    const swaps = g.filter((f) => f.kind === 'setRoutingTable');
    if (swaps.length > 0) tables.push({ t, done: clock.now(), tables: snapshot(), why: `setRoutingTable (${swaps.map((f) => `faults[${f.index}]`).join(', ')})` });
  };
  const groups: Promise<void>[] = [];
  const faultLane = (async () => {
    for (let i = 0, j = 0; i < s.faults.length; i = j) {
      const atMs = (s.faults[i] as Fault).atMs;
      while (j < s.faults.length && (s.faults[j] as Fault).atMs === atMs) j++;
      await clock.until(start + atMs);
      groups.push(group(s.faults.slice(i, j)));
    }
  })();
  const step = Math.max(1, Math.floor(w.ops.length / 100));
  for (const [n, op] of w.ops.entries()) {
    if (start + op.t > clock.now()) await clock.until(start + op.t);
    void issue(op.op, op.bucket, op.key, op.op === 'put' ? valueOf(op.i) : undefined, op.via, 'run');
    if (n % step === 0) progress(op.t / s.durationMs);
  }
  await clock.until(start + s.durationMs);
  await faultLane;
  const settle = cluster.nodes.length * 2_000 + 1_000;
  if (s.finalReads) {
    dup.clear();
    noteDuplicating();
    await clock.drive(cluster.faults.clear());
    for (const node of paused) cluster.resume(node);
  }
  await clock.drive(Promise.allSettled(groups), settle).catch(() => undefined);
  await clock.drive(Promise.all(inFlight));
  let probe: RunRecord['probe'];
  if (s.finalReads) {
    const written = new Set(history.filter((h) => h.op === 'put' || h.op === 'delete').map((h) => `${h.bucket}\u0000${h.key}`));
    let k = 0;
    for (const name of written) {
      const [bucket, key] = name.split('\u0000') as [string, string];
      void issue('get', bucket, key, undefined, w.entries[k++ % w.entries.length] as string, 'final');
    }
    await clock.drive(Promise.all(inFlight));
    probe = { t: clock.now(), held: await holders(cluster, clock, w.buckets) };
  }
  progress(1);
  const messages = [...clients.values()].reduce((a, c) => a + c.counters.messages, 0) - messagesAtStart + killed + (await nodeMessages(cluster, clock));
  return { history, timeline: { nodes: cluster.nodes, hopLimit, tables, deaths, ups, duplicating }, faults, workload: w, start, end: clock.now(), probe, messages };
}

/** Why a fault failed, in one line: a refused table's issues, or the error's message. */
function reason(e: unknown): string {
  if (e instanceof KvError && e.issues.length > 0) return e.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return e instanceof Error ? e.message : messageOf(e);
}

/** For each bucket, the nodes that say they hold it; a bucket is left out if some node did not answer. */
async function holders(cluster: Cluster, clock: Clock, buckets: readonly string[]): Promise<Map<string, string[]>> {
  const held = new Map<string, string[]>();
  await clock.drive(
    Promise.all(
      buckets.map(async (b) => {
        const answers = await Promise.all(
          cluster.nodes.map((n) =>
            cluster.call<string | null>(n, 'KV.Registry', 'lookup', [b]).then(
              (x) => (x === null ? [] : [n]),
              () => undefined,
            ),
          ),
        );
        if (answers.every((a) => a !== undefined)) held.set(b, answers.flat());
      }),
    ),
  );
  return held;
}

/** Data-plane messages every node that is up has sent in its current life. */
async function nodeMessages(cluster: Cluster, clock: Clock): Promise<number> {
  const counts = await clock.drive(
    Promise.all(
      cluster.nodes.map((n) =>
        cluster.stats(n).then(
          (st) => st.messages,
          () => 0,
        ),
      ),
    ),
  );
  return counts.reduce((a, b) => a + b, 0);
}
