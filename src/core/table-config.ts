/**
 * Routing tables as written (`[{ range, node }]`): parsing ranges, checking a table against the
 * node names, and replacing one node's table at run time. Pure.
 */
import type { RouteEntry, RoutingTable, Settings } from '../protocol/data.js';
import { CONFIG_KEYS } from './config-spec.js';
import { Collector, badConfig, describe, join } from './issues.js';
import type { Json } from './issues.js';
import { formatRange, lintTables } from './routing.js';

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

/** Validates one table against the known node names; reports issues under `path`. */
export function checkTable(c: Collector, spec: Json, path: string, nodeNames: ReadonlySet<string>): RouteEntry[] | undefined {
  if (!Array.isArray(spec)) {
    c.add(path, `expected an array of { range, node } but received ${describe(spec)}`);
    return undefined;
  }
  const entries: RouteEntry[] = [];
  spec.forEach((raw, i) => {
    const at = join(path, i);
    const o = c.object(raw, at, CONFIG_KEYS.entry);
    if (o === undefined) return;
    const range = parseRange(o['range'] ?? (o['from'] !== undefined ? [o['from'], o['to']] : undefined));
    if (typeof range === 'string') c.add(join(at, 'range'), range);
    const node = o['node'];
    if (typeof node !== 'string') c.add(join(at, 'node'), `expected a node name but received ${describe(node)}`);
    else if (!nodeNames.has(node)) c.add(join(at, 'node'), `unknown node "${node}" (nodes: ${[...nodeNames].join(', ')})`);
    if (typeof range === 'string' || typeof node !== 'string') return;
    for (const [j, other] of entries.entries()) {
      if (range.from <= other.to && other.from <= range.to) {
        c.add(join(at, 'range'), `${formatRange(range.from, range.to)} overlaps ${formatRange(other.from, other.to)} of entry ${j}`);
      }
    }
    entries.push({ from: range.from, to: range.to, node });
  });
  return entries;
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
 * config is checked: valid entries, no range kept by a storage-less node, and no loop with the
 * other tables. Throws KV_ERR_BAD_CONFIG; returns the table, every table after the change, and the lint warnings.
 */
export function replaceTable(settings: Settings, tables: ReadonlyMap<string, RoutingTable>, node: string, spec: Json, path: string): { table: RoutingTable; tables: Map<string, RoutingTable>; warnings: readonly string[] } {
  const table = validateTable(spec, settings.nodes.map((n) => n.name), path);
  if (settings.nodes.find((n) => n.name === node)?.storage === false) {
    const kept = table.map((e, j) => [e, j] as const).filter(([e]) => e.node === node);
    if (kept.length > 0) throw badConfig(kept.map(([e, j]) => ({ path: `${path}[${j}]`, message: `node "${node}" has storage: false but its table keeps ${formatRange(e.from, e.to)} for itself` })));
  }
  const next = new Map(tables).set(node, table);
  const lint = lintTables(next, settings.hopLimit);
  if (lint.errors.length > 0) throw badConfig(lint.errors.map((message) => ({ path, message })));
  return { table, tables: next, warnings: lint.warnings };
}
