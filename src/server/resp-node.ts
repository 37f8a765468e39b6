/**
 * A kvmesh node as the Redis commands see it (`RespNode`): ops go through the node's own
 * router (one for a bucket the node keeps runs at once, as its router would run it); keys are placed by the proxy or the cluster rule; the slot map is the node's own
 * table read through the buckets of each slot; the other nodes' RESP ports come from the
 * supervisor, remembered until a link changes (a node restarted on a new port, or died).
 */
import { NOT_HERE } from '../node/node.js';
import type { KvNode } from '../node/node.js';
import type { NodeInit } from '../protocol/messages.js';
import { RESP_PORTS } from '../protocol/messages.js';
import type { RespSettings } from '../protocol/data.js';
import type { Bytes } from '../core/bytes.js';
import type { RespNode } from '../core/resp-command.js';
import { isSlots } from '../core/partition.js';
import type { ClusterView, Endpoint } from '../core/resp-cluster.js';
import { clusterPlace, proxyPlace, slotBucket } from '../core/resp-keys.js';
import { REDIS_MODULE, createOp, putOp, redisOp } from '../core/resp-ops.js';

/** How long INFO waits for a node's key count before leaving it out, ms. */
const INFO_WAIT_MS = 500;

/** What the RESP server tells the node about itself once it listens. */
export interface RespServerState {
  readonly port: () => number;
  readonly clients: () => number;
}

/** The `RespNode` of `node` serving RESP with `resp`. */
export function respNode(node: KvNode, init: NodeInit, resp: RespSettings, server: RespServerState): RespNode {
  const names = init.settings.nodes.map((n) => n.name);
  const defaultBucket = resp.defaultBucket;
  // Redis Cluster's own partitioning: a node routing by hash slots serves cluster mode without being asked.
  const own = init.settings.nodes[init.index]?.table;
  const cluster = resp.cluster || (own !== undefined && isSlots(own));
  const keysOf = (name: string, strict: boolean): Promise<number> => {
    const asked = node.context.call(name, REDIS_MODULE, 'dbsize', [], strict ? init.settings.timeout : INFO_WAIT_MS) as Promise<number>;
    return strict ? asked : asked.catch(() => 0);
  };
  return {
    name: node.name,
    cluster,
    host: resp.host,
    port: server.port,
    clients: server.clients,
    // An op for a bucket this node keeps runs at once (no promise, no trip through the endpoint); the rest is sent.
    run: (op) => {
      const value = node.runHere(op);
      return value === NOT_HERE ? node.submit(op) : value;
    },
    // Here: the guide's put, and a create first if the bucket is missing (one synchronous step, so
    // nothing comes between them); elsewhere: KV.Redis.put, which does both on the owner.
    write: (bucket, key, value) => {
      const put = putOp(bucket, key, value);
      try {
        const done = node.runHere(put);
        if (done !== NOT_HERE) return done;
      } catch (e) {
        if ((e as { code?: unknown }).code !== 'KV_ERR_NO_BUCKET') throw e;
        node.runHere(createOp(bucket));
        return node.runHere(put);
      }
      return node.submit(redisOp('put', bucket, key, value));
    },
    place: cluster ? clusterPlace : (key: Bytes) => proxyPlace(key, defaultBucket),
    keys: async (strict) => {
      const reachable = strict ? names : [node.name, ...node.context.nodes()];
      const counts = await Promise.all(reachable.map((name) => keysOf(name, strict)));
      return counts.reduce((a, b) => a + b, 0);
    },
    view: clusterView(node, init, names),
  };
}

/** The slot map and the RESP addresses, from `node`. */
function clusterView(node: KvNode, init: NodeInit, names: readonly string[]): ClusterView {
  let known: Promise<readonly (Endpoint | undefined)[]> | undefined;
  node.onLinkChange(() => (known = undefined));
  const ask = async (): Promise<readonly (Endpoint | undefined)[]> => {
    const ports = (await node.askSupervisor(RESP_PORTS)) as Record<string, number>;
    return init.settings.nodes.map((n) => {
      const port = ports[n.name];
      return port === undefined || n.resp === undefined ? undefined : { host: n.resp.host, port };
    });
  };
  return {
    self: init.index,
    names,
    ownerOfSlot: (slot) => node.ownerOf(slotBucket(slot)),
    endpoints: (fresh = false) => {
      if (fresh || known === undefined) {
        const asking = ask();
        known = asking;
        // A failed ask is not remembered: the next one asks again.
        asking.catch(() => {
          if (known === asking) known = undefined;
        });
      }
      return known;
    },
  };
}
