/** The piscina worker of a node's CPU pool: imports a user module and runs one function, its `this` a context that reaches back to the node. */
import { pathToFileURL } from 'node:url';
import { toWire } from '../src/protocol/errors.js';
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
    return { ok: true, value: await (fn as (...a: unknown[]) => unknown).apply(context, args) };
  } catch (e) {
    return { ok: false, error: toWire(taskFailed(mod, fun, args.length, node, e)) };
  } finally {
    context.close();
  }
}
