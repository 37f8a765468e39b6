/**
 * A node's processes, wired to the node: its process table, the spawns it runs for others (the
 * reserved process module's requests) and asks of others, the process functions of `this` in
 * calls, and crashes reported to the supervisor (as `taskerror`).
 */
import { Errors, KvError, reasonOf, toWire } from '../../protocol/errors.js';
import { CLIENT, PROCESS_MODULE } from '../../protocol/messages.js';
import type { Lifecycle, Pid, Request, Signal, SpawnOptions } from '../../protocol/messages.js';
import { APP_NODE, APP_PID, formatPid } from '../../core/pid.js';
import type { Endpoint } from '../../transport/endpoint.js';
import type { Scheduler } from '../../transport/scheduler.js';
import { isPooled, lookupFunction, taskFailed } from '../modules.js';
import type { Module, NodeContext, PooledModule } from '../modules.js';
import { PUTS_PARAMS, SEND_PARAMS, SPAWN_PARAMS, WHEREIS_PARAMS, checkArgs } from '../builtins.js';
import { ProcessTable } from './table.js';
import type { Proc } from './proc.js';
import { requestSpawn, spawnOptions, spawned } from './spawn.js';
import type { SpawnHow, Spawned } from './spawn.js';
import { ProcessContextImpl } from './context.js';

/** What a node's processes need from the node. */
export interface NodeProcessesOptions {
  readonly name: string;
  readonly creation: number;
  /** Every node's name, in link-index order (the app's thread is the link after them). */
  /** Every node's name by link index, as the node knows them now (nodes join). */
  readonly names: () => readonly string[];
  readonly timeout: number;
  readonly maxProcesses: number;
  readonly maxMailbox: number;
  readonly scheduler: Scheduler;
  readonly endpoint: Endpoint;
  readonly modules: ReadonlyMap<string, Module | PooledModule>;
  /** The node's own `this` (of calls): the base of every process's. */
  readonly context: () => NodeContext;
  readonly notify: (msg: Lifecycle) => void;
}

/** The processes of one node. */
export class NodeProcesses {
  readonly table: ProcessTable;
  readonly #o: NodeProcessesOptions;

