/**
 * The data plane of one thread: its links (MessagePorts, or a simulation's) by link index, the
 * calls it waits on (`calls.ts`), what it sends (`outbox.ts`: one frame per link per turn), and
 * what it forwarded for others and may still be waited on (`forwards.ts`).
 */
import type { BatchReply, BatchRequest, DataMessage, Frame, Lost, Op, Request, Signal } from '../protocol/messages.js';
import { Errors, KvError, stackless, toWire } from '../protocol/errors.js';
import { SEP, errorField, forEachRecord, forwardedRecord, idOf, packError, packReply, packRequest } from '../protocol/batch.js';
import { quoteBytes } from '../core/bytes.js';
import { ownerFrom } from '../core/routing.js';
import type { RoutingTable } from '../core/routing.js';
import { systemScheduler } from './scheduler.js';
import type { Scheduler } from './scheduler.js';
import type { Link } from './link.js';
import type { Uniform } from './faults.js';
import { ForwardLog } from './forwards.js';
import { Calls } from './calls.js';
import type { Pending } from './calls.js';
import { Outbox } from './outbox.js';
import type { DirectionFaults } from './outbox.js';

export type { DirectionFaults } from './outbox.js';

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
  /** Treat a link closed by its far end as that node down (for clients with no supervisor to say so first). */
  readonly watchPorts?: boolean;
  /** Time, timers and the end of a turn (default: the system's). */
  readonly scheduler?: Scheduler;
  /** How long a forwarded request may still be waited on by its originator (the cluster's timeout): its record is kept that long. */
  readonly forwardRetainMs?: number;
  /** Called before a request is refused because link `to` is not attached: a client thread reads the notices waiting on its supervisor channel (a link may be there already). */
  readonly beforeUnreachable?: () => void;
  /** Every node's table as this thread knows them: a timeout names the owner the request waited on, not only its entry node. */
  readonly tables?: () => ReadonlyMap<string, RoutingTable>;
  /** A signal for this thread's processes arrived; `lost`: one of theirs could not be sent (its node is gone, or it cannot be cloned). Without them, signals are dropped. */
  readonly signals?: { arrived(sig: Signal): void; lost(sig: Signal, error: KvError): void };
  /**
   * A forwarder's fast path: for a packed request that arrived (`what`: its op code and bucket,
   * the bucket from char 1; `hops` so far), the link to pass it on to, or -1 to run it as
   * `onRequest` does. A request passed on is not rebuilt: its record leaves with one more hop
   * and the path `pathFrom` gives, and is recorded as `forward` records it.
   */
  readonly relay?: { readonly to: (what: string, hops: number) => number; readonly pathFrom: (path: string | undefined) => string };
}

/** One thread's end of the data plane. */
export class Endpoint {
  readonly #self: number;
  readonly #onRequest: (req: Request) => void;
  readonly #onBatch: (req: BatchRequest) => void;
  readonly #nameOf: (index: number) => string;
  readonly #watchPorts: boolean;
  readonly #scheduler: Scheduler;
  readonly #links: (Link | undefined)[] = [];
  readonly #calls: Calls;
  readonly #outbox: Outbox;
  readonly #forwards = new ForwardLog();
  readonly #retainMs: number;
  readonly #tables: () => ReadonlyMap<string, RoutingTable>;
  readonly #beforeUnreachable: (() => void) | undefined;
  readonly #signals: EndpointOptions['signals'];
  readonly #relay: ((f: readonly string[], i: number) => boolean) | undefined;
  /** The clock read once per turn (reset at each flush, and every 1024 reads: a long turn must not age its deadlines): deadlines need ms, not a clock call per request. */
  #turnNow = -1;
  #turnReads = 0;
  #closed: KvError | undefined;
  /** Set by `drain`: new requests are refused while the pending ones settle. */
  #refusing: KvError | undefined;

