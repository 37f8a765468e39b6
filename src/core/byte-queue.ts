/**
 * The bytes a socket delivered and a reader has not consumed yet: chunks kept as they came,
 * read in place where a piece lies in one chunk, copied once where it spans several. Pure.
 */
import type { Bytes } from './bytes.js';

const LF = 0x0a;

/** A queue of unread bytes. */
export class ByteQueue {
  /** Unread chunks; the first is read from `#offset`. */
  #chunks: Buffer[] = [];
  #offset = 0;
  /** Unread bytes in all chunks. */
  #length = 0;

  /** Adds a chunk. */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  /** Unread bytes. */
  get length(): number {
    return this.#length;
  }

  /** The first chunk, and where its unread bytes start: read a piece in place after `lineEnd` put it there. */
  get head(): Buffer {
    return this.#chunks[0] as Buffer;
  }

  get offset(): number {
    return this.#offset;
  }

  /** The unread byte at `i` (0 or 1: it may be in the next chunk), or undefined. */
  byte(i: number): number | undefined {
    const chunk = this.#chunks[0];
    if (chunk === undefined) return undefined;
    return this.#offset + i < chunk.length ? chunk[this.#offset + i] : this.#chunks[1]?.[this.#offset + i - chunk.length];
  }

  /**
   * The position of the next `\n` in the unread bytes, moved into the first chunk (chunks are
   * merged when a line spans them); -1 if there is none within `max` bytes; undefined if more bytes may bring it.
   */
  lineEnd(max: number): number | undefined {
    for (;;) {
      const chunk = this.#chunks[0] as Buffer;
      const at = chunk.indexOf(LF, this.#offset);
      if (at >= 0) return at - this.#offset <= max ? at - this.#offset : -1;
      if (chunk.length - this.#offset > max) return -1;
      if (this.#chunks.length === 1) return undefined;
      // The line spans chunks: merge the first two (each byte of a line is copied once per boundary it sits before).
      const merged = Buffer.concat([chunk.subarray(this.#offset), this.#chunks[1] as Buffer]);
      this.#chunks.splice(0, 2, merged);
      this.#offset = 0;
    }
  }

  /** The next `n` unread bytes (there must be that many) as a byte string, consumed. */
  take(n: number): Bytes {
    const chunk = this.#chunks[0] as Buffer;
    const start = this.#offset;
    if (chunk.length - start >= n) {
      // Buffer's own latin1Slice: toString('latin1', …) checks its arguments and looks the encoding up each time (8 % of a pipelined SET).
      const s = (chunk as Buffer & { latin1Slice(start: number, end: number): string }).latin1Slice(start, start + n);
      this.advance(n);
      return s;
    }
    const parts: Buffer[] = [];
    let left = n;
    while (left > 0) {
      const c = this.#chunks[0] as Buffer;
      const piece = c.subarray(this.#offset, Math.min(c.length, this.#offset + left));
      parts.push(piece);
      left -= piece.length;
      this.advance(piece.length);
    }
    return Buffer.concat(parts, n).toString('latin1');
  }

  /** Consumes `n` bytes. */
  advance(n: number): void {
    this.#length -= n;
    this.#offset += n;
    let chunk = this.#chunks[0];
    while (chunk !== undefined && this.#offset >= chunk.length) {
      this.#offset -= chunk.length;
      this.#chunks.shift();
      chunk = this.#chunks[0];
    }
  }

  /** Drops every unread byte. */
  clear(): void {
    this.#chunks = [];
    this.#offset = 0;
    this.#length = 0;
  }
}
