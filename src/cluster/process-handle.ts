/**
 * The app's own process, as `cluster.self()` returns it (the guide's `self()` in the shell): a pid
 * to put in messages, a mailbox to receive from, links and monitors. It always traps exits: an
 * exit signal arrives as `['EXIT', pid, reason]` (and the cluster emits `exit`).
 */
import type { Pid, Ref, ServerName } from '../protocol/messages.js';
import { Errors } from '../protocol/errors.js';
import { isPid, isRef, isServerName } from '../core/pid.js';
import type { Proc } from '../node/process/proc.js';
import type { ProcessTable } from '../node/process/table.js';
import { requireTimeout } from '../client.js';

/** A TypeError naming the argument unless `value` is a pid (`dest`: or a `{ name, node }`). */
export function requirePid(value: unknown, name: string, method: string, dest = false): Pid | ServerName {
  if (isPid(value) || (dest && isServerName(value))) return value;
  const got = typeof value === 'string' ? `string ${JSON.stringify(value)}` : value === null ? 'null' : typeof value;
  throw new TypeError(`${method}: ${name} must be a pid (#PID<node.id.creation>)${dest ? ' or { name, node }' : ''}, received ${got}`);
}

/** The app's process: its pid and mailbox. */
export class ProcessHandle {
  /** Its pid (`#PID<client.0.0>`): put it in messages for replies. */
  readonly pid: Pid;
  readonly #table: ProcessTable;
  readonly #p: Proc;

  private constructor(table: ProcessTable, proc: Proc) {
    this.#table = table;
    this.#p = proc;
    this.pid = proc.pid;
  }

  /** @internal Made by the cluster for its own process. */
  static of(table: ProcessTable, proc: Proc): ProcessHandle {
    return new ProcessHandle(table, proc);
  }

  /** Messages waiting in the mailbox. */
  get mailbox(): number {
    return this.#p.mailbox.length;
  }

  /**
   * The first waiting message `match` accepts (the first message without one), or the next to
   * arrive; rejects with KV_ERR_TIMEOUT after `timeoutMs` (0: only what waits now; none: waits for ever).
   */
  receive<T = unknown>(match?: (msg: unknown) => boolean, timeoutMs?: number): Promise<T> {
    try {
      if (match !== undefined && typeof match !== 'function') throw new TypeError(`receive: match must be a function, received ${(match as unknown) === null ? 'null' : typeof match}`);
      if (timeoutMs !== undefined && timeoutMs !== 0) requireTimeout(timeoutMs, 'timeout', 'receive');
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#p.receive(match, timeoutMs, this.#table.scheduler, () => Errors.receiveTimeout(`the app (${this.pid})`, timeoutMs ?? 0)) as Promise<T>;
  }

  /** Every message waiting, oldest first, taken out of the mailbox (the guide's `flush()`). */
  flush(): unknown[] {
    return this.#p.mailbox.drain();
  }

  /** Links the app's process and `pid`: its exit (any reason but `normal`) arrives as `['EXIT', pid, reason]`. */
  link(pid: Pid): void {
    this.#table.link(this.#p, requirePid(pid, 'pid', 'link') as Pid);
  }

  unlink(pid: Pid): void {
    this.#table.unlink(this.#p, requirePid(pid, 'pid', 'unlink') as Pid);
  }

  /** Monitors a pid or `{ name, node }`: `['DOWN', ref, dest, reason]` arrives once it ends (`noproc` at once if it is gone, `noconnection` if its node dies). */
  monitor(dest: Pid | ServerName): Ref {
    return this.#table.monitor(this.#p, requirePid(dest, 'dest', 'monitor', true));
  }

  /** Removes a monitor, and its DOWN message if one waits already. */
  demonitor(ref: Ref): void {
    if (!isRef(ref)) throw new TypeError(`demonitor: ref must be a ref (#Ref<node.n.creation>), received ${typeof ref === 'string' ? JSON.stringify(ref) : typeof ref}`);
    this.#table.demonitor(this.#p, ref);
  }
}
