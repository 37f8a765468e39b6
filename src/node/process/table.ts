/**
 * The processes of one thread (a node's, or the app's own on the main thread) and the signals
 * between them: spawn and exit, messages, links and monitors (names: `names.ts`, server calls:
 * `server-call.ts`, what a signal does where it arrives: `dispatch.ts`).
 * Signals for this thread are handled one after another from a queue (a chain of 10,000 linked
 * processes dying is a loop, not a recursion); signals for another node leave on the data plane.
 */
import { Errors, KvError, reasonOf, toWire } from '../../protocol/errors.js';
import type { Pid, ProcessInfo, Ref, ServerName, Signal, SpawnOptions } from '../../protocol/messages.js';
import { exitSignals, nodeDownSignals, unreachableAnswer } from '../../core/links.js';
import { describeDest, formatPid, formatRef, nodeOfDest } from '../../core/pid.js';
import type { Scheduler } from '../../transport/scheduler.js';
import { Proc } from './proc.js';
import { handleSignal } from './dispatch.js';
import type { Signalled } from './dispatch.js';
import { Names } from './names.js';

/**
 * Who sent a message, kept beside it on this thread only: a structured clone leaves symbol keys
 * out, so it costs the wire nothing, and a message that cannot be sent still names its sender.
 */
const SENDER = Symbol('sender');
interface Sent {
  [SENDER]?: Proc;
}

/** What a process table needs from its thread. */
export interface TableHost {
  /** This thread's node name (`client` on the main thread). */
  readonly node: string;
  /** Which life of the node this is: the last number of its pids and refs. */
  readonly creation: number;
  readonly scheduler: Scheduler;
  readonly maxProcesses: number;
  readonly maxMailbox: number;
  /** Sends `sig` to the thread of node `node`; false when it cannot be reached (unknown, or down). */
  post(node: string, sig: Signal): boolean;
  /** A process ended by an error (its function threw, its mailbox overflowed, it sent what cannot be sent). */
  crashed(proc: Proc, error: KvError): void;
  /** The app's process: an exit signal it got, output for it as a group leader, a message it had no room for. */
  readonly app?: { exit(from: Pid, reason: unknown): void; output(from: Pid, text: string): void; overflow(): void };
}

/** The processes of one thread. */
export class ProcessTable {
  readonly #h: TableHost;
  readonly #procs = new Map<Pid, Proc>();
  /** The names registered on this node. */
  readonly names = new Names();
  /** The monitors others hold on processes here, by ref (a demonitor names only the ref). */
  readonly #watched = new Map<Ref, Proc>();
  readonly #queue: Signal[] = [];
  #draining = false;
  #count = 0;
  #nextId = 0;
  #nextRef = 0;

  /** What the handling of a signal for this thread needs (`dispatch.ts`). */
  readonly #signalled: Signalled;

  constructor(host: TableHost) {
    this.#h = host;
    this.#signalled = {
      proc: (to) => (typeof to === 'string' ? this.#procs.get(to) : this.names.get(to.name)),
      watched: this.#watched,
      signal: (sig) => this.signal(sig),
      exit: (p, reason) => this.exit(p, reason),
      deliver: (p, msg) => this.#deliver(p, msg),
      app: host.app,
    };
  }

  /** The thread's clock and timers (receive timeouts). */
  get scheduler(): Scheduler {
    return this.#h.scheduler;
  }

  /** Processes alive (the app's own not counted). */
  get size(): number {
    return this.#count;
  }

  /** The live process `pid` of this thread, if any. */
  get(pid: Pid): Proc | undefined {
    return this.#procs.get(pid);
  }

