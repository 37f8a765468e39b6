/** A task started with `cluster.async`: Erlang's Task.Supervisor.async on a node, then Task.await. */
import { withDeadline } from '../transport/deadline.js';
import type { Scheduler } from '../transport/scheduler.js';
import { requireTimeout } from '../client.js';

/** A call running on a node; `await(ms)` waits for its result, of type `T` as `cluster.async<T>` says. */
export class Task<T = unknown> {
  /** The node it runs on. */
  readonly node: string;
  /** `Module.fun/arity`. */
  readonly mfa: string;
  readonly #result: Promise<T>;
  readonly #scheduler: Scheduler;

  private constructor(node: string, mfa: string, result: Promise<unknown>, scheduler: Scheduler) {
    this.#scheduler = scheduler;
    this.node = node;
    this.mfa = mfa;
    this.#result = result as Promise<T>;
    // Awaiting is optional, as in Erlang: an unawaited failure must not become an unhandled rejection.
    this.#result.catch(() => undefined);
  }

  /** @internal Made by `cluster.async`; left out of the published types, as the scheduler is internal. */
  static start<T>(node: string, mfa: string, result: Promise<unknown>, scheduler: Scheduler): Task<T> {
    return new Task<T>(node, mfa, result, scheduler);
  }

  /** The task's result (of type `R`, the task's own by default); rejects with KV_ERR_TIMEOUT if it takes longer than `timeoutMs` from now (default 5000). */
  await<R = T>(timeoutMs = 5000): Promise<R> {
    try {
      requireTimeout(timeoutMs, 'timeout', 'Task.await');
    } catch (e) {
      return Promise.reject(e);
    }
    return withDeadline(this.#scheduler, this.#result as Promise<unknown> as Promise<R>, timeoutMs, `task ${this.mfa} on node "${this.node}"`);
  }
}
