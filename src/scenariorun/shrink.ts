/**
 * `kvmesh sim --shrink`: for a run where a check failed, fast-check shrinks the scenario (fewer
 * faults, a shorter duration, a lower rate, fewer buckets and keys, fewer nodes where the config
 * allows) while the same check still fails on the same seed, within a number of runs. The
 * candidates are data (`scenario/shrink.ts`): the seed stays, so each one replays exactly.
 */
import { writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import fc from 'fast-check';
import { Errors, KvError } from '../protocol/errors.js';
import { compactJson } from '../core/json.js';
import { candidate, configWithout, wholeChoice } from '../scenario/shrink.js';
import type { ShrinkChoice } from '../scenario/shrink.js';
import type { CheckName, ScenarioSpec } from '../scenario/spec.js';
import type { ScenarioReport } from '../scenario/report.js';
import { loadScenario } from './load.js';
import type { LoadedScenario } from './load.js';
import { runLoaded } from './run.js';

/** What shrinking found. */
export interface Shrunk {
  readonly spec: ScenarioSpec;
  readonly report: ScenarioReport;
  /** Where it was written. */
  readonly file: string;
  /** Scenarios run while shrinking. */
  readonly runs: number;
}

/** The arbitrary whose largest value is `whole`: every field may only get smaller. */
function choices(whole: ShrinkChoice): fc.Arbitrary<ShrinkChoice> {
  return fc.record({
    faults: fc.subarray([...whole.faults]),
    durationMs: fc.integer({ min: 1, max: whole.durationMs }),
    ratePerSec: fc.integer({ min: Math.min(1, Math.ceil(whole.ratePerSec)), max: Math.ceil(whole.ratePerSec) }),
    buckets: typeof whole.buckets === 'number' ? fc.integer({ min: 1, max: whole.buckets }) : fc.subarray([...whole.buckets], { minLength: 1 }),
    keysPerBucket: fc.integer({ min: 1, max: whole.keysPerBucket }),
    keep: fc.tuple(...whole.keep.map(() => fc.boolean())),
  });
}

/**
 * Shrinks `ls` (which fails `check` at `seed`), running at most `maxRuns` scenarios, and writes
 * the smallest failing one beside the scenario file as NAME.shrunk.json.
 */
export async function shrinkScenario(ls: LoadedScenario, seed: number, check: CheckName, maxRuns: number, progress: (runs: number) => void = () => undefined): Promise<Shrunk> {
  if (ls.file === undefined) throw Errors.badArgument('shrinking needs a scenario file to write the shrunk scenario beside');
  const dir = dirname(ls.file);
  const file = join(dir, `${basename(ls.file).replace(/(\.scenario)?\.json$/i, '')}.shrunk.json`);
  const nodes = ls.loaded.settings.nodes.map((n) => n.name);
  const whole = wholeChoice(ls.scenario, nodes);
  const modulePath = (p: string): string => {
    const rel = relative(dir, p).split('\\').join('/');
    return rel.startsWith('.') ? rel : `./${rel}`;
  };
  // The original config, relative to the new file: the same folder, so a path stays as written.
  const specOf = (c: ShrinkChoice): ScenarioSpec => candidate(ls.scenario, c, seed, nodes, (gone) => configWithout(ls.loaded.settings, gone, modulePath));
  let runs = 0;
  let best: { spec: ScenarioSpec; report: ScenarioReport } | undefined;
  const fails = async (c: ShrinkChoice): Promise<boolean> => {
    if (runs >= maxRuns) return false;
    let loaded: LoadedScenario;
    const spec = specOf(c);
    try {
      loaded = await loadScenario(spec, dir);
    } catch (e) {
      // A candidate the config does not allow (a table naming no node left, no entry node) is no smaller failure.
      if (e instanceof KvError && (e.code === 'KV_ERR_BAD_CONFIG' || e.code === 'KV_ERR_NO_ROUTE')) return false;
      throw e;
    }
    runs++;
    progress(runs);
    const report = await runLoaded({ ...loaded, file: ls.file }, { seed }).catch((e: unknown) => {
      if (e instanceof KvError && e.code === 'KV_ERR_NO_ROUTE') return undefined;
      throw e;
    });
    if (report === undefined) return false;
    const failed = report.checks[check]?.verdict === 'violation';
    if (failed) best = { spec, report };
    return failed;
  };
  await fc.check(
    fc.asyncProperty(choices(whole), async (c) => !(await fails(c))),
    { examples: [[whole]], numRuns: 1 },
  );
  if (best === undefined) throw Errors.badArgument(`seed ${seed}: check "${check}" does not fail, so there is nothing to shrink`);
  writeFileSync(file, `${compactJson(best.spec)}\n`);
  const shrunk = await loadScenario(file);
  return { spec: best.spec, report: await runLoaded(shrunk, { seed }), file, runs };
}
