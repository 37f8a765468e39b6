/**
 * Time and turns as the data plane, the nodes and the supervisor see them: injected, so the
 * same code runs on the system clock (worker threads, tests) or on a simulation's virtual clock.
 */

/** A clock with timers. No timer may keep the process alive. */
export interface Scheduler {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Calls `fn` once after `ms`; returns its cancel function. */
  after(ms: number, fn: () => void): () => void;
  /** Calls `fn` every `ms` until cancelled; returns its cancel function. */
  every(ms: number, fn: () => void): () => void;
  /** Calls `fn` at the end of the current turn, before any timer (a microtask on the system scheduler). */
  defer(fn: () => void): void;
}

/** The system scheduler: `performance.now`, unref'd timers, microtasks. */
export const systemScheduler: Scheduler = {
  now: () => performance.now(),
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
  every(ms, fn) {
    const t = setInterval(fn, ms);
    t.unref();
    return () => clearInterval(t);
  },
  defer: (fn) => queueMicrotask(fn),
};
