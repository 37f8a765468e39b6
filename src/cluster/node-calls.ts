/** The supervisor's calls to every node at once, as plans, recordings and reshards make them: each node that is up answers, or `undefined`. */
import type { KvError } from '../protocol/errors.js';
import type { BucketSize } from '../plan/plan.js';
import type { ControlCalls } from './host.js';

/** What these calls need of the supervisor. */
export interface Nodes {
  readonly names: readonly string[];
  isUp(index: number): boolean;
  call<T>(index: number, what: string, fn: (control: ControlCalls<unknown>) => Promise<T>, ms?: number): Promise<T>;
}

/** The answers of every node that is up (a node that is down, or dies meanwhile, answers `undefined`). */
export async function everyNode<T>(nodes: Nodes, what: string, fn: (control: ControlCalls<unknown>) => Promise<T>, ms?: number): Promise<(T | undefined)[]> {
  return Promise.all(
    nodes.names.map((_, i) =>
      nodes.isUp(i)
        ? nodes.call(i, what, fn, ms).catch((e: unknown) => {
            if ((e as KvError).code === 'KV_ERR_NODE_DOWN') return undefined;
            throw e;
          })
        : Promise.resolve(undefined),
    ),
  );
}

/** The buckets each node holds now, by node name (a node that is down holds none it can give); their bytes too when `bytes`. */
export async function inventories(nodes: Nodes, bytes: boolean): Promise<Map<string, BucketSize[]>> {
  const all = await everyNode(nodes, 'inventory', (c) => c.command({ type: 'inventory', bytes }));
  return new Map(nodes.names.map((name, i) => [name, (all[i] ?? []).map(([bucket, keys, bytes]) => ({ bucket, keys, bytes }))]));
}
