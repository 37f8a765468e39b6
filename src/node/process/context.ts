/**
 * `this` inside a process: the node's context (clock, calls, environment) and the process's own
 * functions (mailbox, links, monitors, names, server calls). Every argument is checked (a wrong
 * one is KV_ERR_BAD_ARGUMENT). Once the process has ended (killed by a link, say) its function is
 * stopped where it next asks for anything: `receive` never settles, the others throw.
 */
import { Errors } from '../../protocol/errors.js';
import type { Pid, Ref, ServerName } from '../../protocol/messages.js';
import type { CallFrom, NodeContext, ProcessContext } from '../modules.js';
import { nodeOfPid } from '../../core/pid.js';
import { AFTER_PARAMS, SEND_PARAMS, checkArgs } from '../builtins.js';
import type { Param } from '../builtins.js';
import type { Proc } from './proc.js';
import type { SpawnHow, Spawned } from './spawn.js';
import type { ProcessTable } from './table.js';
import { callServer } from './server-call.js';

/** What a process's `this` needs of its node. */
export interface ProcessRuntime {
  readonly table: ProcessTable;
  spawn(caller: Proc | undefined, how: SpawnHow, node: string, mfa: readonly [string, string, unknown[]], where: string): Promise<Spawned>;
  puts(from: Pid, leader: Pid, text: string): void;
  whereis(name: string, node?: string): Promise<Pid | null>;
}

/** Thrown into a process's function by anything it calls once it has ended, so that it stops. */
class ProcessEnded extends Error {
  override readonly name = 'ProcessEnded';
}

const RECEIVE: readonly Param[] = [
  ['match', 'match'],
  ['timeout', 'wait'],
];
const PID: readonly Param[] = [['pid', 'pid']];
const DEST: readonly Param[] = [['dest', 'dest']];
const REF: readonly Param[] = [['ref', 'ref']];
const NAME: readonly Param[] = [['name', 'string']];
const FLAG: readonly Param[] = [['on', 'boolean']];
const REPLY: readonly Param[] = [
  ['from', 'from'],
  ['value', 'any'],
];
const CALL: readonly Param[] = [
  ['dest', 'dest'],
  ['message', 'any'],
  ['timeout', 'timeout'],
];
const EXIT2: readonly Param[] = [
  ['pid', 'pid'],
  ['reason', 'any'],
];

/** `this` of one process. */
export class ProcessContextImpl implements ProcessContext {
  readonly #rt: ProcessRuntime;
  readonly #p: Proc;
  readonly #base: NodeContext;
  readonly #timeout: number;

  constructor(runtime: ProcessRuntime, proc: Proc, base: NodeContext, timeoutMs: number) {
    this.#rt = runtime;
    this.#p = proc;
    this.#base = base;
    this.#timeout = timeoutMs;
  }

  node(): string {
    return this.#base.node();
  }
  nodes(): string[] {
    return this.#base.nodes();
  }
  now(): number {
    return this.#base.now();
  }
  after(ms: number, fn: () => void): () => void {
    checkArgs('this.after', AFTER_PARAMS, [ms, fn]);
    return this.#base.after(ms, fn);
  }
  route(bucket: string, mod: string, fun: string, args?: unknown[]): Promise<unknown> {
    return this.#base.route(bucket, mod, fun, args);
  }
  call(node: string, mod: string, fun: string, args?: unknown[], timeoutMs?: number): Promise<unknown> {
    return this.#base.call(node, mod, fun, args, timeoutMs);
  }
  getEnv(key: string): unknown {
    return this.#base.getEnv(key);
  }
  putEnv(key: string, value: unknown): Promise<void> {
    return this.#base.putEnv(key, value);
  }

