/**
 * The tables of a running cluster and every change to them, one at a time (the supervisor is their
 * one writer): a node's table replaced (`setRoutingTable`, `Application.put_env`), a plan of a
 * change, a recording of the traffic, a live reshard. Each change counts one version.
 */
import { Errors } from '../protocol/errors.js';
import type { Tables } from '../protocol/messages.js';
import type { TrafficLog } from '../protocol/data.js';
import { badConfig, replaceTable } from '../core/config.js';
import type { KvConfig, Settings } from '../core/config.js';
import type { RoutingTable } from '../core/routing.js';
import { quoteBytes } from '../core/bytes.js';
import type { Scheduler } from '../transport/scheduler.js';
import { bucketMoves, planChange } from '../plan/plan.js';
import type { Plan } from '../plan/plan.js';
import { loadNext, sideOf } from './next.js';
import { everyNode, inventories } from './node-calls.js';
import type { Nodes } from './node-calls.js';
import { Recording } from './recording.js';
import { reshard } from './reshard.js';
import type { ReshardProgress, ReshardResult } from './reshard.js';

/** What the changes need of the cluster. */
export interface ChangesOptions {
  /** The settings of the nodes in the cluster now (those that left not among them). */
  readonly settings: () => Settings;
  readonly nodes: Nodes;
  readonly clock: Scheduler;
  readonly clockKind: TrafficLog['clock'];
  /** Sends the tables (and their version) to every node. */
  readonly push: () => Promise<void>;
}

/** Every node's table, their version, and the changes to them. */
export class TableChanges {
  /** Each node's table in force. */
  readonly tables: Map<string, RoutingTable>;
  readonly #o: ChangesOptions;
  #version = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #moves = 0;
  #move: ReshardProgress | undefined;

  constructor(options: ChangesOptions) {
    this.#o = options;
    this.tables = new Map(options.settings().nodes.map((n) => [n.name, n.table]));
  }

  /** The version of the tables: 0 at start, one more per change. */
  get version(): number {
    return this.#version;
  }

  /** The reshard under way, as far as it has come. */
  get move(): ReshardProgress | undefined {
    return this.#move;
  }

  /** Replaces `node`'s table, checked against the latest of every other (a loop is refused, naming it); resolves once every node has it. */
  replace(node: string, spec: unknown, path: string): Promise<{ table: RoutingTable; warnings: readonly string[] }> {
    return this.serial(async () => {
      const { table, warnings } = replaceTable(this.#o.settings(), this.tables, node, spec, path);
      this.tables.set(node, table);
      this.#version++;
      await this.#o.push();
      return { table, warnings };
    });
  }

  /** The plan of going to `next`, with the buckets every node holds now. */
  async plan(next: KvConfig | string, traffic: TrafficLog | undefined): Promise<Plan> {
    const loaded = await loadNext(next, this.tables);
    const held = await inventories(this.#o.nodes, true);
    return planChange(sideOf(this.#o.settings(), this.tables), sideOf(loaded.settings), held, traffic);
  }

  /** Starts recording at every node that is up. */
  async record(): Promise<Recording> {
    const { nodes } = this.#o;
    const recording = new Recording(nodes.names, (on) => everyNode(nodes, 'record', (c) => c.command({ type: 'record', on })), this.#o.clockKind);
    await recording.collect(true);
    return recording;
  }

  /** Moves the cluster to `next`'s tables live (after the changes before it). */
  reshard(next: KvConfig | string, onProgress: ((progress: ReshardProgress) => void) | undefined): Promise<ReshardResult> {
    return this.serial(async () => {
      const loaded = await loadNext(next, this.tables);
      const names = loaded.settings.nodes.map((n) => n.name);
      const now = this.#o.settings().nodes.map((n) => n.name);
      if (names.join() !== now.join()) throw Errors.badArgument(`reshard: the next configuration has nodes ${names.join(', ')}, the cluster ${now.join(', ')}: nodes join and leave with addNode and removeNode`);
      return this.moveTables(Object.fromEntries(loaded.settings.nodes.map((n) => [n.name, n.table])), onProgress);
    });
  }

  /**
   * Moves the cluster to `tables` live (inside a change: call it from `serial`); `leaving`: a node
   * whose table is dropped once the move commits. Refuses tables that leave a bucket with no owner.
   */
  async moveTables(tables: Tables, onProgress: ((progress: ReshardProgress) => void) | undefined, leaving?: string): Promise<ReshardResult> {
    const lost = bucketMoves(await inventories(this.#o.nodes, false), new Map(Object.entries(tables))).filter((m) => m.to === undefined);
    if (lost.length > 0) throw badConfig(lost.map((m) => ({ path: 'routingTable', message: `bucket ${quoteBytes(m.bucket)} on node "${m.from}" would have no owner under the next tables` })));
    const commit = async (t: Tables): Promise<number> => {
      for (const [node, table] of Object.entries(t)) this.tables.set(node, table);
      if (leaving !== undefined) this.tables.delete(leaving);
      this.#version++;
      await this.#o.push();
      return this.#version;
    };
    const progress = (p: ReshardProgress): void => {
      this.#move = p.phase === 'done' || p.phase === 'rolled back' ? undefined : p;
      onProgress?.(p);
    };
    return reshard({ nodes: this.#o.nodes, clock: this.#o.clock, commit, version: () => this.#version, id: ++this.#moves }, tables, progress);
  }

  /** Runs `change` once every change before it has ended: two changes never interleave. */
  serial<T>(change: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(change, change);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