  /** The link index of `node`: a node's, or the app's (the main thread's client). */
  #indexOf(node: string): number | undefined {
    if (node === APP_NODE) return CLIENT;
    const i = this.#o.names().indexOf(node);
    return i < 0 ? undefined : i;
  }

  constructor(options: NodeProcessesOptions) {
    this.#o = options;
    const { endpoint } = options;
    this.table = new ProcessTable({
      node: options.name,
      creation: options.creation,
      scheduler: options.scheduler,
      maxProcesses: options.maxProcesses,
      maxMailbox: options.maxMailbox,
      post: (node, sig) => {
        const index = this.#indexOf(node);
        if (index === undefined || !endpoint.reaches(index)) return false;
        endpoint.send(index, sig);
        return true;
      },
      crashed: (p, error) => this.#report(p.mfa, this.#o.name, error),
    });
  }

  /** The node `index` is gone: links and monitors to its processes fire with `noconnection`. */
  nodeDown(index: number): void {
    const node = this.#o.names()[index];
    if (node !== undefined) this.table.nodeDown(node);
  }

  /** Runs a request of the reserved process module: `spawn`, `whereis`, `list`. */
  request(req: Request & { op: 'apply' }): void {
    const { endpoint } = this.#o;
    try {
      if (req.fun === 'spawn') {
        const [mod, fun, args, options] = req.args as [string, string, unknown[], SpawnOptions];
        const fn = this.#function(mod, fun, args);
        const p = this.table.spawn(`${mod}.${fun}/${args.length}`, options);
        // Answered before the process runs: whatever it sends follows its pid on the link.
        endpoint.reply(req, p.pid);
        this.#start(p, fn, mod, fun, args);
      } else if (req.fun === 'whereis') endpoint.reply(req, this.table.names.whereis(String(req.args[0])));
      else if (req.fun === 'list') endpoint.reply(req, this.table.list());
      else throw Errors.undefinedFunction(`undefined function ${PROCESS_MODULE}.${req.fun}/${req.args.length} on node "${this.#o.name}"`, 'the process module has spawn/4, whereis/1 and list/0');
    } catch (e) {
      endpoint.fail(req, e);
    }
  }

  /** Spawns `mod.fun(...args)` on `node` for `caller` (undefined: from a call); a failure rejects and is reported as `taskerror`. */
  spawn(caller: Proc | undefined, how: SpawnHow, node: string, mfa: readonly [string, string, unknown[]], where: string): Promise<Spawned> {
    const [mod, fun, args] = mfa;
    checkArgs(where, SPAWN_PARAMS, [node, mod, fun, args]);
    const leader = caller?.leader ?? APP_PID;
    let result: Promise<Spawned>;
    if (node === this.#o.name) result = this.#spawnHere(caller, how, mfa, leader);
    else {
      const index = this.#indexOf(node);
      result = index === undefined || node === APP_NODE ? Promise.reject(Errors.unknownNode(node, this.#o.names())) : requestSpawn(this.#o.endpoint, index, this.table, caller, how, mfa, leader, this.#o.timeout);
    }
    result.catch((e: unknown) => this.#report(`${mod}.${fun}/${args.length}`, node, e));
    return result;
  }

  /** The process functions of `this` in a call (no process: no mailbox, no links; its output goes to the app's group leader). */
  callFunctions(): Pick<NodeContext, 'spawn' | 'send' | 'puts' | 'whereis'> {
    const node = formatPid(this.#o.name, 0, this.#o.creation);
    return {
      spawn: (n, mod, fun, args = []) => this.spawn(undefined, 'spawn', n, [mod, fun, args], 'this.spawn') as Promise<Pid>,
      send: (dest, msg) => {
        checkArgs('this.send', SEND_PARAMS, [dest, msg]);
        this.table.send(undefined, dest, msg);
      },
      puts: (text) => this.puts(node, APP_PID, text),
      whereis: (name, n) => this.whereis(name, n),
    };
  }

  /** Writes `text` through group leader `leader`, from `from`. */
  puts(from: Pid, leader: Pid, text: string): void {
    checkArgs('this.puts', PUTS_PARAMS, [text]);
    this.table.signal({ type: 'sig', k: 'io', to: leader, from, text: `${text}\n` });
  }

  /** The pid registered under `name` on `node` (default: this one), or null. */
  whereis(name: string, node: string = this.#o.name): Promise<Pid | null> {
    try {
      checkArgs('this.whereis', WHEREIS_PARAMS, [name, node]);
    } catch (e) {
      return Promise.reject(e);
    }
    if (node === this.#o.name) return Promise.resolve(this.table.names.whereis(name));
    const index = this.#indexOf(node);
    if (index === undefined || node === APP_NODE) return Promise.reject(Errors.unknownNode(node, this.#o.names()));
    return this.#o.endpoint.request(index, { op: 'apply', mod: PROCESS_MODULE, fun: 'whereis', args: [name] }, this.#o.timeout) as Promise<Pid | null>;
  }

  /** A signal from the data plane. */
  signal(sig: Signal): void {
    this.table.receive(sig);
  }

  /** A signal the data plane could not send. */
  lost(sig: Signal, error: KvError): void {
    this.table.lost(sig, error);
  }

  #spawnHere(caller: Proc | undefined, how: SpawnHow, [mod, fun, args]: readonly [string, string, unknown[]], leader: Pid): Promise<Spawned> {
    try {
      const fn = this.#function(mod, fun, args);
      const copy = args.length === 0 ? [] : structuredClone(args);
      const ref = how === 'monitor' ? this.table.ref() : undefined;
      const p = this.table.spawn(`${mod}.${fun}/${args.length}`, spawnOptions(how, caller, leader, ref));
      const result = spawned(this.table, caller, how, p.pid, ref);
      this.#start(p, fn, mod, fun, copy);
      return Promise.resolve(result);
    } catch (e) {
      return Promise.reject(e instanceof KvError ? e : Errors.unsendable('spawn: ', reasonOf(e)));
    }
  }

  #function(mod: string, fun: string, args: unknown[]): (...args: unknown[]) => unknown {
    const found = this.#o.modules.get(mod);
    const fn = lookupFunction(this.#o.modules, mod, fun, args.length, this.#o.name);
    if (found !== undefined && isPooled(found)) throw Errors.badArgument(`spawn ${mod}.${fun}/${args.length} on node "${this.#o.name}": ${mod} is a cpu: true module, whose functions run in the CPU pool as calls; a process runs on its node's event loop`);
    return fn;
  }

  /** Runs `fn` as process `p`: its return ends it `normal`; a throw or rejection ends it with the error (and is reported). */
  #start(p: Proc, fn: (...args: unknown[]) => unknown, mod: string, fun: string, args: unknown[]): void {
    const ctx = new ProcessContextImpl(this, p, this.#o.context(), this.#o.timeout);
    const crash = (e: unknown): void => {
      if (!p.alive) return;
      const error = taskFailed(mod, fun, args.length, this.#o.name, e);
      this.table.exit(p, toWire(error), error);
    };
    try {
      const result: unknown = fn.apply(ctx, args);
      if (result instanceof Promise) result.then(() => this.table.exit(p, 'normal'), crash);
      else this.table.exit(p, 'normal');
    } catch (e) {
      crash(e);
    }
  }

  /** Tells the supervisor (`taskerror`) of a spawn that failed or a process that crashed. */
  #report(mfa: string, node: string, e: unknown): void {
    const slash = mfa.lastIndexOf('/');
    const dot = mfa.lastIndexOf('.', slash);
    this.#o.notify({ type: 'spawn-failed', node, mod: mfa.slice(0, dot), fun: mfa.slice(dot + 1, slash), arity: Number(mfa.slice(slash + 1)), error: toWire(e) });
  }
}
