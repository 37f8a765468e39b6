/** Deadlines for waits that could otherwise last forever. */
import { KvError } from '../protocol/errors.js';

/** Settles with `promise`, or rejects with KV_ERR_TIMEOUT after `ms`: a call to a dead thread would wait forever. */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KvError('KV_ERR_TIMEOUT', `${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
