/**
 * The guide's text protocol as a `Codec`: lines framed by `LineReader`, parsed and encoded by
 * the pure functions of `core/command.ts`, each command run by the node's router.
 */
import type { Bytes } from '../core/bytes.js';
import { Replies, encodeError, encodeReply, errorText, lineTooLongMessage, parseCommand } from '../core/command.js';
import type { Command } from '../core/command.js';
import type { Codec, Decoded, Protocol } from './codec.js';
import { LineReader } from './lines.js';

/** Runs a command (in kvmesh: `KvNode.submit`, routed by the node's own table). */
export type Dispatch = (command: Command) => Promise<unknown>;

/** The text protocol's codec of one connection. */
export class TextCodec implements Codec<Command> {
  readonly closing = false;
  readonly #reader: LineReader;
  readonly #dispatch: Dispatch;
  readonly #maxLineLength: number;

  constructor(dispatch: Dispatch, maxLineLength: number) {
    this.#dispatch = dispatch;
    this.#maxLineLength = maxLineLength;
    this.#reader = new LineReader(maxLineLength);
  }

  push(chunk: Buffer): void {
    this.#reader.push(chunk);
  }

  get queued(): boolean {
    return this.#reader.queued;
  }

  next(): Decoded<Command> | undefined {
    const framed = this.#reader.next();
    if (framed === undefined) return undefined;
    if (framed.kind === 'too-long') return encodeError({ code: 'KV_ERR_LINE_TOO_LONG', message: lineTooLongMessage(this.#maxLineLength) });
    const parsed = parseCommand(framed.line);
    return parsed.ok ? parsed.command : Replies.unknownCommand;
  }

  run(command: Command): Promise<unknown> {
    return this.#dispatch(command);
  }

  encode(command: Command, value: unknown): Bytes {
    return encodeReply(command, value);
  }

  encodeError(_command: Command, error: unknown): Bytes {
    return encodeError(error ?? {});
  }

  clear(): void {
    this.#reader.clear();
  }
}

/** The text protocol: a `TextCodec` per connection; a refused client gets one `ERROR` line. */
export function textProtocol(dispatch: Dispatch, maxLineLength: number): Protocol {
  return {
    open: () => new TextCodec(dispatch, maxLineLength),
    refusal: (message) => `ERROR ${errorText(message)}\r\n`,
  };
}
