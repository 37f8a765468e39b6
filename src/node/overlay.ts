/**
 * A live move laid over a node's table (`cluster.reshard`): for the buckets this node's table kept
 * that the next tables give to another node ("moving out") and those the next tables give to this
 * node ("moving in"), the overlay decides before the table does. Moving out: served here while
 * copied, held at the fence, forwarded straight to the new owner once released. Moving in: routed by
 * the table until this node owns them, then served here. Every other bucket goes by the table.
 */
import type { Bytes, RoutingTable } from '../protocol/data.js';
import type { Tables } from '../protocol/messages.js';
import { unitCount, unitOf, unitOwners, unitTable } from '../core/partition.js';
import { segments } from '../core/lint.js';
import { trace } from '../core/trace.js';

/** The overlay has no say: the table decides. */
export const PASS = -1;
/** Run it here. */
export const HERE = -2;
/** Hold it until the fence is released. */
export const HOLD = -3;

/** Where the buckets moving out are: still served here, held, or sent on. */
export type OutPhase = 'copy' | 'fence' | 'released';

/** One move over one node. */
export class Overlay {
  readonly id: number;
  readonly #self: number;
  /** This node's own table before the move, and its owner per unit. */
  readonly #old: RoutingTable;
  readonly #oldOwners: Int16Array;
  /** The next tables' partitioner, and per unit the owner a request from here reaches under them (-1: none). */
  readonly #next: RoutingTable;
  readonly #nextOwners: Int16Array;
  out: OutPhase = 'copy';
  /** Whether this node serves the buckets moving in. */
  owning = false;

  constructor(id: number, self: number, own: RoutingTable, next: Tables, indexOf: (node: string) => number | undefined, name: string) {
    this.id = id;
    this.#self = self;
    this.#old = own;
    this.#oldOwners = unitOwners(own, indexOf);
    const tables = new Map(Object.entries(next));
    this.#next = unitTable(tables.values());
    const owners = new Int16Array(unitCount(this.#next)).fill(-1);
    for (const [first, last] of segments(tables)) {
      const t = trace(tables, name, first);
      if (t.outcome.kind === 'owner') owners.fill(indexOf(t.outcome.node) ?? -1, first, last + 1);
    }
    this.#nextOwners = owners;
  }

  /** Whether this node's table kept `bucket` (from char `at`) before the move. */
  keptHere(bucket: Bytes, at = 0): boolean {
    const u = unitOf(this.#old, bucket, at);
    return u >= 0 && this.#oldOwners[u] === this.#self;
  }

  /** The link index of the node `bucket` goes to under the next tables, from here (-1: none). */
  nextOwner(bucket: Bytes, at = 0): number {
    const v = unitOf(this.#next, bucket, at);
    return v < 0 ? -1 : (this.#nextOwners[v] as number);
  }

  /** The node `bucket` moves out to, or -1 when it does not move out of here. */
  movesTo(bucket: Bytes, at = 0): number {
    if (!this.keptHere(bucket, at)) return -1;
    const to = this.nextOwner(bucket, at);
    return to === this.#self ? -1 : to;
  }

  /** The overlay's decision for a request for `bucket`: PASS, HERE, HOLD, or the link index to forward it to. */
  route(bucket: Bytes, at = 0): number {
    const kept = this.keptHere(bucket, at);
    const to = this.nextOwner(bucket, at);
    if (kept && to >= 0 && to !== this.#self) return this.out === 'copy' ? HERE : this.out === 'fence' ? HOLD : to;
    if (!kept && to === this.#self && this.owning) return HERE;
    return PASS;
  }
}
