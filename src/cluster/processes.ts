/**
 * The process API of the cluster facade, run in the app's thread: the app's own process
 * (`cluster.self()`), spawning on nodes, sending, exit signals, named servers, and the output of
 * every process whose group leader is the app, written to the cluster's `stdout`.
 */
import type { Endpoint } from '../transport/endpoint.js';
import type { Scheduler } from '../transport/scheduler.js';
import { Errors, reasonOf } from '../protocol/errors.js';
import type { KvError } from '../protocol/errors.js';
import { PROCESS_MODULE } from '../protocol/messages.js';
import type { Pid, ProcessInfo, ServerName, Signal } from '../protocol/messages.js';
import { APP_NODE, APP_PID, nodeOfPid } from '../core/pid.js';
import { ProcessTable } from '../node/process/table.js';
import type { Proc } from '../node/process/proc.js';
import { requestSpawn } from '../node/process/spawn.js';
import { callServer } from '../node/process/server-call.js';
import type { SpawnHow, Spawned } from '../node/process/spawn.js';
import { requireMfa, requireOptions, requireString, requireTimeout } from '../client.js';
import type { ExitEvent, OutputStream, TaskErrorEvent } from './events.js';
import { ProcessHandle, requirePid } from './process-handle.js';

/** What the process API needs from the facade. */
export interface ClusterProcessesOptions {
  readonly endpoint: Endpoint;
  readonly nodes: readonly string[];
  readonly timeout: number;
  readonly maxMailbox: number;
  readonly scheduler: Scheduler;
  readonly stdout: OutputStream;
  /** Prefix each line with the node that wrote it (`[foo] hello world`). */
  readonly labelOutput: boolean;
  /** The link index of `node`, checked (a TypeError, KV_ERR_UNKNOWN_NODE, KV_ERR_CLOSED). */
  readonly indexOf: (node: string, method: string) => number;
  readonly taskError: (event: TaskErrorEvent) => void;
  readonly exit: (event: ExitEvent) => void;
  readonly warn: (text: string, code: string) => void;
}

/** The app's processes: one, its own. */
export class ClusterProcesses {
  readonly #o: ClusterProcessesOptions;
  readonly #table: ProcessTable;
  readonly #me: Proc;
  readonly #handle: ProcessHandle;
  #warnedFull = false;
  #closed: KvError | undefined;

