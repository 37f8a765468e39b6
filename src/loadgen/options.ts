/** The options of `kvmesh bench`, parsed and checked (every bad one reported at once) without starting anything. */
import { UsageError, configOption, parse } from '../cli/command.js';
import type { Workload } from './workload.js';

/** What `kvmesh bench` runs. */
export interface BenchOptions {
  readonly config: string | undefined;
  readonly workload: Workload;
  readonly inflight: number;
  readonly durationS: number;
  /** Seconds each scenario runs before counting starts (JIT, pools, caches warm). */
  readonly warmupS: number;
  readonly batch: number;
  readonly clients: number;
  readonly keys: number;
  readonly json: string | undefined;
  /** Where to write the HTML page of the figures. */
  readonly html: string | undefined;
}

const spec = {
  ...configOption,
  workload: { type: 'string' },
  inflight: { type: 'string' },
  duration: { type: 'string' },
  warmup: { type: 'string' },
  batch: { type: 'string' },
  clients: { type: 'string' },
  keys: { type: 'string' },
  json: { type: 'string' },
  html: { type: 'string' },
} as const;

const WORKLOADS: readonly Workload[] = ['get', 'put', 'mixed'];

/** Parses the arguments after `bench`; throws a UsageError listing every bad option. */
export function parseBenchOptions(args: readonly string[]): BenchOptions {
  const parsed = parse('bench', args, spec, 0);
  const issues: string[] = [];
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const text = parsed.string(name);
    if (text === undefined) return fallback;
    const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
    if (!(n >= min && n <= max)) issues.push(`--${name} must be a whole number from ${min} to ${max}, received ${JSON.stringify(text)}`);
    return n;
  };
  const seconds = (name: string, fallback: number, zero: boolean): number => {
    const text = parsed.string(name);
    if (text === undefined) return fallback;
    const s = /^([0-9]+(\.[0-9]*)?|\.[0-9]+)$/.test(text) ? Number(text) : NaN;
    if (!((zero ? s >= 0 : s > 0) && s <= 3600)) issues.push(`--${name} must be a number of seconds ${zero ? 'from 0' : 'above 0'} to 3600, received ${JSON.stringify(text)}`);
    return s;
  };
  // Checked in the order of --help, so the issues read in that order.
  const workload = parsed.string('workload') ?? 'mixed';
  if (!(WORKLOADS as readonly string[]).includes(workload)) issues.push(`--workload must be get, put or mixed, received ${JSON.stringify(workload)}`);
  const inflight = integer('inflight', 64, 1, 100_000);
  const durationS = seconds('duration', 5, false);
  const warmupS = seconds('warmup', 1, true);
  const batch = integer('batch', 1, 1, 65_535);
  const clients = integer('clients', 0, 0, 64);
  const keys = integer('keys', 1000, 1, 10_000_000);
  const json = parsed.string('json');
  if (json === '') issues.push('--json must name a file, received ""');
  const html = parsed.string('html');
  if (html === '') issues.push('--html must name a file, received ""');
  const options: BenchOptions = { config: parsed.string('config'), workload: workload as Workload, inflight, durationS, warmupS, batch, clients, keys, json, html };
  if (issues.length > 0) throw new UsageError('bench', issues);
  return options;
}