  /** The app's own process (the main thread's): id 0, no function, traps exits, never dies. */
  adopt(leader: Pid): Proc {
    const p = new Proc(formatPid(this.#h.node, 0, this.#h.creation), 'the app', leader, true);
    this.#procs.set(p.pid, p);
    return p;
  }

  /** A new process (not started yet): linked to or monitored by its spawner from the start, if asked. Throws KV_ERR_TOO_MANY_PROCESSES at the limit. */
  spawn(mfa: string, options: SpawnOptions): Proc {
    if (this.#count >= this.#h.maxProcesses) throw Errors.tooManyProcesses(this.#h.node, this.#h.maxProcesses);
    const p = new Proc(formatPid(this.#h.node, ++this.#nextId, this.#h.creation), mfa, options.leader, false);
    if (options.link !== undefined) p.addLink(options.link);
    if (options.monitor !== undefined) {
      p.addWatcher(options.monitor.ref, options.monitor.by);
      this.#watched.set(options.monitor.ref, p);
    }
    this.#procs.set(p.pid, p);
    this.#count++;
    return p;
  }

  /** A new ref, unique in the cluster. */
  ref(): Ref {
    return formatRef(this.#h.node, ++this.#nextRef, this.#h.creation);
  }

  /** Ends `p` with `reason`: its links get exit signals, its watchers `down`, its monitors are removed; `crash` is reported. */
  exit(p: Proc, reason: unknown, crash?: KvError): void {
    if (!p.alive || p.external) return;
    p.stop();
    this.#procs.delete(p.pid);
    this.#count--;
    this.names.unregister(p);
    for (const ref of p.watchers.keys()) this.#watched.delete(ref);
    const signals = exitSignals(p, reason);
    p.clearBonds();
    for (const s of signals) this.signal(s);
    if (crash !== undefined) this.#h.crashed(p, crash);
  }

  /** Sends `msg` to `dest` (a copy, as between threads). A name not registered on this node is KV_ERR_NO_PROCESS; to another node, nothing fails. */
  send(from: Proc | undefined, dest: Pid | ServerName, msg: unknown): void {
    const node = nodeOfDest(dest);
    const local = node === this.#h.node;
    if (local && typeof dest !== 'string' && this.names.get(dest.name) === undefined) throw Errors.noProcess(describeDest(dest), 'no process is registered under that name');
    let copy = msg;
    if (local) {
      try {
        copy = structuredClone(msg);
      } catch (e) {
        throw Errors.unsendable(`send to ${describeDest(dest)}: `, reasonOf(e));
      }
    }
    const sig: Signal & Sent = { type: 'sig', k: 'send', to: dest, msg: copy };
    if (from !== undefined) sig[SENDER] = from;
    this.#route(node, sig);
  }

  /** Links `p` and `pid` (both ways); a process that is gone answers with an exit signal (`noproc`, `noconnection`). */
  link(p: Proc, pid: Pid): void {
    if (pid === p.pid || p.links.has(pid)) return;
    p.addLink(pid);
    this.signal({ type: 'sig', k: 'link', from: p.pid, to: pid });
  }

  unlink(p: Proc, pid: Pid): void {
    if (!p.dropLink(pid)) return;
    this.signal({ type: 'sig', k: 'unlink', from: p.pid, to: pid });
  }

  /** Monitors `dest` from `p`; its `['DOWN', ref, dest, reason]` comes once (at once, `noproc`, if it is gone). */
  monitor(p: Proc, dest: Pid | ServerName): Ref {
    const ref = this.ref();
    p.addMonitor(ref, dest);
    this.signal({ type: 'sig', k: 'monitor', from: p.pid, to: dest, ref });
    return ref;
  }

  /** Removes monitor `ref` of `p`, and its DOWN message if one is waiting already (Erlang's `demonitor(ref, [flush])`). */
  demonitor(p: Proc, ref: Ref): void {
    const dest = p.monitors.get(ref);
    if (dest !== undefined) {
      p.dropMonitor(ref);
      this.signal({ type: 'sig', k: 'demonitor', from: p.pid, to: dest, ref });
    }
    p.mailbox.remove((m) => Array.isArray(m) && m[0] === 'DOWN' && m[1] === ref);
  }

  /** A signal from a process of this thread, or (`receive`) from the data plane. */
  signal(sig: Signal): void {
    this.#route(nodeOfDest(sig.to), sig);
  }

  /** A signal that arrived on the data plane. */
  receive(sig: Signal): void {
    this.#enqueue(sig);
  }

  /** A signal the data plane could not deliver: a link or monitor answers `noconnection`; a message that cannot be sent ends its sender. */
  lost(sig: Signal, error: KvError): void {
    const p = (sig as Sent)[SENDER];
    if (error.code === 'KV_ERR_BAD_ARGUMENT' && sig.k === 'send' && p !== undefined) {
      if (p.external) this.#h.crashed(p, error);
      else this.exit(p, toWire(error), error);
      return;
    }
    const answer = unreachableAnswer(sig);
    if (answer !== undefined) this.#enqueue(answer);
  }

  /** Node `node` is gone: links and monitors to its processes fire with `noconnection`; its monitors on ours are dropped. */
  nodeDown(node: string): void {
    const signals: Signal[] = [];
    for (const p of this.#procs.values()) {
      const gone = nodeDownSignals(p, node);
      signals.push(...gone.signals);
      for (const ref of gone.watchersGone) {
        p.dropWatcher(ref);
        this.#watched.delete(ref);
      }
    }
    for (const s of signals) this.#enqueue(s);
  }

  /** Every process, as `cluster.processes(node)` lists them. */
  list(): ProcessInfo[] {
    return [...this.#procs.values()].filter((p) => !p.external).map((p) => p.info());
  }

  /** The thread stops: every process ends where it is, unheard (no signals leave). */
  stopAll(): void {
    for (const p of this.#procs.values()) p.stop();
    this.#procs.clear();
    this.names.clear();
    this.#watched.clear();
    this.#count = 0;
  }

  #route(node: string, sig: Signal): void {
    if (node === this.#h.node) this.#enqueue(sig);
    else if (!this.#h.post(node, sig)) this.lost(sig, Errors.nodeDown(node));
  }

  #enqueue(sig: Signal): void {
    this.#queue.push(sig);
    if (this.#draining) return;
    this.#draining = true;
    try {
      for (let i = 0; i < this.#queue.length; i++) handleSignal(this.#signalled, this.#queue[i] as Signal);
    } finally {
      this.#queue.length = 0;
      this.#draining = false;
    }
  }

  #deliver(p: Proc, msg: unknown): void {
    if (!p.alive || p.offer(msg)) return;
    if (p.mailbox.length < this.#h.maxMailbox) p.mailbox.push(msg);
    else if (p.external) this.#h.app?.overflow();
    else {
      const error = Errors.mailboxFull(p.pid, p.mfa, this.#h.maxMailbox);
      this.exit(p, toWire(error), error);
    }
  }
}
