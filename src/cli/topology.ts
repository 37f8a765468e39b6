/** The topology as the CLI prints it: each node's role, address and table, then the lint warnings. */
import type { LoadedConfig } from '../cluster/load-config.js';
import { formatTable } from '../core/routing.js';
import { role } from '../viz/model.js';

/** The lines describing every node; `ports` and `respPorts` give the bound ports of a running cluster (else the configured ones). */
export function topologyLines(loaded: LoadedConfig, ports?: ReadonlyMap<string, number>, respPorts?: ReadonlyMap<string, number>): string[] {
  const { settings } = loaded;
  const lines = [`${settings.nodes.length} node${settings.nodes.length === 1 ? '' : 's'} (hop limit ${settings.hopLimit}, timeout ${settings.timeout} ms, max line ${settings.maxLineLength} bytes):`];
  for (const node of settings.nodes) {
    const port = ports?.get(node.name) ?? node.port;
    const serves = node.port === undefined ? '' : `, serves ${node.host}:${port === 0 ? '0 (a free port)' : port}${node.maxConnections === undefined ? '' : ` (max ${node.maxConnections} clients)`}`;
    const resp = node.resp === undefined ? undefined : (respPorts?.get(node.name) ?? node.resp.port);
    const redis = node.resp === undefined ? '' : `, serves RESP${node.resp.cluster ? ' (cluster mode)' : ''} on ${node.resp.host}:${resp === 0 ? '0 (a free port)' : resp}`;
    lines.push(`  ${node.name}: ${role(node)}${serves}${redis}`);
    lines.push(`    routes ${formatTable(node.table)}`);
  }
  return lines;
}

/** The lint warnings, one line each. */
export function warningLines(loaded: LoadedConfig): string[] {
  return loaded.warnings.map((w) => `warning: ${w}`);
}
