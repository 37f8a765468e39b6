/** The clock a thread's data plane and supervisor read. */

/** Time as a node sees it: injected so the same code runs in a worker, a test or a scheduler. */
export interface Clock {
  now(): number;
  /** Calls `fn` every `ms` until cancelled; must not keep the process alive. */
  every(ms: number, fn: () => void): () => void;
}

/** The system clock, with unref'd intervals. */
export const systemClock: Clock = {
  now: () => performance.now(),
  every(ms, fn) {
    const t = setInterval(fn, ms);
    t.unref();
    return () => clearInterval(t);
  },
};
