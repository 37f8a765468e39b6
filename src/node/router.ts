/** A node's routing state: every node's table as this node knows them, and its own as a byte → owner index. */
import type { Bytes } from '../core/bytes.js';
import { entryFor, noRouteMessage, tooManyHopsMessage } from '../core/routing.js';
import type { RoutingTable } from '../core/routing.js';
import { KvError } from '../protocol/errors.js';
import type { Tables } from '../protocol/messages.js';

/** Where a request goes from this node. */
export class Router {
  readonly #name: string;
  readonly #names: readonly string[];
  readonly #indexOf: ReadonlyMap<string, number>;
  readonly #hopLimit: number;
  #tables = new Map<string, RoutingTable>();
  /** Byte → index of the node this node's table sends it to; -1 for no entry. */
  readonly #owners = new Int16Array(256);

  constructor(name: string, names: readonly string[], hopLimit: number, tables: Tables) {
    this.#name = name;
    this.#names = names;
    this.#indexOf = new Map(names.map((n, i) => [n, i]));
    this.#hopLimit = hopLimit;
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

  /** Whether a request that has made `hops` forwards may make one more. */
  mayForward(hops: number): boolean {
    return hops < this.#hopLimit;
  }

  /** The path of a request leaving this node, given the path it came with. */
  pathFrom(path: string | undefined): string {
    return path === undefined ? this.#name : `${path} → ${this.#name}`;
  }

  /** Why a request for `bucket` (path so far: `path`) cannot go on to `owner`: KV_ERR_NO_ROUTE, or KV_ERR_TOO_MANY_HOPS naming the path. */
  refusal(bucket: Bytes, owner: number, path: string | undefined): KvError {
    if (owner < 0) return new KvError('KV_ERR_NO_ROUTE', noRouteMessage(bucket, this.#name, this.table));
    const hops = [...this.pathFrom(path).split(' → '), this.#names[owner] ?? '?'];
    return new KvError('KV_ERR_TOO_MANY_HOPS', tooManyHopsMessage(bucket, hops, this.#hopLimit));
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
