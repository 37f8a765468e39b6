/** What every `kvmesh` subcommand provides, and the helpers they share: argument parsing, user errors, output files. */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { loadConfig } from '../cluster/load-config.js';
import type { LoadedConfig } from '../cluster/load-config.js';
import { Errors, KvError } from '../protocol/errors.js';

/** Where a command writes: one line at a time (the binary's comes from src/cli/io.ts; tests pass their own). */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** Rewrites the status line (text led by `\r`, a finished one ends in `\n`); present only where a person watches (a terminal). */
  progress?: (text: string) => void;
}

/** A subcommand of `kvmesh`. */
export interface CliCommand {
  readonly name: string;
  /** One line for `kvmesh --help`. */
  readonly summary: string;
  /** The full `kvmesh NAME --help` text. */
  readonly help: string;
  /** Runs with the arguments after the command name; resolves with the exit code. */
  run(args: readonly string[], io: Io): Promise<number>;
}

/** Mistakes in the command line itself: printed one a line with a hint to `--help`, exit code 2, no stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  /** `command`: the subcommand whose arguments are wrong (undefined: kvmesh's own); `issues`: one message each. */
  constructor(
    readonly command: string | undefined,
    readonly issues: readonly string[],
  ) {
    super(issues.join('\n'));
  }
}

/** The `--config` option every command takes. */
export const configOption = { config: { type: 'string', short: 'c' } } as const;

/** Parsed options (strings and flags) and positionals. */
export interface Parsed {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
  /** The value of a string option. */
  readonly string: (name: string) => string | undefined;
}

/** `util.parseArgs` with strict options and at most `positionals` positionals; its errors become UsageErrors. */
export function parse(command: string, args: readonly string[], options: NonNullable<ParseArgsConfig['options']>, positionals: number): Parsed {
  let parsed: { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(command, [(e as Error).message]);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (parsed.positionals.length > positionals) {
    throw new UsageError(command, [`unexpected argument ${JSON.stringify(parsed.positionals[positionals])}`]);
  }
  return {
    values,
    positionals: parsed.positionals,
    string: (name) => {
      const v = values[name];
      return typeof v === 'string' ? v : undefined;
    },
  };
}

/** Loads and validates the configuration from `--config FILE`, or searches for kvrc.json from the working directory. */
export async function load(config: string | undefined): Promise<LoadedConfig> {
  try {
    return await loadConfig(config);
  } catch (e) {
    throw inFile(config, e);
  }
}

/** A KV_ERR_BAD_CONFIG error with the file named in its message when the user named it (`--config FILE`). */
export function inFile(config: string | undefined, e: unknown): unknown {
  if (e instanceof KvError && e.code === 'KV_ERR_BAD_CONFIG' && config !== undefined && !e.message.includes(config)) {
    return Errors.inFile(config, e);
  }
  return e;
}
