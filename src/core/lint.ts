/**
 * The lint of a cluster's tables, read together: units (bytes, slots, partitions) whose path
 * loops, that no table covers, that are forwarded to a node with no entry, that take more hops
 * than the limit, or whose owner depends on the node a request enters at. Units where every table
 * says the same are linted once, so 16384 slots cost about as much as 256 bytes. Pure.
 */
import type { RoutingTable } from '../protocol/data.js';
import { formatUnits, isRanges, unitCount, unitOwners, unitTable, unitWord } from './partition.js';
import { trace } from './trace.js';

/** What the lint of a set of tables found. */
export interface LintResult {
  /** Units whose path loops, one message per distinct cycle. */
  readonly errors: readonly string[];
  /** Units no table covers, paths that end at a node with no entry, paths longer than the hop limit, units whose owner depends on the entry node. */
  readonly warnings: readonly string[];
}

/** Runs of units over which no table changes: [first, last] each, in order. */
export function segments(tables: ReadonlyMap<string, RoutingTable>): [number, number][] {
  const count = unitCount(unitTable(tables.values()));
  const names = new Map<string, number>();
  const owners = [...tables.values()].map((t) => unitOwners(t, (n) => names.get(n) ?? (names.set(n, names.size), names.size - 1)));
  const out: [number, number][] = [];
  let start = 0;
  for (let u = 1; u <= count; u++) {
    if (u < count && owners.every((o) => o[u] === o[u - 1])) continue;
    out.push([start, u - 1]);
    start = u;
  }
  return out;
}

/** Lints every node's table together, for every unit and every entry node. */
export function lintTables(tables: ReadonlyMap<string, RoutingTable>, hopLimit: number): LintResult {
  const shape = unitTable(tables.values());
  const loops = new Map<string, number[]>();
  const deadEnds = new Map<string, number[]>();
  const tooLong = new Map<string, number[]>();
  // Keyed by the entry → owner pairs, with the number of distinct owners.
  const splitOwners = new Map<string, { owners: number; units: number[] }>();
  const uncovered: number[] = [];
  const add = (list: number[], from: number, to: number): void => {
    for (let u = from; u <= to; u++) list.push(u);
  };
  const addTo = (m: Map<string, number[]>, key: string, from: number, to: number): void => {
    let list = m.get(key);
    if (list === undefined) m.set(key, (list = []));
    // The same loop is found from every entry node on it: each segment once.
    if (list[list.length - 1] !== to) add(list, from, to);
  };
  for (const [from, to] of segments(tables)) {
    const traces = [...tables.keys()].map((node) => [node, trace(tables, node, from)] as const);
    if (traces.every(([, t]) => t.hops.length === 1 && t.outcome.kind === 'no-route')) {
      add(uncovered, from, to);
      continue;
    }
    const owners: [entry: string, owner: string][] = [];
    for (const [node, t] of traces) {
      const path = t.hops.map((h) => h.node).join(' → ');
      if (t.outcome.kind === 'loop') addTo(loops, canonicalCycle(t.outcome.cycle), from, to);
      else if (t.outcome.kind === 'no-route' && t.hops.length > 1) addTo(deadEnds, path, from, to);
      else if (t.outcome.kind === 'owner' && t.hops.length - 1 > hopLimit) addTo(tooLong, path, from, to);
      if (t.outcome.kind === 'owner') owners.push([node, t.outcome.node]);
    }
    // More than one owner for one bucket: made through one entry node, it is not found through another.
    const distinct = new Set(owners.map(([, owner]) => owner)).size;
    if (distinct > 1) {
      const mapping = owners.map(([entry, owner]) => `${entry} → ${owner}`).join(', ');
      const group = splitOwners.get(mapping) ?? { owners: distinct, units: [] };
      add(group.units, from, to);
      splitOwners.set(mapping, group);
    }
  }
  const word = unitWord(shape);
  const f = (units: readonly number[]): string => `${word} ${formatUnits(shape, units)}`;
  const errors = [...loops].map(([cycle, units]) => `${f(units)} loop between nodes: ${cycle}`);
  const warnings: string[] = [];
  if (uncovered.length > 0) warnings.push(`${f(uncovered)} are covered by no table: buckets ${isRanges(shape) ? 'starting with' : 'hashing to'} them cannot be routed`);
  for (const [path, units] of deadEnds) warnings.push(`${f(units)} are forwarded along ${path}, whose table has no entry for them`);
  for (const [path, units] of tooLong) warnings.push(`${f(units)} take ${path.split(' → ').length - 1} hops (${path}), more than the hop limit ${hopLimit}`);
  for (const [mapping, { owners, units }] of splitOwners) {
    warnings.push(`${f(units)} have ${owners} owners, depending on the node a request enters at (entry → owner: ${mapping}): a bucket created via one entry is not found via another`);
  }
  return { errors, warnings };
}

/** A cycle (first node repeated last) written from its smallest name, so each loop is reported once. */
function canonicalCycle(cycle: readonly string[]): string {
  const ring = cycle.slice(0, -1);
  const start = ring.indexOf([...ring].sort()[0] as string);
  const rotated = [...ring.slice(start), ...ring.slice(0, start)];
  return [...rotated, rotated[0]].join(' → ');
}
