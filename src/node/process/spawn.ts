/**
 * Spawning on another node, the same from a node and from the app's thread: an `apply` request
 * of the reserved process module, answered with the pid. The spawner's side of a link or monitor
 * is recorded as the reply is read, before any signal the new process sent after it.
 */
import { PROCESS_MODULE } from '../../protocol/messages.js';
import type { Pid, Ref, SpawnOptions } from '../../protocol/messages.js';
import type { Endpoint } from '../../transport/endpoint.js';
import type { Proc } from './proc.js';
import type { ProcessTable } from './table.js';

/** A plain spawn, linked to its spawner, or monitored by it. */
export type SpawnHow = 'spawn' | 'link' | 'monitor';

/** What a spawn resolves with: the pid, and the monitor's ref for `spawnMonitor`. */
export type Spawned = Pid | { pid: Pid; ref: Ref };

/** The options of a spawn by `caller` (none: spawned from outside a process, so plain). */
export function spawnOptions(how: SpawnHow, caller: Proc | undefined, leader: Pid, ref: Ref | undefined): SpawnOptions {
  if (caller === undefined || how === 'spawn') return { leader };
  if (how === 'link') return { leader, link: caller.pid };
  return { leader, monitor: { by: caller.pid, ref: ref as Ref } };
}

/** Asks node `index` to spawn `mod.fun(...args)` for `caller`; rejects as the request does (node down, timeout, unknown function). */
export function requestSpawn(endpoint: Endpoint, index: number, table: ProcessTable, caller: Proc | undefined, how: SpawnHow, mfa: readonly [string, string, unknown[]], leader: Pid, timeoutMs: number): Promise<Spawned> {
  const ref = how === 'monitor' ? table.ref() : undefined;
  const [mod, fun, args] = mfa;
  const args4 = [mod, fun, args, spawnOptions(how, caller, leader, ref)];
  return endpoint.request(index, { op: 'apply', mod: PROCESS_MODULE, fun: 'spawn', args: args4 }, timeoutMs, (pid) => spawned(table, caller, how, pid as Pid, ref)) as Promise<Spawned>;
}

/** The spawner's side of a new process: its link or monitor (undone if the spawner died meanwhile), and what the spawn resolves with. */
export function spawned(table: ProcessTable, caller: Proc | undefined, how: SpawnHow, pid: Pid, ref: Ref | undefined): Spawned {
  if (caller !== undefined && how === 'link') {
    if (caller.alive) caller.addLink(pid);
    else table.signal({ type: 'sig', k: 'exit', from: caller.pid, to: pid, reason: 'noproc', link: true });
  }
  if (caller !== undefined && how === 'monitor' && ref !== undefined) {
    if (caller.alive) caller.addMonitor(ref, pid);
    else table.signal({ type: 'sig', k: 'demonitor', from: caller.pid, to: pid, ref });
  }
  return how === 'monitor' ? { pid, ref: ref as Ref } : pid;
}
