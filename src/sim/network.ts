/**
 * The simulated network: channels between owners, and the faults on them. Faults are per
 * directed (from, to) and are evaluated when a frame is posted: a partition or a drop loses it,
 * its delay and jitter fix when it arrives, a duplicate queues a second copy. Every fault call
 * is traced, so a trace shows what the network was told as well as what it did.
 */
import type { Frame } from '../protocol/messages.js';
import type { Link } from '../transport/link.js';
import { Channel, Path } from './channel.js';
import { checkNumber, checkOwner } from './check.js';
import type { LinkStats, Wire } from './channel.js';
import type { Random } from './random.js';
import type { SimWorld } from './world.js';
import { NO_FAULTS, heal, partition, setLink } from '../transport/faults.js';
import type { FaultSpec, LinkSettings } from '../transport/faults.js';

export type { LinkStats } from './channel.js';
export type { LinkSettings } from '../transport/faults.js';

/**
 * The default one-way latency: 1/64 ms (15.6 µs). Half the MessagePort round trip measured here
 * (p50 23–32 µs, research-next.md §0), so simulated timing is of the order of the thread host's;
 * and a power of two, so sums of latencies are exact in binary and traced times print short
 * (three hops: t=0.046875, not 0.15000000000000002).
 */
export const DEFAULT_LATENCY_MS = 1 / 64;

/** How a network is built. */
export interface SimNetworkOptions {
  /** One-way delay of every link until `link()` says otherwise (default `DEFAULT_LATENCY_MS`). */
  latencyMs?: number;
  /** The `what` of a frame in the trace (default: `describeFrame`). */
  describe?: (frame: Frame) => string;
}

/** A short, deterministic description of a frame: message types and ids, or a string's head. */
export function describeFrame(frame: Frame): string {
  if (typeof frame === 'string') return frame.length <= 16 ? frame : `${frame.slice(0, 16)}…(${frame.length})`;
  const parts: string[] = [];
  for (let i = 0; i < frame.length && i < 4; i++) {
    const m = frame[i];
    parts.push(typeof m === 'string' ? `packed(${m.length})` : m === undefined ? '?' : m.type === 'sig' ? `sig:${m.k}` : `${m.type}#${m.id}`);
  }
  if (frame.length > 4) parts.push(`+${frame.length - 4}`);
  return parts.join(' ');
}

/** Channels between owners of one world, and the faults on them. */
export class SimNetwork {
  readonly #wire: Wire;
  readonly #defaults: LinkSettings;
  readonly #paths = new Map<string, Path>();
  readonly #open = new Map<string, Set<Channel>>();
  #spec: FaultSpec = NO_FAULTS;

  /** A network over `world`, drawing every random decision from `random` (give it a fork of its own). */
  constructor(world: SimWorld, random: Random, options: SimNetworkOptions = {}) {
    const { latencyMs = DEFAULT_LATENCY_MS, describe = describeFrame } = options;
    checkNumber('SimNetwork', 'latencyMs', latencyMs, '≥ 0');
    this.#defaults = { delayMs: latencyMs, jitterMs: 0, drop: 0, duplicate: 0 };
    this.#wire = { world, random, latencyMs, describe, forget: (c) => this.#forget(c) };
    world.onDrop((owner) => this.#kill(owner));
  }

  /** A new channel between owners `a` and `b`: [the end `a` holds, the end `b` holds]. */
  channel(a: string, b: string): [Link, Link] {
    checkOwner('network.channel', a);
    checkOwner('network.channel', b);
    const channel = new Channel(this.#wire, a, b, this.#path(a, b), this.#path(b, a));
    for (const owner of [a, b]) {
      const set = this.#open.get(owner) ?? new Set();
      set.add(channel);
      this.#open.set(owner, set);
    }
    return [...channel.ends];
  }

  /** Cuts every direction from `groupA` to `groupB`, and back unless `oneWay`. Adds to any cut already made. */
  partition(groupA: readonly string[], groupB: readonly string[], options: { oneWay?: boolean } = {}): void {
    const oneWay = options.oneWay === true;
    this.#set(partition(this.#spec, groupA, groupB, oneWay), `partition ${groupA.join(',')} ${oneWay ? '→' : '|'} ${groupB.join(',')}`);
  }

  /** Changes the settings of the direction `from` → `to` (the fields given; the others stay). */
  link(from: string, to: string, settings: Partial<LinkSettings>): void {
    const spec = setLink(this.#spec, checkOwner('network.link', from), checkOwner('network.link', to), settings);
    this.#set(
      spec,
      Object.entries(settings)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' '),
      from,
      to,
    );
  }

  /** The settings of the direction `from` → `to`. */
  settings(from: string, to: string): LinkSettings {
    return { ...(this.#paths.get(`${from}\u0000${to}`)?.settings ?? this.#defaults) };
  }

  /** Ends every partition; link settings stay. */
  heal(): void {
    this.#set(heal(this.#spec), 'heal');
  }

  /** A perfect network again: no partition, every link back to the default latency, no jitter, drop or duplicate. */
  clear(): void {
    this.#set(NO_FAULTS, 'clear');
  }

  /**
   * Sets every direction as `spec` says (the cluster's `faults`, shared with the thread host):
   * the cut ones cut, the changed ones changed, every other one perfect at the base latency.
   */
  apply(spec: FaultSpec): void {
    this.#set(
      spec,
      `cut ${spec.cut.join(' ') || 'none'}; links ${
        Object.entries(spec.links)
          .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
          .join(' ') || 'perfect'
      }`,
    );
  }

  /** Every direction as `spec` says, traced as `what`. */
  #set(spec: FaultSpec, what: string, from = 'network', to = 'network'): void {
    this.#spec = spec;
    for (const path of this.#paths.values()) {
      path.cut = false;
      path.settings = this.#defaults;
    }
    for (const key of spec.cut) {
      const [from, to] = key.split('→') as [string, string];
      this.#path(from, to).cut = true;
    }
    for (const [key, changed] of Object.entries(spec.links)) {
      const [from, to] = key.split('→') as [string, string];
      this.#path(from, to).settings = { ...this.#defaults, ...changed };
    }
    this.#fault(what, from, to);
  }

  /** The counts of every direction used or configured so far, by `from->to`. */
  stats(): Record<string, LinkStats> {
    const out: Record<string, LinkStats> = {};
    for (const path of this.#paths.values()) out[`${path.from}->${path.to}`] = { ...path.stats };
    return out;
  }

  #path(from: string, to: string): Path {
    const key = `${from}\u0000${to}`;
    let path = this.#paths.get(key);
    if (path === undefined) this.#paths.set(key, (path = new Path(from, to, this.#defaults)));
    return path;
  }

  #fault(what: string, from = 'network', to = 'network'): void {
    this.#wire.world.note('fault', from, to, what);
  }

  #forget(channel: Channel): void {
    for (const end of channel.ends) this.#open.get(end.owner)?.delete(channel);
  }

  /** A dropped owner's channels close, as a terminated thread's ports do: only the other ends hear of it. */
  #kill(owner: string): void {
    for (const channel of [...(this.#open.get(owner) ?? [])]) {
      const end = channel.ends[0].owner === owner ? channel.ends[0] : channel.ends[1];
      channel.close(end, owner, this.#wire);
    }
  }
}
