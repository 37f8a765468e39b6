/** Deadlines for waits that could otherwise last forever. */
import { Errors } from '../protocol/errors.js';
import type { Scheduler } from './scheduler.js';

/** Settles with `promise`, or rejects with KV_ERR_TIMEOUT after `ms` on `scheduler`'s clock: a call to a dead thread would wait forever. */
export function withDeadline<T>(scheduler: Scheduler, promise: Promise<T>, ms: number, what: string): Promise<T> {
  let cancel: (() => void) | undefined;
  const expired = new Promise<never>((_, reject) => {
    cancel = scheduler.after(ms, () => reject(Errors.timeout(what, ms)));
  });
  return Promise.race([promise, expired]).finally(() => cancel?.());
}
