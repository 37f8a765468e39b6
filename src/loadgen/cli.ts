/** `kvmesh bench` as a subcommand of the CLI (src/cli/main.ts loads it on demand). */
import type { CliCommand } from '../cli/command.js';
import { runBench } from './command.js';
import { parseBenchOptions } from './options.js';

/** The bench subcommand. */
export const bench: CliCommand = {
  name: 'bench',
  summary: 'benchmark the configured cluster: ops/s, latency percentiles, messages and hops per op',
  help: `usage: kvmesh bench [--config FILE] [--workload get|put|mixed] [--inflight N] [--duration S]
                    [--warmup S] [--batch N] [--clients N] [--keys N] [--json FILE]
                    [--html FILE]

Starts the nodes of kvrc.json (or FILE) without their TCP servers (the load goes through the
API, so a bench runs beside \`kvmesh start\`), creates four buckets on every node that owns
data, preloads them (get and mixed), and runs each scenario: single ops, then batches with
--batch. Each scenario warms up for --warmup seconds, not counted, then counts --duration
seconds: ops/s, p50/p99/p99.9/max latency per call, messages and hops per op. A terminal
shows the stages and a progress bar on stderr; the table goes to stdout.

options:
  -c, --config FILE   the configuration file (default: kvrc.json, searched upwards)
      --workload W    get, put, or mixed (75 % get, 25 % put; the default)
      --inflight N    calls kept in flight in total (default 64)
      --duration S    seconds counted per scenario (default 5)
      --warmup S      seconds of warm-up per scenario before counting (default 1; 0: none)
      --batch N       also run the workload as batches of N ops (KvClient.batch)
      --clients N     load from N client threads (default 0: the main thread)
      --keys N        keys per bucket (default 1000)
      --json FILE     also write the options, the machine, and every scenario's figures
                      and latency histogram to FILE
      --html FILE     also write a page of charts to FILE (one file, no network needed):
                      latency histogram, ops/s over time and load per node for each
                      scenario, hops and messages per op
  -h, --help          this help

example:
  kvmesh bench --duration 2 --batch 64 --json bench.json --html bench.html`,
  run: async (args, io) => runBench(parseBenchOptions(args), io),
};
