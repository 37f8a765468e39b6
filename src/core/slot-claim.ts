/**
 * Hash slots re-claimed when a node joins or leaves, as `redis-cli --cluster rebalance` would
 * leave them: balanced (with N nodes each owns ⌊S/N⌋ or ⌈S/N⌉ of the S covered slots, when it was
 * balanced before) and moving as little as it can, in contiguous runs. A joining node takes ⌊S/N⌋
 * slots, the top of each donor's own, from the nodes owning the most; a leaving node's slots go, in
 * runs, to the nodes owning the fewest. Slots no entry covers stay uncovered. Pure.
 */
import type { SlotEntry } from '../protocol/data.js';
import { SLOTS } from './slots.js';
import { countOwners, giveToPoorest, takeFromRichest } from './claim.js';

/** The owner of every slot (undefined: no entry). */
function expand(entries: readonly SlotEntry[]): (string | undefined)[] {
  const owners = new Array<string | undefined>(SLOTS).fill(undefined);
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i] as SlotEntry;
    owners.fill(e.node, e.from, e.to + 1);
  }
  return owners;
}

/** Owners per slot as entries: one per run of one owner. */
function compress(owners: readonly (string | undefined)[]): SlotEntry[] {
  const out: SlotEntry[] = [];
  for (let s = 0; s < owners.length; s++) {
    const node = owners[s];
    if (node === undefined) continue;
    const last = out[out.length - 1];
    if (last !== undefined && last.node === node && last.to === s - 1) out[out.length - 1] = { from: last.from, to: s, node };
    else out.push({ from: s, to: s, node });
  }
  return out;
}

/** `node` joins the slots owned by `members`: it takes ⌊S/N⌋ of them (N counting it). */
export function slotsJoin(entries: readonly SlotEntry[], members: readonly string[], node: string): SlotEntry[] {
  const owners = expand(entries);
  const covered = owners.filter((o) => o !== undefined).length;
  const gives = takeFromRichest(countOwners(owners, members), members, Math.floor(covered / (members.length + 1)));
  // Each donor gives the top of its own slots: one contiguous run where it owned one.
  for (let s = owners.length - 1; s >= 0; s--) {
    const o = owners[s];
    const give = o === undefined ? 0 : (gives.get(o) ?? 0);
    if (o === undefined || give === 0) continue;
    gives.set(o, give - 1);
    owners[s] = node;
  }
  return compress(owners);
}

/** `node` leaves: its slots go, in order, to the other members owning the fewest (ties: the earlier). */
export function slotsLeave(entries: readonly SlotEntry[], members: readonly string[], node: string): SlotEntry[] {
  const rest = members.filter((m) => m !== node);
  if (rest.length === 0) return [...entries];
  const owners = expand(entries);
  const freed = owners.flatMap((o, s) => (o === node ? [s] : []));
  // How many each receiver gets (one at a time to the poorest), then handed out as runs in member order.
  const gets = countOwners(giveToPoorest(countOwners(owners, rest), rest, freed.length), rest);
  let next = 0;
  for (const [m, n] of gets) for (let i = 0; i < n; i++) owners[freed[next++] as number] = m;
  return compress(owners);
}

/** The nodes a slots table names, in the order they first own a slot. */
export function slotMembers(entries: readonly SlotEntry[]): string[] {
  return [...new Set([...entries].sort((a, b) => a.from - b.from).map((e) => e.node))];
}