  constructor(options: ClusterProcessesOptions) {
    this.#o = options;
    const { endpoint, nodes } = options;
    this.#table = new ProcessTable({
      node: APP_NODE,
      creation: 0,
      scheduler: options.scheduler,
      maxProcesses: 0,
      maxMailbox: options.maxMailbox,
      post: (node, sig) => {
        const index = nodes.indexOf(node);
        if (index < 0 || !endpoint.reaches(index)) return false;
        endpoint.send(index, sig);
        return true;
      },
      crashed: (_p, error) => options.warn(`a message from the app's process could not be sent: ${error.message}`, error.code),
      app: {
        exit: (pid, reason) => options.exit({ pid, reason }),
        output: (from, text) => this.#write(from, text),
        overflow: () => {
          if (this.#warnedFull) return;
          this.#warnedFull = true;
          options.warn(`the app's mailbox (cluster.self()) holds ${options.maxMailbox} messages (maxMailbox): later messages are dropped until it is read`, 'KV_WARN_MAILBOX_FULL');
        },
      },
    });
    this.#me = this.#table.adopt(APP_PID);
    this.#handle = ProcessHandle.of(this.#table, this.#me);
  }

  /** What the endpoint hands over: signals for the app's process, and its signals that could not leave. */
  readonly signals = {
    arrived: (sig: Signal): void => this.#table.receive(sig),
    lost: (sig: Signal, error: KvError): void => this.#table.lost(sig, error),
  };

  /** The app's process. */
  self(): ProcessHandle {
    return this.#handle;
  }

  /** Spawns `mod.fun(...args)` on `node` (`how`: linked to or monitored by the app's process); a failure rejects and is emitted as `taskerror`. */
  spawn(how: SpawnHow, method: string, node: string, mfa: readonly [string, string, readonly unknown[]], options: { readonly timeout?: number }): Promise<Spawned> {
    const [mod, fun, args] = mfa;
    requireMfa(mod, fun, args, method);
    const timeout = this.#timeoutOf(options, method);
    const index = this.#o.indexOf(node, method);
    // Never mutated: the args are cloned as they are sent.
    const result = requestSpawn(this.#o.endpoint, index, this.#table, how === 'spawn' ? undefined : this.#me, how, [mod, fun, args as unknown[]], this.#me.pid, timeout);
    result.catch((e: unknown) => this.#o.taskError({ node, mfa: `${mod}.${fun}/${args.length}`, error: e as KvError }));
    return result;
  }

  /** Sends a copy of `msg` to a pid or `{ name, node }`; KV_ERR_BAD_ARGUMENT if it cannot be copied. */
  send(dest: Pid | ServerName, msg: unknown): void {
    if (this.#closed !== undefined) throw this.#closed;
    this.#table.send(this.#me, this.#dest(dest, 'send'), checkedCopy(msg, 'send'));
  }

  /** Sends `pid` an exit signal (`Process.exit(pid, reason)`): `'kill'` cannot be trapped. */
  exit(pid: Pid, reason: unknown): void {
    const to = requirePid(pid, 'pid', 'exit') as Pid;
    if (this.#closed !== undefined) throw this.#closed;
    this.#table.signal({ type: 'sig', k: 'exit', from: this.#me.pid, to, reason: checkedCopy(reason, 'exit'), link: false });
  }

  /** `GenServer.call({ name, node }, msg)`: see `ProcessTable.callServer`. */
  callServer(dest: Pid | ServerName, msg: unknown, options: { readonly timeout?: number }): Promise<unknown> {
    const to = this.#dest(dest, 'callServer');
    return callServer(this.#table, this.#me, to, checkedCopy(msg, 'callServer'), this.#timeoutOf(options, 'callServer'));
  }

  /** The pid registered under `name` on `node`, or null. */
  whereis(name: string, node: string): Promise<Pid | null> {
    requireString(name, 'name', 'whereis');
    return this.#o.endpoint.request(this.#o.indexOf(node, 'whereis'), { op: 'apply', mod: PROCESS_MODULE, fun: 'whereis', args: [name] }, this.#o.timeout) as Promise<Pid | null>;
  }

  /** The processes of `node`. */
  processes(node: string): Promise<ProcessInfo[]> {
    return this.#o.endpoint.request(this.#o.indexOf(node, 'processes'), { op: 'apply', mod: PROCESS_MODULE, fun: 'list', args: [] }, this.#o.timeout) as Promise<ProcessInfo[]>;
  }

  /** The cluster is closed: what the app's process waits for rejects with `error`. */
  close(error: KvError): void {
    this.#closed = error;
    this.#me.close(error);
  }

  /** Node `node` is gone: the app's links and monitors to its processes fire with `noconnection`. */
  nodeDown(node: string): void {
    this.#table.nodeDown(node);
  }

  #dest(dest: Pid | ServerName, method: string): Pid | ServerName {
    const to = requirePid(dest, 'dest', method, true);
    // A name on an unknown node is refused, as every other call to one is.
    if (typeof to !== 'string') this.#o.indexOf(to.node, method);
    return to;
  }

  #timeoutOf(options: { readonly timeout?: number }, method: string): number {
    return requireOptions(options, method).timeout === undefined ? this.#o.timeout : requireTimeout(options.timeout, 'timeout', method);
  }

  #write(from: Pid, text: string): void {
    const label = this.#o.labelOutput ? `[${nodeOfPid(from)}] ` : '';
    const lines = label === '' ? text : text.replace(/^(?=.)/gm, label);
    this.#o.stdout.write(lines);
  }
}

/** `value` if it can be copied to another thread, else KV_ERR_BAD_ARGUMENT naming the method. */
function checkedCopy(value: unknown, method: string): unknown {
  // A string or number (most reasons, many messages) can always be copied.
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  try {
    structuredClone(value);
  } catch (e) {
    throw Errors.unsendable(`${method}: `, reasonOf(e));
  }
  return value;
}
