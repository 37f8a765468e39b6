/**
 * The guide's text protocol as pure functions (`KVServer.Command`): a line of bytes split into
 * tokens on Elixir's `String.split/1` whitespace, parsed to a command, and the reply bytes of a
 * result or an error. Lines, tokens and replies are byte strings (one char per byte, latin1),
 * so opaque bytes (invalid UTF-8, NUL) round-trip.
 */
import type { Bytes } from './bytes.js';
import { toBytes } from './bytes.js';

/** A parsed command: exactly the ops a node runs for the protocol. */
export type Command = { op: 'create'; bucket: Bytes } | { op: 'get'; bucket: Bytes; key: Bytes } | { op: 'put'; bucket: Bytes; key: Bytes; value: Bytes } | { op: 'delete'; bucket: Bytes; key: Bytes };

/** What `parseCommand` returns, as the guide's `{:ok, command}` / `{:error, :unknown_command}`. */
export type ParseResult = { readonly ok: true; readonly command: Command } | { readonly ok: false; readonly error: 'unknown_command' };

/** The fixed replies. */
export const Replies = {
  ok: 'OK\r\n',
  notFound: 'NOT FOUND\r\n',
  unknownCommand: 'UNKNOWN COMMAND\r\n',
} as const;

/**
 * The length of the Elixir whitespace sequence starting at byte `i` of `s`, or 0.
 * The set is TAB, LF, VT, FF, CR, SPACE, U+0085, U+1680, U+2000–U+2006, U+2008–U+200A,
 * U+2028, U+2029, U+205F, U+3000 as UTF-8 bytes. Not JavaScript's `\s` (which also takes
 * U+00A0, U+2007, U+202F, U+FEFF and misses U+0085). A lead byte never occurs inside a
 * well-formed sequence, so testing every position equals Elixir's codepoint-wise scan.
 */
export function whitespaceAt(s: Bytes, i: number): number {
  const b = s.charCodeAt(i);
  if (b === 0x20 || (b >= 0x09 && b <= 0x0d)) return 1;
  if (b < 0xc2) return 0;
  const b1 = s.charCodeAt(i + 1);
  if (b === 0xc2) return b1 === 0x85 ? 2 : 0;
  const b2 = s.charCodeAt(i + 2);
  if (b === 0xe1) return b1 === 0x9a && b2 === 0x80 ? 3 : 0;
  if (b === 0xe2) {
    if (b1 === 0x80) return (b2 >= 0x80 && b2 <= 0x8a && b2 !== 0x87) || b2 === 0xa8 || b2 === 0xa9 ? 3 : 0;
    return b1 === 0x81 && b2 === 0x9f ? 3 : 0;
  }
  if (b === 0xe3) return b1 === 0x80 && b2 === 0x80 ? 3 : 0;
  return 0;
}

/** Splits a line into its non-empty tokens, as Elixir's `String.split/1` does. */
export function splitTokens(line: Bytes): Bytes[] {
  const tokens: Bytes[] = [];
  let start = -1;
  let i = 0;
  while (i < line.length) {
    const ws = whitespaceAt(line, i);
    if (ws === 0) {
      if (start < 0) start = i;
      i += 1;
      continue;
    }
    if (start >= 0) tokens.push(line.slice(start, i));
    start = -1;
    i += ws;
  }
  if (start >= 0) tokens.push(line.slice(start));
  return tokens;
}

const UNKNOWN: ParseResult = { ok: false, error: 'unknown_command' };

/** Parses one request line (with or without its terminator). Keywords are case-sensitive; token counts are exact. */
export function parseCommand(line: Bytes): ParseResult {
  const t = splitTokens(line);
  const [word, a, b, c] = t;
  if (a === undefined) return UNKNOWN;
  switch (word) {
    case 'CREATE':
      return t.length === 2 ? { ok: true, command: { op: 'create', bucket: a } } : UNKNOWN;
    case 'GET':
      return t.length === 3 && b !== undefined ? { ok: true, command: { op: 'get', bucket: a, key: b } } : UNKNOWN;
    case 'PUT':
      return t.length === 4 && b !== undefined && c !== undefined ? { ok: true, command: { op: 'put', bucket: a, key: b, value: c } } : UNKNOWN;
    case 'DELETE':
      return t.length === 3 && b !== undefined ? { ok: true, command: { op: 'delete', bucket: a, key: b } } : UNKNOWN;
    default:
      return UNKNOWN;
  }
}

/** The reply bytes of a command that succeeded with `value` (GET: the value, or an empty line for a missing key). */
export function encodeReply(command: Command, value: unknown): Bytes {
  if (command.op === 'get') return `${typeof value === 'string' ? value : ''}\r\n${Replies.ok}`;
  return Replies.ok;
}

/** The reply bytes of a command that failed: `NOT FOUND` for a missing bucket, else `ERROR <message>` on one printable line. */
export function encodeError(error: { readonly code?: unknown; readonly message?: unknown }): Bytes {
  if (error.code === 'KV_ERR_NO_BUCKET') return Replies.notFound;
  return `ERROR ${errorText(String(error.message))}\r\n`;
}

/** A message as one printable line of UTF-8 bytes: line breaks fold to spaces, other control bytes become \xNN. */
export function errorText(message: string): Bytes {
  const folded = toBytes(message.replace(/[ \t]*(?:\r\n|\r|\n)[ \t]*/g, ' ').trim());
  // eslint-disable-next-line no-control-regex -- control characters are what it escapes
  return folded.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The message of KV_ERR_LINE_TOO_LONG. */
export function lineTooLongMessage(maxLineLength: number): string {
  return `line too long: more than ${maxLineLength} bytes before its newline (the maxLineLength setting); the rest of the line is discarded`;
}
