/**
 * The configuration (`kvrc.json`) and its validation: every issue is collected with its
 * path and reported together, and nothing starts on a bad config. Pure: no fs, no threads.
 */
import { KvError } from '../protocol/errors.js';
import type { Issue } from '../protocol/errors.js';
import type { ModuleSettings, NodeSettings, ResourceLimits, RestartSpec, RouteEntry, RoutingTable, Settings } from '../protocol/data.js';

export type { ModuleSettings, NodeSettings, ResourceLimits, RestartSpec, Settings } from '../protocol/data.js';
import { formatRange, lintTables } from './routing.js';
import type { DuplicateKey } from './json.js';

/** A table entry as written: `"a-m"`, `"a"` or `[97, 109]` (both ends included), and the node that bytes in it go to. */
export interface RouteEntrySpec {
  readonly range: string | readonly [number, number];
  readonly node: string;
}

/** How a node is restarted, as written: `"permanent"` (the default intensity), `"never"`, or at most `maxRestarts` within `withinMs`. */
export type RestartConfig = 'permanent' | 'never' | { readonly maxRestarts?: number; readonly withinMs?: number };

/** Per-node settings as written (`nodes.X` of `kvrc.json`). */
export interface NodeConfig {
  /** This node's own table, replacing the default. Default: the top-level `routingTable`. */
  readonly routingTable?: readonly RouteEntrySpec[];
  /** Serve the TCP protocol on this port (0 = any free port). Default: no server. */
  readonly port?: number;
  /** The address the TCP server listens on. Default `127.0.0.1`. */
  readonly host?: string;
  /** `false`: a front end holding no buckets (its table must not name itself). Default `true`. */
  readonly storage?: boolean;
  /** TCP clients served at once. Default: no limit. */
  readonly maxConnections?: number;
  /** Restart intensity. Default: 3 restarts in 5 s. */
  readonly restart?: RestartConfig;
  /** The thread's memory limits (Node's `resourceLimits`, MB). Default: none. */
  readonly resourceLimits?: ResourceLimits;
}

/** A user module: a path (relative to the config file), or a path marked CPU-bound (run in a thread pool). */
export type ModuleConfig = string | { readonly path: string; readonly cpu?: boolean };

/** The configuration as written in `kvrc.json` (readonly: an `as const` object is accepted). */
export interface KvConfig {
  /** The JSON Schema of the file, for editors (`node_modules/kvmesh/schema/kvrc.schema.json`); ignored. */
  readonly $schema?: string;
  /** The default table: entries in order, the first covering the bucket's first byte wins. Default `[]` (routes nothing). */
  readonly routingTable?: readonly RouteEntrySpec[];
  /** `{ name: settings }` in order, or an array of names / `{ name, … }`; at least one. */
  readonly nodes: Readonly<Record<string, NodeConfig>> | readonly (string | (NodeConfig & { readonly name: string }))[];
  /** `{ Name: "path.js" }` or `{ Name: { path, cpu } }`, paths relative to the config file. Default `{}`. */
  readonly modules?: Readonly<Record<string, ModuleConfig>>;
  /** Forwards allowed per request (0 to 1000). Default 16. */
  readonly hopLimit?: number;
  /** Request deadline, ms (1 to 2147483647). Default 5000. */
  readonly timeout?: number;
  /** Longest TCP request line, bytes (16 to 2^30). Default 1048576. */
  readonly maxLineLength?: number;
  /** Reply bytes a TCP connection may hold and buffer before it stops reading its client (1024 to 2^30). Default 4194304. */
  readonly maxReplyBytes?: number;
  /** A node silent this long is killed and restarted, ms (10 to 2147483647). Default 2000. */
  readonly heartbeatMs?: number;
}

/** The longest wait a timer can express (about 24.8 days); Node turns anything longer into 1 ms. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Defaults of the settings that have one. */
export const defaults = {
  hopLimit: 16,
  timeout: 5000,
  maxLineLength: 1024 * 1024,
  maxReplyBytes: 4 * 1024 * 1024,
  heartbeatMs: 2000,
  host: '127.0.0.1',
  restart: { maxRestarts: 3, withinMs: 5000 },
} as const;

