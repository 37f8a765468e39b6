/** One life of a node runtime, whatever hosts it: why it ended, its heartbeat, and control calls that fail once it has. */
import type { KvError } from '../protocol/errors.js';
import type { Scheduler } from '../transport/scheduler.js';
import { withDeadline } from '../transport/deadline.js';

/** The end of a runtime, shared by every host's runtime. */
export class Lifetime {
  readonly #ended: Promise<never>;
  #reject: (reason: KvError) => void = () => undefined;
  #reason: KvError | undefined;
  #stopHeartbeat: (() => void) | undefined;

  constructor() {
    this.#ended = new Promise<never>((_, reject) => {
      this.#reject = reject;
    });
    this.#ended.catch(() => undefined);
  }

  /** Why it ended, or undefined while it lives. */
  get reason(): KvError | undefined {
    return this.#reason;
  }

  /** Ends it: control calls reject with `reason`, the heartbeat stops. Returns false if it already had. */
  end(reason: KvError): boolean {
    if (this.#reason !== undefined) return false;
    this.#reason = reason;
    this.#stopHeartbeat?.();
    this.#reject(reason);
    return true;
  }

  /** Keeps the heartbeat's stop function, so that ending stops it. */
  watchedBy(stop: () => void): void {
    if (this.#reason !== undefined) stop();
    else this.#stopHeartbeat = stop;
  }

  /** `run()`, rejecting at once when this life ends, and after `ms` on `scheduler`'s clock if it never answers (`what` names it). */
  call<T>(scheduler: Scheduler, what: string, ms: number, run: () => Promise<T>): Promise<T> {
    if (this.#reason !== undefined) return Promise.reject(this.#reason);
    return withDeadline(scheduler, Promise.race([run(), this.#ended]), ms, what);
  }
}
