/** A task started with `cluster.async`: Erlang's Task.Supervisor.async on a node, then Task.await. */
import { withDeadline } from '../transport/deadline.js';
import type { Scheduler } from '../transport/scheduler.js';
import { requireTimeout } from '../client.js';

/** A call running on a node; `await(ms)` waits for its result. */
export class Task<T = unknown> {
  /** The node it runs on. */
  readonly node: string;
  /** `Module.fun/arity`. */
  readonly mfa: string;
  readonly #result: Promise<T>;
  readonly #scheduler: Scheduler;

  /** Made by `cluster.async`. */
  constructor(node: string, mfa: string, result: Promise<unknown>, scheduler: Scheduler) {
    this.#scheduler = scheduler;
    this.node = node;
    this.mfa = mfa;
    this.#result = result as Promise<T>;
    // Awaiting is optional, as in Erlang: an unawaited failure must not become an unhandled rejection.
    this.#result.catch(() => undefined);
  }

  /** The task's result; rejects with KV_ERR_TIMEOUT if it takes longer than `timeoutMs` from now (default 5000). */
  await(timeoutMs = 5000): Promise<T> {
    try {
      requireTimeout(timeoutMs, 'timeout', 'Task.await');
    } catch (e) {
      return Promise.reject(e as TypeError);
    }
    return withDeadline(this.#scheduler, this.#result, timeoutMs, `task ${this.mfa} on node "${this.node}"`);
  }
}
