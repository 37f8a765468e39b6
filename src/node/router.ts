/**
 * A node's routing state: every node's table as this node knows them, and its own as a
 * unit → owner index (a first byte, a hash slot or a ring partition; one typed array lookup).
 */
import type { Bytes } from '../core/bytes.js';
import { noRouteMessage, tooManyHopsMessage } from '../core/routing.js';
import { isRanges, isSlots, unitOwners } from '../core/partition.js';
import { keySlot } from '../core/slots.js';
import { ringPartition } from '../core/ring.js';
import { HERE, HOLD, PASS } from './overlay.js';
import type { Overlay } from './overlay.js';
import type { RoutingTable } from '../core/routing.js';
import { Errors, KvError } from '../protocol/errors.js';
import type { Tables } from '../protocol/messages.js';

/** What this node does with a request: run it here, forward it to link `to`, or refuse it (no route, or no hop left). */
export type Route = { readonly kind: 'local' } | { readonly kind: 'forward'; readonly to: number } | { readonly kind: 'refuse'; readonly owner: number } | { readonly kind: 'hold' };

const LOCAL: Route = { kind: 'local' };
/** Held at a move's fence: run again once the move is released or undone. */
const HELD: Route = { kind: 'hold' };
const NO_ROUTE: Route = { kind: 'refuse', owner: -1 };
// The partitioner of this node's own table, as a number the hot path compares.
const RANGES = 0;
const SLOTS = 1;
const RING = 2;

/** Where a request goes from this node. */
export class Router {
  readonly #name: string;
  #names: readonly string[] = [];
  #indexOf: ReadonlyMap<string, number> = new Map();
  readonly #hopLimit: number;
  #tables = new Map<string, RoutingTable>();
  /** Unit (byte, slot, partition) → index of the node this node's table sends it to; -1 for no entry. */
  #owners: Int16Array = new Int16Array(256);
  #kind = RANGES;
  #ringSize = 0;
  #version = 0;
  /** A live move over this node's table, while one is under way. */
  #overlay: Overlay | undefined;
  readonly #self: number;
  // One decision object per outcome, made once: deciding allocates nothing per request.
  #forwards: readonly Route[] = [];
  #outOfHops: readonly Route[] = [];

  constructor(name: string, names: readonly string[], hopLimit: number, tables: Tables) {
    this.#name = name;
    this.#hopLimit = hopLimit;
    this.#self = names.indexOf(name);
    this.#nodes(names);
    this.setTables(tables);
  }

  /** The nodes by link index changed (a node joined): decisions toward it, and this node's owners again. */
  setNodes(names: readonly string[]): void {
    this.#nodes(names);
    this.setTables(Object.fromEntries(this.#tables));
  }

  #nodes(names: readonly string[]): void {
    this.#names = names;
    this.#indexOf = new Map(names.map((n, i) => [n, i]));
    this.#forwards = names.map((_, to) => ({ kind: 'forward', to }));
    this.#outOfHops = names.map((_, owner) => ({ kind: 'refuse', owner }));
  }

  /** Every node's table, as this node knows them. */
  get tables(): ReadonlyMap<string, RoutingTable> {
    return this.#tables;
  }

  /** This node's own table. */
  get table(): RoutingTable {
    return this.#tables.get(this.#name) ?? [];
  }

  /** The index of the node this node's table sends `bucket` to, or -1 (no entry, or an empty name). `at`: where the name starts in `bucket`. */
  ownerOf(bucket: Bytes, at = 0): number {
    // Ranges first and alone: the guide's tables pay one comparison for the other partitioners.
    if (this.#kind === RANGES) return bucket.length <= at ? -1 : (this.#owners[bucket.charCodeAt(at)] as number);
    return this.#owners[this.#kind === SLOTS ? keySlot(bucket, at) : ringPartition(bucket, this.#ringSize, at)] as number;
  }

  /** The live move laid over this node's table (undefined: none). */
  get overlay(): Overlay | undefined {
    return this.#overlay;
  }

  set overlay(overlay: Overlay | undefined) {
    this.#overlay = overlay;
  }

  /** The link index of node `name`. */
  indexOf(name: string): number | undefined {
    return this.#indexOf.get(name);
  }

  /** The version of the tables this node routes with (the supervisor counts every change). */
  get version(): number {
    return this.#version;
  }

  /**
   * The decision for a request for `bucket` (starting at char `at`) that has made `hops` forwards,
   * made with this node's own table: the one decision of single ops and batches alike.
   */
  decide(bucket: Bytes, hops: number, at = 0): Route {
    if (this.#overlay !== undefined) {
      const moved = this.#overlay.route(bucket, at);
      if (moved === HERE) return LOCAL;
      if (moved === HOLD) return HELD;
      if (moved !== PASS) return hops < this.#hopLimit ? (this.#forwards[moved] as Route) : (this.#outOfHops[moved] as Route);
    }
    const owner = this.ownerOf(bucket, at);
    if (owner === this.#self) return LOCAL;
    if (owner < 0) return NO_ROUTE;
    return hops < this.#hopLimit ? (this.#forwards[owner] as Route) : (this.#outOfHops[owner] as Route);
  }

  /** The path of a request leaving this node, given the path it came with. */
  pathFrom(path: string | undefined): string {
    return path === undefined ? this.#name : `${path} → ${this.#name}`;
  }

  /** Why a request for `bucket` (path so far: `path`) cannot go on to `owner`: KV_ERR_NO_ROUTE, or KV_ERR_TOO_MANY_HOPS naming the path. */
  refusal(bucket: Bytes, owner: number, path: string | undefined): KvError {
    if (owner < 0) return Errors.noRoute(noRouteMessage(bucket, this.#name, this.table));
    const hops = [...this.pathFrom(path).split(' → '), this.#names[owner] ?? '?'];
    return Errors.tooManyHops(tooManyHopsMessage(bucket, hops, this.#hopLimit));
  }

  /** Replaces every node's table (`version`: theirs, when the supervisor gives one). */
  setTables(tables: Tables, version = this.#version): void {
    this.#tables = new Map(Object.entries(tables));
    this.#version = version;
    const own = this.table;
    this.#kind = isRanges(own) ? RANGES : isSlots(own) ? SLOTS : RING;
    this.#ringSize = isRanges(own) || isSlots(own) ? 0 : own.ring.size;
    this.#owners = unitOwners(own, (n) => this.#indexOf.get(n));
  }
}
