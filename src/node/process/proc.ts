/**
 * One process: its pid, what it runs, its group leader, its mailbox and the receives waiting on
 * it, its links and monitors (`core/links.ts`), the server calls it waits on and its name.
 */
import { Mailbox, NONE } from '../../core/mailbox.js';
import type { LinkState } from '../../core/links.js';
import type { KvError } from '../../protocol/errors.js';
import type { Pid, ProcessInfo, Ref, ServerName } from '../../protocol/messages.js';
import type { Scheduler } from '../../transport/scheduler.js';

/** A receive waiting for a message. */
interface Waiter {
  readonly match: ((msg: unknown) => boolean) | undefined;
  readonly resolve: (msg: unknown) => void;
  readonly reject: (error: unknown) => void;
  cancel: (() => void) | undefined;
}

/** A `callServer` waiting on its ref: the server's reply, or the `down` of its monitor. */
export interface PendingCall {
  reply(value: unknown): void;
  down(reason: unknown): void;
  /** Ends it unsettled (its process died). */
  cancel(): void;
  /** Ends it with `error` (the cluster closed). */
  fail(error: KvError): void;
}

/** What a process has none of yet (read-only: written to, a process gets its own). */
const NO_PIDS: ReadonlySet<never> = new Set<never>();
const NOTHING: ReadonlyMap<never, never> = new Map<never, never>();

/** A process of this thread. */
export class Proc implements LinkState {
  readonly pid: Pid;
  /** `Module.fun/arity`. */
  readonly mfa: string;
  readonly leader: Pid;
  /** The app's own process (`cluster.self()`): no function, never dies, always traps exits. */
  readonly external: boolean;
  readonly mailbox = new Mailbox();
  // Made on first use: most processes never link, monitor or call (10,000 spawns then allocate 40,000 fewer objects).
  #links: Set<Pid> | undefined;
  #monitors: Map<Ref, Pid | ServerName> | undefined;
  #watchers: Map<Ref, Pid> | undefined;
  #calls: Map<Ref, PendingCall> | undefined;
  #waiters: Waiter[] = [];
  /** Why the app's process ended (the cluster closed): its later receives reject with it. */
  #closed: KvError | undefined;
  trap: boolean;
  name: string | undefined = undefined;
  alive = true;

  constructor(pid: Pid, mfa: string, leader: Pid, external: boolean) {
    this.pid = pid;
    this.mfa = mfa;
    this.leader = leader;
    this.external = external;
    this.trap = external;
  }

  /** The processes it is linked to. */
  get links(): ReadonlySet<Pid> {
    return this.#links ?? NO_PIDS;
  }
  addLink(pid: Pid): void {
    (this.#links ??= new Set()).add(pid);
  }
  dropLink(pid: Pid): boolean {
    return this.#links?.delete(pid) ?? false;
  }

  /** The monitors it holds, by ref: what each monitors. */
  get monitors(): ReadonlyMap<Ref, Pid | ServerName> {
    return this.#monitors ?? NOTHING;
  }
  addMonitor(ref: Ref, dest: Pid | ServerName): void {
    (this.#monitors ??= new Map()).set(ref, dest);
  }
  dropMonitor(ref: Ref): boolean {
    return this.#monitors?.delete(ref) ?? false;
  }

  /** The monitors others hold on it, by ref: the watcher. */
  get watchers(): ReadonlyMap<Ref, Pid> {
    return this.#watchers ?? NOTHING;
  }
  addWatcher(ref: Ref, by: Pid): void {
    (this.#watchers ??= new Map()).set(ref, by);
  }
  dropWatcher(ref: Ref): boolean {
    return this.#watchers?.delete(ref) ?? false;
  }

  /** The server calls it waits on, by ref. */
  get calls(): ReadonlyMap<Ref, PendingCall> {
    return this.#calls ?? NOTHING;
  }
  addCall(ref: Ref, call: PendingCall): void {
    (this.#calls ??= new Map()).set(ref, call);
  }
  dropCall(ref: Ref): boolean {
    return this.#calls?.delete(ref) ?? false;
  }

  /** Forgets its links and monitors (it has ended, and told them). */
  clearBonds(): void {
    this.#links = undefined;
    this.#monitors = undefined;
    this.#watchers = undefined;
  }

  /** Offers `msg` to the receives waiting, oldest first; true if one took it. A match that throws rejects its receive. */
  offer(msg: unknown): boolean {
    const waiters = this.#waiters;
    for (let i = 0; i < waiters.length; i++) {
      const w = waiters[i] as Waiter;
      let taken: boolean;
      try {
        taken = w.match === undefined || w.match(msg);
      } catch (e) {
        removeAt(waiters, i--);
        w.cancel?.();
        w.reject(e);
        continue;
      }
      if (!taken) continue;
      removeAt(waiters, i);
      w.cancel?.();
      w.resolve(msg);
      return true;
    }
    return false;
  }

  /**
   * The first waiting message `match` accepts, or the next one to arrive; rejects with `timeout()`
   * after `timeoutMs` (0: only what is waiting now). A dead process's receive never settles.
   */
  receive(match: ((msg: unknown) => boolean) | undefined, timeoutMs: number | undefined, scheduler: Scheduler, timeout: () => KvError): Promise<unknown> {
    if (this.#closed !== undefined) return Promise.reject(this.#closed);
    // Never settles, so the function stops there; a fresh one each time, collected with the function (one shared would keep every waiter).
    if (!this.alive) return new Promise<never>(() => undefined);
    let got: unknown;
    try {
      got = this.mailbox.take(match);
    } catch (e) {
      return Promise.reject(e);
    }
    if (got !== NONE) return Promise.resolve(got);
    if (timeoutMs === 0) return Promise.reject(timeout());
    return new Promise((resolve, reject) => {
      const w: Waiter = { match, resolve, reject, cancel: undefined };
      if (timeoutMs !== undefined) {
        w.cancel = scheduler.after(timeoutMs, () => {
          const i = this.#waiters.indexOf(w);
          if (i < 0) return;
          removeAt(this.#waiters, i);
          reject(timeout());
        });
      }
      this.#waiters.push(w);
    });
  }

  /** What `cluster.processes(node)` lists of it. */
  info(): ProcessInfo {
    return {
      pid: this.pid,
      mfa: this.mfa,
      mailbox: this.mailbox.length,
      links: [...this.links],
      monitors: [...this.monitors.keys()],
      monitoredBy: [...this.watchers.keys()],
      ...(this.name === undefined ? {} : { name: this.name }),
      trapExits: this.trap,
    };
  }

  /** The app's process, as the cluster closes: its receives and server calls reject with `error`. */
  close(error: KvError): void {
    this.#closed = error;
    const waiters = this.#waiters;
    const calls = [...this.calls.values()];
    this.stop();
    for (const w of waiters) w.reject(error);
    for (const call of calls) call.fail(error);
  }

  /** Marks it dead: its receives and server calls end unsettled, their timers cancelled. */
  stop(): void {
    this.alive = false;
    for (const w of this.#waiters) w.cancel?.();
    this.#waiters = [];
    for (const call of this.calls.values()) call.cancel();
    this.#calls = undefined;
  }
}

/** Removes item `i`: the last (a process's only receive, usually) by `pop`, which allocates nothing, unlike `splice`. */
function removeAt(items: unknown[], i: number): void {
  if (i === items.length - 1) items.pop();
  else items.splice(i, 1);
}
