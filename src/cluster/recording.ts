/**
 * A recording of the requests that enter the cluster at every node (`cluster.record()` → `stop()`),
 * merged into one traffic log in time order.
 */
import type { TrafficLog, TrafficRecord } from '../protocol/data.js';

/** How a recording asks every node that is up to record (`on`) or stop, each answering what it recorded since it was last asked. */
type Ask = (on: boolean) => Promise<({ records: TrafficRecord[]; dropped: number } | undefined)[]>;

/** A recording under way (`cluster.record()`): `stop()` ends it and resolves with the log. */
export class Recording {
  readonly #names: readonly string[];
  readonly #ask: Ask;
  readonly #clock: TrafficLog['clock'];
  readonly #records: TrafficRecord[] = [];
  #dropped = 0;
  #stopped: Promise<TrafficLog> | undefined;

  /** @internal Use `cluster.record()`. */
  constructor(names: readonly string[], ask: Ask, clock: TrafficLog['clock']) {
    this.#names = names;
    this.#ask = ask;
    this.#clock = clock;
  }

  /** @internal Turns recording on (or off) at every node that is up, keeping what they recorded so far. */
  async collect(on: boolean): Promise<void> {
    for (const taken of await this.#ask(on)) {
      // One at a time: a spread of a million arguments would overflow the stack.
      for (const r of taken?.records ?? []) this.#records.push(r);
      this.#dropped += taken?.dropped ?? 0;
    }
  }

  /** Stops recording on every node and resolves with every request recorded, in time order (the same log on every call). */
  stop(): Promise<TrafficLog> {
    this.#stopped ??= this.collect(false).then(() => {
      // Each node's records are in its own order; merged by time, ties kept in node order.
      const sorted = this.#records
        .map((r, i) => [r, i] as const)
        .sort(([a, i], [b, j]) => a[0] - b[0] || i - j)
        .map(([r]) => r);
      return { kvmeshTraffic: 1, clock: this.#clock, nodes: [...this.#names], records: sorted, ...(this.#dropped > 0 ? { dropped: this.#dropped } : {}) };
    });
    return this.#stopped;
  }
}
