/**
 * `INFO` (the server, clients, persistence, keyspace and cluster sections; `loading:0`, which
 * ioredis waits for) and `CLUSTER` (KEYSLOT in any mode; the rest in cluster mode, from the
 * node's `ClusterView`). Pure.
 */
import type { Bytes } from './bytes.js';
import { keySlot } from './slots.js';
import { bulk, integer, text } from './resp-reply.js';
import { RespError } from './resp-errors.js';
import type { RespSession, Spec } from './resp-command.js';
import { REDIS_VERSION } from './resp-admin.js';
import { clusterInfo, clusterNodes, clusterShards, clusterSlots, nodeId } from './resp-cluster.js';
import type { Endpoint } from './resp-cluster.js';

const SECTIONS = ['server', 'clients', 'persistence', 'keyspace', 'cluster'] as const;
type Section = (typeof SECTIONS)[number];

/** The sections `INFO args…` asks for: all by default (and for all, everything, default). */
function sectionsOf(args: readonly Bytes[]): Section[] {
  const asked = args.slice(1).map((a) => a.toLowerCase());
  if (asked.length === 0 || asked.some((a) => a === 'all' || a === 'everything' || a === 'default')) return [...SECTIONS];
  return SECTIONS.filter((s) => asked.includes(s));
}

/** One section's lines. */
function section(s: RespSession, name: Section, keys: number): string[] {
  const node = s.node;
  switch (name) {
    case 'server':
      return ['# Server', `redis_version:${REDIS_VERSION}`, `redis_mode:${node.cluster ? 'cluster' : 'standalone'}`, 'os:kvmesh', `kvmesh_node:${node.name}`, `tcp_port:${node.port()}`];
    case 'clients':
      return ['# Clients', `connected_clients:${node.clients()}`];
    case 'persistence':
      return ['# Persistence', 'loading:0', 'aof_enabled:0'];
    case 'keyspace':
      return ['# Keyspace', ...(keys > 0 ? [`db0:keys=${keys},expires=0,avg_ttl=0`] : [])];
    case 'cluster':
      return ['# Cluster', `cluster_enabled:${node.cluster ? 1 : 0}`];
  }
}

function info(s: RespSession, a: readonly Bytes[]): Promise<Bytes> {
  const sections = sectionsOf(a);
  // Counting keys asks every node: only when the keyspace is asked for, and a node that does not answer is left out.
  const keys = sections.includes('keyspace') ? s.node.keys(false) : Promise.resolve(0);
  return keys.then((n) => text(sections.map((name) => [...section(s, name, n), ''].join('\r\n')).join('\r\n')));
}

const disabled = (): RespError => new RespError('ERR', 'This instance has cluster support disabled');

function cluster(s: RespSession, a: readonly Bytes[]): Bytes | Promise<Bytes> {
  const sub = (a[1] as Bytes).toUpperCase();
  if (sub === 'KEYSLOT') {
    if (a.length !== 3) throw new RespError('ERR', "wrong number of arguments for 'cluster|keyslot' command");
    return integer(keySlot(a[2] as Bytes));
  }
  const view = s.node.view;
  if (!s.node.cluster) throw disabled();
  if (sub === 'MYID') return bulk(nodeId(view.names[view.self] ?? ''));
  const render: Record<string, (endpoints: readonly (Endpoint | undefined)[]) => Bytes> = {
    SLOTS: (e) => clusterSlots(view, e),
    SHARDS: (e) => clusterShards(view, e, s.version),
    NODES: (e) => text(clusterNodes(view, e)),
    INFO: (e) => text(clusterInfo(view, e)),
  };
  const fn = render[sub];
  if (fn === undefined) throw new RespError('ERR', `unknown subcommand '${(a[1] as Bytes).slice(0, 128)}'. Try CLUSTER HELP.`);
  // Asked afresh: a client asks after a MOVED or a lost connection, when a node may have moved.
  return view.endpoints(true).then(fn);
}

/** INFO and CLUSTER. */
export const INFO_COMMANDS: Readonly<Record<string, Spec>> = {
  INFO: { arity: -1, run: info },
  CLUSTER: { arity: -2, run: cluster },
};
