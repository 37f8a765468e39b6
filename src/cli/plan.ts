/** `kvmesh plan --to FILE`: what changing the configuration would move, from the files alone (and recorded traffic), without starting anything. */
import { readFileSync } from 'node:fs';
import { Errors, reasonOf } from '../protocol/errors.js';
import type { CliCommand } from './command.js';
import { UsageError, configOption, inFile, load, parse } from './command.js';
import { loadNext, sideOf } from '../cluster/next.js';
import { planChange } from '../plan/plan.js';
import { formatPlan } from '../plan/format.js';
import { parseTraffic } from '../plan/traffic.js';
import type { TrafficLog } from '../protocol/data.js';

/** The `plan` command. */
export const plan: CliCommand = {
  name: 'plan',
  summary: 'print what changing the configuration to another would move, without starting anything',
  help: `usage: kvmesh plan --to FILE [--config FILE] [--traffic FILE]

Compares the configuration in force (kvrc.json, or --config) with a proposed one (--to), as
cluster.reshard would go from one to the other: the nodes joining and leaving, each node's
share of the units (bytes, slots or ring partitions) before and after, the units that move from
node to node, the lint findings the change brings, and, with --traffic (a log written by
\`kvmesh start --record\` or \`kvmesh bench --record\`), the buckets that move with their keys and
bytes as the recorded writes left them, and the load per node and hops per op before and after.
A ring written as { size, nodes } is claimed from the ring in force. Nothing is started. Exit
code 1 when the change would leave a bucket with no owner or brings a loop.

options:
  -c, --config FILE   the configuration in force (default: kvrc.json, searched upwards)
      --to FILE       the proposed configuration
      --traffic FILE  recorded traffic to replay on both
  -h, --help          this help

example:
  kvmesh plan --config kvrc.json --to proposed.json --traffic traffic.json`,
  async run(args, io) {
    const parsed = parse('plan', args, { ...configOption, to: { type: 'string' }, traffic: { type: 'string' } }, 0);
    const to = parsed.string('to');
    if (to === undefined) throw new UsageError('plan', ['missing --to FILE (the proposed configuration)']);
    const current = await load(parsed.string('config'));
    const tables = new Map(current.settings.nodes.map((n) => [n.name, n.table]));
    let next;
    try {
      next = await loadNext(to, tables);
    } catch (e) {
      throw inFile(to, e);
    }
    const file = parsed.string('traffic');
    const traffic = file === undefined ? undefined : readTraffic(file);
    const result = planChange(sideOf(current.settings), sideOf(next.settings), undefined, traffic);
    for (const line of formatPlan(result)) io.out(line);
    return result.moves.some((m) => m.to === undefined) || result.lint.errors.length > 0 ? 1 : 0;
  },
};

function readTraffic(file: string): TrafficLog {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw Errors.badConfig(`cannot read traffic log ${JSON.stringify(file)}: ${reasonOf(e)}`);
  }
  try {
    return parseTraffic(JSON.parse(text), file);
  } catch (e) {
    if (e instanceof SyntaxError) throw Errors.badConfig(`invalid JSON in traffic log ${file}: ${e.message}`);
    throw e;
  }
}
