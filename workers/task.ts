/** The piscina worker of a node's CPU pool: imports a user module and runs one function. */
import { pathToFileURL } from 'node:url';
import { toWire } from '../src/protocol/errors.js';
import { taskFailed } from '../src/node/modules.js';
import type { TaskResult, TaskRun } from '../src/protocol/messages.js';

export default async function run({ node, mod, path, fun, args }: TaskRun): Promise<TaskResult> {
  try {
    const exports = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    const fn = exports[fun];
    if (typeof fn !== 'function') throw new Error(`${fun} is not a function`);
    return { ok: true, value: await (fn as (...a: unknown[]) => unknown)(...args) };
  } catch (e) {
    return { ok: false, error: toWire(taskFailed(mod, fun, args.length, `${node}`, e)) };
  }
}
