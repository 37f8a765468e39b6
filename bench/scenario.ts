/**
 * What scenario files cost (`kvmesh sim`, `runScenario`). Prints figures, asserts nothing.
 *   (a) one virtual minute of 5 nodes at 1,000 requests/s with faults (jitter and loss on some
 *       links, a partition, a kill, a table swap that keeps every bucket where it is), every
 *       check on: wall and CPU time of the run and of its checks, in this one thread;
 *   (b) --seeds of a 10-second version of it on the CPU's cores (piscina), as `kvmesh sim
 *       --seeds` runs them: seeds per second, and the time 1,000 seeds would take.
 *
 *   npm run build && node build/bench/scenario.js [--seeds N] [--jobs N]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadScenario } from '../src/scenariorun/load.js';
import { runLoaded } from '../src/scenariorun/run.js';
import { runSeeds } from '../src/scenariorun/seeds.js';
import type { ScenarioSpec } from '../src/scenario/spec.js';

const { values } = parseArgs({ options: { seeds: { type: 'string', default: '1000' }, jobs: { type: 'string', default: String(availableParallelism()) } } });
const SEEDS = Number(values.seeds);
const JOBS = Number(values.jobs);
if (!(SEEDS >= 0) || !(JOBS >= 1)) throw new TypeError('usage: scenario.js [--seeds N ≥ 0] [--jobs N ≥ 1]');

const NODES = ['n0', 'n1', 'n2', 'n3', 'n4'];
const table = ['a-e', 'f-j', 'k-o', 'p-t', 'u-z'].map((range, i) => ({ range, node: NODES[i] as string }));
/** The scenario, `seconds` long, its faults scaled to it. */
const scenario = (seconds: number): ScenarioSpec => {
  const at = (fraction: number): number => Math.round(seconds * 1000 * fraction);
  return {
    name: `${seconds} s, 5 nodes, 1,000 requests/s, faults`,
    config: { routingTable: table, nodes: NODES, timeout: 500 },
    seed: 1,
    durationMs: seconds * 1000,
    workload: { ratePerSec: 1000, mix: { get: 0.5, put: 0.4, delete: 0.1 }, buckets: 25, keysPerBucket: 100, enterAt: 'any', recreate: true },
    faults: [
      { atMs: 0, link: { from: 'n0', to: 'n1', jitterMs: 2, drop: 0.01 } },
      { atMs: 0, link: { from: 'client', to: 'n4', jitterMs: 0.5, drop: 0.01 } },
      { atMs: at(1 / 3), partition: [['n3'], ['n0', 'n1', 'n2', 'n4']] },
      { atMs: at(0.38), heal: true },
      { atMs: at(2 / 3), kill: 'n2' },
      // Every node gets the table it has: the swap moves nothing, so nothing may be lost.
      ...NODES.map((node) => ({ atMs: at(0.8), setRoutingTable: { node, table } })),
    ],
  };
};

const dir = mkdtempSync(join(tmpdir(), 'kvmesh-bench-scenario-'));
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(`kvmesh scenario bench: ${cpus().length} vCPU ${cpus()[0]?.model.trim() ?? ''}, Node ${process.version}; load average at start ${load()}`);
try {
  const minute = join(dir, 'minute.json');
  writeFileSync(minute, JSON.stringify(scenario(60)));
  const short = join(dir, 'ten.json');
  writeFileSync(short, JSON.stringify(scenario(10)));
  // Warm-up: a fresh process runs slow (JIT); the 10-second one, discarded.
  await runLoaded(await loadScenario(short));
  const ls = await loadScenario(minute);
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const r = await runLoaded(ls);
  const totalMs = performance.now() - t0;
  const { user, system } = process.cpuUsage(cpu);
  console.log(
    `\n(a) ${r.scenario.name}: ${r.requests.total.toLocaleString('en')} requests (${Object.entries(r.requests.byOutcome)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}), verdict ${r.verdict}`,
  );
  console.log(`  wall ${(totalMs / 1000).toFixed(2)} s in all (CPU ${((user + system) / 1e6).toFixed(2)} s): the run ${(r.wallMs / 1000).toFixed(2)} s, the checks ${(r.checkMs / 1000).toFixed(2)} s`);
  for (const [name, c] of Object.entries(r.checks) as [string, { verdict: string; summary: string }][]) console.log(`  ${name}: ${c.verdict}: ${c.summary}`);
  if (SEEDS > 0) {
    const jobs = Math.min(JOBS, SEEDS);
    const s0 = performance.now();
    const results = await runSeeds({ ...(await loadScenario(short)), file: short }, 1, SEEDS, jobs, dir);
    const seconds = (performance.now() - s0) / 1000;
    const bad = results.filter((x) => x.verdict !== 'ok');
    console.log(
      `\n(b) ${SEEDS} seeds of the 10-second scenario on ${jobs} threads: ${seconds.toFixed(1)} s, ${(SEEDS / seconds).toFixed(2)} seeds/s (1,000 seeds: ${((1000 / SEEDS) * seconds).toFixed(0)} s); ${bad.length} not ok${
        bad.length > 0
          ? `: ${bad
              .slice(0, 10)
              .map((x) => `${x.seed} ${x.verdict} (${[...x.failed, ...x.unknown].join(', ')})`)
              .join('; ')}`
          : ''
      }`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`\nload average at end ${load()}`);
