/** The shape of the behaviour suite's cases: what a case gets, how a group registers its cases. */
import type { ExecutionContext } from 'ava';
import type { KvConfig } from '../../src/index.js';
import type { Capabilities, ClusterUnderTest, SupervisedCluster } from './host.js';

/** What a case gets beside its cluster: the host's clock and capabilities, and more clusters. */
export interface Harness {
  readonly capabilities: Capabilities;
  /** Whether deadlines can be asserted exactly (virtual time). */
  readonly virtualTime: boolean;
  /** Ms on the clock of this case's cluster. */
  now(): number;
  /** Waits for `promise` (an event, say) at most `ms` on that clock. */
  settle<T>(promise: Promise<T>, ms: number, what: string): Promise<T>;
  /** Another cluster on the same host, closed when the case ends. */
  start(config: KvConfig): Promise<ClusterUnderTest>;
  /** What the case's cluster's processes wrote through their group leader (the app), so far. */
  output(): string;
}

/** A case's body. */
export type Body<C> = (c: C, t: ExecutionContext, h: Harness) => Promise<void>;

/** A capability a case may need. */
export type Need = 'supervision' | 'faults';

/** How a group of cases registers them. */
export interface Suite {
  /** A case every host runs. */
  test(title: string, config: KvConfig, body: Body<ClusterUnderTest>): void;
  /** A case that needs these capabilities of its host. */
  testWith(needs: readonly Need[], title: string, config: KvConfig, body: Body<SupervisedCluster>): void;
}

/**
 * Asserts how long after `start` a deadline fired (or a delayed answer came): exactly `virtual` ms
 * on virtual time; on a real clock at least `atLeast` ms (less the timer clock's 1 ms grain) and under `below` ms.
 */
export function waited(t: ExecutionContext, h: Harness, start: number, expected: { virtual: number; atLeast: number; below: number }): void {
  const took = h.now() - start;
  if (h.virtualTime) t.is(took, expected.virtual, `${took} virtual ms after the request`);
  // libuv keeps timers on a whole-ms clock read once per loop turn: a timer may fire up to 1 ms early by performance.now.
  else t.true(took >= expected.atLeast - 1 && took < expected.below, `${took.toFixed(1)} ms after the request (expected ${expected.atLeast} to ${expected.below}, 1 ms early allowed)`);
}
