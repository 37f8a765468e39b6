/**
 * The Redis protocol as a `Codec`: requests framed by `RespReader`, each run by the command
 * table against this connection's session (its protocol version, name, the node it enters
 * at), replies in RESP2 or RESP3. A protocol error is answered once and ends the connection,
 * as Redis does; a command's error is answered and the connection goes on.
 */
import type { Bytes } from '../core/bytes.js';
import { RespReader } from '../core/resp.js';
import { decode, encodeFailure, encodeValue } from '../core/resp-command.js';
import type { Pending, RespNode, RespSession } from '../core/resp-command.js';
import { RESP_COMMANDS } from '../core/resp-table.js';
import { error } from '../core/resp-reply.js';
import type { Codec, Decoded, Protocol } from './codec.js';

/** One RESP connection. */
export class RespCodec implements Codec<Pending> {
  readonly #reader: RespReader;
  readonly #session: RespSession;
  #closing = false;

  constructor(node: RespNode, id: number, maxRequestBytes: number) {
    this.#reader = new RespReader(maxRequestBytes);
    this.#session = { version: 2, name: undefined, lib: { name: '', version: '' }, id, node, quit: () => (this.#closing = true) };
  }

  get closing(): boolean {
    return this.#closing;
  }

  get queued(): boolean {
    return this.#reader.queued;
  }

  push(chunk: Buffer): void {
    this.#reader.push(chunk);
  }

  next(): Decoded<Pending> | undefined {
    const read = this.#reader.next();
    if (read === undefined) return undefined;
    if ('error' in read) {
      this.#closing = true;
      return error('ERR', read.error);
    }
    return decode(RESP_COMMANDS, this.#session, read.args);
  }

  run(pending: Pending): Promise<unknown> {
    return pending.promise;
  }

  encode(pending: Pending, value: unknown): Bytes {
    return encodeValue(pending, value);
  }

  encodeError(pending: Pending, e: unknown): Bytes {
    return encodeFailure(pending, e);
  }

  clear(): void {
    this.#reader.clear();
  }
}

/** RESP served for `node`: a codec per connection, each with its own id; a refused client gets one `-ERR`. */
export function respProtocol(node: RespNode, maxRequestBytes: number): Protocol {
  let ids = 0;
  return {
    open: () => new RespCodec(node, ++ids, maxRequestBytes),
    refusal: (message) => error('ERR', message),
  };
}
