/**
 * Line framing over the Buffers a socket delivers: partial lines are kept across reads, a
 * line runs only once its `\n` arrives, and a line past the maximum is reported once and
 * discarded up to its `\n` so that no more than the maximum of one line is ever held.
 */
import type { Bytes } from '../core/bytes.js';

/** What the reader yields: a complete line (without its `\n`), or the news that a line was too long. */
export type Framed = { readonly kind: 'line'; readonly line: Bytes } | { readonly kind: 'too-long' };

const LF = 0x0a;
const CR = 0x0d;

/** Splits a byte stream into lines of at most `maxLineLength` bytes (not counting `\r\n` or `\n`). */
export class LineReader {
  readonly #max: number;
  /** Chunks pushed and not yet framed; the first is read from `#offset`. */
  #queue: Buffer[] = [];
  #offset = 0;
  /** Bytes of the line in progress, from earlier chunks. */
  #partial: Buffer[] = [];
  #partialLength = 0;
  /** Inside an over-long line: drop everything up to the next `\n`. */
  #discarding = false;

  constructor(maxLineLength: number) {
    this.#max = maxLineLength;
  }

  /** Adds bytes read from the socket. */
  push(chunk: Buffer): void {
    if (chunk.length > 0) this.#queue.push(chunk);
  }

  /** Whether pushed bytes remain that `next()` has not looked at yet. */
  get queued(): boolean {
    return this.#queue.length > 0;
  }

  /** Bytes held for the line in progress (for tests of the memory bound). */
  get partialLength(): number {
    return this.#partialLength;
  }

  /** The next complete line or too-long notice, or undefined when more bytes are needed. */
  next(): Framed | undefined {
    while (this.#queue.length > 0) {
      const chunk = this.#queue[0] as Buffer;
      const start = this.#offset;
      const nl = chunk.indexOf(LF, start);
      if (nl < 0) {
        this.#shift();
        if (this.#discarding) continue;
        this.#partial.push(start === 0 ? chunk : chunk.subarray(start));
        this.#partialLength += chunk.length - start;
        // One byte over the maximum may still be the `\r` of a `\r\n`.
        if (this.#partialLength > this.#max + 1 || (this.#partialLength === this.#max + 1 && chunk[chunk.length - 1] !== CR)) return this.#tooLong(true);
        continue;
      }
      this.#offset = nl + 1;
      if (this.#offset === chunk.length) this.#shift();
      if (this.#discarding) {
        this.#discarding = false;
        continue;
      }
      const total = this.#partialLength + nl - start;
      const last = nl > start ? chunk[nl - 1] : this.#lastPartialByte();
      if (total - (last === CR ? 1 : 0) > this.#max) return this.#tooLong(false);
      if (this.#partialLength === 0) return { kind: 'line', line: chunk.toString('latin1', start, nl) };
      this.#partial.push(chunk.subarray(start, nl));
      const line = Buffer.concat(this.#partial, total).toString('latin1');
      this.#dropPartial();
      return { kind: 'line', line };
    }
    return undefined;
  }

  /** Drops every byte held: the line in progress is never run. */
  clear(): void {
    this.#queue = [];
    this.#offset = 0;
    this.#dropPartial();
    this.#discarding = false;
  }

  #tooLong(discardRest: boolean): Framed {
    this.#dropPartial();
    this.#discarding = discardRest;
    return { kind: 'too-long' };
  }

  #shift(): void {
    this.#queue.shift();
    this.#offset = 0;
  }

  #lastPartialByte(): number | undefined {
    const last = this.#partial[this.#partial.length - 1];
    return last === undefined ? undefined : last[last.length - 1];
  }

  #dropPartial(): void {
    this.#partial = [];
    this.#partialLength = 0;
  }
}