const NODE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const MODULE_NAME = /^[A-Z][A-Za-z0-9_]*(\.[A-Z][A-Za-z0-9_]*)*$/;
const BUILTIN_MODULES = new Set(['Kernel', 'KV.Registry', 'KV.Bucket', 'KV.Router', 'Application']);

type Json = unknown;

class Collector {
  readonly issues: Issue[] = [];
  add(path: string, message: string): void {
    this.issues.push({ path, message });
  }
  object(value: Json, path: string, allowed: readonly string[]): Record<string, Json> | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.add(path, `expected an object but received ${describe(value)}`);
      return undefined;
    }
    for (const key of Object.keys(value)) if (!allowed.includes(key)) this.add(join(path, key), `unknown key (allowed: ${allowed.join(', ')})`);
    return value as Record<string, Json>;
  }
  integer(value: Json, path: string, min: number, max: number): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.add(path, `expected an integer from ${min} to ${max} but received ${describe(value)}`);
      return undefined;
    }
    return value;
  }
}

function describe(value: Json): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** The path of `key` under `path` as issues name it: `nodes.foo`, `modules["My.Mod"]`, `table[0]`. */
export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const safe = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  return path === '' ? safe : safe.startsWith('"') ? `${path}[${safe}]` : `${path}.${safe}`;
}

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
function checkTable(c: Collector, spec: Json, path: string, nodeNames: ReadonlySet<string>): RouteEntry[] | undefined {
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

/** The keys each object of a config may have, in the order errors list them (schema/kvrc.schema.json has the same: a test compares). */
export const CONFIG_KEYS = {
  top: ['routingTable', 'nodes', 'modules', 'hopLimit', 'timeout', 'maxLineLength', 'maxReplyBytes', 'heartbeatMs', '$schema'],
  node: ['routingTable', 'port', 'host', 'storage', 'maxConnections', 'restart', 'resourceLimits'],
  // Tables read back from a node ({ from, to, node }) are accepted as written.
  entry: ['range', 'node', 'from', 'to'],
  restart: ['maxRestarts', 'withinMs'],
  resourceLimits: ['maxOldGenerationSizeMb', 'maxYoungGenerationSizeMb', 'stackSizeMb'],
  module: ['path', 'cpu'],
} as const;

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

/**
 * Validates a whole configuration: returns the settings and the lint warnings, or throws
 * KV_ERR_BAD_CONFIG listing every issue, those the file's reader found (`found`) first.
 */
export function validateConfig(input: Json, found: readonly Issue[] = []): { settings: Settings; warnings: string[] } {
  const { settings, warnings, loops } = checkConfig(input, found);
  if (loops.length > 0) throw badConfig(loops);
  return { settings, warnings };
}

/** As validateConfig, but tables that loop are returned as `loops` (issues) rather than thrown: `kvmesh check` draws them. */
export function checkConfig(input: Json, found: readonly Issue[] = []): { settings: Settings; warnings: string[]; loops: Issue[] } {
  const c = new Collector();
  c.issues.push(...found);
  const top = c.object(input, '', CONFIG_KEYS.top) ?? {};
  // Editors read `$schema`; kvmesh only checks that it is one.
  if (top['$schema'] !== undefined && typeof top['$schema'] !== 'string') c.add('$schema', `expected the URL or path of a JSON Schema but received ${describe(top['$schema'])}`);
  const rawNodes = normalizeNodes(c, top['nodes']);
  const names = new Set(rawNodes.map((n) => n.name));
  const defaultTable = top['routingTable'] === undefined ? [] : (checkTable(c, top['routingTable'], 'routingTable', names) ?? []);
  const hopLimit = c.integer(top['hopLimit'], 'hopLimit', 0, 1000) ?? defaults.hopLimit;
  const timeout = c.integer(top['timeout'], 'timeout', 1, MAX_TIMEOUT_MS) ?? defaults.timeout;
  const maxLineLength = c.integer(top['maxLineLength'], 'maxLineLength', 16, 1 << 30) ?? defaults.maxLineLength;
  const maxReplyBytes = c.integer(top['maxReplyBytes'], 'maxReplyBytes', 1024, 1 << 30) ?? defaults.maxReplyBytes;
  // Below 10 ms the heartbeat's 5 ms tick would leave a node no time at all to answer.
  const heartbeatMs = c.integer(top['heartbeatMs'], 'heartbeatMs', 10, MAX_TIMEOUT_MS) ?? defaults.heartbeatMs;
  const nodes = rawNodes.map(({ name, spec, path }) => checkNode(c, name, spec, path, names, defaultTable));
  const modules = checkModules(c, top['modules']);
  // A node owns a range exactly when its own table names it, so a storage-less node must never name itself.
  for (const [i, node] of nodes.entries()) {
    if (node.storage) continue;
    for (const [j, entry] of node.table.entries()) {
      if (entry.node === node.name) c.add(`${rawNodes[i]?.path}.routingTable[${j}]`, `node "${node.name}" has storage: false but its table keeps ${formatRange(entry.from, entry.to)} for itself`);
    }
  }
  const ports = new Map<number, string>();
  for (const node of nodes) {
    if (node.port === undefined || node.port === 0) continue;
    const other = ports.get(node.port);
    if (other !== undefined) c.add(`nodes.${node.name}.port`, `port ${node.port} is also used by node "${other}"`);
    ports.set(node.port, node.name);
  }
  const settings: Settings = { nodes, modules, hopLimit, timeout, maxLineLength, maxReplyBytes, heartbeatMs };
  if (c.issues.length > 0) throw badConfig(c.issues);
  const lint = lintTables(new Map(nodes.map((n) => [n.name, n.table])), hopLimit);
  return { settings, warnings: [...lint.warnings], loops: lint.errors.map((message) => ({ path: 'routingTable', message })) };
}

/** The issues of keys a JSON file repeats (JSON.parse keeps only the last), with their paths. */
export function duplicateKeyIssues(duplicates: readonly DuplicateKey[]): Issue[] {
  return duplicates.map(({ path, key }) => ({ path: path.reduce<string>((at, k) => join(at, k), ''), message: `duplicate key ${JSON.stringify(key)} (JSON keeps only the last)` }));
}

/** The KV_ERR_BAD_CONFIG error listing every issue, one per line. */
export function badConfig(issues: readonly Issue[]): KvError {
  const lines = issues.map((i) => `  - ${i.path === '' ? '(top level)' : i.path}: ${i.message}`);
  return new KvError('KV_ERR_BAD_CONFIG', `invalid configuration (${issues.length} issue${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`, issues);
}

function normalizeNodes(c: Collector, raw: Json): { name: string; spec: Json; path: string }[] {
  const out: { name: string; spec: Json; path: string }[] = [];
  const seen = new Set<string>();
  const push = (name: Json, spec: Json, path: string): void => {
    if (typeof name !== 'string' || !NODE_NAME.test(name)) {
      c.add(path, `invalid node name ${describe(name)}: expected a letter or _ then letters, digits, _ . - (at most 64)`);
      return;
    }
    if (seen.has(name)) c.add(path, `duplicate node name "${name}"`);
    seen.add(name);
    out.push({ name, spec, path });
  };
  if (Array.isArray(raw)) {
    raw.forEach((item, i) => {
      if (typeof item === 'string') push(item, {}, `nodes[${i}]`);
      else if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
        const { name, ...spec } = item as Record<string, Json>;
        push(name, spec, `nodes[${i}]`);
      } else c.add(`nodes[${i}]`, `expected a node name or { name, ... } but received ${describe(item)}`);
    });
  } else if (raw !== null && typeof raw === 'object') {
    for (const [name, spec] of Object.entries(raw)) push(name, spec ?? {}, join('nodes', name));
  } else c.add('nodes', `expected an object of nodes or an array but received ${describe(raw)}`);
  if (out.length === 0 && c.issues.every((i) => !i.path.startsWith('nodes'))) c.add('nodes', 'a cluster needs at least one node');
  return out;
}

