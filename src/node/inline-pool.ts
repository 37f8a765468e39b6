/** A task pool that runs `cpu: true` calls on the node's own event loop: the simulation's (one thread, virtual time). */
import { lookupFunction } from './modules.js';
import type { Module, PooledModule } from './modules.js';
import type { TaskPool } from './pool.js';

/** Runs each call inline, `this` being the node's context. */
export function inlinePool(node: string, modules: ReadonlyMap<string, Module | PooledModule>): TaskPool {
  return {
    run: async (call, ctx) => lookupFunction(modules, call.mod, call.fun, call.args.length, node).apply(ctx, call.args),
    close: async () => undefined,
  };
}
