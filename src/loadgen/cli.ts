/** `kvmesh bench` as a subcommand of the CLI (src/cli.ts loads it on demand). */
import type { CliCommand } from '../cli/command.js';
import { BENCH_USAGE, benchCommand } from './command.js';

/** The bench subcommand. */
export const bench: CliCommand = {
  name: 'bench',
  summary: 'benchmark the configured cluster: ops/s, latency percentiles, messages and hops per op',
  help: BENCH_USAGE,
  run: (args, io) => benchCommand([...args], io),
};
