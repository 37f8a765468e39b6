/**
 * The balancing steps ring and slot claims share: how many units each member gives when a node
 * joins (one at a time from whoever owns the most), and how many each gets when one leaves (one at a
 * time to whoever owns the fewest); ties go to the earlier member. Pure.
 */

/** Units per member, in `members` order (others not counted). */
export function countOwners(owners: readonly (string | undefined)[], members: readonly string[]): Map<string, number> {
  const c = new Map(members.map((m) => [m, 0]));
  for (const o of owners) if (o !== undefined && c.has(o)) c.set(o, (c.get(o) ?? 0) + 1);
  return c;
}

/** How many units each member gives for `want` to move, taken one by one from the richest. */
export function takeFromRichest(have: Map<string, number>, members: readonly string[], want: number): Map<string, number> {
  const gives = new Map<string, number>();
  for (let taken = 0; taken < want; taken++) {
    let donor: string | undefined;
    for (const m of members) if (donor === undefined || (have.get(m) ?? 0) > (have.get(donor) ?? 0)) donor = m;
    if (donor === undefined || (have.get(donor) ?? 0) === 0) break;
    have.set(donor, (have.get(donor) ?? 0) - 1);
    gives.set(donor, (gives.get(donor) ?? 0) + 1);
  }
  return gives;
}

/** Who gets each of `n` freed units, in order, each going to the poorest at that point. */
export function giveToPoorest(have: Map<string, number>, members: readonly string[], n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let to = members[0] as string;
    for (const m of members) if ((have.get(m) ?? 0) < (have.get(to) ?? 0)) to = m;
    have.set(to, (have.get(to) ?? 0) + 1);
    out.push(to);
  }
  return out;
}
