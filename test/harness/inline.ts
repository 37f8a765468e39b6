/**
 * Every node of a config hosted in the test's own thread, wired with real MessageChannels:
 * the same node code as a worker-thread cluster, without the threads. The shared behaviour
 * suite runs against both (design.md, style rule 6).
 */
import { MessageChannel } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { loadConfig } from '../../src/cluster/load-config.js';
import { hostNode } from '../../src/node/host.js';
import { wireMesh } from '../../src/transport/mesh.js';
import type { KvNode } from '../../src/node/node.js';
import { connectClient } from '../../src/client.js';
import type { KvClient } from '../../src/client.js';
import { KvError, fromWire } from '../../src/protocol/errors.js';
import type { KvConfig } from '../../src/core/config.js';
import type { Tables } from '../../src/protocol/messages.js';

/** What the behaviour suite needs of a cluster. */
export interface ClusterUnderTest {
  readonly nodes: readonly string[];
  client(via?: string): KvClient;
  close(): Promise<void>;
}

/** Starts every node of `config` in this thread. */
export async function inlineCluster(config: KvConfig, cwd: string): Promise<ClusterUnderTest> {
  const { settings } = await loadConfig(config, cwd);
  const names = settings.nodes.map((n) => n.name);
  const n = names.length;
  const tables: Tables = Object.fromEntries(settings.nodes.map((s) => [s.name, s.table]));
  const { nodeLinks: links, clientPorts } = wireMesh(n, (): [MessagePort, MessagePort] => {
    const { port1, port2 } = new MessageChannel();
    return [port1, port2];
  });
  const controls: MessagePort[] = [];
  const nodes: KvNode[] = [];
  for (const [index, name] of names.entries()) {
    const control = new MessageChannel();
    controls.push(control.port1, control.port2);
    let failure: KvError | undefined;
    const node = await hostNode({ name, index, settings, tables, links: links[index] ?? [], control: control.port2 }, (msg) => {
      if (msg.type === 'failed') failure = fromWire(msg.error);
    });
    if (node === undefined) throw failure ?? new KvError('KV_ERR_INTERNAL', `node ${name} did not start`);
    nodes.push(node);
  }
  const clients: KvClient[] = [];
  // One client endpoint per entry node: each attachment's ports can be transferred (here: used) once.
  const supervisor = new MessageChannel();
  controls.push(supervisor.port2);
  const attachment = { index: n, nodes: names, ports: clientPorts, timeout: settings.timeout, tables, control: supervisor.port1 };
  return {
    nodes: names,
    client(via = names[0]) {
      const existing = clients.find((c) => c.via === via);
      if (existing !== undefined) return existing;
      const client = clients.length === 0 ? connectClient(attachment, via === undefined ? {} : { via }) : clients[0]?.enterAt(via as string);
      if (client === undefined) throw new Error('no client');
      clients.push(client);
      return client;
    },
    async close() {
      const reason = new KvError('KV_ERR_CLOSED', 'the cluster is closed');
      clients[0]?.close();
      await Promise.all(nodes.map((node) => node.stop(reason)));
      for (const port of controls) port.close();
    },
  };
}
