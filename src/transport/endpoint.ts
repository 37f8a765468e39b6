/**
 * The data plane of one thread: links (MessagePorts, or a simulation's) indexed by link, numeric request ids,
 * pending replies in a slot table, every message queued in one tick to one port sent as one
 * frame, a deadline on every timed request, and nothing left pending on close.
 */
import type { BatchReply, BatchRequest, DataMessage, Frame, Lost, Op, Request } from '../protocol/messages.js';
import { Errors, KvError, fromWire, stackless, toWire } from '../protocol/errors.js';
import { PendingTable } from './pending.js';
import { SEP, errorField, forEachRecord, frameOf, packError, packReply, packRequest, readField, unpackRecords } from '../protocol/batch.js';
import { systemScheduler } from './scheduler.js';
import type { Scheduler } from './scheduler.js';
import type { Link } from './link.js';
import { decide } from './faults.js';
import type { LinkSettings, Uniform } from './faults.js';

/** The faults of one direction from this thread. */
export interface DirectionFaults {
  readonly cut: boolean;
  readonly settings: LinkSettings;
}
import { quoteBytes } from '../core/bytes.js';
import { ownerFrom } from '../core/routing.js';
import type { RoutingTable } from '../core/routing.js';
import { Deadlines } from './deadlines.js';
import type { Timed } from './deadlines.js';
import { ForwardLog } from './forwards.js';

interface Pending extends Timed {
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

/** Settings of an endpoint. */
export interface EndpointOptions {
  /** This thread's own link index. */
  readonly self: number;
  /** Runs a request that arrived (or that this endpoint sent to itself). */
  readonly onRequest: (req: Request) => void;
  /** Runs a batch that arrived; without it, every op of a batch is answered with KV_ERR_INTERNAL. */
  readonly onBatch?: (req: BatchRequest) => void;
  /** The name of link `index` (a node name, or "client"), for error messages. */
  readonly nameOf: (index: number) => string;
  /** Treat a port closed by its far end as that node down (for clients with no supervisor). */
  readonly watchPorts?: boolean;
  /** Time, timers and the end of a turn (default: the system's). */
  readonly scheduler?: Scheduler;
  /** How long a forwarded request may still be waited on by its originator (the cluster's timeout): its record is kept that long. */
  readonly forwardRetainMs?: number;
  /** Called before a request is refused because link `to` is not attached: a client thread reads the notices waiting on its supervisor channel (a link may be there already). */
  readonly beforeUnreachable?: () => void;
  /** Every node's table as this thread knows them: a timeout names the owner the request waited on, not only its entry node. */
  readonly tables?: () => ReadonlyMap<string, RoutingTable>;
}

const SWEEP_MS = 20;
/** Messages per frame before it is posted without waiting for the end of the tick. */
const FRAME_MAX = 64;

/** One thread's end of the data plane. */
export class Endpoint {
  readonly #self: number;
  readonly #onRequest: (req: Request) => void;
  readonly #onBatch: (req: BatchRequest) => void;
  readonly #nameOf: (index: number) => string;
  readonly #watchPorts: boolean;
  readonly #scheduler: Scheduler;
  readonly #links: (Link | undefined)[] = [];
  readonly #outbox = new Map<number, (DataMessage | string)[]>();
  readonly #pending = new PendingTable<Pending>();
  readonly #deadlines = new Deadlines<Pending>();
  readonly #forwards = new ForwardLog();
  readonly #retainMs: number;
  readonly #tables: () => ReadonlyMap<string, RoutingTable>;
  readonly #beforeUnreachable: (() => void) | undefined;
  #flushScheduled = false;
  /** The clock read once per tick (reset at each flush): deadlines need ms, not a clock call per request. */
  #tickNow = -1;
  #stopSweep: (() => void) | undefined;
  #closed: KvError | undefined;
  /** Set by `drain`: new requests are refused while the pending ones settle. */
  #refusing: KvError | undefined;
  readonly #drained: (() => void)[] = [];
  /** Frames posted and messages carried, for the benchmarks' messages-per-op figure. */
  readonly counters = { frames: 0, messages: 0 };
  /** Frames dropped, duplicated and delayed by faults, by link index. */
  readonly faultCounts: ({ dropped: number; duplicated: number; delayed: number } | undefined)[] = [];
  #faults: readonly (DirectionFaults | undefined)[] = [];
  #random: Uniform = { next: () => 0 };

