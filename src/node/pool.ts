/**
 * A node's CPU pool (piscina): calls to user modules marked `cpu: true` run off the node's
 * event loop, as Erlang tasks run beside a node's other processes. Started on first use.
 */
import type { Piscina } from 'piscina';
import { KvError, fromWire } from '../protocol/errors.js';
import type { TaskResult, TaskRun } from '../protocol/messages.js';

const TASK_WORKER = new URL('../../workers/task.js', import.meta.url).href;

/** One node's pool of task threads. */
export class CpuPool {
  readonly #node: string;
  #pool: Piscina | undefined;
  #closed = false;

  constructor(node: string) {
    this.#node = node;
  }

  /** Runs `fun(...args)` of the module at `path` in the pool. */
  async run(mod: string, path: string, fun: string, args: unknown[]): Promise<unknown> {
    // After close(), piscina would silently spawn a fresh worker: refuse instead.
    if (this.#closed) throw new KvError('KV_ERR_CLOSED', `node "${this.#node}" is stopping: its CPU pool is closed`);
    // atomics 'disabled': the default 'sync' freezes idle workers' ports and timers.
    // piscina is imported on first use: loading it in every node thread took 16 ms of each node's start.
    const { Piscina: Pool } = await import('piscina');
    if (this.#closed) throw new KvError('KV_ERR_CLOSED', `node "${this.#node}" is stopping: its CPU pool is closed`);
    this.#pool ??= new Pool({ filename: TASK_WORKER, minThreads: 0, maxThreads: 2, idleTimeout: 2000, atomics: 'disabled' });
    const task: TaskRun = { node: this.#node, mod, path, fun, args };
    const result = (await this.#pool.run(task)) as TaskResult;
    if (result.ok) return result.value;
    throw fromWire(result.error);
  }

  /** Ends the pool now; tasks in flight reject. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.destroy();
  }
}
