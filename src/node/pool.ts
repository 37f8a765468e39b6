/**
 * A node's CPU pool (piscina): calls to user modules marked `cpu: true` run off the node's
 * event loop, as Erlang tasks run beside a node's other processes. Started on first use.
 * A task thread is not the node, so `this` there is built from what the task carries (the
 * node's name, its peers and a snapshot of its environment) plus a port on which `route`,
 * `call` and `spawn` go back to the node, which runs them with its own context. Both ends
 * of that port are here.
 */
import { MessageChannel } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { Piscina } from 'piscina';
import { Errors, KvError, fromWire, messageOf, toWire } from '../protocol/errors.js';
import type { TaskAnswer, TaskAsk, TaskResult, TaskRun } from '../protocol/messages.js';
import { AFTER_PARAMS, ENV_PARAMS, PUTS_PARAMS, SEND_PARAMS, SPAWN_PARAMS, checkArgs } from './builtins.js';
import type { NodeContext, Pid, ServerName } from './modules.js';

const TASK_WORKER = new URL('../../workers/task.js', import.meta.url).href;

/** One call to run in the pool. */
export interface PoolCall {
  readonly mod: string;
  readonly path: string;
  readonly fun: string;
  readonly args: unknown[];
}

/** Where a node runs its calls to `cpu: true` modules. */
export interface TaskPool {
  run(call: PoolCall, ctx: NodeContext, env: Readonly<Record<string, unknown>>): Promise<unknown>;
  close(): Promise<void>;
}

/** One node's pool of task threads. */
export class CpuPool implements TaskPool {
  readonly #node: string;
  #pool: Piscina | undefined;
  #closed = false;

  constructor(node: string) {
    this.#node = node;
  }

