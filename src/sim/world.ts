/**
 * The simulation host's world: virtual time, one event queue ordered by (time, sequence), the
 * trace, and the driver that runs events while a test awaits `drive` or `sleep`. Everything an
 * owner (a node, 'client', 'supervisor') sees happen is an event: deliveries, close notices,
 * timers. Nothing else in the simulation reads a clock or a random source.
 */
import type { Scheduler } from '../transport/scheduler.js';
import { messageOf } from '../protocol/errors.js';
import { checkNumber } from './check.js';
import { EventQueue } from './queue.js';
import type { Keyed } from './queue.js';
import { Trace } from './trace.js';
import type { TraceEvent } from './trace.js';
import { Runner } from './runner.js';
import { ownerScheduler } from './timer.js';

/** An event in the queue: `owner` runs it at `t`. */
export interface SimEvent extends Keyed {
  readonly owner: string;
  /** Set by whoever cancels it; a cancelled event is skipped, never traced. */
  cancelled: boolean;
  run(): void;
  /** Called instead of `run` when its owner is dropped (a frame in flight traces itself as dropped). */
  dropped?(): void;
}

/** How a world runs. */
export interface SimWorldOptions {
  /** Keep every trace event (default) or only the hash and the count. */
  keepTrace?: boolean;
  /** Events one `drive`/`sleep` may run before it fails (default 10,000,000). */
  maxSteps?: number;
  /** Events in a row at one virtual time before every waiter fails (a zero-delay loop; default 1,000,000). */
  maxStepsAtOneTime?: number;
  /** Called when an event throws (a host may treat it as its owner crashing); without it the waiting drives and sleeps reject with the error. */
  onError?: (owner: string, error: unknown) => void;
}

/** Virtual time, the event queue, pause/resume/drop of owners, the trace and the driver. */
export class SimWorld {
  readonly #queue = new EventQueue<SimEvent>();
  readonly #trace: Trace;
  // A paused owner maps to the events that came due while it was paused, in order.
  readonly #held = new Map<string, SimEvent[]>();
  readonly #epochs = new Map<string, number>();
  readonly #dropFns: ((owner: string) => void)[] = [];
  readonly #runner: Runner;
  #now = 0;

  constructor(options: SimWorldOptions = {}) {
    const { keepTrace = true, maxSteps = 10_000_000, maxStepsAtOneTime = 1_000_000, onError } = options;
    checkNumber('SimWorld', 'maxSteps', maxSteps, '> 0');
    checkNumber('SimWorld', 'maxStepsAtOneTime', maxStepsAtOneTime, '> 0');
    this.#trace = new Trace(keepTrace);
    this.#runner = new Runner(
      {
        now: () => this.#now,
        advance: (t) => (this.#now = t),
        next: (until) => this.#next(until),
        error: (owner, e) => this.note('error', owner, owner, messageOf(e)),
        heldOwners: () => [...this.#held].filter(([, held]) => held.some((e) => !e.cancelled)).map(([owner]) => owner),
      },
      maxSteps,
      maxStepsAtOneTime,
      onError,
    );
  }

  /** Virtual time in ms: 0 at the start, moved only by the driver. */
  now(): number {
    return this.#now;
  }

  /** Events run so far. */
  get steps(): number {
    return this.#runner.steps;
  }

  /** Queues `event` at virtual time `at` (at the current time if `at` is past). For hosts and the network. */
  enqueue(event: SimEvent, at: number): void {
    event.t = at < this.#now ? this.#now : at;
    this.#queue.push(event);
  }

  /** How many times `owner` was dropped: a Scheduler view from an older epoch is inert. */
  epoch(owner: string): number {
    return this.#epochs.get(owner) ?? 0;
  }

  /** The Scheduler of one owner (see `ownerScheduler`); after `drop(owner)`, ask again for its next incarnation. */
  scheduler(owner: string): Scheduler {
    return ownerScheduler(this, owner);
  }

  /** Holds `owner`'s events (deliveries to it, its timers) as they come due, until `resume`. */
  pause(owner: string): void {
    if (this.#held.has(owner)) return;
    this.#held.set(owner, []);
    this.note('pause', owner, owner, '');
  }

  /** Runs what `owner` was held, at the current time, in its original order; later events as due. */
  resume(owner: string): void {
    const held = this.#held.get(owner);
    if (held === undefined) return;
    this.#held.delete(owner);
    const live = held.filter((e) => !e.cancelled);
    this.note('resume', owner, owner, `${live.length} held`);
    for (const e of live) this.enqueue(e, this.#now);
  }

  /** Whether `owner` is paused. */
  paused(owner: string): boolean {
    return this.#held.has(owner);
  }

  /**
   * Kills `owner` as far as time goes: cancels its pending events (timers end; frames in flight to
   * it are traced as dropped), unpauses it, makes its Scheduler views inert, then tells `onDrop`
   * listeners (the network closes its channels). A new `scheduler(owner)` serves its next incarnation.
   */
  drop(owner: string): void {
    this.#epochs.set(owner, this.epoch(owner) + 1);
    const removed = [...(this.#held.get(owner) ?? []), ...this.#queue.remove((e) => e.owner === owner)].filter((e) => !e.cancelled);
    this.#held.delete(owner);
    this.note('kill', owner, owner, `${removed.length} pending events cancelled`);
    for (const e of removed) {
      e.cancelled = true;
      e.dropped?.();
    }
    for (const fn of this.#dropFns) fn(owner);
  }

  /** Calls `fn` after every `drop(owner)`. */
  onDrop(fn: (owner: string) => void): void {
    this.#dropFns.push(fn);
  }

  /** Live events queued or held, of `owner` or of everyone. */
  pending(owner?: string): number {
    const all = [...this.#queue.items(), ...[...this.#held.values()].flat()];
    return all.filter((e) => !e.cancelled && (owner === undefined || e.owner === owner)).length;
  }

  /** Runs events while `p` is pending; settles as `p` does, or rejects if nothing can settle it, or past `withinMs` of virtual time. */
  drive<T>(p: PromiseLike<T>, options: { withinMs?: number } = {}): Promise<T> {
    if (options.withinMs !== undefined) checkNumber('drive', 'withinMs', options.withinMs, '≥ 0');
    return this.#runner.drive(p, options.withinMs);
  }

  /** Advances virtual time by exactly `ms`, running every event due up to and including now + ms. */
  sleep(ms: number): Promise<void> {
    checkNumber('sleep', 'ms', ms, '≥ 0');
    return this.#runner.sleep(ms);
  }

  /** Adds an event to the trace (hosts add their own kinds). */
  note(kind: string, from: string, to: string, what: string): void {
    this.#trace.add(this.#now, kind, from, to, what);
  }

  /** Every traced event so far (empty with `keepTrace: false`). */
  trace(): readonly TraceEvent[] {
    return this.#trace.events;
  }

  /** SHA-256 (hex) of the canonical text of the trace so far. */
  traceHash(): string {
    return this.#trace.hash();
  }

  /** The next runnable event due by `until`, removed from the queue (cancelled ones skipped, a paused owner's held); time moves to it. */
  #next(until: number): SimEvent | undefined {
    for (;;) {
      const next = this.#queue.peek();
      if (next === undefined || next.t > until) return undefined;
      this.#queue.pop();
      if (next.cancelled) continue;
      if (next.t > this.#now) this.#now = next.t;
      const held = this.#held.size > 0 ? this.#held.get(next.owner) : undefined;
      if (held === undefined) return next;
      held.push(next);
    }
  }
}
