/**
 * The configuration (`kvrc.json`) and its validation: every issue is collected with its
 * path and reported together, and nothing starts on a bad config. Pure: no fs, no threads.
 * The parts: config-spec.ts (as written), issues.ts, table-config.ts, node-config.ts.
 */
import type { Issue } from '../protocol/errors.js';
import type { Settings } from '../protocol/data.js';
import { CONFIG_KEYS, MAX_TIMEOUT_MS, defaults } from './config-spec.js';
import { Collector, badConfig, describe } from './issues.js';
import type { Json } from './issues.js';
import { checkModules, checkNode, normalizeNodes } from './node-config.js';
import { checkTable, keptByStorageless, mixedPartitioners } from './table-config.js';
import { lintTables } from './routing.js';

export type { ModuleSettings, NodeSettings, ResourceLimits, RestartSpec, Settings } from '../protocol/data.js';
export type { KvConfig, ModuleConfig, NodeConfig, RestartConfig, RouteEntrySpec, SlotEntrySpec, TableSpec } from './config-spec.js';
export { CONFIG_KEYS, MAX_TIMEOUT_MS, defaults } from './config-spec.js';
export { badConfig, duplicateKeyIssues, join } from './issues.js';
export { parseRange, replaceTable, validateTable } from './table-config.js';

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
  const maxProcesses = c.integer(top['maxProcesses'], 'maxProcesses', 1, 1 << 24) ?? defaults.maxProcesses;
  const maxMailbox = c.integer(top['maxMailbox'], 'maxMailbox', 1, 1 << 24) ?? defaults.maxMailbox;
  const rawModules = top['modules'];
  const moduleNames = new Set(rawModules !== null && typeof rawModules === 'object' && !Array.isArray(rawModules) ? Object.keys(rawModules) : []);
  const nodes = rawNodes.map(({ name, spec, path }) => checkNode(c, name, spec, path, names, defaultTable, moduleNames));
  const modules = checkModules(c, top['modules']);
  // A node owns a unit exactly when its own table names it, so a storage-less node must never name itself.
  const tablePaths = nodes.map((node, i) => ({ node: node.name, table: node.table, path: `${rawNodes[i]?.path}.routingTable` }));
  for (const [i, node] of nodes.entries()) if (!node.storage) c.issues.push(...keptByStorageless(node.name, node.table, tablePaths[i]?.path ?? ''));
  if (c.issues.length === 0) c.issues.push(...mixedPartitioners(tablePaths));
  const ports = new Map<number, string>();
  for (const node of nodes) {
    for (const [port, key, what] of [
      [node.port, 'port', ''],
      [node.resp?.port, 'resp.port', ' (RESP)'],
    ] as const) {
      if (port === undefined || port === 0) continue;
      const other = ports.get(port);
      if (other !== undefined) c.add(`nodes.${node.name}.${key}`, `port ${port} is also used by node ${other}`);
      ports.set(port, `"${node.name}"${what}`);
    }
  }
  const settings: Settings = { nodes, modules, hopLimit, timeout, maxLineLength, maxReplyBytes, heartbeatMs, maxProcesses, maxMailbox };
  if (c.issues.length > 0) throw badConfig(c.issues);
  const lint = lintTables(new Map(nodes.map((n) => [n.name, n.table])), hopLimit);
  return { settings, warnings: [...lint.warnings], loops: lint.errors.map((message) => ({ path: 'routingTable', message })) };
}