  /** Runs `call` in the pool, its `this` the node's `ctx` (`env`: the environment snapshot it reads). */
  async run(call: PoolCall, ctx: NodeContext, env: Readonly<Record<string, unknown>>): Promise<unknown> {
    // After close(), piscina would silently spawn a fresh worker: refuse instead.
    if (this.#closed) throw Errors.stopping(this.#node, 'its CPU pool is closed');
    // atomics 'disabled': the default 'sync' freezes idle workers' ports and timers.
    // piscina is imported on first use: loading it in every node thread took 16 ms of each node's start.
    const { Piscina: Pool } = await import('piscina');
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- close() may run while piscina loads
    if (this.#closed) throw Errors.stopping(this.#node, 'its CPU pool is closed');
    this.#pool ??= new Pool({ filename: TASK_WORKER, minThreads: 0, maxThreads: 2, idleTimeout: 2000, atomics: 'disabled' });
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (ask: TaskAsk) => answer(port1, ask, ctx));
    try {
      const task: TaskRun = { node: this.#node, ...call, nodes: ctx.nodes(), env, port: port2 };
      const result = (await this.#pool.run(task, { transferList: [port2] })) as TaskResult;
      if (result.ok) return result.value;
      throw fromWire(result.error);
    } finally {
      port1.close();
    }
  }

  /** Ends the pool now; tasks in flight reject. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.destroy();
  }
}

/** The environment a task reads: the node's keys whose values can cross threads, and its routing table. */
export function envSnapshot(env: ReadonlyMap<string, unknown>, table: unknown): Record<string, unknown> {
  const snapshot: Record<string, unknown> = {};
  for (const [key, value] of env) {
    try {
      structuredClone(value);
      snapshot[key] = value;
    } catch {
      // A function put by an inline module: it cannot reach another thread, so the task does not see it.
    }
  }
  snapshot['routing_table'] = table;
  return snapshot;
}

/** The node's end: runs a task's `this.route`/`call`/`spawn` with the node's context and answers on `port`. */
function answer(port: MessagePort, { id, fn, args }: TaskAsk, ctx: NodeContext): void {
  const [a, b, c, d, e] = args as [string, string, string, unknown[], number | undefined];
  const reply = (msg: TaskAnswer): void => {
    try {
      port.postMessage(msg);
    } catch (err) {
      const error = Errors.unsendableResult(`of this.${fn} cannot be sent to the CPU task's thread: ${messageOf(err)}`);
      port.postMessage({ id, ok: false, error: toWire(error) } satisfies TaskAnswer);
    }
  };
  try {
    if (fn === 'send') return ctx.send(args[0] as Pid | ServerName, args[1]);
    if (fn === 'puts') return ctx.puts(a);
    const asked = fn === 'route' ? ctx.route(a, b, c, d) : fn === 'call' ? ctx.call(a, b, c, d, e) : fn === 'spawn' ? ctx.spawn(a, b, c, d) : ctx.whereis(a, b);
    asked.then(
      (value) => reply({ id, ok: true, value }),
      (err: unknown) => reply({ id, ok: false, error: toWire(err) }),
    );
  } catch (err) {
    // The task checked the arguments before sending; what else throws (a local name not registered) is its answer.
    if (id >= 0) reply({ id, ok: false, error: toWire(err) });
  }
}

/** `this` of a function run in the pool, and `close()` for when it has returned (later calls through the node reject). */
export function taskContext(task: TaskRun): NodeContext & { close(): void } {
  const { port, env } = task;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: KvError) => void }>();
  let next = 0;
  let closed = false;
  port.on('message', (a: TaskAnswer) => {
    const w = waiting.get(a.id);
    waiting.delete(a.id);
    if (a.ok) w?.resolve(a.value);
    else w?.reject(fromWire(a.error));
  });
  const send = (id: number, fn: TaskAsk['fn'], args: unknown[]): void => {
    const where = `this.${fn} in ${task.mod}.${task.fun}/${task.args.length} on node "${task.node}"`;
    if (closed) throw Errors.taskReturned(where);
    try {
      port.postMessage({ id, fn, args } satisfies TaskAsk);
    } catch (e) {
      throw Errors.unsendable(`${where}: `, messageOf(e));
    }
  };
  const ask = (fn: 'route' | 'call' | 'whereis', args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = next++;
      try {
        send(id, fn, args);
        waiting.set(id, { resolve, reject });
      } catch (e) {
        reject(e);
      }
    });
  // Throws at once (a bad argument, a task that has returned), as the node's own spawn does.
  const spawn = (args: unknown[]): Promise<unknown> => {
    const id = next++;
    send(id, 'spawn', args);
    const spawned = new Promise((resolve, reject) => waiting.set(id, { resolve, reject }));
    // Awaiting it is optional, as on the node: a failure is reported there (taskerror).
    spawned.catch(() => undefined);
    return spawned;
  };
  return {
    node: () => task.node,
    // The task thread's own clock and timers: a cpu: true module runs outside the node's turns.
    now: () => performance.now(),
    after: (ms, fn) => {
      checkArgs('this.after', AFTER_PARAMS, [ms, fn]);
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    },
    nodes: () => [...task.nodes],
    route: (bucket, mod, fun, args = []) => ask('route', [bucket, mod, fun, args]),
    call: (node, mod, fun, args = [], timeoutMs) => ask('call', [node, mod, fun, args, timeoutMs]),
    spawn: (node, mod, fun, args = []) => {
      checkArgs('this.spawn', SPAWN_PARAMS, [node, mod, fun, args]);
      return spawn([node, mod, fun, args]) as Promise<Pid>;
    },
    send: (dest, msg) => {
      checkArgs('this.send', SEND_PARAMS, [dest, msg]);
      send(-1, 'send', [dest, msg]);
    },
    puts: (text) => {
      checkArgs('this.puts', PUTS_PARAMS, [text]);
      send(-1, 'puts', [text]);
    },
    whereis: (name, node) => ask('whereis', [name, node]) as Promise<Pid | null>,
    getEnv: (key) => {
      checkArgs('this.getEnv', ENV_PARAMS, [key]);
      return Object.hasOwn(env, key) ? env[key] : undefined;
    },
    putEnv: () => {
      throw Errors.badArgument(`this.putEnv in ${task.mod}.${task.fun}/${task.args.length} on node "${task.node}": a cpu: true module reads a snapshot of the environment; set it with this.call(this.node(), 'Application', 'put_env', [key, value])`);
    },
    close: () => {
      closed = true;
      // Calls still waiting stay unsettled: nobody awaits them once the task has returned.
      port.close();
    },
  };
}
