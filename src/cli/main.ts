/**
 * The kvmesh command line as a function: `main(argv, io)` runs `kvmesh start | check | route | plan | bench | sim`
 * and resolves with the exit code. src/cli.ts is the binary around it; tests call it in-process.
 */
import { KvError } from '../protocol/errors.js';
import type { CliCommand, Io } from './command.js';
import { UsageError } from './command.js';
import { packageVersion } from './version.js';

/** Every subcommand, loaded on demand so `check` and `route` start no threads and load no more than they need. */
export const commands: Readonly<Record<string, { summary: string; load: () => Promise<CliCommand> }>> = {
  start: { summary: 'start the cluster and its TCP servers; run until Ctrl-C', load: async () => (await import('./start.js')).start },
  check: { summary: 'validate and lint the configuration without starting anything', load: async () => (await import('./check.js')).check },
  route: { summary: 'print the path a request for BUCKET takes, and its owner or error', load: async () => (await import('./route.js')).route },
  plan: { summary: 'print what changing the configuration to another would move, without starting anything', load: async () => (await import('./plan.js')).plan },
  bench: { summary: 'benchmark the configured cluster: ops/s, latency percentiles, messages and hops per op', load: async () => (await import('../loadgen/cli.js')).bench },
  sim: { summary: 'run a scenario file (workload, faults, checks) on the simulation, on one seed or many', load: async () => (await import('./sim.js')).sim },
};

/** The text of `kvmesh --help`. */
export function usage(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const list = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return ['usage: kvmesh COMMAND [options]', '', 'commands:', ...list, '', 'options:', '  -h, --help          this help', '  -v, --version       the version of kvmesh', '', 'Run `kvmesh COMMAND --help` for the options of a command.'].join('\n');
}

const isHelp = (arg: string | undefined): boolean => arg === '--help' || arg === '-h';

/** Runs the command line `argv` (without node and the script); resolves with the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined) {
      io.err(usage());
      return 2;
    }
    if (isHelp(name) || (name === 'help' && rest[0] === undefined)) {
      io.out(usage());
      return 0;
    }
    if (name === '--version' || name === '-v') {
      io.out(`kvmesh ${packageVersion()}`);
      return 0;
    }
    // `kvmesh help NAME` is `kvmesh NAME --help`.
    const topic = name === 'help' ? (rest[0] as string) : name;
    const entry = commands[topic];
    if (entry === undefined) throw new UsageError(undefined, [`unknown command ${JSON.stringify(topic)} (commands: ${Object.keys(commands).join(', ')})`]);
    const command = await entry.load();
    // `--help` anywhere after the command name, for every command: answered here, once.
    if (name === 'help' || rest.some(isHelp)) {
      io.out(command.help);
      return 0;
    }
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      const prefix = e.command === undefined ? 'kvmesh' : `kvmesh ${e.command}`;
      for (const issue of e.issues) io.err(`${prefix}: ${issue}`);
      io.err(`Run \`${prefix} --help\` for usage.`);
      return 2;
    }
    if (e instanceof KvError) {
      io.err(`kvmesh: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