  constructor(options: EndpointOptions) {
    this.#self = options.self;
    this.#onRequest = options.onRequest;
    this.#onBatch = options.onBatch ?? ((req) => this.failBatch(req, Errors.internal(`link ${this.#self} runs no batches`)));
    this.#nameOf = options.nameOf;
    this.#watchPorts = options.watchPorts === true;
    this.#scheduler = options.scheduler ?? systemScheduler;
    this.#retainMs = options.forwardRetainMs ?? 0;
    this.#tables = options.tables ?? (() => new Map());
    this.#beforeUnreachable = options.beforeUnreachable;
    this.#signals = options.signals;
    const relay = options.relay;
    if (relay !== undefined) {
      this.#relay = (f, i) => {
        const hops = Number(f[i + 2]);
        const to = relay.to(f[i + 4] as string, hops);
        if (to < 0) return false;
        const path = f[i + 3] as string;
        const now = this.#now();
        this.#forwards.record(to, Number(f[i + 1]), idOf(f[i] as string), undefined, now, now + this.#retainMs);
        this.#outbox.queue(to, forwardedRecord(f, i, hops, relay.pathFrom(path === '' ? undefined : path)));
        return true;
      };
    }
    this.#calls = new Calls(this.#scheduler, (p) => this.#timeout(p));
    this.#outbox = new Outbox({
      self: this.#self,
      scheduler: this.#scheduler,
      link: (to) => this.#links[to],
      receiveOwn: (queue) => this.#receive(queue),
      undeliverable: (to, msg, error) => this.#undeliverable(to, msg, error),
      unreachable: (to) => this.unreachable(to),
      turnEnded: () => (this.#turnNow = -1),
    });
  }

  /** Frames posted and messages carried, for the benchmarks' messages-per-op figure. */
  get counters(): { readonly frames: number; readonly messages: number } {
    return this.#outbox.counters;
  }

  /** Frames dropped, duplicated and delayed by faults, by link index. */
  get faultCounts(): readonly ({ readonly dropped: number; readonly duplicated: number; readonly delayed: number } | undefined)[] {
    return this.#outbox.faultCounts;
  }

  /** Attaches link `index`, replacing (and closing) any previous one. */
  attach(index: number, link: Link): void {
    this.detach(index);
    this.#links[index] = link;
    link.onFrame((frame: Frame) => this.#receive(frame));
    // Without a supervisor to say so first (a client in another thread), a link closed by its far end means a node gone.
    if (this.#watchPorts) link.onClose(() => this.#links[index] === link && this.linkLost(index));
  }

  /**
   * The node of link `index` is gone: the link is dropped, this thread's requests sent to it
   * reject with KV_ERR_NODE_DOWN, and the originator of every request this thread forwarded to
   * it (and may still be waited on) is told, so that it settles it the same way.
   */
  linkLost(index: number): void {
    this.detach(index);
    const error = this.unreachable(index);
    this.#calls.failWhere(
      (to) => to === index,
      () => error,
    );
    for (const f of this.#forwards.take(index, this.#scheduler.now())) {
      const lost: Lost = f.idx === undefined ? { type: 'lost', id: f.id, node: index } : { type: 'lost', id: f.id, node: index, idx: f.idx };
      this.#outbox.queue(f.from, lost);
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
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the hook may have detached it
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
      req.id = this.#calls.add(resolve, map, reject, timeoutMs, to, req, undefined, this.#now());
      req.from = this.#self;
      req.hops = 0;
      this.send(to, req);
    });
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
      req.id = this.#calls.add(resolve as (v: unknown) => void, undefined, reject, timeoutMs, to, req, count, this.#now());
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

  /** Queues `msg` for link `to`; all messages queued in one turn leave as one frame per link (single ops packed). */
  send(to: number, msg: DataMessage): void {
    this.#outbox.queue(to, to !== this.#self && msg.type === 'req' ? (packRequest(msg) ?? msg) : msg);
  }

  /** Answers request `req` with a value, straight to its originator. */
  reply(req: Request, value: unknown): void {
    const packed = req.from === this.#self || req.op === 'apply' ? undefined : packReply(req.id, value);
    this.#outbox.queue(req.from, packed ?? { type: 'ok', id: req.id, value });
  }

  /** Answers request `req` with an error, straight to its originator. */
  fail(req: Request, error: unknown): void {
    const wire = toWire(error);
    this.#outbox.queue(req.from, (req.from === this.#self ? undefined : packError(req.id, wire)) ?? { type: 'err', id: req.id, error: wire });
  }

  /** The faults of each direction from this thread, by link index (none: a perfect link); `random` draws the losses and delays. */
  setFaults(byLink: readonly (DirectionFaults | undefined)[], random: Uniform): void {
    this.#outbox.setFaults(byLink, random);
  }

  /** Refuses new requests with `error`; resolves once every pending one has settled (each settles by its deadline, or with its link). */
  drain(error: KvError): Promise<void> {
    this.#refusing ??= error;
    return this.#calls.drained();
  }

  /** Rejects every pending request with `error`, closes every link; later requests reject with `error`. Idempotent. */
  close(error: KvError): void {
    if (this.#closed !== undefined) return;
    this.#closed = error;
    this.#calls.rejectAll(error);
    this.#outbox.clear();
    for (let i = 0; i < this.#links.length; i++) this.detach(i);
  }

  /** The KV_ERR_NODE_DOWN error for link `index`. */
  unreachable(index: number): KvError {
    return Errors.nodeDown(this.#nameOf(index));
  }

  #receive(frame: Frame | (DataMessage | string)[]): void {
    if (typeof frame === 'string') forEachRecord(frame, this.#onRequest, this.#calls.packed, this.#relay);
    else
      for (const item of frame)
        if (typeof item === 'string') forEachRecord(item, this.#onRequest, this.#calls.packed, this.#relay);
        else this.#dispatch(item);
  }

  /** Runs one message object (called per item: no one-element array per message of a frame to this thread). */
  #dispatch(msg: DataMessage): void {
    switch (msg.type) {
      case 'req':
        this.#onRequest(msg);
        break;
      case 'ok':
        this.#calls.ok(msg.id, msg.value);
        break;
      case 'err':
        this.#calls.err(msg.id, msg.error);
        break;
      case 'breq':
        this.#onBatch(msg);
        break;
      case 'bres':
        this.#calls.batch(msg);
        break;
      case 'lost':
        this.#calls.lost(
          msg,
          stackless(() => this.unreachable(msg.node)),
        );
        break;
      case 'sig':
        this.#signals?.arrived(msg);
        break;
      default: {
        const never: never = msg;
        throw new Error(`unknown data message ${JSON.stringify(never)}`);
      }
    }
  }

  #now(): number {
    if (this.#turnNow < 0 || (++this.#turnReads & 1023) === 0) this.#turnNow = this.#scheduler.now();
    return this.#turnNow;
  }

  /** Settles a message that could not leave: our own request rejects, a forwarded one is answered with the error, a reply turns into an error reply. */
  #undeliverable(to: number, msg: DataMessage, error: KvError): void {
    if (msg.type === 'req') {
      if (msg.from === this.#self) this.#calls.err(msg.id, error);
      else this.fail(msg, error);
    } else if (msg.type === 'breq') {
      if (msg.from === this.#self && msg.idx === undefined && this.#calls.isBatch(msg.id)) this.#calls.abandon(msg.id, error);
      else this.failBatch(msg, error);
    } else if (msg.type === 'sig') {
      this.#signals?.lost(msg, error);
    } else if (msg.type === 'ok' && this.#links[to] !== undefined) {
      this.send(to, { type: 'err', id: msg.id, error: toWire(Errors.unsendableResult(error.message)) });
    }
  }

  /** KV_ERR_TIMEOUT naming the node the request waited on (its owner, as this thread knows the tables) and where it entered. */
  #timeout(p: Pending): KvError {
    const entry = this.#nameOf(p.to);
    if (p.req.type === 'breq') return Errors.noReply(`${p.missing ?? 0} ops of a batch`, `entered at node "${entry}"`, p.timeoutMs);
    const bucket = p.req.bucket;
    const awaited = (bucket === undefined ? undefined : ownerFrom(this.#tables(), entry, bucket)) ?? entry;
    const where = awaited === entry ? `from node "${awaited}"` : `from node "${awaited}" (entered at node "${entry}")`;
    return Errors.noReply(describeOp(p.req), where, p.timeoutMs);
  }
}

/** A request as it reads in an error message: `get of bucket "b"`, `Hello.world/0`. */
export function describeOp(req: Op): string {
  if (req.op !== 'apply') return `${req.op} of bucket ${quoteBytes(req.bucket)}`;
  const call = `${req.mod}.${req.fun}/${req.args.length}`;
  return req.bucket === undefined ? call : `${call} routed by bucket ${quoteBytes(req.bucket)}`;
}
