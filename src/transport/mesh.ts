/** The data-plane wiring of a cluster: a channel between every two nodes and one from each node to the client. */

/** One node's end of a link: the link index of the other side, and the end (a MessagePort, a simulated link). */
export interface LinkEnd<E> {
  readonly index: number;
  readonly port: E;
}

/**
 * The ends of a mesh of `n` nodes made with `channel(a, b)` (link indexes; it returns the end `a`
 * holds, then the end `b` holds): each node's links (the client is link `client`), and the client's end to each node.
 */
export function wireMesh<E>(n: number, channel: (a: number, b: number) => [E, E], client: number): { nodeLinks: LinkEnd<E>[][]; clientPorts: E[] } {
  const nodeLinks: LinkEnd<E>[][] = Array.from({ length: n }, () => []);
  const clientPorts: E[] = [];
  for (let i = 0; i < n; i++) {
    const [toNode, toClient] = channel(client, i);
    clientPorts.push(toNode);
    nodeLinks[i]?.push({ index: client, port: toClient });
    for (let j = i + 1; j < n; j++) {
      const [a, b] = channel(i, j);
      nodeLinks[i]?.push({ index: j, port: a });
      nodeLinks[j]?.push({ index: i, port: b });
    }
  }
  return { nodeLinks, clientPorts };
}
