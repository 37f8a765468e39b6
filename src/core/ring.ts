/**
 * The consistent-hash ring: a bucket's partition (a 32-bit hash of its name, the ring cut into
 * `size` equal arcs), and the claim that gives partitions to nodes. Claim is balanced (with N
 * nodes every node owns ⌊R/N⌋ or ⌈R/N⌉ of the R partitions) and moves as little as it can: a node
 * that joins takes ⌊R/N⌋ partitions, only from the others; a node that leaves gives away only its
 * own. Riak's claim bugs (riak_core #908, #913: `[6,6,6,8,6]` for a 5th node on 32) are the
 * laws' counterexamples. Pure.
 */
import type { Bytes } from '../protocol/data.js';
import { countOwners, giveToPoorest, takeFromRichest } from './claim.js';

/** The largest ring: as many partitions as there are hash slots. */
export const MAX_RING = 16384;

/** FNV-1a over `bytes[from..]`, then murmur3's finalizer so that the high bits (the partition) are well mixed. */
export function ringHash(bytes: Bytes, from = 0): number {
  let h = 0x811c9dc5;
  for (let i = from; i < bytes.length; i++) h = Math.imul(h ^ bytes.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The partition of `bucket` (from char `from`) on a ring of `size`: the arc its hash falls in. */
export function ringPartition(bucket: Bytes, size: number, from = 0): number {
  // Exact in a double (< 2^46): for a power of two it is the top bits of the hash.
  return Math.floor((ringHash(bucket, from) * size) / 4294967296);
}

/** Partitions owned per node of `nodes` (0 for a node that owns none), in `nodes` order. */
export function ownership(owners: readonly string[], nodes: readonly string[]): Map<string, number> {
  const counts = new Map(nodes.map((n) => [n, 0]));
  for (const o of owners) counts.set(o, (counts.get(o) ?? 0) + 1);
  return counts;
}

/** The ring of `size` claimed by `nodes` one after the other, the first starting with every partition. */
export function claim(size: number, nodes: readonly string[]): string[] {
  if (nodes.length === 0) return [];
  let owners = new Array<string>(size).fill(nodes[0] as string);
  for (let i = 1; i < nodes.length; i++) owners = join(owners, nodes.slice(0, i), nodes[i] as string);
  return owners;
}

/**
 * `node` joins the ring owned by `members`: it takes ⌊R/N⌋ partitions (N counting it), each from
 * the member owning the most at that point (ties: the earlier member), spread along each donor's arc.
 */
export function join(owners: readonly string[], members: readonly string[], node: string): string[] {
  const gives = takeFromRichest(countOwners(owners, members), members, Math.floor(owners.length / (members.length + 1)));
  const next = [...owners];
  for (const [donor, give] of gives) {
    const mine = partitionsOf(owners, donor);
    // Evenly spaced along the donor's partitions, so the new node's are spread along the ring.
    for (let j = 0; j < give; j++) next[mine[Math.floor(((j + 0.5) * mine.length) / give)] as number] = node;
  }
  return next;
}

/** `node` leaves the ring: each of its partitions goes to the remaining member owning the fewest at that point (ties: the earlier). */
export function leave(owners: readonly string[], members: readonly string[], node: string): string[] {
  const rest = members.filter((m) => m !== node);
  if (rest.length === 0) return [...owners];
  const freed = partitionsOf(owners, node);
  const receivers = giveToPoorest(countOwners(owners, rest), rest, freed.length);
  const next = [...owners];
  freed.forEach((p, i) => (next[p] = receivers[i] as string));
  return next;
}

/** The ring after the membership becomes `next`: members not in it leave (in order), then new ones join (in order). */
export function reclaim(owners: readonly string[], members: readonly string[], next: readonly string[]): string[] {
  let ring = [...owners];
  let now = [...members];
  for (const m of members) {
    if (next.includes(m)) continue;
    ring = leave(ring, now, m);
    now = now.filter((n) => n !== m);
  }
  for (const m of next) {
    if (now.includes(m)) continue;
    ring = now.length === 0 ? new Array<string>(owners.length).fill(m) : join(ring, now, m);
    now.push(m);
  }
  return ring;
}

function partitionsOf(owners: readonly string[], node: string): number[] {
  const out: number[] = [];
  owners.forEach((o, p) => {
    if (o === node) out.push(p);
  });
  return out;
}
