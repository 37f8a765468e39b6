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
import { ByteQueue } from './byte-queue.js';

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
  /** The bytes pushed and not yet framed. */
  readonly #q = new ByteQueue();
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
    if (!this.#failed) this.#q.push(chunk);
  }

  /** Whether pushed bytes remain that `next()` has not framed. */
  get queued(): boolean {
    return this.#q.length > 0;
  }

  /** Bytes held: unread, plus the arguments of the request in progress (for tests of the memory bound). */
  get held(): number {
    return this.#q.length + this.#size;
  }

  /** The next request, a protocol error (once; nothing is framed after it), or undefined when more bytes are needed. */
  next(): RespRequest | RespProtocolError | undefined {
    if (this.#failed) return undefined;
    for (;;) {
      if (this.#args === undefined) {
        if (this.#q.length === 0) return undefined;
        if (this.#q.byte(0) !== STAR) {
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
          if (this.#q.length === 0) return undefined;
          const b = this.#q.byte(0) as number;
          if (b !== DOLLAR) return this.#fail(`expected '$', got '${String.fromCharCode(b)}'`);
          const length = this.#header('bulk');
          if (length === undefined || typeof length === 'object') return length;
          if (length < 0) return this.#fail('invalid bulk length');
          if (length + 2 > this.#max - this.#size) {
            return this.#fail(`invalid bulk length ${length}: a request may have at most ${this.#max} bytes (the maxLineLength setting)`);
          }
          this.#bulk = length;
        }
        if (this.#q.length < this.#bulk + 2) return undefined;
        const value = this.#q.take(this.#bulk);
        if (this.#q.byte(0) !== CR || this.#q.byte(1) !== LF) return this.#fail('bulk string not followed by CRLF');
        this.#q.advance(2);
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
    this.#q.clear();
    this.#args = undefined;
    this.#bulk = -1;
    this.#size = 0;
  }

  /** A `*N` or `$N` header line: its integer, a protocol error, or undefined (more bytes needed). Counts its bytes. */
  #header(what: 'mbulk' | 'bulk'): number | RespProtocolError | undefined {
    const end = this.#q.lineEnd(MAX_HEADER);
    if (end === undefined) return undefined;
    if (end < 0) return this.#fail(`too big ${what} count string`);
    // The line is in the first chunk (lineEnd put it there): its digits are read in place.
    const chunk = this.#q.head;
    const start = this.#q.offset;
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
    this.#q.advance(end + 1);
    this.#size += end + 1;
    if (this.#size > this.#max) return this.#fail(`a request may have at most ${this.#max} bytes (the maxLineLength setting)`);
    return negative ? -n : n;
  }

  /** An inline command: its request, null for an empty line, a protocol error, or undefined (more bytes needed). */
  #inline(): RespRequest | RespProtocolError | null | undefined {
    const end = this.#q.lineEnd(this.#max + 1);
    if (end === undefined) return undefined;
    if (end < 0) return this.#fail('too big inline request');
    const line = this.#q.take(end);
    this.#q.advance(1);
    const args = splitInline(line.endsWith('\r') ? line.slice(0, -1) : line);
    if (args === undefined) return this.#fail('unbalanced quotes in request');
    return args.length === 0 ? null : { args };
  }

  #fail(message: string): RespProtocolError {
    this.#failed = true;
    this.clear();
    return { error: `Protocol error: ${message}` };
  }
}
