/**
 * The load itself: lanes that each keep one call (a single op or a batch) in flight until the
 * deadline, spread over the clients given (one per entry node), latencies into a histogram.
 * Runs the same in the main thread and in a client thread.
 */
import type { BatchItem, KvClient } from '../client.js';
import { KvError } from '../protocol/errors.js';
import { Histogram } from './histogram.js';
import type { LoadResult, LoadTask } from '../protocol/messages.js';

/** The workloads of `kvmesh bench`: reads, writes, or 75 % reads and 25 % writes. */
export type Workload = LoadTask['workload'];

/** What one load run does: a load task without the attachment (the clients are given). */
export type LoadSpec = Omit<LoadTask, 'attachment' | 'laneBase'> & { readonly laneBase?: number };

const VALUE = 'value-0123456789abcdef';

/** The key of op `n`: spread over the key space so that reads hit preloaded keys. */
export const keyOf = (n: number, keys: number): string => `key${(n * 7919) % keys}`;

/** Runs `spec` against `clients` until its duration is over; `progress` gets the ops done so far now and then. */
export async function runLoad(clients: readonly KvClient[], spec: LoadSpec, progress?: (ops: number) => void): Promise<LoadResult> {
  const first = clients[0];
  if (first === undefined) throw new KvError('KV_ERR_BAD_ARGUMENT', 'kvmesh bench: no client to run the load with');
  const hist = new Histogram();
  const { buckets, keys, batch, workload } = spec;
  let ops = 0;
  let calls = 0;
  let errors = 0;
  let firstError: string | undefined;
  const fail = (e: unknown): void => {
    errors++;
    firstError ??= e instanceof Error ? `${(e as KvError).code ?? e.name}: ${e.message}` : String(e);
  };
  const isPut = (n: number): boolean => workload === 'put' || (workload === 'mixed' && (n & 3) === 0);
  const before = { ...first.counters };
  const t0 = performance.now();
  const end = t0 + spec.durationMs;
  let lastProgress = t0;
  const lane = async (laneNo: number): Promise<void> => {
    const kv = clients[laneNo % clients.length] as KvClient;
    let n = (spec.laneBase ?? 0) * 1_000_003 + laneNo * 65_537;
    const items: BatchItem[] = [];
    while (performance.now() < end) {
      const start = performance.now();
      try {
        if (batch <= 1) {
          const bucket = buckets[n % buckets.length] as string;
          if (isPut(n)) await kv.put(bucket, keyOf(n, keys), VALUE);
          else await kv.get(bucket, keyOf(n, keys));
          n++;
        } else {
          items.length = 0;
          for (let i = 0; i < batch; i++, n++) {
            const bucket = buckets[n % buckets.length] as string;
            items.push(isPut(n) ? { op: 'put', bucket, key: keyOf(n, keys), value: VALUE } : { op: 'get', bucket, key: keyOf(n, keys) });
          }
          for (const r of await kv.batch(items)) if (r instanceof KvError) fail(r);
        }
      } catch (e) {
        fail(e);
      }
      const now = performance.now();
      hist.record((now - start) * 1000);
      calls++;
      ops += batch;
      if (progress !== undefined && now - lastProgress > 100) {
        lastProgress = now;
        progress(ops);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, spec.inflight) }, (_, i) => lane(i)));
  const after = first.counters;
  return { ops, calls, errors, firstError, elapsedMs: performance.now() - t0, counts: hist.counts, frames: after.frames - before.frames, messages: after.messages - before.messages };
}
