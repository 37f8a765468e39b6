/**
 * The load itself: lanes that each keep one call (a single op or a batch) in flight until the
 * deadline, spread over the clients given (one per entry node), latencies into a histogram.
 * Runs the same in the main thread and in a client thread.
 */
import type { RecordableHistogram } from 'node:perf_hooks';
import type { BatchItem, KvClient } from '../client.js';
import { Errors, KvError } from '../protocol/errors.js';
import type { ClientAttachment } from '../protocol/messages.js';
import { latencyHistogram, recordMs } from './histogram.js';
import { newSamples, recordSample } from './samples.js';
import type { Samples } from './samples.js';

/** The workloads of `kvmesh bench`: reads, writes, or 75 % reads and 25 % writes. */
export type Workload = 'get' | 'put' | 'mixed';

/** What one load run does. */
export interface LoadSpec {
  readonly workload: Workload;
  /** Calls kept in flight. */
  readonly inflight: number;
  readonly durationMs: number;
  /** Ops per call: 1 = single ops, more = batches. */
  readonly batch: number;
  readonly buckets: readonly string[];
  /** Keys per bucket. */
  readonly keys: number;
  /** Where the lanes start numbering, so client threads spread over the keys. */
  readonly laneBase?: number;
}

/** What a load-generator thread runs (a piscina task; `attachment`'s ports are transferred). */
export interface LoadTask extends LoadSpec {
  readonly attachment: ClientAttachment;
}

/** What a load run measured. */
export interface LoadRun {
  readonly ops: number;
  readonly calls: number;
  readonly errors: number;
  readonly firstError: string | undefined;
  readonly elapsedMs: number;
  /** Per-call latency in ns (a client thread's arrives as a structured clone, ready to `add`). */
  readonly latency: RecordableHistogram;
  /** Latency bins and ops per interval, for the pictures. */
  readonly samples: Samples;
  /** Frames and messages this run's client posted. */
  readonly frames: number;
  readonly messages: number;
}

const VALUE = 'value-0123456789abcdef';

/** The key of op `n`: spread over the key space so that reads hit preloaded keys. */
export const keyOf = (n: number, keys: number): string => `key${(n * 7919) % keys}`;

/** Runs `spec` against `clients` until its duration is over. */
export async function runLoad(clients: readonly KvClient[], spec: LoadSpec): Promise<LoadRun> {
  const first = clients[0];
  if (first === undefined) throw Errors.badArgument('no client to run the load with');
  const latency = latencyHistogram();
  const samples = newSamples(spec.durationMs);
  const { buckets, keys, batch, workload } = spec;
  let ops = 0;
  let calls = 0;
  let errors = 0;
  let firstError: string | undefined;
  const fail = (e: unknown): void => {
    errors++;
    firstError ??= e instanceof Error ? `${(e as Partial<KvError>).code ?? e.name}: ${e.message}` : String(e);
  };
  const isPut = (n: number): boolean => workload === 'put' || (workload === 'mixed' && (n & 3) === 0);
  const before = { ...first.counters };
  const t0 = performance.now();
  const end = t0 + spec.durationMs;
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
      recordMs(latency, now - start);
      recordSample(samples, now - start, now - t0, batch);
      calls++;
      ops += batch;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, spec.inflight) }, (_, i) => lane(i)));
  const after = first.counters;
  return { ops, calls, errors, firstError, elapsedMs: performance.now() - t0, latency, samples, frames: after.frames - before.frames, messages: after.messages - before.messages };
}
