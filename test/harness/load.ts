/**
 * A write load for moves: writers that each own some keys and write increasing numbers to them,
 * one at a time, single ops and batches, so that after the load every key must hold at least the
 * last number acknowledged to its writer. Lost acknowledged writes are counted, and errors.
 */
import type { ClusterUnderTest } from './host.js';
import type { BatchItem } from '../../src/index.js';

/** A load under way: `stop()` ends it and resolves with what it saw. */
export interface Load {
  stop(): Promise<{ ops: number; errors: string[]; check: () => Promise<{ keys: number; lost: string[] }> }>;
}

/** Starts `writers` writers over `buckets` through `via` (one op at a time each; every third writer sends batches of two). */
export function writeLoad(c: ClusterUnderTest, buckets: readonly string[], writers: number, via: readonly string[]): Load {
  const acked = new Map<string, number>();
  const errors: string[] = [];
  let ops = 0;
  let stopped = false;
  const writer = async (w: number): Promise<void> => {
    const kv = c.client({ via: via[w % via.length] as string });
    for (let n = 1; !stopped; n++) {
      const bucket = buckets[(w + n) % buckets.length] as string;
      const key = `w${w}`;
      const other = buckets[(w + n + 1) % buckets.length] as string;
      try {
        if (w % 3 === 2) {
          const items: BatchItem[] = [
            { op: 'put', bucket, key, value: String(n) },
            { op: 'put', bucket: other, key: `${key}b`, value: String(n) },
          ];
          const results = await kv.batch(items);
          results.forEach((r, i) => (r instanceof Error ? errors.push(r.message) : acked.set(`${items[i]?.bucket}\u0000${i === 0 ? key : `${key}b`}`, n)));
        } else {
          await kv.put(bucket, key, String(n));
          acked.set(`${bucket}\u0000${key}`, n);
        }
        ops++;
      } catch (e) {
        errors.push((e as Error).message);
      }
    }
  };
  const running = Array.from({ length: writers }, (_, w) => writer(w));
  return {
    async stop() {
      stopped = true;
      await Promise.all(running);
      const check = async (): Promise<{ keys: number; lost: string[] }> => {
        const kv = c.client({ via: via[0] as string });
        const lost: string[] = [];
        for (const [at, n] of acked) {
          const [bucket, key] = at.split('\u0000') as [string, string];
          const value = await kv.get(bucket, key).catch((e: Error) => e.message);
          if (!(Number(value ?? 0) >= n)) lost.push(`${bucket}/${key}: acknowledged ${n}, read ${String(value)}`);
        }
        return { keys: acked.size, lost };
      };
      return { ops, errors, check };
    },
  };
}
