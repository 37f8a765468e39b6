/**
 * Routing tables as written: byte ranges (`[{ range, node }]`), hash slots
 * (`{ slots: [...] }`) or a ring (`{ ring: { size, nodes } }`); checking a table against the node
 * names, checking that a cluster's tables share one partitioner, and replacing one node's table
 * at run time. Pure.
 */
import type { RoutingTable, Settings } from '../protocol/data.js';
import type { Issue } from '../protocol/errors.js';
import { CONFIG_KEYS } from './config-spec.js';
import { Collector, badConfig, describe } from './issues.js';
import type { Json } from './issues.js';
import { formatUnits, isEmptyRanges, isRanges, isRing, partitionerOf } from './partition.js';
import { formatRange, lintTables } from './routing.js';
import { checkEntries, checkRingTable, checkSlotsTable } from './table-forms.js';

/** Parses one range spec to its byte bounds, or returns the reason it is bad. */
export function parseRange(spec: Json): { from: number; to: number } | string {
  if (typeof spec === 'string') {
    const chars = [...spec];
    const single = (c: string | undefined): number | undefined => (c !== undefined && c.length === 1 && c.charCodeAt(0) < 0x80 ? c.charCodeAt(0) : undefined);
    if (chars.length === 1 && single(chars[0]) !== undefined) return { from: spec.charCodeAt(0), to: spec.charCodeAt(0) };
    if (chars.length === 3 && chars[1] === '-') {
      const from = single(chars[0]);
      const to = single(chars[2]);
      if (from === undefined || to === undefined) return `expected single-byte (ASCII) characters in ${JSON.stringify(spec)}; use [from, to] byte numbers for other bytes`;
      return from <= to ? { from, to } : `range ${JSON.stringify(spec)} is reversed: ${chars[0]} comes after ${chars[2]}`;
    }
    return `expected "x-y", "x" or [from, to] but received ${JSON.stringify(spec)}`;
  }
  if (Array.isArray(spec) && spec.length === 2 && spec.every((n) => Number.isInteger(n) && n >= 0 && n <= 255)) {
    const [from, to] = spec as [number, number];
    return from <= to ? { from, to } : `range [${from}, ${to}] is reversed`;
  }
  return `expected "x-y", "x" or [from, to] with bytes 0-255 but received ${describe(spec)}`;
}

/** Validates one table, in any of its three forms, against the known node names; reports issues under `path`. */
export function checkTable(c: Collector, spec: Json, path: string, nodeNames: ReadonlySet<string>): RoutingTable | undefined {
  if (spec !== null && typeof spec === 'object' && !Array.isArray(spec)) {
    const form = 'slots' in spec ? 'slots' : 'ring' in spec ? 'ring' : undefined;
    if (form === undefined) {
      c.add(path, `expected an array of { range, node }, { slots: [...] } or { ring: { size, nodes } } but received an object with ${Object.keys(spec).length === 0 ? 'no keys' : `keys ${Object.keys(spec).join(', ')}`}`);
      return undefined;
    }
    const o = c.object(spec, path, form === 'slots' ? CONFIG_KEYS.slotsTable : CONFIG_KEYS.ringTable) as Record<string, Json>;
    return form === 'slots' ? checkSlotsTable(c, o, path, nodeNames) : checkRingTable(c, o, path, nodeNames);
  }
  if (!Array.isArray(spec)) {
    c.add(path, `expected an array of { range, node }, { slots: [...] } or { ring: { size, nodes } } but received ${describe(spec)}`);
    return undefined;
  }
  return checkEntries(c, spec, path, { key: 'range', keys: CONFIG_KEYS.entry, parse: parseRange, format: (r) => formatRange(r.from, r.to) }, nodeNames);
}

/** Issues for a node with storage: false whose own table keeps units for itself (`path`: where its table is). */
export function keptByStorageless(node: string, table: RoutingTable, path: string): Issue[] {
  const message = (what: string): string => `node "${node}" has storage: false but its table keeps ${what} for itself`;
  if (isRing(table)) {
    const kept = table.ring.owners.flatMap((o, p) => (o === node ? [p] : []));
    return kept.length === 0 ? [] : [{ path: `${path}.ring.nodes`, message: message(`partitions ${formatUnits(table, kept)} (${kept.length} of ${table.ring.size})`) }];
  }
  const entries = isRanges(table) ? table : table.slots;
  const at = isRanges(table) ? path : `${path}.slots`;
  return entries.flatMap((e, j) => (e.node === node ? [{ path: `${at}[${j}]`, message: message(isRanges(table) ? formatRange(e.from, e.to) : `slots ${e.from === e.to ? e.from : `${e.from}-${e.to}`}`) }] : []));
}

/** Issues for tables that do not share the partitioner (and ring size) of the first table that routes anything: one form per cluster. */
export function mixedPartitioners(tables: readonly { readonly node: string; readonly table: RoutingTable; readonly path: string }[]): Issue[] {
  const first = tables.find((t) => !isEmptyRanges(t.table));
  if (first === undefined) return [];
  const kind = partitionerOf(first.table);
  const issues: Issue[] = [];
  for (const t of tables) {
    if (isEmptyRanges(t.table) || t === first) continue;
    const other = partitionerOf(t.table);
    if (other !== kind) issues.push({ path: t.path, message: `a table of ${other}, but node "${first.node}" routes by ${kind}: every table of a cluster uses one partitioner` });
    else if (isRing(t.table) && isRing(first.table) && t.table.ring.size !== first.table.ring.size) {
      issues.push({ path: `${t.path}.ring.size`, message: `a ring of ${t.table.ring.size}, but node "${first.node}"'s ring has ${first.table.ring.size} partitions: every ring of a cluster has the same size` });
    }
  }
  return issues;
}

/** Validates a table given at run time against the node names. */
export function validateTable(spec: Json, nodeNames: readonly string[], path = 'table'): RoutingTable {
  const c = new Collector();
  const table = checkTable(c, spec, path, new Set(nodeNames));
  if (c.issues.length > 0 || table === undefined) throw badConfig(c.issues);
  return table;
}

/**
 * Checks node `node`'s new table at run time (`setRoutingTable`, `Application.put_env`) as the
 * config is checked: valid entries, the cluster's partitioner, no unit kept by a storage-less node,
 * and no loop with the other tables. Throws KV_ERR_BAD_CONFIG; returns the table, every table after the change, and the lint warnings.
 */
export function replaceTable(settings: Settings, tables: ReadonlyMap<string, RoutingTable>, node: string, spec: Json, path: string): { table: RoutingTable; tables: Map<string, RoutingTable>; warnings: readonly string[] } {
  const table = validateTable(
    spec,
    settings.nodes.map((n) => n.name),
    path,
  );
  const others = [...tables].filter(([n]) => n !== node).map(([n, t]) => ({ node: n, table: t, path: n }));
  const mixed = mixedPartitioners([...others, { node, table, path }]).filter((i) => i.path.startsWith(path));
  if (mixed.length > 0) throw badConfig(mixed);
  if (settings.nodes.find((n) => n.name === node)?.storage === false) {
    const kept = keptByStorageless(node, table, path);
    if (kept.length > 0) throw badConfig(kept);
  }
  const next = new Map(tables).set(node, table);
  const lint = lintTables(next, settings.hopLimit);
  if (lint.errors.length > 0) throw badConfig(lint.errors.map((message) => ({ path, message })));
  return { table, tables: next, warnings: lint.warnings };
}
