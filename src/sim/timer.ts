/**
 * The Scheduler an owner sees in a simulation: its timers are events of that owner in the
 * world's queue, its clock is virtual time.
 */
import type { Scheduler } from '../transport/scheduler.js';
import { checkNumber } from './check.js';
import type { SimEvent, SimWorld } from './world.js';

const noop = (): void => {};

/** A once or periodic timer of one owner, in the queue as an event. */
class Timer implements SimEvent {
  t = 0;
  seq = 0;
  cancelled = false;
  constructor(
    readonly world: SimWorld,
    readonly owner: string,
    readonly epoch: number,
    readonly fn: () => void,
    readonly period: number,
    readonly label: string,
  ) {}

  run(): void {
    this.world.note('timer', this.owner, this.owner, this.label);
    try {
      this.fn();
    } finally {
      // As Node's setInterval: the next run is `period` after this one started (after a pause: after the resume).
      if (this.period > 0 && !this.cancelled && this.world.epoch(this.owner) === this.epoch) this.world.enqueue(this, this.world.now() + this.period);
    }
  }
}

/**
 * `owner`'s view of `world` as a Scheduler. `defer` is `queueMicrotask`: every turn of the
 * simulation is one event, and the driver lets the microtask queue (FIFO) drain before the next,
 * so deferred calls run in an order fixed by the event sequence, at the end of the current turn
 * and before any timer, as the system scheduler promises. The view is inert once its owner is
 * dropped (a killed node's code schedules no more).
 */
export function ownerScheduler(world: SimWorld, owner: string): Scheduler {
  const epoch = world.epoch(owner);
  const where = `scheduler(${JSON.stringify(owner)})`;
  const start = (ms: number, fn: () => void, period: number, label: string): (() => void) => {
    if (world.epoch(owner) !== epoch) return noop;
    const timer = new Timer(world, owner, epoch, fn, period, label);
    world.enqueue(timer, world.now() + ms);
    return () => void (timer.cancelled = true);
  };
  return {
    now: () => world.now(),
    after: (ms, fn) => {
      checkNumber(`${where}.after`, 'ms', ms, 'finite');
      // A past delay runs now, as setTimeout runs a negative one.
      return start(ms < 0 ? 0 : ms, fn, 0, `after ${ms}`);
    },
    every: (ms, fn) => {
      checkNumber(`${where}.every`, 'ms', ms, '> 0');
      return start(ms, fn, ms, `every ${ms}`);
    },
    defer: (fn) => {
      if (world.epoch(owner) === epoch) queueMicrotask(fn);
    },
  };
}
