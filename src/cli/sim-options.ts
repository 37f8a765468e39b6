/** The options of `kvmesh sim`, parsed and checked (every bad one reported at once) before anything runs. */
import { availableParallelism } from 'node:os';
import { UsageError, parse } from './command.js';

/** What `kvmesh sim` runs. */
export interface SimOptions {
  readonly file: string;
  readonly seed: number | undefined;
  /** `--seeds N..M`, both included. */
  readonly seeds: { readonly from: number; readonly to: number } | undefined;
  readonly jobs: number;
  readonly json: string | undefined;
  readonly trace: string | undefined;
  /** `--html FILE`: the page of the run (src/scenario/page.ts). */
  readonly html: string | undefined;
  readonly shrink: boolean;
  readonly shrinkRuns: number;
  readonly checkDeterminism: boolean;
  readonly host: 'sim' | 'threads';
}

const spec = {
  seed: { type: 'string' },
  seeds: { type: 'string' },
  jobs: { type: 'string' },
  json: { type: 'string' },
  trace: { type: 'string' },
  html: { type: 'string' },
  shrink: { type: 'boolean' },
  'shrink-runs': { type: 'string' },
  'check-determinism': { type: 'boolean' },
  host: { type: 'string' },
} as const;

const MAX_SEEDS = 1_000_000;
const integer = /^-?[0-9]+$/;

/** Parses the arguments after `sim`; throws a UsageError listing every bad option. */
export function parseSimOptions(args: readonly string[]): SimOptions {
  const parsed = parse('sim', args, spec, 1);
  const issues: string[] = [];
  const file = parsed.positionals[0];
  if (file === undefined) issues.push('missing SCENARIO (for example: kvmesh sim scenarios/guide-partition.json)');
  const seedText = parsed.string('seed');
  const seed = seedText === undefined ? undefined : Number(seedText);
  if (seedText !== undefined && !(integer.test(seedText) && Number.isSafeInteger(seed))) issues.push(`--seed must be a whole number, received ${JSON.stringify(seedText)}`);
  const seedsText = parsed.string('seeds');
  let seeds: SimOptions['seeds'];
  if (seedsText !== undefined) {
    const m = /^(-?[0-9]+)\.\.(-?[0-9]+)$/.exec(seedsText);
    const from = Number(m?.[1]);
    const to = Number(m?.[2]);
    if (m === null || !Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from > to) issues.push(`--seeds must be N..M with N ≤ M (for example 1..1000), received ${JSON.stringify(seedsText)}`);
    else if (to - from + 1 > MAX_SEEDS) issues.push(`--seeds runs at most ${MAX_SEEDS} seeds, received ${to - from + 1}`);
    else seeds = { from, to };
  }
  const jobsText = parsed.string('jobs');
  const jobs = jobsText === undefined ? availableParallelism() : Number(jobsText);
  if (jobsText !== undefined && !(/^[0-9]+$/.test(jobsText) && jobs >= 1 && jobs <= 256)) issues.push(`--jobs must be a whole number from 1 to 256, received ${JSON.stringify(jobsText)}`);
  const runsText = parsed.string('shrink-runs');
  const shrinkRuns = runsText === undefined ? 200 : Number(runsText);
  if (runsText !== undefined && !(/^[0-9]+$/.test(runsText) && shrinkRuns >= 1 && shrinkRuns <= 100_000)) issues.push(`--shrink-runs must be a whole number from 1 to 100000, received ${JSON.stringify(runsText)}`);
  const host = parsed.string('host') ?? 'sim';
  if (host !== 'sim' && host !== 'threads') issues.push(`--host must be sim or threads, received ${JSON.stringify(host)}`);
  for (const name of ['json', 'trace', 'html'] as const) if (parsed.string(name) === '') issues.push(`--${name} must name a file, received ""`);
  const shrink = parsed.values['shrink'] === true;
  const checkDeterminism = parsed.values['check-determinism'] === true;
  const trace = parsed.string('trace');
  if (seed !== undefined && seeds !== undefined) issues.push('--seed and --seeds do not go together (one seed, or a range)');
  if (seeds !== undefined && trace !== undefined) issues.push('--trace records one run: use it with --seed, not --seeds');
  if (seeds !== undefined && parsed.string('html') !== undefined) issues.push('--html draws one run: use it with --seed, not --seeds');
  if (host === 'threads') {
    const simOnly = [seeds !== undefined && '--seeds', shrink && '--shrink', checkDeterminism && '--check-determinism', trace !== undefined && '--trace'].filter((x): x is string => x !== false);
    if (simOnly.length > 0) issues.push(`${simOnly.join(', ')} need${simOnly.length === 1 ? 's' : ''} the simulation: not with --host threads (real time replays nothing)`);
  }
  if (issues.length > 0) throw new UsageError('sim', issues);
  return { file: file as string, seed, seeds, jobs, json: parsed.string('json'), trace, html: parsed.string('html'), shrink, shrinkRuns, checkDeterminism, host: host as 'sim' | 'threads' };
}
