/**
 * The simulation's randomness: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator) on
 * 32-bit `Math.imul`/shift arithmetic, no BigInt. Each subsystem (network, faults, workload, user
 * code) forks its own stream by label, so a draw added in one never shifts the others.
 */
import { Errors } from '../protocol/errors.js';
import { checkNumber } from './check.js';

type Key = readonly [number, number, number, number];

const TWO_32 = 4294967296;

/** Murmur3's finaliser: every input bit reaches every output bit. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** FNV-1a over the UTF-16 units of `label`, from `basis`. */
function fnv1a(label: string, basis: number): number {
  let h = basis;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function keyOfSeed(seed: number): Key {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / TWO_32) | 0;
  const k0 = fmix32(lo ^ 0x9e3779b9);
  const k1 = fmix32(hi ^ 0x7f4a7c15 ^ k0);
  return [k0, k1, fmix32(k0 + 0x632be5ab), fmix32(k1 + 0x85ebca77)];
}

function keyOfFork(key: Key, label: string): Key {
  const out: number[] = [];
  for (let i = 0; i < 4; i++) {
    const word = key[i] ?? 0;
    const next = key[(i + 1) & 3] ?? 0;
    out.push(fmix32(word ^ fmix32(fnv1a(label, 0x811c9dc5 ^ Math.imul(i + 1, 0x9e3779b9)) + next + label.length)));
  }
  return out as unknown as Key;
}

/** A seeded stream of pseudo-random numbers; the same seed always gives the same sequence. */
export class Random {
  // The key a stream was made from: forks derive from it, never from the running state, so a fork does not advance its parent.
  #key: Key;
  #a = 0;
  #b = 0;
  #c = 0;
  #d = 0;

  /** A stream for `seed`, any safe integer (negative and above 2^32 included). */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw Errors.badArgument(`Random: seed must be a safe integer, got ${String(seed)}`);
    this.#key = keyOfSeed(seed);
    this.#init();
  }

  #init(): void {
    [this.#a, this.#b, this.#c, this.#d] = this.#key;
    // sfc32's authors discard the first outputs so that nearby keys give unrelated streams.
    for (let i = 0; i < 15; i++) this.uint32();
  }

  /** An independent stream derived from this stream's seed and `label` (the same label gives the same stream); this stream does not move. */
  fork(label: string): Random {
    const child = new Random(0);
    child.#key = keyOfFork(this.#key, label);
    child.#init();
    return child;
  }

  /** The next 32 random bits, as an integer in [0, 2^32). */
  uint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (((this.#c << 21) | (this.#c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** A number in [0, 1), in steps of 2^-32. */
  next(): number {
    return this.uint32() / TWO_32;
  }

  /** An integer in [0, n), uniform (no modulo bias), for an integer n in [1, 2^32]. */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_32) throw Errors.badArgument(`Random.int: n must be an integer in [1, 2^32], got ${String(n)}`);
    const limit = TWO_32 - (TWO_32 % n);
    for (;;) {
      const x = this.uint32();
      if (x < limit) return x % n;
    }
  }

  /** True with probability `p` in [0, 1]; always one draw, whatever `p`. */
  chance(p: number): boolean {
    checkNumber('Random.chance', 'p', p, 'probability');
    return this.next() < p;
  }
}
