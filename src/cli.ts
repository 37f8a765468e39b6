#!/usr/bin/env node
/**
 * The kvmesh command line: `kvmesh start | check | route | bench`.
 * User errors print one clear message and exit non-zero, without a stack trace.
 */
import { KvError } from './protocol/errors.js';
import type { CliCommand, Io } from './cli/command.js';
import { UsageError } from './cli/command.js';

/** Every subcommand, loaded on demand so `check` and `route` start no threads and load no more than they need. */
const commands: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  start: { summary: 'start the cluster and its TCP servers; run until Ctrl-C', load: async () => (await import('./cli/start.js')).start },
  check: { summary: 'validate and lint the configuration without starting anything', load: async () => (await import('./cli/check.js')).check },
  route: { summary: 'print the path a request for BUCKET takes, and its owner or error', load: async () => (await import('./cli/route.js')).route },
  bench: { summary: 'benchmark the configured cluster: ops/s, latency percentiles, messages and hops per op', load: async () => (await import('./loadgen/cli.js')).bench },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const list = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return ['usage: kvmesh COMMAND [options]', '', 'commands:', ...list, '', 'Run `kvmesh COMMAND --help` for the options of a command.'].join('\n');
}

/** Runs the command line `argv` (without node and the script); resolves with the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic !== undefined && commands[topic] !== undefined) return main([topic, '--help'], io);
    if (name === undefined) {
      io.err(usage());
      return 2;
    }
    io.out(usage());
    return 0;
  }
  const entry = commands[name];
  try {
    if (entry === undefined) throw new UsageError(`unknown command ${JSON.stringify(name)} (commands: ${Object.keys(commands).join(', ')})`);
    const command = await entry.load();
    // `--help` anywhere after the command name, for every command: answered here, once.
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(command.help);
      return 0;
    }
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`kvmesh ${e.message}\nRun \`kvmesh ${entry === undefined ? '' : `${name} `}--help\` for usage.`);
      return 2;
    }
    if (e instanceof KvError) {
      io.err(`kvmesh: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

const io: Io = { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) };
main(process.argv.slice(2), io).then(
  (code) => {
    // No forced exit: every command closes what it opened, and the process ends by itself.
    process.exitCode = code;
  },
  (e: unknown) => {
    // Not a user error: a bug, so the stack trace helps.
    console.error(e);
    process.exitCode = 1;
  },
);
