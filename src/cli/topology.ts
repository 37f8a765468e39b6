/** The topology as the CLI prints it: each node's role, address and table, then the lint warnings. */
import type { LoadedConfig } from '../cluster/load-config.js';
import type { NodeSettings } from '../core/config.js';
import { formatTable } from '../core/routing.js';

/** A node's deployment role. */
export function role(node: NodeSettings): string {
  if (!node.storage) return node.port === undefined ? 'router only' : 'server only';
  return node.port === undefined ? 'storage only' : 'storage + server';
}

/** The lines describing every node; `ports` gives the bound ports of a running cluster (else the configured ones). */
export function topologyLines(loaded: LoadedConfig, ports?: ReadonlyMap<string, number>): string[] {
  const { settings } = loaded;
  const lines = [`${settings.nodes.length} node${settings.nodes.length === 1 ? '' : 's'} (hop limit ${settings.hopLimit}, timeout ${settings.timeout} ms, max line ${settings.maxLineLength} bytes):`];
  for (const node of settings.nodes) {
    const port = ports?.get(node.name) ?? node.port;
    const serves = node.port === undefined ? '' : `, serves ${node.host}:${port === 0 ? '0 (a free port)' : port}${node.maxConnections === undefined ? '' : ` (max ${node.maxConnections} clients)`}`;
    lines.push(`  ${node.name}: ${role(node)}${serves}`);
    lines.push(`    routes ${formatTable(node.table)}`);
  }
  return lines;
}

/** The lint warnings, one line each. */
export function warningLines(loaded: LoadedConfig): string[] {
  return loaded.warnings.map((w) => `warning: ${w}`);
}
