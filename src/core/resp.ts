/**
 * RESP requests, framed from the bytes a socket delivers: arrays of bulk strings
 * (`*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`) and inline commands (`PING\r\n`). Resumable: a request
 * split across any number of reads is carried as parsed so far, each byte copied at most once
 * (a bulk string lying in one read is sliced straight out of it). A request larger than the
 * limit is refused as soon as its header says so, before its bytes are held, so memory stays
 * bounded; after a protocol error the stream cannot be resynchronised and nothing more is
 * framed (Redis closes such a connection too). Arguments are byte strings. Pure.
 */
import type { Bytes } from './bytes.js';
import { splitInline } from './resp-inline.js';

/** A request: its arguments (the command name first, as sent). */
export interface RespRequest {
  readonly args: Bytes[];
}

/** A protocol error: the message of the `-ERR` reply; the connection ends after it. */
export interface RespProtocolError {
  readonly error: string;
}

const CR = 0x0d;
const LF = 0x0a;
const STAR = 0x2a;
const DOLLAR = 0x24;
/** Longest `*N` / `$N` header line before its `\r\n`. */
const MAX_HEADER = 32;
/** Most arguments in one request (Redis's limit too). */
export const MAX_ARGS = 1024 * 1024;

/** Frames RESP requests of at most `maxRequestBytes` bytes each. */
export class RespReader {
  readonly #max: number;
  /** Unread chunks; the first is read from `#offset`. */
  #chunks: Buffer[] = [];
  #offset = 0;
  /** Unread bytes in all chunks. */
  #length = 0;
  /** The request in progress: its arguments so far, how many remain, the length of the bulk string being read (-1: its header), its bytes so far. */
  #args: Bytes[] | undefined;
  #remaining = 0;
  #bulk = -1;
  #size = 0;
  #failed = false;

  constructor(maxRequestBytes: number) {
    this.#max = maxRequestBytes;
  }

