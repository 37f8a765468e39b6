/**
 * Redis Cluster's key → hash slot rule: CRC16 (XMODEM: poly 0x1021, init 0, not reflected)
 * of the key, or of its hash tag, modulo 16384. A hash tag is the part between the first `{`
 * and the first `}` after it, when not empty: `{user1}.cart` and `{user1}.orders` share a slot.
 * Keys are byte strings (one char per byte, as everywhere in kvmesh). Pure.
 */
import type { Bytes } from '../protocol/data.js';

/** The number of hash slots, as in Redis Cluster. */
export const SLOTS = 16384;

const TABLE = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let crc = i << 8;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  TABLE[i] = crc;
}

/** CRC16/XMODEM of `bytes[from..to)`. */
export function crc16(bytes: Bytes, from = 0, to = bytes.length): number {
  let crc = 0;
  for (let i = from; i < to; i++) crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >>> 8) ^ bytes.charCodeAt(i)) & 0xff] as number);
  return crc;
}

/** The hash slot of `key` (from char `from`: a name inside a packed field), 0 to 16383, hash tags included, as `CLUSTER KEYSLOT` answers. */
export function keySlot(key: Bytes, from = 0): number {
  const open = key.indexOf('{', from);
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) return crc16(key, open + 1, close) & (SLOTS - 1);
  }
  return crc16(key, from) & (SLOTS - 1);
}
