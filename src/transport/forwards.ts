/**
 * What a node forwarded on each link and has not seen settled (design.md, "Know where each
 * request went"). The owner replies straight to the originator, so the forwarder never sees a
 * reply: it keeps each record until the request's deadline. When the link's node dies, the
 * records still kept name every request that may have been lost with it, and their originators
 * are told. Records are kept in chunks in arrival order, so expiry drops whole chunks.
 */

/** A request (or the ops `idx` of a batch) that originator `from` sent as `id`. */
export interface Forwarded {
  readonly from: number;
  readonly id: number;
  readonly idx: string | undefined;
}

interface Chunk {
  /** The latest deadline in the chunk: it is dropped once that has passed. */
  expires: number;
  readonly froms: number[];
  readonly ids: number[];
  idxs: (string | undefined)[] | undefined;
}

/** Records per chunk: large enough that expiry is rare, small enough to free memory steadily. */
const CHUNK = 1024;

/** Forwarded requests per link, kept until their deadline. */
export class ForwardLog {
  readonly #byLink: (Chunk[] | undefined)[] = [];

  /** Records that request `id` of `from` (ops `idx` of a batch) left on `link`; it may be waited on until `deadline`. */
  record(link: number, from: number, id: number, idx: string | undefined, now: number, deadline: number): void {
    let chunks = this.#byLink[link];
    if (chunks === undefined) this.#byLink[link] = chunks = [];
    while (chunks.length > 0 && (chunks[0] as Chunk).expires <= now) chunks.shift();
    let last = chunks[chunks.length - 1];
    if (last === undefined || last.ids.length >= CHUNK) {
      last = { expires: deadline, froms: [], ids: [], idxs: undefined };
      chunks.push(last);
    }
    if (idx !== undefined) (last.idxs ??= [])[last.ids.length] = idx;
    last.froms.push(from);
    last.ids.push(id);
    if (deadline > last.expires) last.expires = deadline;
  }

  /** Every record on `link` whose deadline has not passed; the link's records are forgotten. */
  take(link: number, now: number): Forwarded[] {
    const chunks = this.#byLink[link] ?? [];
    this.#byLink[link] = undefined;
    const out: Forwarded[] = [];
    for (const c of chunks) {
      if (c.expires <= now) continue;
      for (let i = 0; i < c.ids.length; i++) out.push({ from: c.froms[i] as number, id: c.ids[i] as number, idx: c.idxs?.[i] });
    }
    return out;
  }

  /** How many records are kept (for tests and stats). */
  get size(): number {
    let n = 0;
    for (const chunks of this.#byLink) for (const c of chunks ?? []) n += c.ids.length;
    return n;
  }
}
