/**
 * What one thread sends, per link: every message queued in one turn to one link leaves as one
 * frame (coalescing: 2.2× at 256 in flight), a full frame (64 messages, or a batch) leaves at
 * once so both threads work at the same time, and faults of the link apply at this sending end.
 */
import type { DataMessage } from '../protocol/messages.js';
import { Errors, KvError, reasonOf } from '../protocol/errors.js';
import { frameOf, unpackRecords } from '../protocol/batch.js';
import { decide } from './faults.js';
import type { LinkSettings, Uniform } from './faults.js';
import type { Link } from './link.js';
import type { Scheduler } from './scheduler.js';

/** Messages per frame before it is posted without waiting for the end of the turn. */
const FRAME_MAX = 64;

/** The faults of one direction from this thread. */
export interface DirectionFaults {
  readonly cut: boolean;
  readonly settings: LinkSettings;
}

/** What an outbox needs from its endpoint. */
export interface OutboxOwner {
  readonly self: number;
  readonly scheduler: Scheduler;
  /** The attached link `to`, if any. */
  link(to: number): Link | undefined;
  /** Messages this thread sent to itself, at the end of the turn. */
  receiveOwn(queue: (DataMessage | string)[]): void;
  /** A message that could not leave (no link, or a value that cannot be cloned). */
  undeliverable(to: number, msg: DataMessage, error: KvError): void;
  /** KV_ERR_NODE_DOWN for link `to`. */
  unreachable(to: number): KvError;
  /** The end of a turn (the endpoint's cached clock reading ends with it). */
  turnEnded(): void;
}

/** Per-link queues of one thread. */
export class Outbox {
  readonly #o: OutboxOwner;
  readonly #queues = new Map<number, (DataMessage | string)[]>();
  #flushScheduled = false;
  #faults: readonly (DirectionFaults | undefined)[] = [];
  #random: Uniform = { next: () => 0 };
  /** Frames posted and messages carried, for the benchmarks' messages-per-op figure. */
  readonly counters = { frames: 0, messages: 0 };
  /** Frames dropped, duplicated and delayed by faults, by link index. */
  readonly faultCounts: ({ dropped: number; duplicated: number; delayed: number } | undefined)[] = [];

  constructor(owner: OutboxOwner) {
    this.#o = owner;
  }

  /** Queues `msg` (a message, or a packed record) for link `to`. */
  queue(to: number, msg: DataMessage | string): void {
    let queue = this.#queues.get(to);
    if (queue === undefined) {
      queue = [];
      this.#queues.set(to, queue);
    }
    queue.push(msg);
    // A batch (or its reply) is a frame's worth of ops by itself.
    const full = queue.length >= FRAME_MAX || (typeof msg !== 'string' && (msg.type === 'breq' || msg.type === 'bres'));
    if (full && to !== this.#o.self) {
      // Post a full frame now: the far thread starts on it while this one keeps producing
      // (one frame per turn would make the two threads take turns instead of overlapping).
      this.#queues.delete(to);
      this.#post(to, queue);
    }
    // Scheduled even after a full frame left: the flush also ends the turn's cached clock reading.
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      this.#o.scheduler.defer(() => this.#flush());
    }
  }

  /** Forgets everything queued. */
  clear(): void {
    this.#queues.clear();
  }

  /** The faults of each direction from this thread, by link index (none: a perfect link); `random` draws the losses and delays. */
  setFaults(byLink: readonly (DirectionFaults | undefined)[], random: Uniform): void {
    this.#faults = byLink;
    this.#random = random;
  }

  #flush(): void {
    this.#flushScheduled = false;
    this.#o.turnEnded();
    for (const [to, queue] of this.#queues) {
      this.#queues.delete(to);
      if (to === this.#o.self) this.#o.receiveOwn(queue);
      else this.#post(to, queue);
    }
  }

  #post(to: number, queue: (DataMessage | string)[]): void {
    const link = this.#o.link(to);
    if (link === undefined) {
      for (const item of queue) for (const msg of typeof item === 'string' ? unpackRecords(item) : [item]) this.#o.undeliverable(to, msg, this.#o.unreachable(to));
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
          this.#o.undeliverable(to, item as DataMessage, Errors.unsendable('', reasonOf(e)));
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
        this.#o.scheduler.after(ms, () => {
          if (this.#o.link(to) === link) this.#send(to, link, queue);
        });
      }
    }
  }
}
