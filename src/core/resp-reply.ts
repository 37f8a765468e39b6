/**
 * RESP2 and RESP3 replies as byte strings (one char per byte, as everywhere in kvmesh):
 * simple strings, errors, integers, bulk strings, nulls, arrays and maps. A RESP3 map or null
 * is written in its RESP2 shape (a flat array, `$-1`) when the connection speaks RESP2. Pure.
 */
import type { Bytes } from './bytes.js';
import { toBytes } from './bytes.js';
import { errorText } from './command.js';

/** The protocol version a connection speaks (`HELLO 3` switches to 3). */
export type RespVersion = 2 | 3;

export const OK = '+OK\r\n';
export const PONG = '+PONG\r\n';
export const EMPTY_ARRAY = '*0\r\n';

/** `+text`: text must hold no CR or LF. */
export function simple(text: string): Bytes {
  return `+${text}\r\n`;
}

/** `-PREFIX message` on one printable line (`prefix` like `ERR`, `NODEDOWN`). */
export function error(prefix: string, message: string): Bytes {
  return `-${prefix} ${errorText(message)}\r\n`;
}

/** `:n`. */
export function integer(n: number | bigint | string): Bytes {
  return `:${n}\r\n`;
}

/** `$len\r\nbytes`; a JavaScript string that is not a byte string must go through `toBytes` first. */
export function bulk(value: Bytes): Bytes {
  return `$${value.length}\r\n${value}\r\n`;
}

/** Text (UTF-8) as a bulk string. */
export function text(value: string): Bytes {
  return bulk(toBytes(value));
}

/** The null reply: `_` in RESP3, the null bulk string in RESP2. */
export function nil(version: RespVersion): Bytes {
  return version === 3 ? '_\r\n' : '$-1\r\n';
}

/** A bulk string, or null for undefined. */
export function bulkOrNil(value: Bytes | undefined, version: RespVersion): Bytes {
  return value === undefined ? nil(version) : bulk(value);
}

/** An array of replies already encoded. */
export function array(items: readonly Bytes[]): Bytes {
  return `*${items.length}\r\n${items.join('')}`;
}

/** An array of bulk strings (null for undefined). */
export function bulkArray(values: readonly (Bytes | undefined)[], version: RespVersion): Bytes {
  let out = `*${values.length}\r\n`;
  for (const v of values) out += bulkOrNil(v, version);
  return out;
}

/** A map of encoded keys and values, in order: `%n` in RESP3, a flat array of 2n in RESP2. */
export function map(pairs: readonly (readonly [Bytes, Bytes])[], version: RespVersion): Bytes {
  let out = version === 3 ? `%${pairs.length}\r\n` : `*${pairs.length * 2}\r\n`;
  for (const [k, v] of pairs) out += k + v;
  return out;
}

/** A map of bulk-string keys and values given as a flat list (`k1, v1, k2, v2`), as HGETALL and CONFIG GET answer. */
export function flatMap(flat: readonly Bytes[], version: RespVersion): Bytes {
  let out = version === 3 ? `%${flat.length >> 1}\r\n` : `*${flat.length}\r\n`;
  for (const v of flat) out += bulk(v);
  return out;
}
