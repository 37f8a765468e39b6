/**
 * The `nodes` and `modules` sections of a config: names, per-node settings, restart intensity,
 * memory limits and user modules. Pure.
 */
import type { ModuleSettings, NodeSettings, RestartSpec, RoutingTable } from '../protocol/data.js';
import { CONFIG_KEYS, defaults } from './config-spec.js';
import { Collector, badConfig, describe, join } from './issues.js';
import type { Json } from './issues.js';
import { checkTable } from './table-config.js';
import { MAX_NODES } from '../protocol/messages.js';
import { checkResp } from './resp-config.js';

const NODE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const MODULE_NAME = /^[A-Z][A-Za-z0-9_]*(\.[A-Z][A-Za-z0-9_]*)*$/;
const BUILTIN_MODULES = new Set(['Kernel', 'KV.Registry', 'KV.Bucket', 'KV.Router', 'KV.Redis', 'Application']);

export function normalizeNodes(c: Collector, raw: Json): { name: string; spec: Json; path: string }[] {
  const out: { name: string; spec: Json; path: string }[] = [];
  const seen = new Set<string>();
  const push = (name: Json, spec: Json, path: string): void => {
    if (typeof name !== 'string' || !NODE_NAME.test(name)) {
      c.add(path, `invalid node name ${describe(name)}: expected a letter or _ then letters, digits, _ . - (at most 64)`);
      return;
    }
    if (seen.has(name)) c.add(path, `duplicate node name "${name}"`);
    if (name === 'client') c.add(path, 'node name "client" is reserved: it names the app\'s side of the cluster (in faults, and in the pid of cluster.self())');
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
  if (out.length > MAX_NODES) c.add('nodes', `a cluster has at most ${MAX_NODES} nodes, received ${out.length}`);
  return out;
}

/** One node's settings; `modules`: the user modules the config has (its `modules` may only name those). */
export function checkNode(c: Collector, name: string, spec: Json, path: string, names: ReadonlySet<string>, defaultTable: RoutingTable, modules: ReadonlySet<string> = new Set()): NodeSettings {
  const o = c.object(spec, path, CONFIG_KEYS.node) ?? {};
  const table = o['routingTable'] === undefined ? defaultTable : (checkTable(c, o['routingTable'], join(path, 'routingTable'), names) ?? []);
  const port = c.integer(o['port'], join(path, 'port'), 0, 65535);
  const host = o['host'];
  if (host !== undefined && (typeof host !== 'string' || host === '')) c.add(join(path, 'host'), `expected a host name or address but received ${describe(host)}`);
  const storage = o['storage'];
  if (storage !== undefined && typeof storage !== 'boolean') c.add(join(path, 'storage'), `expected true or false but received ${describe(storage)}`);
  const maxConnections = c.integer(o['maxConnections'], join(path, 'maxConnections'), 1, 1_000_000);
  const resp = checkResp(c, o['resp'], join(path, 'resp'), typeof host === 'string' && host !== '' ? host : defaults.host);
  const own = checkModuleList(c, o['modules'], join(path, 'modules'), modules);
  return {
    ...(resp === undefined ? {} : { resp }),
    ...(own === undefined ? {} : { modules: own }),
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

/** A node's `modules`: names of the config's user modules, each once. */
function checkModuleList(c: Collector, raw: Json, path: string, known: ReadonlySet<string>): string[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw)) {
    c.add(path, `expected an array of module names but received ${describe(raw)}`);
    return undefined;
  }
  const out: string[] = [];
  raw.forEach((m, i) => {
    if (typeof m !== 'string' || !known.has(m)) c.add(join(path, i), `expected the name of a module of "modules" (${[...known].join(', ') || 'none'}) but received ${describe(m)}`);
    else if (out.includes(m)) c.add(join(path, i), `module "${m}" is listed twice`);
    else out.push(m);
  });
  return out;
}

/**
 * A node joining a running cluster (`cluster.addNode(name, settings)`), checked as a config's node
 * is: its name (new, never used in the cluster before), its settings, a port no other node uses.
 * Throws KV_ERR_BAD_CONFIG listing every issue, paths under `nodes.NAME`.
 */
export function validateJoining(name: unknown, spec: Json, nodes: readonly NodeSettings[]): NodeSettings {
  const c = new Collector();
  const names = new Set(nodes.map((n) => n.name));
  if (typeof name !== 'string' || !NODE_NAME.test(name)) c.add('nodes', `invalid node name ${describe(name)}: expected a letter or _ then letters, digits, _ . - (at most 64)`);
  else if (names.has(name)) c.add(join('nodes', name), `node "${name}" is (or was) in the cluster: names are not reused`);
  if (nodes.length >= MAX_NODES) c.add('nodes', `a cluster has at most ${MAX_NODES} nodes in its life`);
  if (c.issues.length > 0) throw badConfig(c.issues);
  const node = checkNode(c, name as string, spec ?? {}, join('nodes', name as string), new Set([...names, name as string]), []);
  const other = node.port === undefined || node.port === 0 ? undefined : nodes.find((n) => n.port === node.port);
  if (other !== undefined) c.add(join(join('nodes', node.name), 'port'), `port ${node.port} is also used by node "${other.name}"`);
  if (c.issues.length > 0) throw badConfig(c.issues);
  return node;
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

export function checkModules(c: Collector, raw: Json): ModuleSettings[] {
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
