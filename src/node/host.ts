/** Starts a node from its `NodeInit`: loads modules, builds the node, exposes its control API, attaches its ports, starts its server. */
import { exposeControl } from '../transport/control.js';
import { portLink } from '../transport/link.js';
import { systemScheduler } from '../transport/scheduler.js';
import { CpuPool } from './pool.js';
import { Errors, KvError, reasonOf, toWire } from '../protocol/errors.js';
import type { Lifecycle, NodeInit } from '../protocol/messages.js';
import { KvNode } from './node.js';
import { loadModules } from './modules.js';

/** Starts a node's servers (for a node whose settings have a port or resp), after its links; resolves with the bound ports. */
export type Serve = (node: KvNode, init: NodeInit) => Promise<{ port?: number; respPort?: number }>;

/**
 * Hosts a node in the current thread and reports `ready` (or `failed`) through `notify`.
 * The worker entry calls this with its parent port and the TCP server (a layer above this
 * one); a test can call it with a channel and no server.
 */
export async function hostNode(init: NodeInit, notify: (msg: Lifecycle) => void, serve?: Serve): Promise<KvNode | undefined> {
  try {
    const modules = await loadModules(init.settings.modules);
    const node = new KvNode(init.name, init.index, init.settings, init.tables, modules, { notify, scheduler: systemScheduler, random: { next: Math.random }, pool: new CpuPool(init.name), creation: init.creation ?? 0 });
    const control = node.control();
    exposeControl(
      {
        ...control,
        link: (index, port) => control.link(index, portLink(port)),
        // Answered first, then the thread blocks until the supervisor lets it go (cluster.resume).
        pause: (flag) => void setTimeout(() => Atomics.wait(new Int32Array(flag), 0, 0), 0),
      },
      init.control,
    );
    for (const { index, port } of init.links) node.attach(index, portLink(port));
    const self = init.settings.nodes[init.index];
    const ports = self?.port === undefined && self?.resp === undefined ? {} : await serve?.(node, init);
    notify({ type: 'ready', ...ports });
    return node;
  } catch (e) {
    const error = e instanceof KvError ? e : Errors.internal(`node "${init.name}" failed to start: ${reasonOf(e)}`);
    notify({ type: 'failed', error: toWire(error) });
    return undefined;
  }
}
