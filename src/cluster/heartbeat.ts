/**
 * The heartbeat: each node thread counts its own event-loop turns into shared memory (its host
 * bumps a counter every `beatInterval(detectMs)` ms), and the supervisor reads that counter. A
 * node is declared blocked only when its counter has not moved for most of `detectMs` of the
 * supervisor's time. The supervisor being busy cannot make a healthy node look blocked: a
 * message round trip can wait behind the supervisor's own work, a counter in shared memory cannot
 * (under heavy load on the main thread a control-channel ping took 400–630 ms).
 */
import type { Scheduler } from '../transport/scheduler.js';

/** How often a node bumps its counter, and the supervisor reads it: an eighth of the detection time. */
export function beatInterval(detectMs: number): number {
  return Math.max(5, Math.floor(detectMs / 8));
}

/** Settings of one node's heartbeat. */
export interface HeartbeatOptions {
  /** A blocked node is reported within this many ms (the config's `heartbeatMs`). */
  readonly detectMs: number;
  /** The node's progress counter (read from shared memory). */
  readonly progress: () => number;
  /** Called once, when the counter has not moved for too long; the heartbeat has stopped by then. */
  readonly onSilent: (silentMs: number) => void;
  readonly clock: Pick<Scheduler, 'now' | 'every'>;
}

/** Starts a heartbeat (its timer does not keep the process alive); returns its idempotent stop function. */
export function startHeartbeat(o: HeartbeatOptions): () => void {
  const interval = beatInterval(o.detectMs);
  // The last move is seen up to one interval after it happened and checked once per interval:
  // declaring at detectMs - 2 intervals of stillness reports a blocked node within detectMs.
  const limit = o.detectMs - 2 * interval;
  let last = o.progress();
  let lastMove = o.clock.now();
  let stopped = false;
  const cancel = o.clock.every(interval, () => {
    const now = o.clock.now();
    const seen = o.progress();
    if (seen !== last) {
      last = seen;
      lastMove = now;
    } else if (now - lastMove >= limit) {
      stop();
      o.onSilent(Math.round(now - lastMove));
    }
  });
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    cancel();
  };
  return stop;
}
