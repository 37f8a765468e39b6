/**
 * `npm run bench`: the project's own benchmark suite. Every kvmesh figure is printed next to
 * its floor (bare workers, ports and servers with nothing of kvmesh around them, measured in the
 * same run moments before) with the ratio. Rounds are interleaved and the table shows medians. Never fails.
 * Options: --rounds N (default 3), --only GROUP[,GROUP] (port, hop, cluster, 1m, tcp, partition, reshard), --json FILE.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { formatTable, median } from './lib.js';
import type { Row, RowKey } from './lib.js';
import { clusterScenario, hopScenario, millionScenario, portScenario } from './scenarios.js';
import { tcpScenario } from './tcp.js';
import { partitionScenario } from './partition.js';
import { reshardScenario } from './reshard.js';

const USAGE = 'usage: node build/bench/run.js [--rounds N] [--only port,hop,cluster,1m,tcp,partition,reshard] [--json FILE]';
const GROUPS = ['port', 'hop', 'cluster', '1m', 'tcp', 'partition', 'reshard'];
function usageError(message: string): never {
  console.error(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}
let values: { rounds: string; only?: string | undefined; json?: string | undefined; help?: boolean | undefined };
try {
  ({ values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, only: { type: 'string' }, json: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
} catch (e) {
  usageError((e as Error).message);
}
if (values.help === true) {
  console.log(USAGE);
  process.exit(0);
}
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) usageError(`--rounds must be a whole number ≥ 1, received ${JSON.stringify(values.rounds)}`);
const only = values.only?.split(',');
const unknown = only?.find((g) => !GROUPS.includes(g));
if (unknown !== undefined) usageError(`--only: unknown group ${JSON.stringify(unknown)} (groups: ${GROUPS.join(', ')})`);
const scenarios = { port: portScenario, hop: hopScenario, cluster: clusterScenario, '1m': millionScenario, tcp: tcpScenario, partition: partitionScenario, reshard: reshardScenario };

const rows = new Map<string, Row>();
const record = (key: RowKey, floor: number, value: number): void => {
  const id = `${key.group}|${key.name}|${key.floorName}`;
  let row = rows.get(id);
  if (row === undefined) rows.set(id, (row = { ...key, floor: [], value: [] }));
  row.floor.push(floor);
  row.value.push(value);
};

const machine = `${cpus().length} vCPU ${cpus()[0]?.model.trim() ?? ''}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
console.log(
  `kvmesh bench: ${machine}; ${rounds} rounds, medians; load average at start ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const notes = new Set<string>();
// Warm-up: the first measurements of a fresh process run slow (JIT, first worker start); discard them.
await portScenario(() => undefined).catch(() => undefined);
for (let round = 1; round <= rounds; round++) {
  for (const [name, run] of Object.entries(scenarios)) {
    if (only !== undefined && !only.includes(name)) continue;
    process.stderr.write(`round ${round}/${rounds}: ${name} (load average ${loadavg()[0]?.toFixed(2) ?? '?'})\n`);
    try {
      const note = await run(record);
      if (typeof note === 'string') notes.add(note);
    } catch (e) {
      // A benchmark prints figures; it never fails the build.
      notes.add(`${name}: failed: ${(e as Error).stack ?? String(e)}`);
    }
  }
}
console.log(formatTable([...rows.values()]));
for (const note of notes) console.log(`note: ${note}`);
console.log(
  `load average at end ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
if (values.json !== undefined) {
  const out = [...rows.values()].map((r) => ({ group: r.group, name: r.name, unit: r.unit, floorName: r.floorName, value: median(r.value), floor: median(r.floor), ratio: median(r.value) / median(r.floor), values: r.value, floors: r.floor, target: r.target?.text }));
  writeFileSync(values.json, JSON.stringify({ machine, rounds, rows: out }, null, 2));
}
// Every thread, port, socket and child closes, so the process ends by itself; should one leak, say which and end anyway.
setTimeout(() => {
  console.error(`bench: still open 5 s after the table: ${process.getActiveResourcesInfo().join(', ')}`);
  process.exit(0);
}, 5_000).unref();
