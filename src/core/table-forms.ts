/**
 * The two hashed forms of a routing table as written: hash slots
 * (`{ slots: [{ slots: "0-8191", node }] }`) and a consistent-hash ring
 * (`{ ring: { size: 64, nodes: [...] } }`, claimed in order, or with its `owners` as read back).
 * Every issue is reported with its path. Pure.
 */
import type { RingTable, SlotEntry, SlotsTable } from '../protocol/data.js';
import { CONFIG_KEYS } from './config-spec.js';
import { Collector, describe, join } from './issues.js';
import type { Json } from './issues.js';
import { SLOTS } from './slots.js';
import { MAX_RING, claim } from './ring.js';

const MAX_SLOT = SLOTS - 1;

/** Parses one slot spec (`"0-8191"`, `"5"`, `5`, `[0, 8191]`) to its bounds, or returns the reason it is bad. */
export function parseSlots(spec: Json): { from: number; to: number } | string {
  let bounds: [Json, Json] | undefined;
  if (typeof spec === 'number') bounds = [spec, spec];
  else if (typeof spec === 'string' && /^\d+(-\d+)?$/.test(spec)) {
    const [a, b = a] = spec.split('-').map(Number);
    bounds = [a, b];
  } else if (Array.isArray(spec) && spec.length === 2) bounds = [spec[0], spec[1]];
  if (bounds === undefined) return `expected "from-to", a slot number or [from, to] with slots 0-${MAX_SLOT} but received ${describe(spec)}`;
  const [from, to] = bounds;
  const bad = [from, to].find((n) => !Number.isInteger(n) || (n as number) < 0 || (n as number) > MAX_SLOT);
  if (bad !== undefined) return `slot ${describe(bad)} is out of range: slots are integers 0-${MAX_SLOT}`;
  return (from as number) <= (to as number) ? { from: from as number, to: to as number } : `slots ${from as number}-${to as number} are reversed`;
}

/** Validates a slots table (`{ slots: [...] }`) against the node names; reports issues under `path`. */
export function checkSlotsTable(c: Collector, o: Record<string, Json>, path: string, nodeNames: ReadonlySet<string>): SlotsTable | undefined {
  const at = join(path, 'slots');
  const list = o['slots'];
  if (!Array.isArray(list)) {
    c.add(at, `expected an array of { slots, node } but received ${describe(list)}`);
    return undefined;
  }
  return { slots: checkEntries(c, list, at, { key: 'slots', keys: CONFIG_KEYS.slotEntry, parse: parseSlots, format: span }, nodeNames) };
}

/** How one form writes its entries: the key of the range, the keys allowed, how a range is parsed and read. */
export interface EntryForm {
  readonly key: string;
  readonly keys: readonly string[];
  readonly parse: (spec: Json) => { from: number; to: number } | string;
  readonly format: (r: { from: number; to: number }) => string;
}

/** Validates entries `{ [form.key], node }` (or `{ from, to, node }` as read back) at `path`: every issue, overlaps with earlier entries included. */
export function checkEntries(c: Collector, list: readonly Json[], path: string, form: EntryForm, nodeNames: ReadonlySet<string>): SlotEntry[] {
  const entries: SlotEntry[] = [];
  list.forEach((raw, i) => {
    const here = join(path, i);
    const e = c.object(raw, here, form.keys);
    if (e === undefined) return;
    const range = form.parse(e[form.key] ?? (e['from'] !== undefined ? [e['from'], e['to']] : undefined));
    if (typeof range === 'string') c.add(join(here, form.key), range);
    const node = checkNodeName(c, e['node'], join(here, 'node'), nodeNames);
    if (typeof range === 'string' || node === undefined) return;
    for (const [j, other] of entries.entries()) {
      if (range.from <= other.to && other.from <= range.to) c.add(join(here, form.key), `${form.format(range)} overlaps ${form.format(other)} of entry ${j}`);
    }
    entries.push({ from: range.from, to: range.to, node });
  });
  return entries;
}

/** Validates a ring (`{ ring: { size, nodes, owners? } }`): without owners, the nodes claim it in order. */
export function checkRingTable(c: Collector, o: Record<string, Json>, path: string, nodeNames: ReadonlySet<string>): RingTable | undefined {
  const at = join(path, 'ring');
  const r = c.object(o['ring'], at, CONFIG_KEYS.ring);
  if (r === undefined) return undefined;
  const size = r['size'];
  const sizeOk = Number.isInteger(size) && (size as number) >= 1 && (size as number) <= MAX_RING && ((size as number) & ((size as number) - 1)) === 0;
  if (!sizeOk) c.add(join(at, 'size'), `expected a power of two from 1 to ${MAX_RING} but received ${describe(size)}`);
  const raw = r['nodes'];
  const nodes: string[] = [];
  if (!Array.isArray(raw) || raw.length === 0) c.add(join(at, 'nodes'), `expected a non-empty array of node names but received ${describe(raw)}`);
  else {
    raw.forEach((n, i) => {
      const name = checkNodeName(c, n, join(join(at, 'nodes'), i), nodeNames);
      if (name === undefined) return;
      if (nodes.includes(name)) c.add(join(join(at, 'nodes'), i), `node "${name}" is listed twice`);
      else nodes.push(name);
    });
  }
  if (!sizeOk || nodes.length === 0) return undefined;
  const written = r['owners'];
  if (written === undefined) return { ring: { size: size as number, nodes, owners: claim(size as number, nodes) } };
  if (!Array.isArray(written) || written.length !== size) {
    c.add(join(at, 'owners'), `expected an array of ${size as number} node names (one per partition) but received ${describe(written)}${Array.isArray(written) ? ` of ${written.length}` : ''}`);
    return undefined;
  }
  const bad = written.findIndex((n) => typeof n !== 'string' || !nodes.includes(n));
  if (bad >= 0) {
    c.add(join(join(at, 'owners'), bad), `expected one of ring.nodes (${nodes.join(', ')}) but received ${describe(written[bad])}`);
    return undefined;
  }
  return { ring: { size: size, nodes, owners: written as string[] } };
}

/** A node name of a table entry, checked against the names of the config's nodes (an unknown name is returned, and reported). */
export function checkNodeName(c: Collector, node: Json, path: string, nodeNames: ReadonlySet<string>): string | undefined {
  if (typeof node !== 'string') {
    c.add(path, `expected a node name but received ${describe(node)}`);
    return undefined;
  }
  if (!nodeNames.has(node)) c.add(path, `unknown node "${node}" (nodes: ${[...nodeNames].join(', ')})`);
  return node;
}

function span(r: { from: number; to: number }): string {
  return r.from === r.to ? String(r.from) : `${r.from}-${r.to}`;
}