  self(): Pid {
    return this.#p.pid;
  }
  spawn(node: string, mod: string, fun: string, args: unknown[] = []): Promise<Pid> {
    return this.#spawn('spawn', 'this.spawn', node, mod, fun, args) as Promise<Pid>;
  }
  spawnLink(node: string, mod: string, fun: string, args: unknown[] = []): Promise<Pid> {
    return this.#spawn('link', 'this.spawnLink', node, mod, fun, args) as Promise<Pid>;
  }
  spawnMonitor(node: string, mod: string, fun: string, args: unknown[] = []): Promise<{ pid: Pid; ref: Ref }> {
    return this.#spawn('monitor', 'this.spawnMonitor', node, mod, fun, args) as Promise<{ pid: Pid; ref: Ref }>;
  }
  send(dest: Pid | ServerName, msg: unknown): void {
    this.#live('this.send', SEND_PARAMS, [dest, msg]);
    this.#rt.table.send(this.#p, dest, msg);
  }
  receive<T = unknown>(match?: (msg: unknown) => boolean, timeoutMs?: number): Promise<T> {
    // The common receive (no match, no timeout) is checked without building an argument list.
    if (match !== undefined || timeoutMs !== undefined) {
      try {
        checkArgs('this.receive', RECEIVE, [match, timeoutMs]);
      } catch (e) {
        return Promise.reject(e);
      }
    }
    const p = this.#p;
    return p.receive(match, timeoutMs, this.#rt.table.scheduler, () => Errors.receiveTimeout(`${p.pid} (${p.mfa})`, timeoutMs ?? 0)) as Promise<T>;
  }
  flush(): unknown[] {
    this.#live('this.flush', [], []);
    return this.#p.mailbox.drain();
  }
  link(pid: Pid): void {
    this.#live('this.link', PID, [pid]);
    this.#rt.table.link(this.#p, pid);
  }
  unlink(pid: Pid): void {
    this.#live('this.unlink', PID, [pid]);
    this.#rt.table.unlink(this.#p, pid);
  }
  monitor(dest: Pid | ServerName): Ref {
    this.#live('this.monitor', DEST, [dest]);
    return this.#rt.table.monitor(this.#p, dest);
  }
  demonitor(ref: Ref): void {
    this.#live('this.demonitor', REF, [ref]);
    this.#rt.table.demonitor(this.#p, ref);
  }
  trapExits(on: boolean): boolean {
    this.#live('this.trapExits', FLAG, [on]);
    const was = this.#p.trap;
    this.#p.trap = on;
    return was;
  }
  exit(...args: [reason: unknown] | [pid: Pid, reason: unknown]): never {
    if (args.length === 2) {
      this.#live('this.exit', EXIT2, args);
      this.#rt.table.signal({ type: 'sig', k: 'exit', from: this.#p.pid, to: args[0], reason: args[1], link: false });
      return undefined as never;
    }
    this.#live('this.exit', [], []);
    this.#rt.table.exit(this.#p, args[0]);
    throw new ProcessEnded(`${this.#p.pid} exited`);
  }
  register(name: string): void {
    this.#live('this.register', NAME, [name]);
    this.#rt.table.names.register(this.#p, name, nodeOfPid(this.#p.pid));
  }
  unregister(): void {
    this.#live('this.unregister', [], []);
    this.#rt.table.names.unregister(this.#p);
  }
  whereis(name: string, node?: string): Promise<Pid | null> {
    return this.#rt.whereis(name, node);
  }
  reply(from: CallFrom, value: unknown): void {
    this.#live('this.reply', REPLY, [from, value]);
    this.#rt.table.signal({ type: 'sig', k: 'reply', to: from.pid, ref: from.ref, value });
  }
  callServer(dest: Pid | ServerName, msg: unknown, timeoutMs: number = this.#timeout): Promise<unknown> {
    try {
      this.#live('this.callServer', CALL, [dest, msg, timeoutMs]);
    } catch (e) {
      return Promise.reject(e);
    }
    return callServer(this.#rt.table, this.#p, dest, msg, timeoutMs);
  }
  puts(text: string): void {
    this.#live('this.puts', [], []);
    this.#rt.puts(this.#p.pid, this.#p.leader, text);
  }

  #spawn(how: SpawnHow, where: string, node: string, mod: string, fun: string, args: unknown[]): Promise<Spawned> {
    this.#live(where, [], []);
    return this.#rt.spawn(this.#p, how, node, [mod, fun, args], where);
  }

  /** Checks the arguments, and that the process still runs (else its function is stopped here). */
  #live(where: string, params: readonly Param[], args: readonly unknown[]): void {
    if (!this.#p.alive) throw new ProcessEnded(`${where}: ${this.#p.pid} has exited`);
    checkArgs(where, params, args);
  }
}
