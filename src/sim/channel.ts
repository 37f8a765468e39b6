/**
 * A simulated channel between two owners, as two `Link` ends. A post is decided at once, from
 * the sending direction's settings (partition, drop, delay, jitter, duplicate), and becomes a
 * delivery event for the receiving owner; a close becomes a notice event for each end.
 */
import type { Frame } from '../protocol/messages.js';
import type { Link } from '../transport/link.js';
import type { LinkSettings } from '../transport/faults.js';
import { cloneData } from './clone.js';
import type { Random } from './random.js';
import type { SimEvent, SimWorld } from './world.js';

/** What happened on one direction of a link. */
export interface LinkStats {
  delivered: number;
  dropped: number;
  duplicated: number;
  /** Frames given more than the network's base latency (a delay setting, jitter, or waiting behind a slower frame). */
  delayed: number;
}

/** One direction between two owners: settings, whether a partition cuts it, counts. Shared by every channel between them. */
export class Path {
  cut = false;
  // The latest arrival queued: without jitter a frame never arrives before it, so the path stays FIFO when its delay changes.
  lastArrival = 0;
  readonly stats: LinkStats = { delivered: 0, dropped: 0, duplicated: 0, delayed: 0 };
  constructor(
    readonly from: string,
    readonly to: string,
    public settings: LinkSettings,
  ) {}
}

/** What every end shares: the world, the network's random stream, the base latency, frame descriptions, and the network's index of open channels. */
export interface Wire {
  readonly world: SimWorld;
  readonly random: Random;
  readonly latencyMs: number;
  readonly describe: (frame: Frame) => string;
  forget(channel: Channel): void;
}

/** The two ends of one channel and whether it is closed. */
export class Channel {
  closed = false;
  readonly ends: readonly [SimLink, SimLink];
  constructor(wire: Wire, a: string, b: string, ab: Path, ba: Path) {
    const endA = new SimLink(wire, this, a, ab);
    const endB = new SimLink(wire, this, b, ba);
    endA.peer = endB;
    endB.peer = endA;
    this.ends = [endA, endB];
  }

  /** Closes it: each end gets a close notice now, except the ends of `killed` (an owner that was dropped). */
  close(closer: SimLink, killed: string | undefined, wire: Wire): void {
    if (this.closed) return;
    this.closed = true;
    wire.forget(this);
    for (const end of this.ends) if (end.owner !== killed) wire.world.enqueue(new CloseNotice(end, closer.owner), wire.world.now());
  }
}

/** A frame on its way to `to`. */
class Delivery implements SimEvent {
  t = 0;
  seq = 0;
  cancelled = false;
  readonly owner: string;
  constructor(
    readonly to: SimLink,
    readonly frame: Frame,
    readonly what: string,
  ) {
    this.owner = to.owner;
  }

  run(): void {
    this.to.receive(this);
  }

  dropped(): void {
    this.to.lose(this, 'killed');
  }
}

/** Tells one end its channel closed. */
class CloseNotice implements SimEvent {
  t = 0;
  seq = 0;
  cancelled = false;
  readonly owner: string;
  constructor(
    readonly end: SimLink,
    readonly closer: string,
  ) {
    this.owner = end.owner;
  }

  run(): void {
    this.end.wire.world.note('close', this.closer, this.owner, '');
    this.end.closed();
  }
}

/** One end of a simulated channel. */
export class SimLink implements Link {
  peer!: SimLink;
  readonly #frameFns: ((frame: Frame) => void)[] = [];
  #closeFns: (() => void)[] = [];
  // Frames that arrived before any listener: a MessagePort queues them until it is started.
  #early: Delivery[] = [];

  constructor(
    readonly wire: Wire,
    readonly channel: Channel,
    readonly owner: string,
    readonly out: Path,
  ) {}

  post(frame: Frame): void {
    if (this.channel.closed) return;
    // A string needs no clone; anything else is cloned now, so the sender may reuse it and a function throws DataCloneError here, as postMessage does.
    const copy = typeof frame === 'string' ? frame : cloneData(frame);
    const { world, random, latencyMs } = this.wire;
    const path = this.out;
    const s = path.settings;
    const what = this.wire.describe(copy);
    if (path.cut) return this.#lost(path, 'partition', what);
    if (s.drop > 0 && random.chance(s.drop)) return this.#lost(path, 'lost', what);
    const now = world.now();
    let t = now + s.delayMs;
    if (s.jitterMs > 0) t += s.jitterMs * random.next();
    else if (t < path.lastArrival) t = path.lastArrival;
    if (t > path.lastArrival) path.lastArrival = t;
    if (t > now + latencyMs) path.stats.delayed++;
    world.enqueue(new Delivery(this.peer, copy, what), t);
    if (s.duplicate > 0 && random.chance(s.duplicate)) {
      path.stats.duplicated++;
      world.note('duplicate', this.owner, this.peer.owner, what);
      const again = typeof copy === 'string' ? copy : cloneData(copy);
      world.enqueue(new Delivery(this.peer, again, what), t + s.delayMs + (s.jitterMs > 0 ? s.jitterMs * random.next() : 0));
    }
  }

  onFrame(fn: (frame: Frame) => void): void {
    this.#frameFns.push(fn);
    const early = this.#early;
    this.#early = [];
    for (const d of early) this.wire.world.enqueue(d, this.wire.world.now());
  }

  onClose(fn: () => void): void {
    this.#closeFns.push(fn);
  }

  close(): void {
    this.channel.close(this, undefined, this.wire);
  }

  #lost(path: Path, why: string, what: string): void {
    path.stats.dropped++;
    this.wire.world.note('drop', path.from, path.to, `${why}: ${what}`);
  }

  /** A delivery reached this end: handed to the listeners, kept until one comes, or dropped if the channel closed. */
  receive(d: Delivery): void {
    if (this.channel.closed) return this.lose(d, 'closed');
    if (this.#frameFns.length === 0) return void this.#early.push(d);
    this.peer.out.stats.delivered++;
    this.wire.world.note('deliver', this.peer.owner, this.owner, d.what);
    for (const fn of this.#frameFns) fn(d.frame);
  }

  /** A delivery to this end that will never arrive. */
  lose(d: Delivery, why: string): void {
    this.peer.#lost(this.peer.out, why, d.what);
  }

  /** The close notice reached this end: each close listener is called once. */
  closed(): void {
    const fns = this.#closeFns;
    this.#closeFns = [];
    for (const d of this.#early.splice(0)) this.lose(d, 'closed');
    for (const fn of fns) fn();
  }
}
