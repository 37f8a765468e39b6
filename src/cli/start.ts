/** `kvmesh start`: starts the cluster and its servers, prints the topology, runs until SIGINT or SIGTERM. */
import { Cluster } from '../cluster/cluster.js';
import type { NodeDownEvent } from '../cluster/cluster.js';
import type { CliCommand } from './command.js';
import { configOption, load, parse } from './command.js';
import { topologyLines, warningLines } from './topology.js';

/** The `start` command. */
export const start: CliCommand = {
  name: 'start',
  summary: 'start the cluster and its TCP servers; run until Ctrl-C',
  help: `usage: kvmesh start [--config FILE]

Starts every node of kvrc.json (or FILE) in its own thread, and the TCP server of every
node with a "port" (0 takes a free port). Prints the topology, the lint warnings and one
"listening: node NAME on HOST:PORT" line per server, then runs until SIGINT (Ctrl-C) or
SIGTERM, closes every connection and node, and exits 0.

options:
  -c, --config FILE   the configuration file (default: kvrc.json, searched upwards)
  -h, --help          this help

example:
  kvmesh start --config kvrc.json
  printf 'CREATE shopping\\r\\n' | nc localhost 4040`,
  async run(args, io) {
    const parsed = parse('start', args, configOption, 0);
    const loaded = await load(parsed.string('config'));
    const cluster = await Cluster.start(loaded);
    cluster.on('nodedown', (e: NodeDownEvent) => io.err(`kvmesh: ${e.reason.message}`));
    io.out(`kvmesh: started from ${loaded.filepath ?? 'the inline configuration'}`);
    for (const line of topologyLines(loaded, cluster.ports)) io.out(line);
    for (const line of warningLines(loaded)) io.out(line);
    for (const node of loaded.settings.nodes) {
      const port = cluster.ports.get(node.name);
      if (port !== undefined) io.out(`listening: node ${node.name} on ${node.host}:${port}`);
    }
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      const stop = (s: NodeJS.Signals): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        // A second signal while closing leaves at once.
        process.once('SIGINT', () => process.exit(130));
        process.once('SIGTERM', () => process.exit(143));
        resolve(s);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    io.out(`kvmesh: ${signal}, closing`);
    await cluster.close();
    io.out('kvmesh: closed');
    return 0;
  },
};