function checkNode(c: Collector, name: string, spec: Json, path: string, names: ReadonlySet<string>, defaultTable: RoutingTable): NodeSettings {
  const o = c.object(spec, path, CONFIG_KEYS.node) ?? {};
  const table = o['routingTable'] === undefined ? defaultTable : (checkTable(c, o['routingTable'], join(path, 'routingTable'), names) ?? []);
  const port = c.integer(o['port'], join(path, 'port'), 0, 65535);
  const host = o['host'];
  if (host !== undefined && (typeof host !== 'string' || host === '')) c.add(join(path, 'host'), `expected a host name or address but received ${describe(host)}`);
  const storage = o['storage'];
  if (storage !== undefined && typeof storage !== 'boolean') c.add(join(path, 'storage'), `expected true or false but received ${describe(storage)}`);
  const maxConnections = c.integer(o['maxConnections'], join(path, 'maxConnections'), 1, 1_000_000);
  return {
    name,
    table,
    port,
    host: typeof host === 'string' && host !== '' ? host : defaults.host,
    storage: storage !== false,
    maxConnections,
    restart: checkRestart(c, o['restart'], join(path, 'restart')),
    resourceLimits: checkLimits(c, o['resourceLimits'], join(path, 'resourceLimits')),
  };
}

function checkRestart(c: Collector, raw: Json, path: string): RestartSpec {
  if (raw === undefined || raw === 'permanent') return defaults.restart;
  if (raw === 'never') return 'never';
  const o = c.object(raw, path, CONFIG_KEYS.restart);
  if (o === undefined) return defaults.restart;
  return {
    maxRestarts: c.integer(o['maxRestarts'], join(path, 'maxRestarts'), 0, 1_000_000) ?? defaults.restart.maxRestarts,
    withinMs: c.integer(o['withinMs'], join(path, 'withinMs'), 1, 86_400_000) ?? defaults.restart.withinMs,
  };
}

