/**
 * `kvmesh sim SCENARIO.json`: runs a scenario (topology, workload, fault timeline, checks) on
 * the simulation, or on worker threads, on one seed or many; prints the report, writes it as
 * JSON, as a page of charts (--html), the trace, or the smallest scenario that still fails. Exit code 0 when every check
 * holds, 1 when one fails (or cannot be decided), 2 for a bad command line or scenario file.
 */
import { writeFileSync } from 'node:fs';
import { KvError } from '../protocol/errors.js';
import type { TraceEvent } from '../sim/trace.js';
import { formatReport } from '../scenario/format.js';
import type { ScenarioReport } from '../scenario/report.js';
import { loadScenario } from '../scenariorun/load.js';
import type { LoadedScenario } from '../scenariorun/load.js';
import { runLoaded } from '../scenariorun/run.js';
import { runSeeds } from '../scenariorun/seeds.js';
import type { SeedResult } from '../scenariorun/seeds.js';
import { shrinkScenario } from '../scenariorun/shrink.js';
import { Bar, status } from '../loadgen/progress.js';
import { checkWritable } from './files.js';
import type { CliCommand, Io } from './command.js';
import { parseSimOptions } from './sim-options.js';
import { packageVersion } from './version.js';
import type { SimOptions } from './sim-options.js';
import { simPage } from '../scenario/page.js';

const HELP = `usage: kvmesh sim SCENARIO.json [--seed N | --seeds N..M] [--json FILE] [--html FILE]
                    [--trace FILE] [--shrink] [--check-determinism] [--host sim|threads]
                    [--jobs N]

Runs a scenario file: a cluster (its config, or a path to one), a workload, a timeline of
faults and the checks to run over the recorded history (durability, linearizable,
single-owner; schema/scenario.schema.json documents the file). Prints requests by outcome,
virtual latency quantiles, hops and messages per request, per-node load, each fault as it
happened and each check's verdict; for a failure, the operations around it. The same
scenario and seed give the same run, event for event: the replay line reruns it.
Exit code 0 when every check holds, 1 when one fails or cannot decide, 2 for a bad
command line or scenario file.

options:
      --seed N        the seed (default: the scenario's "seed", else 1)
      --seeds N..M    run every seed from N to M in parallel; list the failing ones
      --jobs N        threads for --seeds (default: the CPU's cores)
      --json FILE     also write the report (or every seed's verdicts) as JSON
      --html FILE     also write one run's report as a self-contained page of charts
                      (requests/s and latency over time with the faults marked, load
                      per node, latency histogram; no script, nothing fetched)
      --trace FILE    write every event of the simulation, one JSON object a line
      --shrink        on a failure, shrink the scenario while the same check fails
                      and write the smallest one beside SCENARIO as NAME.shrunk.json
      --shrink-runs N scenarios run at most while shrinking (default 200)
      --check-determinism
                      run twice and fail unless both traces are the same
      --host H        sim (virtual time, the default) or threads (worker threads in
                      real time: a benchmark, or to confirm a finding; not deterministic)
  -h, --help          this help

example:
  kvmesh sim scenarios/guide-partition.json --seed 7
  kvmesh sim scenarios/guide-partition.json --html partition.html
  kvmesh sim scenarios/table-swap.json --seeds 1..100 --shrink`;

/** The `sim` command. */
export const sim: CliCommand = {
  name: 'sim',
  summary: 'run a scenario file (workload, faults, checks) on the simulation, on one seed or many',
  help: HELP,
  async run(args, io) {
    const o = parseSimOptions(args);
    let ls: LoadedScenario;
    try {
      for (const [flag, file, what] of [
        ['--json', o.json, 'the report'],
        ['--html', o.html, 'the page'],
        ['--trace', o.trace, 'the trace'],
      ] as const)
        if (file !== undefined) checkWritable(file, flag, what);
      ls = await loadScenario(o.file);
    } catch (e) {
      if (!(e instanceof KvError) || (e.code !== 'KV_ERR_BAD_CONFIG' && e.code !== 'KV_ERR_BAD_ARGUMENT')) throw e;
      io.err(`kvmesh sim: ${e.message}`);
      return 2;
    }
    return o.seeds === undefined ? one(ls, o, io) : many(ls, o, io);
  },
};

