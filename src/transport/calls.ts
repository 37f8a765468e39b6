/**
 * The calls one thread waits on: each request it sent (or batch), by id, with its deadline, until
 * its reply, its deadline, a `lost` notice or close settles it. Deadlines are kept in order, so
 * a sweep touches only what expires; errors made in bulk capture no stack.
 */
import type { BatchReply, BatchRequest, Lost, Request } from '../protocol/messages.js';
import { KvError, fromWire, stackless, toWire } from '../protocol/errors.js';
import type { WireError } from '../protocol/errors.js';
import { SEP, errorField, readField } from '../protocol/batch.js';
import { PendingTable } from './pending.js';
import { Deadlines } from './deadlines.js';
import type { Timed } from './deadlines.js';
import type { Scheduler } from './scheduler.js';

/** One call waiting for its reply. */
export interface Pending extends Timed {
  id: number;
  readonly resolve: (value: unknown) => void;
  /** Applied to the reply value before resolving (the client's UTF-8 decode), saving a promise. */
  readonly map: ((value: unknown) => unknown) | undefined;
  readonly reject: (error: KvError) => void;
  /** The link the request was sent to. */
  readonly to: number;
  readonly req: Request | BatchRequest;
  /** Batches: result fields gathered so far (parts may come from several owners), and how many are missing. */
  fields: (string | undefined)[] | undefined;
  missing: number | undefined;
}

/** The pending calls of one thread. */
export class Calls {
  readonly #pending = new PendingTable<Pending>();
  readonly #deadlines = new Deadlines<Pending>();
  readonly #scheduler: Scheduler;
  readonly #timeout: (p: Pending) => KvError;
  /** One timer, armed for the earliest deadline (or earlier): a call that settles leaves it be, so an op costs no timer. */
  #armedAt = Infinity;
  #disarm: (() => void) | undefined;
  readonly #drained: (() => void)[] = [];

  /** `timeout`: the KV_ERR_TIMEOUT of a call whose deadline passed. */
  constructor(scheduler: Scheduler, timeout: (p: Pending) => KvError) {
    this.#scheduler = scheduler;
    this.#timeout = timeout;
  }

  /** How many calls are waiting. */
  get size(): number {
    return this.#pending.size;
  }

