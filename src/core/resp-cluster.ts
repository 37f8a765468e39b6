/**
 * Redis Cluster's view of kvmesh, for cluster mode: which node serves each slot, and the
 * replies that describe it (`CLUSTER SLOTS`, `SHARDS`, `NODES`, `INFO`, `MYID`) and send a
 * client to it (`-MOVED slot host:port`). It rests on one small interface, `ClusterView`:
 * who owns slot S by this node's table, and each node's RESP address. A slot whose owner
 * serves no RESP (or has no route) is served by the node asked, which forwards inside kvmesh.
 * Pure.
 */
import type { Bytes } from './bytes.js';
import { SLOTS } from './slots.js';
import { RespError } from './resp-errors.js';
import { array, bulk, integer, map, text } from './resp-reply.js';
import type { RespVersion } from './resp-reply.js';

/** A node's RESP address. */
export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** What cluster mode needs to know of the cluster, from the node asked. */
export interface ClusterView {
  /** The index of this node, in `names`. */
  readonly self: number;
  /** Every node's name, by index. */
  readonly names: readonly string[];
  /** The index of the node that owns slot `slot` by this node's table, or -1. */
  ownerOfSlot(slot: number): number;
  /** Each node's RESP address by index (undefined: it serves none, or is down); `fresh`: asked again rather than remembered. */
  endpoints(fresh?: boolean): Promise<readonly (Endpoint | undefined)[]>;
}

/** A run of slots served by one node. */
export interface SlotRange {
  readonly start: number;
  readonly end: number;
  readonly node: number;
}

/** The node that serves `slot`: its owner if that one serves RESP, else this node. */
export function servingNode(view: ClusterView, endpoints: readonly (Endpoint | undefined)[], slot: number): number {
  const owner = view.ownerOfSlot(slot);
  return owner >= 0 && endpoints[owner] !== undefined ? owner : view.self;
}

/** Every slot in runs of one serving node, in slot order. */
export function slotRanges(view: ClusterView, endpoints: readonly (Endpoint | undefined)[]): SlotRange[] {
  const ranges: SlotRange[] = [];
  let start = 0;
  let node = servingNode(view, endpoints, 0);
  for (let slot = 1; slot <= SLOTS; slot++) {
    const next = slot === SLOTS ? -2 : servingNode(view, endpoints, slot);
    if (next === node) continue;
    ranges.push({ start, end: slot - 1, node });
    start = slot;
    node = next;
  }
  return ranges;
}

/** A node's 40-hex-digit cluster id, made from its name (stable across restarts): five FNV-1a hashes with different seeds. */
export function nodeId(name: string): string {
  let id = '';
  for (let seed = 0; seed < 5; seed++) {
    let h = (0x811c9dc5 ^ Math.imul(seed, 0x9e3779b1)) >>> 0;
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
    id += h.toString(16).padStart(8, '0');
  }
  return id;
}

/** The nodes that serve at least one slot, in index order. */
function serving(ranges: readonly SlotRange[]): number[] {
  return [...new Set(ranges.map((r) => r.node))].sort((a, b) => a - b);
}

/** `CLUSTER SLOTS`: `[start, end, [host, port, id]]` per range (3 fields, as every client reads them). */
export function clusterSlots(view: ClusterView, endpoints: readonly (Endpoint | undefined)[]): Bytes {
  return array(
    slotRanges(view, endpoints).map((r) => {
      const e = endpoints[r.node] as Endpoint;
      return array([integer(r.start), integer(r.end), array([text(e.host), integer(e.port), bulk(nodeId(view.names[r.node] ?? ''))])]);
    }),
  );
}

/** `CLUSTER SHARDS`: per serving node, its slot ranges and the node (one master, no replicas). */
export function clusterShards(view: ClusterView, endpoints: readonly (Endpoint | undefined)[], version: RespVersion): Bytes {
  const ranges = slotRanges(view, endpoints);
  return array(
    serving(ranges).map((node) => {
      const e = endpoints[node] as Endpoint;
      const slots = ranges.filter((r) => r.node === node).flatMap((r) => [integer(r.start), integer(r.end)]);
      const about: [Bytes, Bytes][] = [
        [bulk('id'), bulk(nodeId(view.names[node] ?? ''))],
        [bulk('port'), integer(e.port)],
        [bulk('ip'), text(e.host)],
        [bulk('endpoint'), text(e.host)],
        [bulk('role'), bulk('master')],
        [bulk('replication-offset'), integer(0)],
        [bulk('health'), bulk('online')],
      ];
      return map(
        [
          [bulk('slots'), array(slots)],
          [bulk('nodes'), array([map(about, version)])],
        ],
        version,
      );
    }),
  );
}

/** `CLUSTER NODES`: Redis's text table, one line per node that serves RESP (`myself,master` for this one). */
export function clusterNodes(view: ClusterView, endpoints: readonly (Endpoint | undefined)[]): string {
  const ranges = slotRanges(view, endpoints);
  const lines: string[] = [];
  endpoints.forEach((e, node) => {
    if (e === undefined) return;
    const slots = ranges.filter((r) => r.node === node).map((r) => (r.start === r.end ? `${r.start}` : `${r.start}-${r.end}`));
    const flags = node === view.self ? 'myself,master' : 'master';
    lines.push([nodeId(view.names[node] ?? ''), `${e.host}:${e.port}@${e.port + 10000}`, flags, '-', '0', '0', `${node + 1}`, 'connected', ...slots].join(' '));
  });
  return `${lines.join('\n')}\n`;
}

/** `CLUSTER INFO`: every slot is served (a slot without a RESP owner by the node asked), so the state is ok. */
export function clusterInfo(view: ClusterView, endpoints: readonly (Endpoint | undefined)[]): string {
  const known = endpoints.filter((e) => e !== undefined).length;
  const size = serving(slotRanges(view, endpoints)).length;
  const fields = ['cluster_state:ok', `cluster_slots_assigned:${SLOTS}`, `cluster_slots_ok:${SLOTS}`, 'cluster_slots_pfail:0', 'cluster_slots_fail:0', `cluster_known_nodes:${known}`, `cluster_size:${size}`, `cluster_current_epoch:${view.names.length}`, `cluster_my_epoch:${view.self + 1}`];
  return `${fields.join('\r\n')}\r\n`;
}

/** `-MOVED slot host:port` when another node serves `slot`, else undefined. */
export function movedFor(view: ClusterView, endpoints: readonly (Endpoint | undefined)[], slot: number): RespError | undefined {
  const node = servingNode(view, endpoints, slot);
  if (node === view.self) return undefined;
  const e = endpoints[node] as Endpoint;
  return new RespError('MOVED', `${slot} ${e.host}:${e.port}`);
}
