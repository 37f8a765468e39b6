/**
 * The processes of one thread (a node's, or the app's own on the main thread) and the signals
 * between them: spawn and exit, messages, links, monitors, registered names and server calls.
 * Signals for this thread are handled one after another from a queue (a chain of 10,000 linked
 * processes dying is a loop, not a recursion); signals for another node leave on the data plane.
 */
import { Errors, KvError, messageOf, toWire } from '../../protocol/errors.js';
import type { Pid, ProcessInfo, Ref, ServerName, Signal, SpawnOptions } from '../../protocol/messages.js';
import { exitOutcome, exitSignals, nodeDownSignals, unreachableAnswer } from '../../core/links.js';
import { describeDest, describeReason, formatPid, formatRef, nodeOfDest } from '../../core/pid.js';
import type { Scheduler } from '../../transport/scheduler.js';
import { Proc } from './proc.js';

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
  readonly #names = new Map<string, Proc>();
  /** The monitors others hold on processes here, by ref (a demonitor names only the ref). */
  readonly #watched = new Map<Ref, Proc>();
  readonly #queue: Signal[] = [];
  #draining = false;
  #count = 0;
  #nextId = 0;
  #nextRef = 0;

  constructor(host: TableHost) {
    this.#h = host;
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
    if (options.link !== undefined) p.links.add(options.link);
    if (options.monitor !== undefined) {
      p.watchers.set(options.monitor.ref, options.monitor.by);
      this.#watched.set(options.monitor.ref, p);
    }
    this.#procs.set(p.pid, p);
    this.#count++;
    return p;
  }

  /** Runs `fn` as process `p` (`this` = `ctx`): its return ends it `normal`, a throw or rejection with `failed(error)`. */
  start(p: Proc, fn: Function, ctx: object, args: unknown[], failed: (error: unknown) => KvError): void {
    const crash = (e: unknown): void => {
      if (!p.alive) return;
      const error = failed(e);
      this.exit(p, toWire(error), error);
    };
    try {
      const result: unknown = fn.apply(ctx, args);
      if (result instanceof Promise) result.then(() => this.exit(p, 'normal'), crash);
      else this.exit(p, 'normal');
    } catch (e) {
      crash(e);
    }
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
    if (p.name !== undefined) this.#names.delete(p.name);
    for (const ref of p.watchers.keys()) this.#watched.delete(ref);
    const signals = exitSignals(p, reason);
    p.links.clear();
    p.watchers.clear();
    p.monitors.clear();
    for (const s of signals) this.signal(s);
    if (crash !== undefined) this.#h.crashed(p, crash);
  }

  /** Sends `msg` to `dest` (a copy, as between threads). A name not registered on this node is KV_ERR_NO_PROCESS; to another node, nothing fails. */
  send(from: Proc | undefined, dest: Pid | ServerName, msg: unknown): void {
    const local = nodeOfDest(dest) === this.#h.node;
    if (local && typeof dest !== 'string' && !this.#names.has(dest.name)) throw Errors.noProcess(describeDest(dest), 'no process is registered under that name');
    let copy = msg;
    if (local) {
      try {
        copy = structuredClone(msg);
      } catch (e) {
        throw new KvError('KV_ERR_BAD_ARGUMENT', `send to ${describeDest(dest)}: the message cannot be copied: ${messageOf(e)}`);
      }
    }
    this.signal(from === undefined ? { type: 'sig', k: 'send', to: dest, msg: copy } : { type: 'sig', k: 'send', to: dest, msg: copy, from: from.pid });
  }

  /** Links `p` and `pid` (both ways); a process that is gone answers with an exit signal (`noproc`, `noconnection`). */
  link(p: Proc, pid: Pid): void {
    if (pid === p.pid || p.links.has(pid)) return;
    p.links.add(pid);
    this.signal({ type: 'sig', k: 'link', from: p.pid, to: pid });
  }

  unlink(p: Proc, pid: Pid): void {
    if (!p.links.delete(pid)) return;
    this.signal({ type: 'sig', k: 'unlink', from: p.pid, to: pid });
  }

  /** Monitors `dest` from `p`; its `['DOWN', ref, dest, reason]` comes once (at once, `noproc`, if it is gone). */
  monitor(p: Proc, dest: Pid | ServerName): Ref {
    const ref = this.ref();
    p.monitors.set(ref, dest);
    this.signal({ type: 'sig', k: 'monitor', from: p.pid, to: dest, ref });
    return ref;
  }

  /** Removes monitor `ref` of `p`, and its DOWN message if one is waiting already (Erlang's `demonitor(ref, [flush])`). */
  demonitor(p: Proc, ref: Ref): void {
    const dest = p.monitors.get(ref);
    if (dest !== undefined) {
      p.monitors.delete(ref);
      this.signal({ type: 'sig', k: 'demonitor', from: p.pid, to: dest, ref });
    }
    p.mailbox.remove((m) => Array.isArray(m) && m[0] === 'DOWN' && m[1] === ref);
  }

  /** Registers `p` under `name` on this node. */
  register(p: Proc, name: string): void {
    const holder = this.#names.get(name);
    if (holder !== undefined) throw new KvError('KV_ERR_BAD_ARGUMENT', `register: the name "${name}" is taken on node "${this.#h.node}" by ${holder.pid}`);
    if (p.name !== undefined) throw new KvError('KV_ERR_BAD_ARGUMENT', `register: ${p.pid} is registered as "${p.name}" already`);
    this.#names.set(name, p);
    p.name = name;
  }

  unregister(p: Proc): void {
    if (p.name !== undefined) this.#names.delete(p.name);
    p.name = undefined;
  }

  /** The pid registered under `name` here, or null. */
  whereis(name: string): Pid | null {
    return this.#names.get(name)?.pid ?? null;
  }

  /**
   * `GenServer.call`: sends `['$call', { pid, ref }, msg]` to `dest` and waits for the reply to
   * `ref` (`reply`), monitoring it meanwhile: it being gone or dying rejects at once
   * (KV_ERR_NO_PROCESS, or KV_ERR_NODE_DOWN for its node), no reply within `timeoutMs` with KV_ERR_TIMEOUT.
   */
  callServer(p: Proc, dest: Pid | ServerName, msg: unknown, timeoutMs: number): Promise<unknown> {
    const ref = this.ref();
    const what = describeDest(dest);
    return new Promise((resolve, reject) => {
      let cancel = (): void => undefined;
      const end = (): void => {
        cancel();
        p.calls.delete(ref);
        if (p.monitors.delete(ref)) this.signal({ type: 'sig', k: 'demonitor', from: p.pid, to: dest, ref });
      };
      p.calls.set(ref, {
        reply: (value) => {
          end();
          resolve(value);
        },
        down: (reason) => {
          end();
          reject(serverGone(dest, reason));
        },
        cancel: () => cancel(),
        fail: (error) => {
          cancel();
          reject(error);
        },
      });
      p.monitors.set(ref, dest);
      cancel = this.#h.scheduler.after(timeoutMs, () => {
        end();
        reject(Errors.callTimeout(what, timeoutMs));
      });
      this.signal({ type: 'sig', k: 'monitor', from: p.pid, to: dest, ref });
      try {
        if (p.calls.has(ref)) this.send(p, dest, ['$call', { pid: p.pid, ref }, msg]);
      } catch (e) {
        end();
        reject(e);
      }
    });
  }

  /** A signal from a process of this thread, or (`receive`) from the data plane. */
  signal(sig: Signal): void {
    const node = nodeOfDest(sig.to);
    if (node === this.#h.node) this.#enqueue(sig);
    else if (!this.#h.post(node, sig)) this.lost(sig, Errors.nodeDown(node));
  }

  /** A signal that arrived on the data plane. */
  receive(sig: Signal): void {
    this.#enqueue(sig);
  }

  /** A signal the data plane could not deliver: a link or monitor answers `noconnection`; a message that cannot be sent ends its sender. */
  lost(sig: Signal, error: KvError): void {
    if (error.code === 'KV_ERR_BAD_ARGUMENT' && sig.k === 'send' && sig.from !== undefined) {
      const p = this.#procs.get(sig.from);
      if (p !== undefined && p.external) this.#h.crashed(p, error);
      else if (p !== undefined) this.exit(p, toWire(error), error);
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
        p.watchers.delete(ref);
        this.#watched.delete(ref);
      }
    }
    for (const s of signals) this.#enqueue(s);
  }

  /** Every process, as `cluster.processes(node)` lists them. */
  list(): ProcessInfo[] {
    return [...this.#procs.values()].filter((p) => !p.external).map((p) => ({
      pid: p.pid,
      mfa: p.mfa,
      mailbox: p.mailbox.length,
      links: [...p.links],
      monitors: [...p.monitors.keys()],
      monitoredBy: [...p.watchers.keys()],
      ...(p.name === undefined ? {} : { name: p.name }),
      trapExits: p.trap,
    }));
  }

  /** The thread stops: every process ends where it is, unheard (no signals leave). */
  stopAll(): void {
    for (const p of this.#procs.values()) p.stop();
    this.#procs.clear();
    this.#names.clear();
    this.#watched.clear();
    this.#count = 0;
  }

  #enqueue(sig: Signal): void {
    this.#queue.push(sig);
    if (this.#draining) return;
    this.#draining = true;
    try {
      for (let i = 0; i < this.#queue.length; i++) this.#handle(this.#queue[i] as Signal);
    } finally {
      this.#queue.length = 0;
      this.#draining = false;
    }
  }

  #handle(sig: Signal): void {
    switch (sig.k) {
      case 'send': {
        const p = typeof sig.to === 'string' ? this.#procs.get(sig.to) : this.#names.get(sig.to.name);
        if (p !== undefined) this.#deliver(p, sig.msg);
        return;
      }
      case 'link': {
        const p = this.#procs.get(sig.to);
        if (p === undefined) this.signal({ type: 'sig', k: 'exit', from: sig.to, to: sig.from, reason: 'noproc', link: true });
        else p.links.add(sig.from);
        return;
      }
      case 'unlink':
        this.#procs.get(sig.to)?.links.delete(sig.from);
        return;
      case 'exit':
        this.#exitSignal(sig);
        return;
      case 'monitor': {
        const p = typeof sig.to === 'string' ? this.#procs.get(sig.to) : this.#names.get(sig.to.name);
        if (p === undefined) this.signal({ type: 'sig', k: 'down', to: sig.from, ref: sig.ref, pid: sig.to, reason: 'noproc' });
        else {
          p.watchers.set(sig.ref, sig.from);
          this.#watched.set(sig.ref, p);
        }
        return;
      }
      case 'demonitor': {
        this.#watched.get(sig.ref)?.watchers.delete(sig.ref);
        this.#watched.delete(sig.ref);
        return;
      }
      case 'down': {
        const p = this.#procs.get(sig.to);
        const dest = p?.monitors.get(sig.ref);
        if (p === undefined || dest === undefined) return;
        p.monitors.delete(sig.ref);
        const call = p.calls.get(sig.ref);
        if (call !== undefined) call.down(sig.reason);
        else this.#deliver(p, ['DOWN', sig.ref, dest, sig.reason]);
        return;
      }
      case 'reply':
        this.#procs.get(sig.to)?.calls.get(sig.ref)?.reply(sig.value);
        return;
      case 'io': {
        const p = this.#procs.get(sig.to);
        if (p?.external === true) this.#h.app?.output(sig.from, sig.text);
        else if (p !== undefined) this.#deliver(p, ['io', sig.from, sig.text]);
        return;
      }
      default: {
        const never: never = sig;
        throw new KvError('KV_ERR_INTERNAL', `unknown signal ${JSON.stringify(never)}`);
      }
    }
  }

  #exitSignal(sig: Signal & { k: 'exit' }): void {
    const p = this.#procs.get(sig.to);
    if (p === undefined) return;
    // The app's process traps exits so as not to die, but, like the guide's shell, hears nothing of a normal exit.
    const outcome = p.external && sig.reason === 'normal' ? ({ act: 'ignore' } as const) : exitOutcome(sig, p.links.has(sig.from), p.trap);
    if (sig.link) p.links.delete(sig.from);
    if (outcome.act === 'ignore') return;
    if (outcome.act === 'trap' || p.external) {
      this.#deliver(p, ['EXIT', sig.from, sig.reason]);
      if (p.external) this.#h.app?.exit(sig.from, sig.reason);
      return;
    }
    this.exit(p, outcome.reason);
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

/** Why a `callServer` ended without a reply: its node is gone, there is no such process, or it exited. */
function serverGone(dest: Pid | ServerName, reason: unknown): KvError {
  if (reason === 'noconnection') return Errors.nodeDown(nodeOfDest(dest));
  if (reason === 'noproc') return Errors.noProcess(describeDest(dest));
  return Errors.noProcess(describeDest(dest), `it exited (${describeReason(reason)}) before it replied`);
}