function writeJson(file: string | undefined, value: unknown): void {
  if (file !== undefined) writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** One seed: the report, and what the options add to it. */
async function one(ls: LoadedScenario, o: SimOptions, io: Io): Promise<number> {
  const bar = io.progress === undefined ? undefined : new Bar(io, `${o.host === 'sim' ? 'simulating' : 'running on threads'} ${ls.scenario.durationMs} ms`);
  let events: readonly TraceEvent[] = [];
  const report = await runLoaded(ls, {
    host: o.host,
    checkDeterminism: o.checkDeterminism,
    ...(o.seed === undefined ? {} : { seed: o.seed }),
    ...(o.trace === undefined ? {} : { onTrace: (e: readonly TraceEvent[]) => (events = e) }),
    ...(bar === undefined ? {} : { onProgress: (f: number) => bar.update(f) }),
  }).finally(() => bar?.done());
  for (const line of formatReport(report)) io.out(line);
  if (o.checkDeterminism) io.out(`determinism: two runs, the same trace (${report.traceHash})`);
  if (o.trace !== undefined) writeFileSync(o.trace, events.map((e) => JSON.stringify(e)).join('\n') + (events.length > 0 ? '\n' : ''));
  writeJson(o.json, report);
  if (o.html !== undefined) writeFileSync(o.html, simPage(report));
  if (o.shrink && report.failed.length > 0) await shrink(ls, report.seed, report, o, io);
  return report.verdict === 'ok' ? 0 : 1;
}

/** Many seeds: the failing ones, and the replay of the first. */
async function many(ls: LoadedScenario, o: SimOptions, io: Io): Promise<number> {
  const { from, to } = o.seeds as NonNullable<SimOptions['seeds']>;
  const n = to - from + 1;
  const jobs = Math.min(o.jobs, n);
  const bar = io.progress === undefined ? undefined : new Bar(io, `${n} seeds on ${jobs} thread${jobs === 1 ? '' : 's'}`);
  const t0 = Date.now();
  const results = await runSeeds(ls as LoadedScenario & { file: string }, from, to, jobs, process.cwd(), (d) => bar?.update(d / n)).finally(() => bar?.done());
  const seconds = (Date.now() - t0) / 1000;
  const bad = results.filter((r) => r.verdict !== 'ok');
  const failed = bad.filter((r) => r.verdict === 'violation');
  io.out(`seeds ${from}..${to}: ${n} runs in ${seconds.toFixed(1)} s on ${jobs} thread${jobs === 1 ? '' : 's'}: ${n - bad.length} ok, ${failed.length} failed, ${bad.length - failed.length} unknown`);
  const show = (r: SeedResult): string => `${r.seed} (${[...r.failed, ...r.unknown.map((u) => `${u}: unknown`)].join(', ')})`;
  if (bad.length > 0) io.out(`failing seeds: ${bad.slice(0, 50).map(show).join(', ')}${bad.length > 50 ? `, … (${bad.length - 50} more)` : ''}`);
  const first = bad[0];
  if (first !== undefined) io.out(`replay: kvmesh sim ${o.file} --seed ${first.seed}`);
  writeJson(o.json, { kvmesh: packageVersion(), scenario: { file: ls.file ?? null, name: ls.scenario.name ?? null }, seeds: { from, to }, seconds, jobs, results });
  if (o.shrink && failed[0] !== undefined) {
    const report = await runLoaded(ls, { seed: failed[0].seed });
    await shrink(ls, failed[0].seed, report, o, io);
  }
  return bad.length === 0 ? 0 : 1;
}

/** Shrinks the failure of `report` and prints the smallest scenario's report. */
async function shrink(ls: LoadedScenario, seed: number, report: ScenarioReport, o: SimOptions, io: Io): Promise<void> {
  const check = report.failed[0] as NonNullable<(typeof report.failed)[number]>;
  status(io, `shrinking while ${check} fails on seed ${seed} (at most ${o.shrinkRuns} runs)`);
  const bar = io.progress === undefined ? undefined : new Bar(io, 'shrinking');
  const s = await shrinkScenario(ls, seed, check, o.shrinkRuns, (runs) => bar?.update(runs / o.shrinkRuns)).finally(() => bar?.done());
  io.out('');
  io.out(`shrunk in ${s.runs} runs: ${s.file}`);
  io.out(`  ${s.spec.faults?.length ?? 0} faults, ${s.spec.durationMs} ms, ${s.spec.workload?.ratePerSec} requests/s, ${s.report.buckets.length} buckets × ${s.report.keysPerBucket} keys, ${s.report.nodes.length} nodes`);
  for (const line of formatReport(s.report)) io.out(line);
}
