/**
 * What a scenario run records for its checkers: every request with its invoke and complete
 * times (virtual ms in a simulation) and outcome, in Knossos terms (`ok`, `fail`: surely not
 * applied, `info`: maybe applied), and the timeline of the cluster (deaths, restarts, routing
 * tables), from which each request's path and owner follow. Pure.
 */
import { trace } from '../core/routing.js';
import type { RoutingTable } from '../core/routing.js';
import type { WorkloadOp } from './spec.js';

/** One request a workload plans (`workload.ts` draws them). */
export interface PlannedOp {
  /** Its index: a put writes the value `v<i>`, unique in the run. */
  readonly i: number;
  /** Virtual ms it is issued at. */
  readonly t: number;
  readonly op: WorkloadOp;
  readonly bucket: string;
  readonly key: string;
  readonly via: string;
}

/** What a run issues. */
export interface Workload {
  readonly buckets: readonly string[];
  readonly keys: readonly string[];
  /** The nodes requests enter at. */
  readonly entries: readonly string[];
  readonly ops: readonly PlannedOp[];
}

/** What a request did. */
export type HistoryOpKind = 'get' | 'put' | 'delete' | 'create';

/**
 * How a request ended: `ok` (a get's or delete's value: undefined if none), `nobucket` (the node
 * that answered had no such bucket: an observation, like a read), `fail` (refused before it ran
 * anywhere), `info` (no answer: it may or may not have run, now or later).
 */
export type Outcome = { readonly type: 'ok'; readonly value?: string | undefined } | { readonly type: 'nobucket' } | { readonly type: 'fail'; readonly code: string; readonly message: string } | { readonly type: 'info'; readonly code: string; readonly message: string };

/** One request of the history. */
export interface HistoryOp {
  /** Its index in the history. */
  readonly id: number;
  readonly op: HistoryOpKind;
  readonly bucket: string;
  /** '' for a create. */
  readonly key: string;
  /** The value a put writes. */
  readonly value?: string | undefined;
  /** The node it entered at. */
  readonly via: string;
  readonly invoke: number;
  /** When its outcome arrived (Infinity while in flight). */
  complete: number;
  outcome: Outcome | undefined;
  /** `setup`: the buckets created first; `recreate`: after a restart; `final`: the reads after the run. */
  readonly phase: 'setup' | 'run' | 'recreate' | 'final';
}

/** Codes that say the request surely did not run (nothing was applied). */
const DEFINITE = new Set(['KV_ERR_NO_ROUTE', 'KV_ERR_TOO_MANY_HOPS', 'KV_ERR_BAD_ARGUMENT', 'KV_ERR_UNKNOWN_NODE']);

/** The outcome of a request that resolved with `value`, or rejected with `error` (a KvError or anything). */
export function outcomeOf(settled: { readonly value: unknown } | { readonly error: unknown }): Outcome {
  if ('value' in settled) return { type: 'ok', value: typeof settled.value === 'string' ? settled.value : undefined };
  const e = settled.error as { code?: unknown; message?: unknown } | null | undefined;
  const code = typeof e?.code === 'string' ? e.code : 'KV_ERR_INTERNAL';
  const message = typeof e?.message === 'string' ? e.message : String(settled.error);
  if (code === 'KV_ERR_NO_BUCKET') return { type: 'nobucket' };
  return DEFINITE.has(code) ? { type: 'fail', code, message } : { type: 'info', code, message };
}

/** The label of an outcome in counts: `ok`, or the error code. */
export function outcomeLabel(o: Outcome | undefined): string {
  if (o === undefined) return 'never settled';
  return o.type === 'ok' ? 'ok' : o.type === 'nobucket' ? 'KV_ERR_NO_BUCKET' : o.code;
}

/** The tables of every node from `t` on (set by the config, a `setRoutingTable` fault, or a node's own `put_env`), applied until `done`. */
export interface TableChange {
  readonly t: number;
  readonly done: number;
  readonly tables: ReadonlyMap<string, RoutingTable>;
  /** What changed them: `config`, or the fault. */
  readonly why: string;
}

/** A node's death as the supervisor saw it. */
export interface Death {
  readonly node: string;
  readonly t: number;
  readonly reason: string;
}

/** What happened to the cluster during a run. */
export interface Timeline {
  readonly nodes: readonly string[];
  readonly hopLimit: number;
  /** In time order, the first at t=0 (the config's). */
  readonly tables: readonly TableChange[];
  readonly deaths: readonly Death[];
  readonly ups: readonly { readonly node: string; readonly t: number }[];
  /** When some link duplicated frames (`to`: Infinity while it still does). */
  readonly duplicating: readonly { readonly from: number; readonly to: number }[];
}

/** Where a request for a bucket goes: the nodes it passes (entry first) and the owner, if it reaches one. */
export interface Route {
  readonly path: readonly string[];
  readonly owner: string | undefined;
}

/** The routes of a timeline, computed once per (table change, entry node, first byte). */
export class Routes {
  readonly #timeline: Timeline;
  readonly #cache = new Map<string, Route>();

  constructor(timeline: Timeline) {
    this.#timeline = timeline;
  }

  /** The index of the table change in effect at `t` (a change counts from its start). */
  changeAt(t: number): number {
    const changes = this.#timeline.tables;
    let i = changes.length - 1;
    while (i > 0 && (changes[i] as TableChange).t > t) i--;
    return i;
  }

  /** The route of a request for `bucket` entering at `via` at virtual time `t`. */
  at(via: string, bucket: string, t: number): Route {
    return this.ofChange(this.changeAt(t), via, bucket);
  }

  /** The route under table change `index`. */
  ofChange(index: number, via: string, bucket: string): Route {
    const byte = bucket.charCodeAt(0);
    const key = `${index}\u0000${via}\u0000${byte}`;
    let route = this.#cache.get(key);
    if (route === undefined) {
      const change = this.#timeline.tables[index] as TableChange;
      const tr = trace(change.tables, via, byte, this.#timeline.hopLimit);
      route = { path: tr.hops.map((h) => h.node), owner: tr.outcome.kind === 'owner' ? tr.outcome.node : undefined };
      this.#cache.set(key, route);
    }
    return route;
  }
}

/** `op` in one line for a report: `#12 put a0/k3 = v7 via foo [1.25, 1.31] ok`. */
export function showOp(op: HistoryOp): string {
  const what = op.op === 'create' ? `create ${op.bucket}` : `${op.op} ${op.bucket}/${op.key}${op.op === 'put' ? ` = ${op.value ?? ''}` : ''}`;
  const o = op.outcome;
  const result = o === undefined ? 'in flight' : o.type === 'ok' ? (op.op === 'get' || op.op === 'delete' ? `ok ${o.value === undefined ? 'nil' : JSON.stringify(o.value)}` : 'ok') : o.type === 'nobucket' ? 'KV_ERR_NO_BUCKET' : `${o.type} ${o.code}`;
  const end = Number.isFinite(op.complete) ? String(op.complete) : '…';
  return `#${op.id} ${what} via ${op.via} [${op.invoke}, ${end}] ${result}`;
}
