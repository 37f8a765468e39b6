/** The piscina worker of a node's CPU pool: imports a user module and runs one function, its `this` a context that reaches back to the node. */
import { pathToFileURL } from 'node:url';
import { KvError, messageOf, toWire } from '../src/protocol/errors.js';
import { taskFailed } from '../src/node/modules.js';
import { taskContext } from '../src/node/pool.js';
import type { TaskResult, TaskRun } from '../src/protocol/messages.js';

export default async function run(task: TaskRun): Promise<TaskResult> {
  const { node, mod, path, fun, args } = task;
  const context = taskContext(task);
  try {
    const exports = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    const fn = exports[fun];
    if (typeof fn !== 'function') throw new Error(`${fun} is not a function`);
    const value = await (fn as (...a: unknown[]) => unknown).apply(context, args);
    // piscina reports a result it cannot post back as an empty object: say what went wrong instead.
    const unsendable = cloneError(value);
    if (unsendable !== undefined) throw new KvError('KV_ERR_TASK_FAILED', `${mod}.${fun}/${args.length} on node "${node}": its result cannot be sent to another thread: ${messageOf(unsendable)}`);
    return { ok: true, value };
  } catch (e) {
    return { ok: false, error: toWire(taskFailed(mod, fun, args.length, node, e)) };
  } finally {
    context.close();
  }
}

function cloneError(value: unknown): unknown {
  try {
    structuredClone(value);
    return undefined;
  } catch (e) {
    return e;
  }
}
