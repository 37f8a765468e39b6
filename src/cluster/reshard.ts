/**
 * A live move of the running cluster to new tables (`cluster.reshard`), driven by the supervisor,
 * the one writer of the tables, as Redis's atomic slot migration and Valkey's design do it: every
 * node lays the move over its table and starts noting writes to the buckets moving out; their
 * snapshot goes to the new owners in chunks; then the writes that came meanwhile, in rounds; then a
 * short fence (requests for moving buckets wait at their old owner) and the last writes; the new
 * owners take over, the old ones forward what reaches them; then the tables' version moves. A node
 * that dies before the new owners take over undoes the move: the old owners keep serving.
 */
import type { KvError } from '../protocol/errors.js';

export type { ReshardProgress, ReshardResult } from './events.js';
import type { MoveItem, NodeAnswers, NodeCommand, Tables } from '../protocol/messages.js';
import type { Scheduler } from '../transport/scheduler.js';
import { everyNode } from './node-calls.js';
import type { ReshardProgress, ReshardResult } from './events.js';
import type { Nodes } from './node-calls.js';

/** What a reshard needs of the cluster. */
export interface ReshardContext {
  readonly nodes: Nodes;
  readonly clock: Scheduler;
  /** Makes `next` the tables in force (version + 1) and pushes them to every node; resolves with the new version. */
  readonly commit: (next: Tables) => Promise<number>;
  readonly version: () => number;
  /** This move's id, new for each (the nodes refuse commands of another). */
  readonly id: number;
}

/** Keys per snapshot chunk: small, so that neither end blocks its requests for long (measured: 4096 keys per chunk cut the throughput of the moving buckets to 6 %, 256 keep about 90 %). */
const CHUNK_KEYS = 256;
const MAX_ROUNDS = 4;
/** A catch-up round that sends fewer keys than this is the last before the fence. */
const SMALL_DELTA = 512;
/** Control calls of a move carry chunks: they get longer than the usual 2 s. */
const MOVE_CALL_MS = 30_000;

/** Ms as a result gives them: to the ns (virtual time sums fractions of a ms that a double does not hold exactly). */
const ms = (x: number): number => Math.round(x * 1e6) / 1e6;

/** Moves the cluster to `next` live; resolves with what it did (a move undone is a result, not an error). */
export async function reshard(ctx: ReshardContext, next: Tables, onProgress: (p: ReshardProgress) => void = () => undefined): Promise<ReshardResult> {
  const { id } = ctx;
  const started = ctx.clock.now();
  const { nodes } = ctx;
  const ask = <C extends NodeCommand>(i: number, cmd: C): Promise<NodeAnswers[C['type']]> => nodes.call(i, cmd.type, (c) => c.command(cmd), MOVE_CALL_MS);
  const all = <C extends NodeCommand>(cmd: C): Promise<(NodeAnswers[C['type']] | undefined)[]> => everyNode(nodes, cmd.type, (c) => c.command(cmd), MOVE_CALL_MS);
  let sent = 0;
  let rounds = 0;
  // Sends items to their new owners, one import per owner.
  const deliver = async (items: readonly MoveItem[]): Promise<void> => {
    const byTarget = new Map<number, MoveItem[]>();
    for (const item of items) {
      const list = byTarget.get(item[0]);
      if (list === undefined) byTarget.set(item[0], [item]);
      else list.push(item);
    }
    await Promise.all([...byTarget].map(([to, list]) => ask(to, { type: 'move-import', id, items: list })));
    for (const item of items) sent += item[3];
  };
  const begun = await all({ type: 'move-begin', id, next });
  const sources = begun.flatMap((b, i) => (b !== undefined && b.buckets > 0 ? [i] : []));
  const moved = { buckets: 0, keys: 0, bytes: 0 };
  for (const b of begun) {
    moved.buckets += b?.buckets ?? 0;
    moved.keys += b?.keys ?? 0;
  }
  const progress = (phase: ReshardProgress['phase']): void => onProgress({ phase, keys: sent, totalKeys: moved.keys });
  let fenceAt = 0;
  try {
    progress('copy');
    await Promise.all(
      sources.map(async (i) => {
        for (;;) {
          const { items, done, bytes } = await ask(i, { type: 'move-chunk', id, max: CHUNK_KEYS });
          await deliver(items);
          moved.bytes += bytes;
          progress('copy');
          if (done) return;
        }
      }),
    );
    const catchUp = async (): Promise<number> => {
      const before = sent;
      await Promise.all(sources.map(async (i) => deliver(await ask(i, { type: 'move-delta', id }))));
      return sent - before;
    };
    while (rounds < MAX_ROUNDS) {
      rounds++;
      const n = await catchUp();
      progress('catch-up');
      if (n < SMALL_DELTA) break;
    }
    fenceAt = ctx.clock.now();
    progress('fence');
    await Promise.all(sources.map(async (i) => deliver(await ask(i, { type: 'move-fence', id }))));
    // Every node up and taking part: the new owners serve what moved in (the commit point).
    const owning = await all({ type: 'move-own', id });
    const lost = owning.findIndex((o, i) => o === undefined && begun[i] !== undefined);
    if (lost >= 0) throw new Error(`node "${nodes.names[lost]}" went down during the move`);
  } catch (e) {
    await all({ type: 'move-abort', id }).catch(() => undefined);
    progress('rolled back');
    const reason = (e as KvError).message;
    return { committed: false, reason, version: ctx.version(), moved, rounds, fenceMs: fenceAt === 0 ? 0 : ms(ctx.clock.now() - fenceAt), held: 0, durationMs: ms(ctx.clock.now() - started) };
  }
  const released = await all({ type: 'move-release', id });
  const fenceMs = ms(ctx.clock.now() - fenceAt);
  progress('switch');
  const version = await ctx.commit(next);
  await all({ type: 'move-end', id });
  progress('done');
  const held = released.reduce((n, r) => n + (r?.held ?? 0), 0);
  return { committed: true, version, moved, rounds, fenceMs, held, durationMs: ms(ctx.clock.now() - started) };
}
