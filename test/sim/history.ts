/**
 * The model the simulation's property tests check against (pure, no simulation): from the
 * writes issued to one key, with their issue and settle times and outcomes, and the last death
 * of the key's owner, which values a read after everything settled may return.
 *
 * Why a set, not one value: a timed-out or NODE_DOWN write may or may not have been applied, and
 * a duplicated request is run twice (README, "Faults"), so its copy may land after a later
 * acknowledged write. Such writes stay candidates for the last applied one forever. Without
 * them the set is exactly the last acknowledged write's value (the single-copy register).
 */

/** What one request came back with: a value, or a KvError's code and message. */
export type Outcome = { readonly ok: unknown } | { readonly code: string; readonly message: string };

/** One write (put or delete) to a key, or a create of a bucket, as the test saw it. */
export interface Write {
  /** The value a put wrote; undefined for a delete (and a create). */
  readonly value: string | undefined;
  readonly issued: number;
  readonly settled: number;
  readonly outcome: Outcome;
  /** Some link duplicated frames while it was in flight: a copy may run it again, later. */
  readonly dupable: boolean;
}

/** Codes that leave it open whether the owner ran the request. */
const UNKNOWN = new Set(['KV_ERR_TIMEOUT', 'KV_ERR_NODE_DOWN']);

/** When a write may have been applied to the owner's last incarnation (born at `death`); undefined if never. */
export function window(w: Write, death: number): { min: number; max: number; surely: boolean } | undefined {
  const ok = 'ok' in w.outcome;
  const unknown = !ok && UNKNOWN.has(w.outcome.code);
  // A definite refusal (NO_BUCKET) ran nowhere, unless a copy of it may still run.
  if (!ok && !unknown && !w.dupable) return undefined;
  const max = ok && !w.dupable ? w.settled : Infinity;
  if (max <= death) return undefined; // applied, if at all, to an incarnation that is gone
  // Issued after the death, acknowledged: applied to the last incarnation between issue and reply.
  const surely = ok && w.issued > death;
  return { min: Math.max(w.issued, death), max, surely };
}

/**
 * The values a read of the key may return once everything settled: a write can be the last one
 * applied iff it may be applied no earlier than every write surely applied was issued.
 * `undefined` is in the set if nothing is surely applied (the key may be as created) or a delete
 * may be last. `exact` says the set has one member.
 */
export function candidates(writes: readonly Write[], death: number): { values: Set<string | undefined>; exact: boolean } {
  const live = writes.map((w) => ({ w, win: window(w, death) })).filter((x) => x.win !== undefined) as { w: Write; win: { min: number; max: number; surely: boolean } }[];
  const sure = live.filter((x) => x.win.surely);
  const values = new Set<string | undefined>();
  if (sure.length === 0) values.add(undefined);
  for (const x of live) {
    let latest = -Infinity;
    for (const y of sure) if (y !== x && y.w.issued > latest) latest = y.w.issued;
    if (x.win.max >= latest) values.add(x.w.value);
  }
  return { values, exact: values.size === 1 };
}

/** Whether the bucket exists at the end (`true`), cannot (`false`), or may (`undefined`), from its creates. */
export function bucketExists(creates: readonly Write[], death: number): boolean | undefined {
  const wins = creates.map((c) => window(c, death)).filter((w) => w !== undefined);
  if (wins.some((w) => w.surely)) return true;
  return wins.length === 0 ? false : undefined;
}

/** The union of time intervals (`[from, to]`, `to` Infinity while open) overlaps `[a, b]`. */
export function overlaps(intervals: readonly { from: number; to: number }[], a: number, b: number): boolean {
  return intervals.some((i) => i.from <= b && i.to >= a);
}
