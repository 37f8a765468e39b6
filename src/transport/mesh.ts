/** The data-plane wiring of a cluster: a channel between every two nodes and one from each node to the client. */
import { MessageChannel } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';

/** One node's end of a link: the link index of the other side, and the port. */
export interface Link {
  readonly index: number;
  readonly port: MessagePort;
}

/** The ports of a mesh of `n` nodes: each node's links (the client is link `n`), and the client's port to each node. */
export function wireMesh(n: number): { nodeLinks: Link[][]; clientPorts: MessagePort[] } {
  const nodeLinks: Link[][] = Array.from({ length: n }, () => []);
  const clientPorts: MessagePort[] = [];
  for (let i = 0; i < n; i++) {
    const toClient = new MessageChannel();
    clientPorts.push(toClient.port1);
    nodeLinks[i]?.push({ index: n, port: toClient.port2 });
    for (let j = i + 1; j < n; j++) {
      const mesh = new MessageChannel();
      nodeLinks[i]?.push({ index: j, port: mesh.port1 });
      nodeLinks[j]?.push({ index: i, port: mesh.port2 });
    }
  }
  return { nodeLinks, clientPorts };
}
