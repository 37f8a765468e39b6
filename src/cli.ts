#!/usr/bin/env node
/** The kvmesh command line: `kvmesh start [--config FILE]` starts the cluster and prints its topology until Ctrl-C. */
import { parseArgs } from 'node:util';
import { startCluster } from './cluster/cluster.js';
import { formatTable } from './core/routing.js';
import { KvError } from './protocol/errors.js';

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  const command = positionals[0] ?? 'start';
  if (values.help === true || command !== 'start') {
    console.log('usage: kvmesh start [--config FILE]\n  starts the cluster from kvrc.json (or FILE), prints its topology, runs until Ctrl-C');
    return values.help === true ? 0 : 2;
  }
  const cluster = await startCluster(values.config === undefined ? {} : { config: values.config });
  console.log(`kvmesh: cluster from ${cluster.configFile ?? 'inline config'}`);
  for (const node of cluster.nodes) console.log(`  node ${node}: routes ${formatTable(cluster.routingTable(node))}`);
  for (const warning of cluster.warnings) console.log(`  warning: ${warning}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await cluster.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e instanceof KvError ? `kvmesh: ${e.message}` : e);
    process.exitCode = 1;
  },
);
