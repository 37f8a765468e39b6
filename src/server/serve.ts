/** Starts a node's TCP server, dispatching every command through that node's own router. */
import type { KvNode } from '../node/node.js';
import type { NodeInit } from '../protocol/messages.js';
import { KvServer } from './server.js';

/** Starts the TCP server of a node whose settings have a port; resolves with the bound port. */
export async function serveNode(node: KvNode, init: NodeInit): Promise<number | undefined> {
  const self = init.settings.nodes[init.index];
  if (self?.port === undefined) return undefined;
  const server = await KvServer.listen({
    node: init.name,
    host: self.host,
    port: self.port,
    maxConnections: self.maxConnections,
    maxLineLength: init.settings.maxLineLength,
    maxReplyBytes: init.settings.maxReplyBytes,
    // Every command goes through this node's own router: a bucket it owns costs no hop.
    dispatch: (command) => node.submit(command),
  });
  node.onStop(() => server.close());
  return server.port;
}
