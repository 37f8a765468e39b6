/**
 * Validating one fault of a scenario's timeline (`atMs` and exactly one kind), and the field
 * checks the scenario's validation shares. Issues go to the Collector with their paths. Pure.
 */
import { Collector, describe, join } from '../core/issues.js';
import type { Json } from '../core/issues.js';
import { checkTable } from '../core/table-config.js';
import { formatTable } from '../core/routing.js';
import { FAULT_KINDS, LINK_SETTINGS, SCENARIO_KEYS } from './spec.js';
import type { Fault } from './spec.js';

/** A number of `path` (`integer`: whole) within [min, max], or undefined (an issue added) when present and wrong. */
export function number(c: Collector, value: Json, path: string, min: number, max: number, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
    c.add(path, `expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max} but received ${describe(value)}`);
    return undefined;
  }
  return value;
}

/** A non-empty string (a node or bucket name), or undefined (an issue added). */
export function name(c: Collector, value: Json, path: string, what = 'a node name'): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  c.add(path, `expected ${what} but received ${describe(value)}`);
  return undefined;
}

/** A boolean, or undefined (an issue added when present and not one). */
export function flag(c: Collector, value: Json, path: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  c.add(path, `expected true or false but received ${describe(value)}`);
  return undefined;
}

/** One fault: `atMs` and exactly one kind; undefined (issues added) when broken. */
export function fault(c: Collector, input: Json, path: string, index: number, durationMs: number): Fault | undefined {
  const f = c.object(input, path, SCENARIO_KEYS.fault);
  if (f === undefined) return undefined;
  const atMs = number(c, f['atMs'], join(path, 'atMs'), 0, durationMs, false);
  if (f['atMs'] === undefined) c.add(join(path, 'atMs'), `expected the virtual ms the fault happens at (0 to durationMs ${durationMs})`);
  const kinds = FAULT_KINDS.filter((k) => f[k] !== undefined);
  if (kinds.length !== 1) {
    c.add(path, kinds.length === 0 ? `expected one of ${FAULT_KINDS.join(', ')}` : `expected one kind of fault, found ${kinds.join(' and ')}`);
    return undefined;
  }
  const kind = kinds[0] as (typeof FAULT_KINDS)[number];
  const at = join(path, kind);
  const v = f[kind];
  if (f['oneWay'] !== undefined && kind !== 'partition') c.add(join(path, 'oneWay'), 'oneWay goes with partition only');
  const base = { atMs: atMs ?? 0, index };
  const before = c.issues.length;
  let out: Fault | undefined;
  switch (kind) {
    case 'link': {
      const l = c.object(v, at, SCENARIO_KEYS.link);
      if (l === undefined) return undefined;
      const from = name(c, l['from'], join(at, 'from'));
      const to = name(c, l['to'], join(at, 'to'));
      if (from !== undefined && from === to) c.add(at, `from and to are the same node "${from}"`);
      const settings: Record<string, number> = {};
      for (const s of LINK_SETTINGS) {
        const n = number(c, l[s], join(at, s), 0, s === 'drop' || s === 'duplicate' ? 1 : 2 ** 31 - 1, false);
        if (n !== undefined) settings[s] = n;
      }
      if (LINK_SETTINGS.every((s) => l[s] === undefined)) c.add(at, `expected at least one of ${LINK_SETTINGS.join(', ')}`);
      out = { ...base, kind, from: from ?? '', to: to ?? '', settings };
      break;
    }
    case 'partition': {
      if (!Array.isArray(v) || v.length < 2) {
        c.add(at, `expected two or more groups of node names, like [["foo"], ["bar"]], but received ${describe(v)}`);
        return undefined;
      }
      const seen = new Set<string>();
      const groups = v.map((g, i) => {
        if (!Array.isArray(g) || g.length === 0) {
          c.add(join(at, i), `expected a non-empty array of node names but received ${describe(g)}`);
          return [];
        }
        return g.flatMap((n, j) => {
          const s = name(c, n, join(join(at, i), j));
          if (s !== undefined && seen.has(s)) c.add(join(join(at, i), j), `"${s}" is in two groups`);
          if (s !== undefined) seen.add(s);
          return s ?? [];
        });
      });
      out = { ...base, kind, groups, oneWay: flag(c, f['oneWay'], join(path, 'oneWay')) ?? false };
      break;
    }
    case 'heal':
    case 'clear':
      if (v !== true) c.add(at, `expected true but received ${describe(v)}`);
      out = { ...base, kind };
      break;
    case 'kill':
    case 'pause':
    case 'resume':
      out = { ...base, kind, node: name(c, v, at) ?? '' };
      break;
    case 'setRoutingTable': {
      const s = c.object(v, at, SCENARIO_KEYS.setRoutingTable);
      if (s === undefined) return undefined;
      const node = name(c, s['node'], join(at, 'node')) ?? '';
      // Node names are checked against the config later (namesIssues); here only the table's shape.
      const scratch = new Collector();
      const table = checkTable(scratch, s['table'], join(at, 'table'), new Set(nodeNamesOf(s['table'])));
      c.issues.push(...scratch.issues);
      out = { ...base, kind, node, table: table ?? [] };
      break;
    }
  }
  return c.issues.length === before ? out : undefined;
}

/** The node names a table as written names (to check its shape before the config is known). */
function nodeNamesOf(table: Json): string[] {
  return Array.isArray(table) ? table.flatMap((e) => (e !== null && typeof e === 'object' && typeof (e as Record<string, unknown>)['node'] === 'string' ? [(e as Record<string, string>)['node'] as string] : [])) : [];
}

/** A fault in one line: `partition foo | bar`, `link foo → bar delayMs=3 drop=0.05`, `setRoutingTable foo [a-z → bar]`. */
export function describeFault(f: Fault): string {
  switch (f.kind) {
    case 'link':
      return `link ${f.from} → ${f.to} ${Object.entries(f.settings)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`;
    case 'partition':
      return `partition ${f.groups.map((g) => g.join(',')).join(f.oneWay ? ' → ' : ' | ')}`;
    case 'heal':
    case 'clear':
      return f.kind;
    case 'setRoutingTable':
      return `setRoutingTable ${f.node} ${formatTable(f.table)}`;
    default:
      return `${f.kind} ${f.node}`;
  }
}
