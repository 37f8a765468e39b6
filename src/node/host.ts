/** Starts a node from its `NodeInit`: loads modules, builds the node, exposes its control API, attaches its ports, starts its server. */
import { exposeControl } from '../transport/control.js';
import { KvError, toWire } from '../protocol/errors.js';
import type { Lifecycle, NodeInit } from '../protocol/messages.js';
import { KvNode } from './node.js';
import { loadModules } from './modules.js';

/**
 * Hosts a node in the current thread and reports `ready` (or `failed`) through `notify`.
 * The worker entry calls this with its parent port; a test can call it with a channel.
 */
export async function hostNode(init: NodeInit, notify: (msg: Lifecycle) => void): Promise<KvNode | undefined> {
  try {
    const modules = await loadModules(init.settings.modules);
    const node = new KvNode(init.name, init.index, init.settings, init.tables, modules, { notify });
    exposeControl(node.control(), init.control);
    for (const { index, port } of init.links) node.attach(index, port);
    const port = await serve(node, init);
    notify(port === undefined ? { type: 'ready' } : { type: 'ready', port });
    return node;
  } catch (e) {
    const error = e instanceof KvError ? e : new KvError('KV_ERR_INTERNAL', `node "${init.name}" failed to start: ${(e as Error).message}`);
    notify({ type: 'failed', error: toWire(error) });
    return undefined;
  }
}

/** Starts the node's TCP server if its settings have a port (after its links, so the first command can be routed); returns the bound port. */
async function serve(node: KvNode, init: NodeInit): Promise<number | undefined> {
  const self = init.settings.nodes[init.index];
  if (self?.port === undefined) return undefined;
  // Loaded only by serving nodes: the import cost 6 ms of every other node's start (npm run bench).
  const { KvServer } = await import('../server/server.js');
  const server = await KvServer.listen({
    node: init.name,
    host: self.host,
    port: self.port,
    maxConnections: self.maxConnections,
    maxLineLength: init.settings.maxLineLength,
    // Every command goes through this node's own router: a bucket it owns costs no hop.
    dispatch: (command) => node.submit(command),
  });
  node.onStop(() => server.close());
  return server.port;
}
