/**
 * Bucket names, keys and values travel and are stored as *byte strings*: one char per byte
 * (code 0-255, Node's 'latin1'). They clone between threads as a memcpy, arbitrary bytes from
 * the TCP layer round-trip exactly, and the first char of a bucket name is its first byte.
 * The public API takes and returns ordinary (UTF-8) strings and converts at the boundary.
 */

import type { Bytes } from '../protocol/data.js';

export type { Bytes } from '../protocol/data.js';

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** A JavaScript string as its UTF-8 bytes. ASCII is returned as is. */
export function toBytes(s: string): Bytes {
  return isAscii(s) ? s : Buffer.from(s, 'utf8').toString('latin1');
}

/** Bytes decoded as UTF-8 (invalid sequences become U+FFFD). ASCII is returned as is. */
export function fromBytes(b: Bytes): string {
  return isAscii(b) ? b : Buffer.from(b, 'latin1').toString('utf8');
}

/** Quotes bytes for an error message: printable UTF-8 as is; `"`, `\`, controls and invalid bytes as \xNN. */
export function quoteBytes(b: Bytes): string {
  let out = '"';
  let i = 0;
  while (i < b.length) {
    const cp = decodeAt(b, i);
    if (cp === undefined) {
      out += hexByte(b.charCodeAt(i));
      i += 1;
      continue;
    }
    const width = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    const printable = cp >= 0x20 && cp !== 0x7f && !(cp >= 0x80 && cp < 0xa0) && cp !== 0x22 && cp !== 0x5c;
    out += printable ? String.fromCodePoint(cp) : [...b.slice(i, i + width)].map((c) => hexByte(c.charCodeAt(0))).join('');
    i += width;
  }
  return out + '"';
}

/** The code point of the well-formed UTF-8 sequence starting at byte i, or undefined. */
function decodeAt(b: Bytes, i: number): number | undefined {
  const lead = b.charCodeAt(i);
  if (lead < 0x80) return lead;
  const [width, min] = lead >= 0xf0 && lead <= 0xf4 ? [4, 0x10000] : lead >= 0xe0 ? [3, 0x800] : lead >= 0xc2 && lead < 0xe0 ? [2, 0x80] : [0, 0];
  if (width === 0 || lead > 0xf4 || i + width > b.length) return undefined;
  let cp = lead & (0xff >> (width + 1));
  for (let k = 1; k < width; k++) {
    const c = b.charCodeAt(i + k);
    if ((c & 0xc0) !== 0x80) return undefined;
    cp = (cp << 6) | (c & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
  return cp;
}

function hexByte(n: number): string {
  return `\\x${n.toString(16).padStart(2, '0')}`;
}
