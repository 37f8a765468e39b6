/**
 * The record of a simulation run: every event, in the order it happened, and a SHA-256 over a
 * canonical text of them. Two runs of the same config, seed and test code give the same trace,
 * byte for byte; `firstDifference` names where two runs part.
 */
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { Errors } from '../protocol/errors.js';
import type { KvError } from '../protocol/errors.js';

/** One traced event: at virtual time `t` (ms), of `kind`, between owners `from` and `to`. */
export interface TraceEvent {
  readonly t: number;
  readonly kind: string;
  readonly from: string;
  readonly to: string;
  readonly what: string;
}

// Text is hashed in chunks of about this many chars: one hash update per event cost more than the event.
const FLUSH_CHARS = 1 << 15;
const special = /[\t\n\\]/;

/** A field of the canonical text: tab, newline and backslash escaped, so fields and events cannot run together. */
function field(s: string): string {
  return special.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n') : s;
}

/** The canonical line of one event: `t kind from to what`, tab-separated (t as JavaScript prints a number: shortest round-trip form). */
export function traceLine(e: TraceEvent): string {
  return `${e.t}\t${field(e.kind)}\t${field(e.from)}\t${field(e.to)}\t${field(e.what)}\n`;
}

/** The events of a run and their running hash. */
export class Trace {
  readonly #events: TraceEvent[] = [];
  readonly #keep: boolean;
  readonly #hash: Hash = createHash('sha256');
  #text = '';
  #count = 0;

  /** `keep: false` keeps only the hash and the count (for long runs). */
  constructor(keep = true) {
    this.#keep = keep;
  }

  /** Records one event. */
  add(t: number, kind: string, from: string, to: string, what: string): void {
    if (this.#keep) this.#events.push({ t, kind, from, to, what });
    this.#count++;
    this.#text += `${t}\t${field(kind)}\t${field(from)}\t${field(to)}\t${field(what)}\n`;
    if (this.#text.length >= FLUSH_CHARS) {
      this.#hash.update(this.#text);
      this.#text = '';
    }
  }

  /** How many events were recorded (kept or not). */
  get count(): number {
    return this.#count;
  }

  /** The kept events (none when made with `keep: false`). */
  get events(): readonly TraceEvent[] {
    return this.#events;
  }

  /** SHA-256 (hex) of the canonical text of every event so far; recording may go on after. */
  hash(): string {
    if (this.#text !== '') {
      this.#hash.update(this.#text);
      this.#text = '';
    }
    return this.#hash.copy().digest('hex');
  }
}

/** The first place two traces differ, as its index and a sentence naming both events; undefined if they are equal. */
export function firstDifference(a: readonly TraceEvent[], b: readonly TraceEvent[]): { index: number; message: string } | undefined {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as TraceEvent;
    const y = b[i] as TraceEvent;
    if (traceLine(x) !== traceLine(y)) return { index: i, message: `event ${i} differs: ${show(x)} against ${show(y)}` };
  }
  if (a.length === b.length) return undefined;
  const longer = a.length > b.length ? 'the first' : 'the second';
  const extra = (a.length > b.length ? a[n] : b[n]) as TraceEvent;
  return { index: n, message: `the traces agree for ${n} events, then only ${longer} goes on: ${show(extra)}` };
}

/** KV_ERR_INTERNAL for two runs of the same code and seed whose traces differ, naming the first event that does. */
export function notDeterministic(a: readonly TraceEvent[], b: readonly TraceEvent[]): KvError {
  return Errors.internal(`the simulation is not deterministic: ${firstDifference(a, b)?.message ?? 'the traces differ'}`);
}

function show(e: TraceEvent): string {
  return `t=${e.t} ${e.kind} ${e.from} → ${e.to} ${JSON.stringify(e.what)}`;
}
