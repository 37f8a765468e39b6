/** A node's routing state: every node's table as this node knows them, and its own as a byte → owner index. */
import type { Bytes } from '../core/bytes.js';
import { entryFor, noRouteMessage, tooManyHopsMessage } from '../core/routing.js';
import type { RoutingTable } from '../core/routing.js';
import { Errors, KvError } from '../protocol/errors.js';
import type { Tables } from '../protocol/messages.js';

/** What this node does with a request: run it here, forward it to link `to`, or refuse it (no route, or no hop left). */
export type Route = { readonly kind: 'local' } | { readonly kind: 'forward'; readonly to: number } | { readonly kind: 'refuse'; readonly owner: number };

const LOCAL: Route = { kind: 'local' };
const NO_ROUTE: Route = { kind: 'refuse', owner: -1 };

/** Where a request goes from this node. */
export class Router {
  readonly #name: string;
  readonly #names: readonly string[];
  readonly #indexOf: ReadonlyMap<string, number>;
  readonly #hopLimit: number;
  #tables = new Map<string, RoutingTable>();
  /** Byte → index of the node this node's table sends it to; -1 for no entry. */
  readonly #owners = new Int16Array(256);
  readonly #self: number;
  // One decision object per outcome, made once: deciding allocates nothing per request.
  readonly #forwards: readonly Route[];
  readonly #outOfHops: readonly Route[];

  constructor(name: string, names: readonly string[], hopLimit: number, tables: Tables) {
    this.#name = name;
    this.#names = names;
    this.#indexOf = new Map(names.map((n, i) => [n, i]));
    this.#hopLimit = hopLimit;
    this.#self = names.indexOf(name);
    this.#forwards = names.map((_, to) => ({ kind: 'forward', to }));
    this.#outOfHops = names.map((_, owner) => ({ kind: 'refuse', owner }));
    this.setTables(tables);
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
    return bucket.length <= at ? -1 : (this.#owners[bucket.charCodeAt(at)] as number);
  }

  /**
   * The decision for a request for `bucket` (starting at char `at`) that has made `hops` forwards,
   * made with this node's own table: the one decision of single ops and batches alike.
   */
  decide(bucket: Bytes, hops: number, at = 0): Route {
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

  /** Replaces every node's table. */
  setTables(tables: Tables): void {
    this.#tables = new Map(Object.entries(tables));
    const own = this.table;
    for (let byte = 0; byte < 256; byte++) {
      const entry = entryFor(own, byte);
      this.#owners[byte] = entry === undefined ? -1 : (this.#indexOf.get(entry.node) ?? -1);
    }
  }
}
