/**
 * `kvmesh sim --seeds N..M`: one scenario on many seeds, in parallel on a piscina pool of
 * threads (one run each; a simulation is single-threaded and CPU-bound), or in this thread for
 * one job. Each run keeps only its verdicts; the failing seeds are listed in seed order.
 */
import { Piscina } from 'piscina';
import type { CheckName } from '../scenario/spec.js';
import type { ScenarioReport } from '../scenario/report.js';
import { runLoaded } from './run.js';
import type { LoadedScenario } from './load.js';

/** What a thread is asked to run. */
export interface SeedTask {
  readonly file: string;
  readonly seed: number;
  readonly cwd: string;
}

/** What one seed gave. */
export interface SeedResult {
  readonly seed: number;
  readonly verdict: ScenarioReport['verdict'];
  readonly failed: readonly CheckName[];
  /** Checks that ran out of budget. */
  readonly unknown: readonly CheckName[];
  readonly wallMs: number;
  readonly traceHash: string | null;
}

/** The verdicts of one report. */
export function seedResult(seed: number, r: ScenarioReport): SeedResult {
  const unknown = (Object.keys(r.checks) as CheckName[]).filter((n) => r.checks[n]?.verdict === 'unknown');
  return { seed, verdict: r.verdict, failed: r.failed, unknown, wallMs: r.wallMs, traceHash: r.traceHash };
}

/** Runs seeds `from`..`to` of `ls` (a file) on `jobs` threads; `done(n)` after each. Results in seed order. */
export async function runSeeds(ls: LoadedScenario & { file: string }, from: number, to: number, jobs: number, cwd: string, done: (n: number) => void = () => undefined): Promise<SeedResult[]> {
  const seeds = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  let finished = 0;
  const tick = <T>(r: T): T => {
    done(++finished);
    return r;
  };
  if (jobs <= 1) {
    const out: SeedResult[] = [];
    for (const seed of seeds) out.push(tick(seedResult(seed, await runLoaded(ls, { seed, cwd }))));
    return out;
  }
  const pool = new Piscina({ filename: new URL('./seed-task.js', import.meta.url).href, minThreads: jobs, maxThreads: jobs, idleTimeout: 1000, atomics: 'disabled' });
  try {
    return await Promise.all(seeds.map((seed) => pool.run({ file: ls.file, seed, cwd } satisfies SeedTask).then((r: SeedResult) => tick(r))));
  } finally {
    await pool.destroy();
  }
}
