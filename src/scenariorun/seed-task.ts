/** A thread of `kvmesh sim --seeds` (piscina task file): runs one seed of a scenario file and returns its verdicts. */
import { loadScenario } from './load.js';
import type { LoadedScenario } from './load.js';
import { runLoaded } from './run.js';
import type { SeedResult, SeedTask } from './seeds.js';
import { seedResult } from './seeds.js';

// Each thread loads a scenario once, for all the seeds it runs.
const loaded = new Map<string, Promise<LoadedScenario>>();

/** Runs `task.seed` of `task.file`. */
export default async function run(task: SeedTask): Promise<SeedResult> {
  let ls = loaded.get(task.file);
  if (ls === undefined) loaded.set(task.file, (ls = loadScenario(task.file)));
  return seedResult(task.seed, await runLoaded(await ls, { seed: task.seed, cwd: task.cwd }));
}