  /** Adds bytes read from the socket. */
  push(chunk: Buffer): void {
    if (chunk.length === 0 || this.#failed) return;
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  /** Whether pushed bytes remain that `next()` has not framed. */
  get queued(): boolean {
    return this.#length > 0;
  }

  /** Bytes held: unread, plus the arguments of the request in progress (for tests of the memory bound). */
  get held(): number {
    return this.#length + this.#size;
  }

  /** The next request, a protocol error (once; nothing is framed after it), or undefined when more bytes are needed. */
  next(): RespRequest | RespProtocolError | undefined {
    if (this.#failed) return undefined;
    for (;;) {
      if (this.#args === undefined) {
        if (this.#length === 0) return undefined;
        if (this.#byte() !== STAR) {
          const inline = this.#inline();
          // An empty line is skipped, as Redis does.
          if (inline !== null) return inline;
          continue;
        }
        const count = this.#header('mbulk');
        if (count === undefined || typeof count === 'object') return count;
        if (count > MAX_ARGS) return this.#fail('invalid multibulk length');
        // `*0` and `*-1` are skipped without a reply, as Redis does.
        if (count <= 0) {
          this.#size = 0;
          continue;
        }
        this.#args = [];
        this.#remaining = count;
      }
      while (this.#remaining > 0) {
        if (this.#bulk < 0) {
          if (this.#length === 0) return undefined;
          const b = this.#byte();
          if (b !== DOLLAR) return this.#fail(`expected '$', got '${String.fromCharCode(b)}'`);
          const length = this.#header('bulk');
          if (length === undefined || typeof length === 'object') return length;
          if (length < 0) return this.#fail('invalid bulk length');
          if (length + 2 > this.#max - this.#size) {
            return this.#fail(`invalid bulk length ${length}: a request may have at most ${this.#max} bytes (the maxLineLength setting)`);
          }
          this.#bulk = length;
        }
        if (this.#length < this.#bulk + 2) return undefined;
        const value = this.#take(this.#bulk);
        if (this.#byte() !== CR || this.#byteAt(1) !== LF) return this.#fail('bulk string not followed by CRLF');
        this.#advance(2);
        this.#args.push(value);
        this.#size += this.#bulk + 2;
        this.#bulk = -1;
        this.#remaining--;
      }
      const args = this.#args;
      this.#args = undefined;
      this.#size = 0;
      return { args };
    }
  }

  /** Drops every byte held: the request in progress is never framed. */
  clear(): void {
    this.#chunks = [];
    this.#offset = 0;
    this.#length = 0;
    this.#args = undefined;
    this.#bulk = -1;
    this.#size = 0;
  }

  /** A `*N` or `$N` header line: its integer, a protocol error, or undefined (more bytes needed). Counts its bytes. */
  #header(what: 'mbulk' | 'bulk'): number | RespProtocolError | undefined {
    const end = this.#lineEnd(MAX_HEADER);
    if (end === undefined) return undefined;
    if (end < 0) return this.#fail(`too big ${what} count string`);
    const chunk = this.#chunks[0] as Buffer;
    const start = this.#offset;
    let i = start + 1;
    const negative = chunk[i] === 0x2d;
    if (negative) i++;
    let n = 0;
    const stop = start + end - (chunk[start + end - 1] === CR ? 1 : 0);
    if (i >= stop) return this.#fail(`invalid ${what === 'mbulk' ? 'multibulk' : 'bulk'} length`);
    for (; i < stop; i++) {
      const d = (chunk[i] as number) - 0x30;
      if (d < 0 || d > 9) return this.#fail(`invalid ${what === 'mbulk' ? 'multibulk' : 'bulk'} length`);
      n = n * 10 + d;
    }
    this.#advance(end + 1);
    this.#size += end + 1;
    if (this.#size > this.#max) return this.#fail(`a request may have at most ${this.#max} bytes (the maxLineLength setting)`);
    return negative ? -n : n;
  }

  /** An inline command: its request, null for an empty line, a protocol error, or undefined (more bytes needed). */
  #inline(): RespRequest | RespProtocolError | null | undefined {
    const end = this.#lineEnd(this.#max + 1);
    if (end === undefined) return undefined;
    if (end < 0) return this.#fail('too big inline request');
    const line = this.#take(end);
    this.#advance(1);
    const args = splitInline(line.endsWith('\r') ? line.slice(0, -1) : line);
    if (args === undefined) return this.#fail('unbalanced quotes in request');
    return args.length === 0 ? null : { args };
  }

  /**
   * The position of the next `\n` in the unread bytes, moved into the first chunk (chunks are
   * merged when a line spans them); -1 if there is none within `max` bytes; undefined if more bytes may bring it.
   */
  #lineEnd(max: number): number | undefined {
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

  /** The next `n` unread bytes as a byte string, consumed. */
  #take(n: number): Bytes {
    const chunk = this.#chunks[0] as Buffer;
    const start = this.#offset;
    if (chunk.length - start >= n) {
      // Buffer's own latin1Slice: toString('latin1', …) checks its arguments and looks the encoding up each time (8 % of a pipelined SET).
      const s = (chunk as Buffer & { latin1Slice(start: number, end: number): string }).latin1Slice(start, start + n);
      this.#advance(n);
      return s;
    }
    const parts: Buffer[] = [];
    let left = n;
    while (left > 0) {
      const c = this.#chunks[0] as Buffer;
      const piece = c.subarray(this.#offset, Math.min(c.length, this.#offset + left));
      parts.push(piece);
      left -= piece.length;
      this.#advance(piece.length);
    }
    return Buffer.concat(parts, n).toString('latin1');
  }

  #byte(): number {
    return (this.#chunks[0] as Buffer)[this.#offset] as number;
  }

  /** The unread byte at `i` (0 or 1: it may be in the next chunk). */
  #byteAt(i: number): number | undefined {
    const chunk = this.#chunks[0] as Buffer;
    return this.#offset + i < chunk.length ? chunk[this.#offset + i] : this.#chunks[1]?.[this.#offset + i - chunk.length];
  }

  #advance(n: number): void {
    this.#length -= n;
    this.#offset += n;
    let chunk = this.#chunks[0];
    while (chunk !== undefined && this.#offset >= chunk.length) {
      this.#offset -= chunk.length;
      this.#chunks.shift();
      chunk = this.#chunks[0];
    }
  }

  #fail(message: string): RespProtocolError {
    this.#failed = true;
    this.clear();
    return { error: `Protocol error: ${message}` };
  }
}
