/** Helpers of the supervision tests: waiting for cluster events with a deadline. */
import { once } from 'node:events';
import type { Cluster, NodeDownEvent, NodeUpEvent } from '../../src/index.js';
import { fixture } from '../helpers.js';

/** Two nodes, the guide's table, the test modules loaded. */
export const modules = { Hello: fixture('hello.js'), Crash: fixture('crash.js') };

/** The next `event` of node `node`, or rejects after `ms` (a generous bound, not a sleep). */
export async function nextEvent<E extends 'nodedown' | 'nodeup'>(c: Cluster, event: E, node: string, ms = 15_000): Promise<E extends 'nodedown' ? NodeDownEvent : NodeUpEvent> {
  const signal = AbortSignal.timeout(ms);
  for (;;) {
    const [payload] = (await once(c, event, { signal })) as [NodeDownEvent | NodeUpEvent];
    if (payload.node === node) return payload as E extends 'nodedown' ? NodeDownEvent : NodeUpEvent;
  }
}

/** Kills `node` and waits until it is up again; resolves with the nodeup event. */
export async function killAndWait(c: Cluster, node: string): Promise<NodeUpEvent> {
  const up = nextEvent(c, 'nodeup', node);
  await c.kill(node);
  return up;
}

/** Counts every nodedown and nodeup event, by node. */
export function countEvents(c: Cluster): { down: string[]; up: string[] } {
  const seen = { down: [] as string[], up: [] as string[] };
  c.on('nodedown', (e) => seen.down.push(e.node));
  c.on('nodeup', (e) => seen.up.push(e.node));
  return seen;
}

/** Milliseconds since `start` (performance.now()). */
export function since(start: number): number {
  return performance.now() - start;
}
