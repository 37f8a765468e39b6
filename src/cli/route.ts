/** `kvmesh route BUCKET`: the path a request for BUCKET takes through every node's own table, without starting anything. */
import { Errors } from '../protocol/errors.js';
import type { CliCommand } from './command.js';
import { UsageError, configOption, load, parse } from './command.js';
import { toBytes, quoteBytes } from '../core/bytes.js';
import { formatUnitRange, noRouteMessage, tooManyHopsMessage, trace } from '../core/routing.js';
import type { RoutingTable } from '../core/routing.js';
import { describeUnit, isRanges, unitOf, unitTable, unitWord } from '../core/partition.js';

/** The `route` command. */
export const route: CliCommand = {
  name: 'route',
  summary: 'print the path a request for BUCKET takes, and its owner or error',
  help: `usage: kvmesh route BUCKET [--config FILE] [--from NODE]

Prints where BUCKET falls (its first byte, hash slot or ring partition, as the tables
partition names), the path a request for it takes: each node it passes, the entry of that
node's own table that matched, and the owner, or the error the request would get (exit code
1). Nothing is started: the tables come from the configuration.

options:
  -c, --config FILE   the configuration file (default: kvrc.json, searched upwards)
  -f, --from NODE     the node the request enters at (default: the first node with a
                      port, else the first node)
  -h, --help          this help

example:
  kvmesh route shopping --from foo`,
  async run(args, io) {
    const parsed = parse('route', args, { ...configOption, from: { type: 'string', short: 'f' } }, 1);
    const name = parsed.positionals[0];
    if (name === undefined) throw new UsageError('route', ['missing BUCKET (for example: kvmesh route shopping)']);
    const loaded = await load(parsed.string('config'));
    const { settings } = loaded;
    const names = settings.nodes.map((n) => n.name);
    const from = parsed.string('from') ?? (settings.nodes.find((n) => n.port !== undefined) ?? settings.nodes[0])?.name ?? '';
    if (!names.includes(from)) throw Errors.unknownNode(from, names);
    const bucket = toBytes(name);
    const tables = new Map<string, RoutingTable>(settings.nodes.map((n) => [n.name, n.table]));
    const shape = unitTable(tables.values());
    const unit = unitOf(shape, bucket);
    if (unit < 0) {
      io.out(`error KV_ERR_NO_ROUTE: ${noRouteMessage(bucket, from, tables.get(from) ?? [])}`);
      return 1;
    }
    io.out(`bucket ${quoteBytes(bucket)} (${describeUnit(shape, bucket)}) entering at node ${from}:`);
    const t = trace(tables, from, unit, settings.hopLimit);
    // Bytes read as characters; a slot or partition as `slot 866`, an entry as `slots 0-8191`.
    const word = (plural: boolean): string => (isRanges(shape) ? '' : `${unitWord(shape, !plural)} `);
    for (const hop of t.hops) {
      const e = hop.entry;
      if (e === undefined) io.out(`  ${hop.node}: no entry for ${word(false)}${formatUnitRange(shape, unit, unit)}`);
      else io.out(`  ${hop.node}: ${word(e.from !== e.to)}${formatUnitRange(shape, e.from, e.to)} → ${e.node}, ${e.node === hop.node ? 'owns it' : `forwards to ${e.node}`}`);
    }
    const o = t.outcome;
    switch (o.kind) {
      case 'owner': {
        const hops = t.hops.length - 1;
        io.out(`owner: ${o.node} (${hops} hop${hops === 1 ? '' : 's'})`);
        return 0;
      }
      case 'no-route':
        io.out(`error KV_ERR_NO_ROUTE: ${noRouteMessage(bucket, o.node, tables.get(o.node) ?? [])}`);
        return 1;
      case 'too-many-hops': {
        const last = t.hops[t.hops.length - 1];
        const path = [...t.hops.map((h) => h.node), last?.entry?.node ?? '?'];
        io.out(`error KV_ERR_TOO_MANY_HOPS: ${tooManyHopsMessage(bucket, path, settings.hopLimit)}`);
        return 1;
      }
      case 'loop':
        io.out(`error KV_ERR_TOO_MANY_HOPS: the tables loop: ${o.cycle.join(' → ')}`);
        return 1;
      default: {
        const never: never = o;
        throw new Error(`unknown trace outcome ${JSON.stringify(never)}`);
      }
    }
  },
};