  constructor(options: EndpointOptions) {
    this.#self = options.self;
    this.#onRequest = options.onRequest;
    this.#onBatch = options.onBatch ?? ((req) => this.failBatch(req, new KvError('KV_ERR_INTERNAL', `link ${this.#self} runs no batches`)));
    this.#nameOf = options.nameOf;
    this.#watchPorts = options.watchPorts === true;
    this.#scheduler = options.scheduler ?? systemScheduler;
    this.#retainMs = options.forwardRetainMs ?? 0;
    this.#tables = options.tables ?? (() => new Map());
    this.#beforeUnreachable = options.beforeUnreachable;
  }

  /** Attaches link `index`, replacing (and closing) any previous one. */
  attach(index: number, link: Link): void {
    this.detach(index);
    this.#links[index] = link;
    link.onFrame((frame: Frame) => this.#receive(frame));
    // Without a supervisor to say so first (a client in another thread), a link closed by its far end means a node gone.
    if (this.#watchPorts) link.onClose(() => this.#linkClosed(index, link));
  }

  #linkClosed(index: number, link: Link): void {
    if (this.#links[index] === link) this.linkLost(index);
  }

  /**
   * The node of link `index` is gone: the link is dropped, this thread's requests sent to it
   * reject with KV_ERR_NODE_DOWN, and the originator of every request this thread forwarded to
   * it (and may still be waited on) is told, so that it settles it the same way.
   */
  linkLost(index: number): void {
    this.detach(index);
    const error = this.unreachable(index);
    this.failPending((to) => to === index, () => error);
    for (const f of this.#forwards.take(index, this.#scheduler.now())) {
      const lost: Lost = f.idx === undefined ? { type: 'lost', id: f.id, node: index } : { type: 'lost', id: f.id, node: index, idx: f.idx };
      this.#queue(f.from, lost);
    }
  }

  /** Detaches and closes link `index`. */
  detach(index: number): void {
    const link = this.#links[index];
    if (link === undefined) return;
    this.#links[index] = undefined;
    link.close();
  }

  /** Whether link `index` is attached (or is this endpoint itself). */
  reaches(index: number): boolean {
    if (index === this.#self || this.#links[index] !== undefined) return true;
    this.#beforeUnreachable?.();
    return this.#links[index] !== undefined;
  }

  /**
   * Sends `op` to link `to` and resolves with the reply (passed through `map` if given: saves a
   * second promise per request); rejects at the deadline (`timeoutMs`, or never if undefined).
   */
  request(to: number, op: Op, timeoutMs: number | undefined, map?: (value: unknown) => unknown): Promise<unknown> {
    const refused = this.#closed ?? this.#refusing;
    if (refused !== undefined) return Promise.reject(refused);
    if (!this.reaches(to)) return Promise.reject(this.unreachable(to));
    // The op literal becomes the request itself: one object per request on the hot path.
    const req = op as Request;
    return new Promise((resolve, reject) => {
      req.type = 'req';
      req.id = this.#add(resolve, map, reject, timeoutMs, to, req, undefined);
      req.from = this.#self;
      req.hops = 0;
      this.send(to, req);
    });
  }

  /** A new pending entry; its id. Throws KV_ERR_OVERLOADED past the in-flight limit. */
  #add(resolve: (v: unknown) => void, map: Pending['map'], reject: (e: KvError) => void, timeoutMs: number | undefined, to: number, req: Request | BatchRequest, missing: number | undefined): number {
    const deadline = timeoutMs === undefined ? Infinity : this.#now() + timeoutMs;
    const p: Pending = { id: 0, resolve, map, reject, deadline, timeoutMs: timeoutMs ?? Infinity, to, req, fields: undefined, missing, prevT: undefined, nextT: undefined };
    const id = (p.id = this.#pending.add(p));
    if (deadline !== Infinity) {
      this.#deadlines.add(p);
      this.#stopSweep ??= this.#scheduler.every(SWEEP_MS, () => this.#sweep());
    }
    return id;
  }

  /**
   * Sends a packed batch of `count` ops to link `to`; resolves with one result field per op.
   * Ops the cluster could not answer (timeout, node down) get an error field: only close rejects.
   */
  requestBatch(to: number, ops: string, count: number, timeoutMs: number | undefined): Promise<string[]> {
    const refused = this.#closed ?? this.#refusing;
    if (refused !== undefined) return Promise.reject(refused);
    if (!this.reaches(to)) return Promise.resolve(new Array<string>(count).fill(errorField(toWire(this.unreachable(to)))));
    const req: BatchRequest = { type: 'breq', id: 0, from: this.#self, hops: 0, ops };
    return new Promise((resolve, reject) => {
      req.id = this.#add(resolve as (v: unknown) => void, undefined, reject, timeoutMs, to, req, count);
      this.send(to, req);
    });
  }

  /** Answers (part of) batch `req` with result fields, one per op of `req.ops`, straight to its originator. */
  replyBatch(req: BatchRequest, res: string, idx: string | undefined): void {
    const reply: BatchReply = idx === undefined ? { type: 'bres', id: req.id, res } : { type: 'bres', id: req.id, res, idx };
    this.send(req.from, reply);
  }

  /** Answers every op of batch `req` with `error`. */
  failBatch(req: BatchRequest, error: unknown): void {
    const count = req.idx === undefined ? req.ops.split(SEP).length / 3 : req.idx.length;
    this.replyBatch(req, new Array<string>(count).fill(errorField(toWire(error))).join(SEP), req.idx);
  }

  /**
   * Sends a request (or part of a batch) that another thread originated on to link `to`, and
   * records it there until its deadline: if `to` dies, its originator is told (`linkLost`).
   */
  forward(to: number, req: Request | BatchRequest): void {
    const now = this.#now();
    this.#forwards.record(to, req.from, req.id, req.type === 'breq' ? req.idx : undefined, now, now + this.#retainMs);
    this.send(to, req);
  }

  /** Queues `msg` for link `to`; all messages queued in one tick leave as one frame per port (single ops packed). */
  send(to: number, msg: DataMessage): void {
    this.#queue(to, to !== this.#self && msg.type === 'req' ? (packRequest(msg) ?? msg) : msg);
  }

  #queue(to: number, msg: DataMessage | string): void {
    let queue = this.#outbox.get(to);
    if (queue === undefined) {
      queue = [];
      this.#outbox.set(to, queue);
    }
    queue.push(msg);
    // A batch (or its reply) is a frame's worth of ops by itself.
    const full = queue.length >= FRAME_MAX || (typeof msg !== 'string' && (msg.type === 'breq' || msg.type === 'bres'));
    if (full && to !== this.#self) {
      // Post a full frame now: the far thread starts on it while this one keeps producing
      // (one frame per tick would make the two threads take turns instead of overlapping).
      this.#outbox.delete(to);
      this.#post(to, queue);
    }
    // Scheduled even after a full frame left: the flush also ends the tick's cached clock reading.
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      this.#scheduler.defer(() => this.#flush());
    }
  }

  /** Answers request `req` with a value, straight to its originator. */
  reply(req: Request, value: unknown): void {
    const packed = req.from === this.#self || req.op === 'apply' ? undefined : packReply(req.id, value);
    this.#queue(req.from, packed ?? { type: 'ok', id: req.id, value });
  }

  /** Answers request `req` with an error, straight to its originator. */
  fail(req: Request, error: unknown): void {
    const wire = toWire(error);
    this.#queue(req.from, (req.from === this.#self ? undefined : packError(req.id, wire)) ?? { type: 'err', id: req.id, error: wire });
  }

  /** Rejects now every pending request for which `affected(to, req)` holds. */
  failPending(affected: (to: number, req: Request | BatchRequest) => boolean, error: (to: number, req: Request | BatchRequest) => KvError): void {
    for (const [id, p] of this.#pending) if (affected(p.to, p.req)) this.#abandon(id, p, stackless(() => error(p.to, p.req)));
  }

  /** Refuses new requests with `error`; resolves once every pending one has settled (each settles by its deadline, or with its link). */
  drain(error: KvError): Promise<void> {
    this.#refusing ??= error;
    if (this.#pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }

  /** Rejects every pending request with `error`, closes every port; later requests reject with `error`. Idempotent. */
  close(error: KvError): void {
    if (this.#closed !== undefined) return;
    this.#closed = error;
    for (const [id, p] of this.#pending) this.#settle(id, p)?.reject(error);
    this.#outbox.clear();
    for (let i = 0; i < this.#links.length; i++) this.detach(i);
  }

  /** The KV_ERR_NODE_DOWN error for link `index`. */
  unreachable(index: number): KvError {
    return Errors.nodeDown(this.#nameOf(index));
  }

  #settle(id: number, p: Pending | undefined): Pending | undefined {
    if (p === undefined) return undefined;
    this.#pending.delete(id);
    if (this.#drained.length > 0 && this.#pending.size === 0) for (const resolve of this.#drained.splice(0)) resolve();
    if (p.deadline !== Infinity) {
      this.#deadlines.remove(p);
      if (this.#deadlines.size === 0) {
        this.#stopSweep?.();
        this.#stopSweep = undefined;
      }
    }
    return p;
  }

  /** A request that will get no reply: a single op rejects; a batch resolves, its missing ops answered with `error`. */
  #abandon(id: number, p: Pending, error: KvError): void {
    if (this.#settle(id, p) === undefined) return;
    if (p.fields === undefined && p.missing === undefined) {
      p.reject(error);
      return;
    }
    const field = errorField(toWire(error));
    const fields = p.fields ?? new Array<string | undefined>(p.missing ?? 0);
    for (let i = 0; i < fields.length; i++) if (fields[i] === undefined) fields[i] = field;
    p.resolve(fields);
  }

  /** Request `msg.id` (ops `msg.idx` of a batch, or all of it) went to a node that died: those ops settle with KV_ERR_NODE_DOWN. */
  #lost(msg: Lost): void {
    const p = this.#pending.get(msg.id);
    if (p === undefined) return;
    const error = stackless(() => this.unreachable(msg.node));
    if (msg.idx === undefined || p.missing === undefined) {
      this.#abandon(msg.id, p, error);
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
    if (p.missing <= 0) this.#settle(msg.id, p)?.resolve(fields);
  }

  /** Fills a batch's fields from one (partial) reply; resolves it once none is missing. */
  #batchReply(msg: BatchReply): void {
    const p = this.#pending.get(msg.id);
    if (p === undefined || p.missing === undefined) return;
    const res = msg.res.split(SEP);
    if (msg.idx === undefined && p.fields === undefined) {
      // The whole batch answered by one node: the common case, no reassembly.
      this.#settle(msg.id, p)?.resolve(res);
      return;
    }
    const fields = (p.fields ??= new Array<string | undefined>(p.missing));
    const idx = msg.idx;
    for (let j = 0; j < res.length; j++) {
      const at = idx === undefined ? j : idx.charCodeAt(j);
      if (fields[at] === undefined) p.missing--;
      fields[at] = res[j];
    }
    if (p.missing <= 0) this.#settle(msg.id, p)?.resolve(fields);
  }

  #receive(frame: Frame): void {
    if (typeof frame === 'string') forEachRecord(frame, this.#onRequest, this.#onPackedReply);
    else for (const item of frame) if (typeof item === 'string') forEachRecord(item, this.#onRequest, this.#onPackedReply);
    else this.#dispatch(item);
  }

  /** A packed reply: settled straight from its field, with no message object. */
  readonly #onPackedReply = (id: number, field: string): void => {
    const p = this.#settle(id, this.#pending.get(id));
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

  /** Runs one message object (called per item: no one-element array per message of a frame to this thread). */
  #dispatch(msg: DataMessage): void {
    switch (msg.type) {
      case 'req':
        this.#onRequest(msg);
        break;
      case 'ok': {
        const p = this.#settle(msg.id, this.#pending.get(msg.id));
        p?.resolve(p.map === undefined ? msg.value : p.map(msg.value));
        break;
      }
      case 'err':
        this.#settle(msg.id, this.#pending.get(msg.id))?.reject(fromWire(msg.error));
        break;
      case 'breq':
        this.#onBatch(msg);
        break;
      case 'bres':
        this.#batchReply(msg);
        break;
      case 'lost':
        this.#lost(msg);
        break;
      default: {
        const never: never = msg;
        throw new Error(`unknown data message ${JSON.stringify(never)}`);
      }
    }
  }

  #now(): number {
    if (this.#tickNow < 0) this.#tickNow = this.#scheduler.now();
    return this.#tickNow;
  }

  #flush(): void {
    this.#flushScheduled = false;
    this.#tickNow = -1;
    for (const [to, queue] of this.#outbox) {
      this.#outbox.delete(to);
      if (to === this.#self) this.#receive(queue);
      else this.#post(to, queue);
    }
  }

  #post(to: number, queue: (DataMessage | string)[]): void {
    const link = this.#links[to];
    if (link === undefined) {
      for (const item of queue) for (const msg of typeof item === 'string' ? unpackRecords(item) : [item]) this.#undeliverable(to, msg, this.unreachable(to));
      return;
    }
    this.counters.frames++;
    this.counters.messages += queue.length;
    const fault = this.#faults[to];
    if (fault === undefined) this.#send(to, link, queue);
    else this.#sendFaulty(to, link, queue, fault);
  }

  #send(to: number, link: Link, queue: (DataMessage | string)[]): void {
    try {
      link.post(frameOf(queue));
    } catch {
      // One value that cannot be cloned (a function, a symbol) must not sink the whole frame.
      for (const item of queue) {
        try {
          link.post([item]);
        } catch (e) {
          this.#undeliverable(to, item as DataMessage, new KvError('KV_ERR_BAD_ARGUMENT', `cannot send to another thread: ${(e as Error).message}`));
        }
      }
    }
  }

  /** A frame on a direction with faults: lost as a packet is (its requests time out), delayed, or sent twice. */
  #sendFaulty(to: number, link: Link, queue: (DataMessage | string)[], fault: DirectionFaults): void {
    const d = decide(fault.cut, fault.settings, this.#random);
    const counts = (this.faultCounts[to] ??= { dropped: 0, duplicated: 0, delayed: 0 });
    if (d.lost) {
      counts.dropped++;
      return;
    }
    if (d.delays.length > 1) counts.duplicated++;
    for (const ms of d.delays) {
      if (ms <= 0) this.#send(to, link, queue);
      else {
        counts.delayed++;
        this.#scheduler.after(ms, () => {
          if (this.#links[to] === link) this.#send(to, link, queue);
        });
      }
    }
  }

  /** The faults of each direction from this thread, by link index (none: a perfect link); `random` draws the losses and delays. */
  setFaults(byLink: readonly (DirectionFaults | undefined)[], random: Uniform): void {
    this.#faults = byLink;
    this.#random = random;
  }

  /** Settles a message that could not leave: our own request rejects, a forwarded one is answered with the error, a reply turns into an error reply. */
  #undeliverable(to: number, msg: DataMessage, error: KvError): void {
    if (msg.type === 'req') {
      if (msg.from === this.#self) this.#settle(msg.id, this.#pending.get(msg.id))?.reject(error);
      else this.fail(msg, error);
    } else if (msg.type === 'breq') {
      const p = this.#pending.get(msg.id);
      if (msg.from === this.#self && msg.idx === undefined && p !== undefined) this.#abandon(msg.id, p, error);
      else this.failBatch(msg, error);
    } else if (msg.type === 'ok' && this.#links[to] !== undefined) {
      this.send(to, { type: 'err', id: msg.id, error: toWire(new KvError('KV_ERR_TASK_FAILED', `the result ${error.message}`)) });
    }
  }

  #sweep(): void {
    for (const p of this.#deadlines.takeExpired(this.#scheduler.now())) this.#abandon(p.id, p, stackless(() => this.#timeout(p)));
  }

  /** KV_ERR_TIMEOUT naming the node the request waited on (its owner, as this thread knows the tables) and where it entered. */
  #timeout(p: Pending): KvError {
    const entry = this.#nameOf(p.to);
    if (p.req.type === 'breq') return new KvError('KV_ERR_TIMEOUT', `no reply to ${p.missing ?? 0} ops of a batch entered at node "${entry}" within ${p.timeoutMs} ms`);
    const bucket = p.req.bucket;
    const awaited = (bucket === undefined ? undefined : ownerFrom(this.#tables(), entry, bucket)) ?? entry;
    const where = awaited === entry ? `from node "${awaited}"` : `from node "${awaited}" (entered at node "${entry}")`;
    return new KvError('KV_ERR_TIMEOUT', `no reply to ${describeOp(p.req)} ${where} within ${p.timeoutMs} ms`);
  }
}

/** A request as it reads in an error message: `get of bucket "b"`, `Hello.world/0`. */
export function describeOp(req: Op): string {
  if (req.op !== 'apply') return `${req.op} of bucket ${quoteBytes(req.bucket)}`;
  const call = `${req.mod}.${req.fun}/${req.args.length}`;
  return req.bucket === undefined ? call : `${call} routed by bucket ${quoteBytes(req.bucket)}`;
}
