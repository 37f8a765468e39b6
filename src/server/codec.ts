/**
 * What a connection needs from a protocol (`Codec`): frame the bytes a client sends into
 * requests, run each one, and encode its outcome. The connection itself (`connection.ts`)
 * knows nothing of any protocol: it keeps replies in request order, bounds what it holds, and
 * pauses reading under backpressure. The text protocol (`text-codec.ts`) and RESP
 * (`resp-codec.ts`) are the two codecs; `Protocol` makes one per connection.
 */
import type { Bytes } from '../core/bytes.js';

/**
 * One request as the codec framed it: a command to run (an object, the codec's own type), or
 * the bytes of a reply known at once (a string: a protocol error, an unknown command, `PING`).
 */
export type Decoded<C extends object> = C | Bytes;

/** The protocol of one connection: its framing state and how its commands run and reply. */
export interface Codec<C extends object = object> {
  /** Adds bytes read from the socket. */
  push(chunk: Buffer): void;
  /** Whether pushed bytes remain that `next()` has not looked at. */
  readonly queued: boolean;
  /** The next request, or undefined when more bytes are needed. */
  next(): Decoded<C> | undefined;
  /** Once true, the connection reads nothing more: it writes the replies it owes, then closes (RESP's `QUIT`, a protocol error). */
  readonly closing: boolean;
  /** Runs a command; it may throw or reject. */
  run(command: C): Promise<unknown>;
  /** The reply bytes of a command that succeeded with `value`. */
  encode(command: C, value: unknown): Bytes;
  /** The reply bytes of a command that failed with `error` (anything thrown). */
  encodeError(command: C, error: unknown): Bytes;
  /** Drops every byte held: a partial request is never run. */
  clear(): void;
}

/** A protocol a server speaks: a codec per connection, and the words that turn a client away. */
export interface Protocol {
  open(): Codec;
  /** The bytes sent to a client refused for `message` (too many connections) before the server closes it. */
  refusal(message: string): Bytes;
}
