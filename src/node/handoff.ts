/**
 * A node's part in a live move (`cluster.reshard`), command by command: the overlay on its table,
 * the snapshot of the buckets moving out (a Map's live iterator: keys written meanwhile are also
 * noted by Storage and sent again in the next delta), the import of buckets moving in, and the
 * requests held at the fence.
 */
import type { Bytes } from '../protocol/data.js';
import type { BatchRequest, MoveItem, NodeAnswers, NodeCommand, Request, Tables } from '../protocol/messages.js';
import { Errors } from '../protocol/errors.js';
import { forEachEntry, packEntry } from '../protocol/move-pack.js';
import { Overlay } from './overlay.js';
import type { Router } from './router.js';
import type { Storage } from './storage.js';

/** What a handoff needs of its node. */
export interface HandoffNode {
  readonly self: number;
  readonly name: string;
  readonly router: Router;
  readonly storage: Storage;
  /** Routes a held request (or batch) again, as if it had just arrived. */
  readonly rerun: (req: Request | BatchRequest) => void;
}

type MoveCommand = Extract<NodeCommand, { id: number }>;

/** The snapshot under way: the buckets moving out, the one being read, and where. */
interface Snapshot {
  readonly names: readonly Bytes[];
  next: number;
  entries: Iterator<[Bytes, Bytes]> | undefined;
}

/** One node's side of the moves. */
export class Handoff {
  readonly #node: HandoffNode;
  #overlay: Overlay | undefined;
  #snapshot: Snapshot = { names: [], next: 0, entries: undefined };
  #held: (Request | BatchRequest)[] = [];
  /** Buckets an import made or replaced here (an abort stops them). */
  #imported = new Set<Bytes>();

  constructor(node: HandoffNode) {
    this.#node = node;
  }

  /** Keeps a request the overlay holds at the fence. */
  hold(req: Request | BatchRequest): void {
    this.#held.push(req);
  }

  /** Runs one move command. */
  run<C extends MoveCommand>(cmd: C): NodeAnswers[C['type']] {
    const c = cmd;
    if (c.type === 'move-begin') return this.#begin(c.id, c.next) as NodeAnswers[C['type']];
    const overlay = this.#overlay;
    if (overlay === undefined || overlay.id !== c.id) throw Errors.internal(`node "${this.#node.name}" has no move ${c.id} under way`);
    const answer = ((): NodeAnswers[MoveCommand['type']] => {
      switch (c.type) {
        case 'move-chunk':
          return this.#chunk(overlay, c.max);
        case 'move-delta':
          return this.#delta(overlay);
        case 'move-import':
          this.#import(c.items);
          return null;
        case 'move-fence':
          overlay.out = 'fence';
          return this.#delta(overlay);
        case 'move-own':
          overlay.owning = true;
          return null;
        case 'move-release':
          overlay.out = 'released';
          return { held: this.#rerun() };
        case 'move-abort':
          for (const name of this.#imported) this.#node.storage.registry.stop(name);
          this.#finish();
          return null;
        case 'move-end': {
          const registry = this.#node.storage.registry;
          const gone = registry.names().filter((name) => overlay.movesTo(name) >= 0);
          for (const name of gone) registry.stop(name);
          this.#finish();
          return { dropped: gone.length };
        }
      }
    })();
    return answer as NodeAnswers[C['type']];
  }

  #begin(id: number, next: Tables): NodeAnswers['move-begin'] {
    const { router, storage, self, name } = this.#node;
    if (this.#overlay !== undefined) this.#finish();
    const overlay = new Overlay(id, self, router.table, next, (n) => router.indexOf(n), name);
    this.#overlay = overlay;
    router.overlay = overlay;
    storage.track((bucket) => overlay.movesTo(bucket) >= 0);
    const names = storage.registry.names().filter((b) => overlay.movesTo(b) >= 0);
    this.#snapshot = { names, next: 0, entries: undefined };
    let keys = 0;
    for (const b of names) keys += storage.registry.lookup(b)?.size ?? 0;
    return { buckets: names.length, keys };
  }

  /** Up to `max` keys of the snapshot, in items per bucket; `done` once every bucket has been read. */
  #chunk(overlay: Overlay, max: number): NodeAnswers['move-chunk'] {
    const s = this.#snapshot;
    const items: MoveItem[] = [];
    let n = 0;
    let bytes = 0;
    while (n < max && s.next < s.names.length) {
      const name = s.names[s.next] as Bytes;
      const bucket = this.#node.storage.registry.lookup(name);
      const first = s.entries === undefined;
      if (bucket === undefined && first) {
        // Stopped before it was read: the next delta says so.
        s.next++;
        continue;
      }
      s.entries ??= bucket?.entries();
      let entries = '';
      let count = 0;
      for (;;) {
        if (n >= max) break;
        const r = s.entries?.next();
        if (r === undefined || r.done === true) {
          s.next++;
          s.entries = undefined;
          break;
        }
        entries = packEntry(entries, r.value[0], r.value[1]);
        bytes += r.value[0].length + r.value[1].length;
        count++;
        n++;
      }
      items.push([overlay.movesTo(name), name, first ? 1 : 0, count, entries]);
    }
    return { items, done: s.next >= s.names.length, bytes };
  }

  /** The buckets moving out that were written since the last delta: their keys' values now (null: deleted), or that they are gone. */
  #delta(overlay: Overlay): MoveItem[] {
    const registry = this.#node.storage.registry;
    const items: MoveItem[] = [];
    for (const [name, d] of this.#node.storage.takeDirty()) {
      const to = overlay.movesTo(name);
      const bucket = registry.lookup(name);
      if (to < 0) continue;
      if (bucket === undefined) {
        items.push([to, name, 2, 0, '']);
        continue;
      }
      let entries = '';
      // Stopped and made again: all of it, replacing what the target has.
      if (d.dropped) for (const [k, v] of bucket.entries()) entries = packEntry(entries, k, v);
      else for (const k of d.keys) entries = packEntry(entries, k, bucket.get(k) ?? null);
      items.push([to, name, d.dropped ? 1 : 0, d.dropped ? bucket.size : d.keys.size, entries]);
    }
    return items;
  }

  #import(items: readonly MoveItem[]): void {
    const registry = this.#node.storage.registry;
    for (const [, name, flag, , entries] of items) {
      if (flag !== 0) registry.stop(name);
      if (flag === 2) continue;
      const bucket = registry.create(name);
      this.#imported.add(name);
      forEachEntry(entries, (key, value) => (value === null ? bucket.delete(key) : bucket.put(key, value)));
    }
  }

  /** Routes every held request again; how many there were. */
  #rerun(): number {
    const held = this.#held;
    this.#held = [];
    for (const req of held) this.#node.rerun(req);
    return held.length;
  }

  /** Drops the overlay and the tracking; what was held is routed again (by the table alone). */
  #finish(): void {
    this.#overlay = undefined;
    this.#node.router.overlay = undefined;
    this.#node.storage.track(undefined);
    this.#snapshot = { names: [], next: 0, entries: undefined };
    this.#imported = new Set();
    this.#rerun();
  }
}
