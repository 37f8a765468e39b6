/**
 * Process ids, monitor refs and registered names as they are written and read: `#PID<foo.59.0>`
 * (node, id, creation), `#Ref<foo.3.0>`, `{ name, node }`. Pure; the node part of a pid is what
 * routes a signal, so reading it is on the hot path (two `lastIndexOf`, no regex).
 */
import { CLIENT_NAME } from '../protocol/messages.js';
import type { Pid, Ref, ServerName } from '../protocol/messages.js';
import { messageOf } from '../protocol/errors.js';

/** The node name of the embedding app's thread in pids (the same name faults use). */
export const APP_NODE = CLIENT_NAME;

/** The app's own process (`cluster.self()`): the group leader of everything spawned by no process (by the app, or by a call). */
export const APP_PID: Pid = '#PID<client.0.0>';

const PID = /^#PID<([A-Za-z_][A-Za-z0-9_.-]{0,63})\.(\d+)\.(\d+)>$/;
const REF = /^#Ref<([A-Za-z_][A-Za-z0-9_.-]{0,63})\.(\d+)\.(\d+)>$/;

/** The pid of process `id` of life `creation` of `node`. */
export function formatPid(node: string, id: number, creation: number): Pid {
  return `#PID<${node}.${id}.${creation}>`;
}

/** Ref number `n` made on `node` in life `creation`. */
export function formatRef(node: string, n: number, creation: number): Ref {
  return `#Ref<${node}.${n}.${creation}>`;
}

/** Whether `value` is a well-formed pid. */
export function isPid(value: unknown): value is Pid {
  return typeof value === 'string' && PID.test(value);
}

/** Whether `value` is a well-formed ref. */
export function isRef(value: unknown): value is Ref {
  return typeof value === 'string' && REF.test(value);
}

/** Whether `value` is `{ name, node }` with two strings. */
export function isServerName(value: unknown): value is ServerName {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Partial<ServerName>;
  return typeof v.name === 'string' && typeof v.node === 'string';
}

/** The parts of a well-formed pid, or undefined. */
export function parsePid(pid: string): { node: string; id: number; creation: number } | undefined {
  const m = PID.exec(pid);
  return m === null ? undefined : { node: m[1] as string, id: Number(m[2]), creation: Number(m[3]) };
}

/** The node of a pid known to be well formed (a pid that came from a pid-making function). */
export function nodeOfPid(pid: Pid): string {
  return pid.slice(5, pid.lastIndexOf('.', pid.lastIndexOf('.') - 1));
}

/** The node a signal to `dest` goes to. */
export function nodeOfDest(dest: Pid | ServerName): string {
  return typeof dest === 'string' ? nodeOfPid(dest) : dest.node;
}

/** How an error message names a destination: the pid, or `process "kv" on node "foo"`. */
export function describeDest(dest: Pid | ServerName): string {
  return typeof dest === 'string' ? dest : `process "${dest.name}" on node "${dest.node}"`;
}

/** How an error message shows an exit reason: a string as itself, an error as its code and message, else JSON. */
export function describeReason(reason: unknown): string {
  if (typeof reason === 'string') return reason;
  const e = reason as { code?: unknown; message?: unknown } | null;
  if (e !== null && typeof e === 'object' && typeof e.code === 'string' && typeof e.message === 'string') return `${e.code}: ${e.message}`;
  try {
    // undefined (and functions, symbols) have no JSON.
    const json = JSON.stringify(reason) as string | undefined;
    return json ?? messageOf(reason);
  } catch {
    return messageOf(reason);
  }
}