function checkLimits(c: Collector, raw: Json, path: string): NodeSettings['resourceLimits'] {
  if (raw === undefined) return undefined;
  const keys = CONFIG_KEYS.resourceLimits;
  const o = c.object(raw, path, keys);
  if (o === undefined) return undefined;
  const limits: Record<string, number> = {};
  for (const key of keys) {
    const n = c.integer(o[key], join(path, key), 1, 65536);
    if (n !== undefined) limits[key] = n;
  }
  return limits;
}

function checkModules(c: Collector, raw: Json): ModuleSettings[] {
  if (raw === undefined) return [];
  const o = c.object(raw, 'modules', Object.keys(raw ?? {}));
  if (o === undefined) return [];
  const out: ModuleSettings[] = [];
  for (const [name, spec] of Object.entries(o)) {
    const at = join('modules', name);
    if (!MODULE_NAME.test(name)) c.add(at, `invalid module name "${name}": expected capitalized words joined by dots, like Hello or My.Module`);
    else if (BUILTIN_MODULES.has(name)) c.add(at, `"${name}" is a built-in module`);
    if (typeof spec === 'string' && spec !== '') out.push({ name, path: spec, cpu: false });
    else if (spec !== null && typeof spec === 'object' && !Array.isArray(spec)) {
      const m = c.object(spec, at, CONFIG_KEYS.module);
      const path = m?.['path'];
      const cpu = m?.['cpu'];
      if (typeof path !== 'string' || path === '') c.add(join(at, 'path'), `expected a file path but received ${describe(path)}`);
      if (cpu !== undefined && typeof cpu !== 'boolean') c.add(join(at, 'cpu'), `expected true or false but received ${describe(cpu)}`);
      if (typeof path === 'string' && path !== '') out.push({ name, path, cpu: cpu === true });
    } else c.add(at, `expected a file path or { path, cpu } but received ${describe(spec)}`);
  }
  return out;
}
