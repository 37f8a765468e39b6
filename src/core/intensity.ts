/**
 * OTP restart intensity, decided in a pure function: a supervisor restarts a dead child unless
 * that would make more than `maxRestarts` restarts within `withinMs`; then it gives up.
 */
import type { RestartSpec } from './config.js';

/** What the supervisor does about one death. */
export type RestartDecision = { readonly restart: true; readonly history: readonly number[] } | { readonly restart: false; readonly history: readonly number[]; readonly why: string };

/**
 * Decides whether node `name`, dead at time `now`, is restarted. `history` holds the times of
 * its earlier restarts; the returned history replaces it (entries older than the window dropped).
 */
export function decideRestart(name: string, spec: RestartSpec, history: readonly number[], now: number): RestartDecision {
  if (spec === 'never') return { restart: false, history: [], why: `node "${name}" stays down: its restart policy is "never"` };
  const recent = history.filter((t) => now - t < spec.withinMs);
  // OTP counts the restart about to happen: the (maxRestarts + 1)th within the window is refused.
  if (recent.length + 1 > spec.maxRestarts) {
    return {
      restart: false,
      history: recent,
      why: `node "${name}" stays down: it died ${recent.length + 1} time${recent.length === 0 ? '' : 's'} within ${spec.withinMs} ms, more than its restart intensity allows (at most ${spec.maxRestarts} restart${spec.maxRestarts === 1 ? '' : 's'} in ${spec.withinMs} ms)`,
    };
  }
  return { restart: true, history: [...recent, now] };
}
