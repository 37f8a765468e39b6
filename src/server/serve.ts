/** Starts a node's servers, the text protocol's and the Redis protocol's, dispatching every command through that node's own router. */
import type { KvNode } from '../node/node.js';
import type { NodeInit } from '../protocol/messages.js';
import { KvServer } from './server.js';
import { respProtocol } from './resp-codec.js';
import { respNode } from './resp-node.js';

/** Starts the servers of a node whose settings have a port or resp; resolves with the bound ports. */
export async function serveNode(node: KvNode, init: NodeInit): Promise<{ port?: number; respPort?: number }> {
  const self = init.settings.nodes[init.index];
  const common = { node: init.name, maxConnections: self?.maxConnections, maxReplyBytes: init.settings.maxReplyBytes };
  const servers: KvServer[] = [];
  node.onStop(() => Promise.all(servers.map((s) => s.close())).then(() => undefined));
  const ports: { port?: number; respPort?: number } = {};
  if (self?.port !== undefined) {
    const text = await KvServer.listen({
      ...common,
      host: self.host,
      port: self.port,
      maxLineLength: init.settings.maxLineLength,
      // Every command goes through this node's own router: a bucket it owns costs no hop.
      dispatch: (command) => node.submit(command),
    });
    servers.push(text);
    ports.port = text.port;
  }
  const resp = self?.resp;
  if (resp !== undefined) {
    let server: KvServer | undefined;
    const state = { port: () => server?.port ?? resp.port, clients: () => server?.connections ?? 0 };
    const protocol = respProtocol(respNode(node, init, resp, state), init.settings.maxLineLength);
    try {
      server = await KvServer.listen({ ...common, host: resp.host, port: resp.port, protocol }, 'resp.port');
    } catch (e) {
      await Promise.all(servers.map((s) => s.close()));
      throw e;
    }
    servers.push(server);
    ports.respPort = server.port;
  }
  return ports;
}
