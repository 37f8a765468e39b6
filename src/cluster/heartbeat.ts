/**
 * The heartbeat on a node's control channel: a ping every quarter of the detection time; a
 * node that has answered nothing for the rest of it is reported silent (its thread is blocked).
 */
import type { Clock } from '../transport/clock.js';

/** Settings of one node's heartbeat. */
export interface HeartbeatOptions {
  /** A silent node is reported within this many ms (the config's `heartbeatMs`). */
  readonly detectMs: number;
  /** One ping over the control channel; resolves when the node answers. */
  readonly ping: () => Promise<unknown>;
  /** Called once, when the node has been silent too long; the heartbeat has stopped by then. */
  readonly onSilent: (silentMs: number) => void;
  readonly clock: Clock;
}

/** Starts a heartbeat (its timer is unref'd); returns its idempotent stop function. */
export function startHeartbeat(o: HeartbeatOptions): () => void {
  const interval = Math.max(5, Math.floor(o.detectMs / 4));
  // Checked on each tick, so the node is reported at most one interval after this much silence.
  const limit = o.detectMs - interval;
  let lastAnswer = o.clock.now();
  let lastTick = lastAnswer;
  let outstanding = false;
  let stopped = false;
  const cancel = o.clock.every(interval, () => {
    const now = o.clock.now();
    // A late tick means this thread was stalled, not the node: its answer may be queued behind
    // us. Silence is only counted while we were able to listen.
    if (now - lastTick > 2 * interval) lastAnswer = Math.max(lastAnswer, now - interval);
    lastTick = now;
    if (now - lastAnswer >= limit) {
      stop();
      o.onSilent(Math.round(now - lastAnswer));
      return;
    }
    if (outstanding) return;
    outstanding = true;
    o.ping().then(
      () => {
        outstanding = false;
        lastAnswer = o.clock.now();
      },
      // A failed ping means the node's channel is gone: its death is reported by its exit.
      () => undefined,
    );
  });
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    cancel();
  };
  return stop;
}
