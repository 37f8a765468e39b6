/** `kvmesh check`: validates and lints the configuration without starting anything. */
import type { CliCommand } from './command.js';
import { configOption, load, parse } from './command.js';
import { topologyLines, warningLines } from './topology.js';

/** The `check` command. */
export const check: CliCommand = {
  name: 'check',
  summary: 'validate and lint the configuration without starting anything',
  help: `usage: kvmesh check [--config FILE]

Validates kvrc.json (or FILE) and lints every routing table together, without starting
anything. Prints the topology and the warnings (bytes no table covers, paths that end at a
node with no entry, paths longer than the hop limit, bytes whose owner depends on the node
a request enters at). On errors, prints every issue with its path and exits 1.

options:
  -c, --config FILE   the configuration file (default: kvrc.json, searched upwards)
  -h, --help          this help

example:
  kvmesh check --config kvrc.json`,
  async run(args, io) {
    const parsed = parse('check', args, configOption, 0);
    const loaded = await load(parsed.string('config'));
    io.out(`${loaded.filepath ?? 'configuration'}: valid`);
    for (const line of topologyLines(loaded)) io.out(line);
    for (const line of warningLines(loaded)) io.out(line);
    return 0;
  },
};
