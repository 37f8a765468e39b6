/** `kvmesh start`: starts the cluster and its servers, prints the topology, runs until SIGINT or SIGTERM. */
import { Cluster } from '../cluster/cluster.js';
import type { NodeDownEvent } from '../cluster/cluster.js';
import type { CliCommand } from './command.js';
import { configOption, load, parse } from './command.js';
import { topologyLines, warningLines } from './topology.js';
import { checkWritable, writeTraffic } from './files.js';

/** The `start` command. */
export const start: CliCommand = {
  name: 'start',
  summary: 'start the cluster and its TCP servers; run until Ctrl-C',
  help: `usage: kvmesh start [--config FILE] [--record FILE]

Starts every node of kvrc.json (or FILE) in its own thread, and the TCP server of every
node with a "port" (0 takes a free port) and the Redis protocol server of every node with
"resp". Prints the topology, the lint warnings and one "listening: node NAME on HOST:PORT"
line per server ("node NAME (RESP) on …" for Redis), then runs until SIGINT (Ctrl-C) or
SIGTERM, closes every connection and node, and exits 0. What processes print
(this.puts) comes out here, each line labelled with its node: [foo] hello world. A signal that comes while the
cluster starts closes it as soon as it is up; a second signal exits at once (130 or 143).
With --record, every request that enters the cluster is recorded, and written to FILE as a
traffic log when it closes (for \`kvmesh plan --traffic FILE\`).

options:
  -c, --config FILE   the configuration file (default: kvrc.json, searched upwards)
      --record FILE   record the traffic into FILE (written on close)
  -h, --help          this help

example:
  kvmesh start --config kvrc.json
  printf 'CREATE shopping\\r\\n' | nc -q 1 127.0.0.1 4040   # -q 1: quit once stdin ends`,
  async run(args, io) {
    const parsed = parse('start', args, { ...configOption, record: { type: 'string' } }, 0);
    const record = parsed.string('record');
    if (record !== undefined) checkWritable(record, '--record', 'the traffic log');
    // Listening before anything starts: a signal that comes while the cluster starts closes it once it is up.
    const signals = listenForSignals();
    try {
      const loaded = await load(parsed.string('config'));
      // What processes print through the app (their group leader), labelled with the node that printed it.
      const cluster = await Cluster.start(loaded, undefined, { labelOutput: true, stdout: { write: (text: string) => io.out(text.replace(/\n$/, '')) } });
      const recording = record === undefined ? undefined : await cluster.record();
      cluster.on('nodedown', (e: NodeDownEvent) => io.err(`kvmesh: ${e.reason.message}`));
      io.out(`kvmesh: started from ${loaded.filepath ?? 'the inline configuration'}`);
      for (const line of topologyLines(loaded, cluster.ports, cluster.respPorts)) io.out(line);
      for (const line of warningLines(loaded)) io.out(line);
      for (const node of loaded.settings.nodes) {
        const port = cluster.ports.get(node.name);
        if (port !== undefined) io.out(`listening: node ${node.name} on ${node.host}:${port}`);
        const resp = cluster.respPorts.get(node.name);
        if (resp !== undefined && node.resp !== undefined) io.out(`listening: node ${node.name} (RESP) on ${node.resp.host}:${resp}`);
      }
      const signal = await signals.received;
      io.out(`kvmesh: ${signal}, closing`);
      if (recording !== undefined && record !== undefined) io.out(`kvmesh: ${writeTraffic(record, await recording.stop())}`);
      await cluster.close();
      io.out('kvmesh: closed');
      return 0;
    } finally {
      signals.dispose();
    }
  },
};

/** Handles SIGINT and SIGTERM from now on: `received` resolves with the first; a second one exits at once. */
function listenForSignals(): { received: Promise<NodeJS.Signals>; dispose: () => void } {
  const names = ['SIGINT', 'SIGTERM'] as const;
  let resolve: (signal: NodeJS.Signals) => void = () => undefined;
  const received = new Promise<NodeJS.Signals>((r) => (resolve = r));
  const again = (signal: NodeJS.Signals): never => process.exit(signal === 'SIGINT' ? 130 : 143);
  const first = (signal: NodeJS.Signals): void => {
    for (const name of names) process.off(name, first).on(name, again);
    resolve(signal);
  };
  for (const name of names) process.on(name, first);
  const dispose = (): void => {
    for (const name of names) process.off(name, first).off(name, again);
  };
  return { received, dispose };
}
