/**
 * The driver of a simulation: runs one event at a time while someone waits (`drive`, `sleep`),
 * and nothing when nobody does. Between two events the microtask queue drains completely, so
 * every promise chain an event starts settles (or blocks on a later event) before the next one.
 *
 * How: one event per real `setImmediate` callback. Node drains the microtask and nextTick queues
 * between two immediate callbacks, so the guarantee does not need one event-loop turn per event:
 * the runner queues a batch of callbacks at a time (each one pops whatever event is first *when
 * it runs*), which costs one loop turn per batch instead of per event. The order of events and
 * of microtasks is the same as with one turn per event; only foreign macrotasks (I/O, real
 * timers), which the simulation never touches, run less often in between. Batches start small
 * and double while the run goes on, so a short drive leaves few empty callbacks behind.
 */
import { Errors } from '../protocol/errors.js';
import type { SimEvent } from './world.js';

// Measured here (216k events, faults on): a loop turn per event took 2.2–2.6 s, batches of 64–1024 0.7–1.5 s (noisy).
const MIN_BATCH = 8;
const MAX_BATCH = 256;

/** What the runner needs of its world. */
export interface RunnerHost {
  now(): number;
  /** Moves virtual time to a waiter's target (never back). */
  advance(t: number): void;
  /** The next runnable event due by `until`, removed from the queue, time moved to it; undefined if none. */
  next(until: number): SimEvent | undefined;
  /** Traces an event that threw. */
  error(owner: string, error: unknown): void;
  /** Owners that have events held by a pause (for the idle message). */
  heldOwners(): string[];
}

interface Waiter {
  /** Virtual time at which it is reached (Infinity: a drive with no deadline). */
  readonly until: number;
  /** The step count when it started. */
  readonly start: number;
  reached(): void;
  fail(error: unknown): void;
}

/** Runs the events of one world for the drives and sleeps waiting on it. */
export class Runner {
  readonly #host: RunnerHost;
  readonly #maxSteps: number;
  readonly #maxAtOneTime: number;
  readonly #onError: ((owner: string, error: unknown) => void) | undefined;
  readonly #waiters: Waiter[] = [];
  #ticks = 0;
  #batch = MIN_BATCH;
  #steps = 0;
  #atOneTime = 0;
  #lastT = -1;

  constructor(host: RunnerHost, maxSteps: number, maxAtOneTime: number, onError: ((owner: string, error: unknown) => void) | undefined) {
    this.#host = host;
    this.#maxSteps = maxSteps;
    this.#maxAtOneTime = maxAtOneTime;
    this.#onError = onError;
  }

  /** Events run so far. */
  get steps(): number {
    return this.#steps;
  }

  /** See `SimWorld.drive`. */
  drive<T>(p: PromiseLike<T>, withinMs: number | undefined): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const now = this.#host.now();
      const until = withinMs === undefined ? Infinity : now + withinMs;
      const w: Waiter = {
        until,
        start: this.#steps,
        reached: () => reject(Errors.simulationStuck(`drive: the promise did not settle within ${withinMs} ms of virtual time (started at t=${now} ms)`)),
        fail: reject,
      };
      this.#wait(w);
      Promise.resolve(p).then(
        (v) => this.#unwait(w) && resolve(v),
        (e: unknown) => this.#unwait(w) && reject(e),
      );
    });
  }

  /** See `SimWorld.sleep`. */
  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve, reject) => this.#wait({ until: this.#host.now() + ms, start: this.#steps, reached: resolve, fail: reject }));
  }

  #wait(w: Waiter): void {
    this.#waiters.push(w);
    this.#pump();
  }

  #unwait(w: Waiter): boolean {
    const i = this.#waiters.indexOf(w);
    if (i < 0) return false;
    this.#waiters.splice(i, 1);
    return true;
  }

  #pump(): void {
    if (this.#ticks > 0 || this.#waiters.length === 0) return;
    this.#ticks = this.#batch;
    for (let i = 0; i < this.#batch; i++) setImmediate(this.#tick);
    if (this.#batch < MAX_BATCH) this.#batch *= 2;
  }

  readonly #tick = (): void => {
    this.#ticks--;
    if (this.#waiters.length > 0) this.#step();
    if (this.#ticks > 0) return;
    if (this.#waiters.length === 0) this.#batch = MIN_BATCH;
    else this.#pump();
  };

  /** One event, or one waiter's target reached, or the idle verdict. */
  #step(): void {
    let until = Infinity;
    for (const w of this.#waiters) if (w.until < until) until = w.until;
    const event = this.#host.next(until);
    if (event !== undefined) return this.#run(event);
    if (until !== Infinity) {
      // No event is due by the nearest target: time jumps to it; an event due exactly then has run.
      this.#host.advance(until);
      for (const w of [...this.#waiters]) if (w.until === until && this.#unwait(w)) w.reached();
      return;
    }
    const held = this.#host.heldOwners();
    const because = held.length === 0 ? '' : `; events wait for paused ${held.map((o) => JSON.stringify(o)).join(', ')}`;
    this.#failAll(Errors.simulationStuck(`the simulation is idle: nothing can settle this promise (deadlock?) at t=${this.#host.now()} ms${because}`));
  }

  #run(event: SimEvent): void {
    this.#steps++;
    const t = this.#host.now();
    this.#atOneTime = t === this.#lastT ? this.#atOneTime + 1 : 1;
    this.#lastT = t;
    try {
      event.run();
    } catch (error) {
      this.#uncaught(event.owner, error);
    }
    if (this.#atOneTime >= this.#maxAtOneTime) {
      return this.#failAll(Errors.simulationStuck(`the simulation ran ${this.#atOneTime} events at t=${t} ms without time advancing (maxStepsAtOneTime ${this.#maxAtOneTime}; a zero-delay loop?)`));
    }
    const oldest = this.#waiters[0];
    if (oldest !== undefined && this.#steps - oldest.start >= this.#maxSteps) {
      this.#failAll(Errors.simulationStuck(`the simulation ran ${this.#maxSteps} events (maxSteps) without settling what it waits for, at t=${t} ms (a livelock, or a periodic timer with nothing to end the wait?)`));
    }
  }

  #uncaught(owner: string, error: unknown): void {
    this.#host.error(owner, error);
    if (this.#onError === undefined) return this.#failAll(error);
    try {
      this.#onError(owner, error);
    } catch (again) {
      this.#failAll(again);
    }
  }

  #failAll(error: unknown): void {
    this.#atOneTime = 0;
    for (const w of this.#waiters.splice(0)) w.fail(error);
  }
}
