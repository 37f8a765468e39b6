/**
 * Nodes joining and leaving a running cluster (`cluster.addNode`, `cluster.removeNode`): shorthands
 * for a reshard to the tables the partitioner decides (`plan/membership.ts`), with the node started
 * before (it joins owning nothing, then takes its claim live) or stopped after (it hands off
 * everything first). Each is one change of the tables: it never interleaves with another.
 */
import type { NodeConfig, Settings } from '../core/config.js';
import { badConfig } from '../core/config.js';
import { validateJoining } from '../core/node-config.js';
import { unitTable } from '../core/partition.js';
import { Errors } from '../protocol/errors.js';
import type { RoutingTable } from '../protocol/data.js';
import { tablesAfterJoin, tablesAfterLeave } from '../plan/membership.js';
import type { TableChanges } from './changes.js';
import type { ReshardProgress, ReshardResult } from './events.js';
import type { Supervisor } from './supervisor.js';

/** What joins and leaves need of the cluster. */
export interface MembershipContext {
  readonly changes: TableChanges;
  readonly supervisor: Supervisor<unknown>;
  /** Every node's settings by link index, those that left included. */
  readonly all: () => Settings;
  /** Records a new node (its settings appended: its link index is the next). */
  readonly joined: (settings: Settings) => void;
  /** Records that a node left (its link index is never reused). */
  readonly left: (node: string) => void;
  /** The names of the nodes in the cluster now. */
  readonly members: () => readonly string[];
  /** Tells the app: `nodejoin` once a new node is up, `nodeleave` once a node that left is gone. */
  readonly announce: (event: 'nodejoin' | 'nodeleave', node: string) => void;
}

type Progress = ((progress: ReshardProgress) => void) | undefined;

/** Starts node `name` with `config`, links it to everyone, then moves it its claim; resolves with the move (its node stays if the move is undone). */
export function addNode(ctx: MembershipContext, name: string, config: NodeConfig, onProgress: Progress): Promise<ReshardResult> {
  const { changes, supervisor } = ctx;
  return changes.serial(async () => {
    const all = ctx.all();
    const node = validateJoining(name, config, all.nodes);
    const members = new Map(ctx.members().map((n) => [n, changes.tables.get(n) ?? []]));
    const target = tablesAfterJoin(members, node.name, node.storage);
    // Until the move, it routes as the others do and owns nothing (its own table, if it has one, after).
    const own = config.routingTable === undefined ? undefined : node.table;
    changes.tables.set(node.name, unitTable(members.values()));
    if (own !== undefined) target.set(node.name, own);
    const next: Settings = { ...all, nodes: [...all.nodes, { ...node, table: changes.tables.get(node.name) ?? [] }] };
    ctx.joined(next);
    const index = next.nodes.length - 1;
    await supervisor.broadcast('nodes', (c) => c.command({ type: 'nodes', names: next.nodes.map((n) => n.name) }));
    try {
      await supervisor.join(next, index);
    } catch (e) {
      changes.tables.delete(node.name);
      ctx.left(node.name);
      throw e;
    }
    ctx.announce('nodejoin', node.name);
    return changes.moveTables(Object.fromEntries<RoutingTable>(target), onProgress);
  });
}

/** Hands everything `name` holds to the nodes the partitioner gives it to, then stops it for good; its node stays if the move is undone. */
export function removeNode(ctx: MembershipContext, name: string, onProgress: Progress): Promise<ReshardResult> {
  const { changes, supervisor } = ctx;
  return changes.serial(async () => {
    const members = ctx.members();
    const index = ctx.all().nodes.findIndex((n) => n.name === name);
    if (!members.includes(name)) throw Errors.unknownNode(name, members);
    if (members.length === 1) throw Errors.badArgument(`removeNode: node "${name}" is the last node of the cluster`);
    const target = tablesAfterLeave(new Map(members.map((n) => [n, changes.tables.get(n) ?? []])), name);
    if (Array.isArray(target)) throw badConfig(target);
    const result = await changes.moveTables(Object.fromEntries<RoutingTable>(target), onProgress, name);
    if (!result.committed) return result;
    ctx.left(name);
    await supervisor.retire(index, Errors.nodeDown(name, 'it left the cluster'));
    ctx.announce('nodeleave', name);
    return result;
  });
}