  /** A new call sent at `now` to link `to`; its id. A batch has `missing` ops. Throws KV_ERR_OVERLOADED past the in-flight limit. */
  add(resolve: (v: unknown) => void, map: Pending['map'], reject: (e: KvError) => void, timeoutMs: number | undefined, to: number, req: Request | BatchRequest, missing: number | undefined, now: number): number {
    const deadline = timeoutMs === undefined ? Infinity : now + timeoutMs;
    const p: Pending = { id: 0, resolve, map, reject, deadline, timeoutMs: timeoutMs ?? Infinity, to, req, fields: undefined, missing, prevT: undefined, nextT: undefined };
    const id = (p.id = this.#pending.add(p));
    if (deadline !== Infinity) {
      this.#deadlines.add(p);
      this.#arm(deadline);
    }
    return id;
  }

  /** A value for call `id`. */
  ok(id: number, value: unknown): void {
    const p = this.#settle(id);
    p?.resolve(p.map === undefined ? value : p.map(value));
  }

  /** An error for call `id`. */
  err(id: number, error: WireError | KvError): void {
    this.#settle(id)?.reject(error instanceof KvError ? error : fromWire(error));
  }

  /** A packed reply field for call `id`: settled straight from it, with no message object. */
  readonly packed = (id: number, field: string): void => {
    const p = this.#settle(id);
    if (p === undefined) return;
    const tag = field.charCodeAt(0);
    let value: string | undefined;
    if (tag === 0x76 /* v */) value = field.slice(1);
    else if (tag !== 0x75 /* u */) {
      // An error, or an escaped value (`j`): every tag readField knows, so none reads as "no value".
      const r = readField(field);
      if ('error' in r) {
        p.reject(fromWire(r.error));
        return;
      }
      value = r.value;
    }
    p.resolve(p.map === undefined ? value : p.map(value));
  };

  /** Fills a batch's fields from one (partial) reply; resolves it once none is missing. */
  batch(msg: BatchReply): void {
    const p = this.#pending.get(msg.id);
    if (p === undefined || p.missing === undefined) return;
    const res = msg.res.split(SEP);
    if (msg.idx === undefined && p.fields === undefined) {
      // The whole batch answered by one node: the common case, no reassembly.
      this.#settle(msg.id)?.resolve(res);
      return;
    }
    const fields = (p.fields ??= new Array<string | undefined>(p.missing));
    const idx = msg.idx;
    for (let j = 0; j < res.length; j++) {
      const at = idx === undefined ? j : idx.charCodeAt(j);
      if (fields[at] === undefined) p.missing--;
      fields[at] = res[j];
    }
    if (p.missing <= 0) this.#settle(msg.id)?.resolve(fields);
  }

  /** Call `msg.id` (ops `msg.idx` of a batch, or all of it) went to a node that died: those settle with `error`. */
  lost(msg: Lost, error: KvError): void {
    const p = this.#pending.get(msg.id);
    if (p === undefined) return;
    if (msg.idx === undefined || p.missing === undefined) {
      this.abandon(msg.id, error);
      return;
    }
    const field = errorField(toWire(error));
    const fields = (p.fields ??= new Array<string | undefined>(p.missing));
    for (let j = 0; j < msg.idx.length; j++) {
      const at = msg.idx.charCodeAt(j);
      if (fields[at] === undefined) {
        fields[at] = field;
        p.missing--;
      }
    }
    if (p.missing <= 0) this.#settle(msg.id)?.resolve(fields);
  }

  /** Call `id` will get no reply: a single call rejects; a batch resolves, its missing ops answered with `error`. */
  abandon(id: number, error: KvError): void {
    const p = this.#settle(id);
    if (p === undefined) return;
    if (p.fields === undefined && p.missing === undefined) {
      p.reject(error);
      return;
    }
    const field = errorField(toWire(error));
    const fields = p.fields ?? new Array<string | undefined>(p.missing ?? 0);
    for (let i = 0; i < fields.length; i++) if (fields[i] === undefined) fields[i] = field;
    p.resolve(fields);
  }

  /** Whether call `id` is a whole batch this thread sent (not yet settled). */
  isBatch(id: number): boolean {
    return this.#pending.get(id)?.missing !== undefined;
  }

  /** Abandons every call for which `affected(to, req)` holds, with `error(to, req)`. */
  failWhere(affected: (to: number, req: Request | BatchRequest) => boolean, error: (to: number, req: Request | BatchRequest) => KvError): void {
    for (const [id, p] of this.#pending)
      if (affected(p.to, p.req))
        this.abandon(
          id,
          stackless(() => error(p.to, p.req)),
        );
  }

  /** Rejects every call with `error` (batches too). */
  rejectAll(error: KvError): void {
    for (const [id] of this.#pending) this.#settle(id)?.reject(error);
  }

  /** Resolves once no call is waiting. */
  drained(): Promise<void> {
    if (this.#pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }

  #settle(id: number): Pending | undefined {
    const p = this.#pending.get(id);
    if (p === undefined) return undefined;
    this.#pending.delete(id);
    if (this.#drained.length > 0 && this.#pending.size === 0) for (const resolve of this.#drained.splice(0)) resolve();
    // The timer is not touched: at one in flight, re-arming it per request cost ~0.8 µs an op.
    if (p.deadline !== Infinity) this.#deadlines.remove(p);
    return p;
  }

  /** Makes sure the timer fires by `at`. */
  #arm(at: number): void {
    if (at >= this.#armedAt) return;
    this.#disarm?.();
    this.#armedAt = at;
    this.#disarm = this.#scheduler.after(Math.max(0, at - this.#scheduler.now()), () => {
      this.#armedAt = Infinity;
      this.#disarm = undefined;
      this.#sweep();
    });
  }

  /** Settles what has expired, exactly at its deadline, and arms the timer for the next one. */
  #sweep(): void {
    // Calls that expire together for the same op, bucket, link and timeout share one error: its
    // text (the owner traced through the tables) costs more than settling the call.
    const same = new Map<string, KvError>();
    for (const p of this.#deadlines.takeExpired(this.#scheduler.now())) {
      const key = p.req.type === 'req' && p.req.op !== 'apply' ? `${p.to}\u0000${p.timeoutMs}\u0000${p.req.op}\u0000${p.req.bucket}` : undefined;
      let error = key === undefined ? undefined : same.get(key);
      if (error === undefined) {
        error = stackless(() => this.#timeout(p));
        if (key !== undefined) same.set(key, error);
      }
      this.abandon(p.id, error);
    }
    const next = this.#deadlines.earliest();
    if (next !== undefined) this.#arm(next);
  }
}
