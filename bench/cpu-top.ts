/**
 * `node build/bench/cpu-top.js DIR [--top N] [--skip MS] [--rate OPS]`: the N (default 15)
 * functions with the most self time in each `.cpuprofile` of DIR (one per thread from
 * `node --cpu-prof`), after the thread's busy share and its split between kvmesh code, Node's
 * own JavaScript, native code and GC. `--skip`: leave out each profile's first MS ms (start-up);
 * `--rate`: the run's ops/s, to print CPU µs per op.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '15' }, skip: { type: 'string', default: '0' }, rate: { type: 'string' } } });
const dir = positionals[0] ?? '.';
const top = Number(values.top);
const skipUs = Number(values.skip) * 1000;
const rate = values.rate === undefined ? undefined : Number(values.rate);
const IDLE = new Set(['(idle)', '(program)']);

/** What kind of code a frame is, for the split. */
function kind(f: ProfileNode['callFrame']): string {
  if (f.functionName === '(garbage collector)') return 'gc';
  if (f.url.includes('/build/src/') || f.url.includes('/build/bench/')) return 'kvmesh';
  if (f.url.startsWith('node:')) return 'node js';
  return 'native';
}

for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .sort()) {
  const p = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const kinds = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let at = 0;
  p.samples.forEach((id, i) => {
    const us = p.timeDeltas[i] ?? 0;
    at += us;
    if (at < skipUs) return;
    const f = (byId.get(id) as ProfileNode).callFrame;
    total += us;
    if (IDLE.has(f.functionName)) {
      idle += us;
      return;
    }
    const name = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/build\//, '')}:${f.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + us);
    kinds.set(kind(f), (kinds.get(kind(f)) ?? 0) + us);
  });
  const busy = total - idle;
  const pct = (us: number): string => `${((100 * us) / busy).toFixed(1)}%`;
  // CPU µs per op: the sampled µs over the ops the run did in the sampled time.
  const perOp = (us: number): string => (rate === undefined ? '' : `${((us * 1e6) / (rate * total)).toFixed(2).padStart(6)} µs/op  `);
  console.log(
    `\n${file}: ${(total / 1000).toFixed(0)} ms sampled, ${((100 * busy) / total).toFixed(0)}% busy ${perOp(busy)}; of busy: ${[...kinds]
      .sort((a, b) => b[1] - a[1])
      .map(([k, us]) => `${k} ${pct(us)}`)
      .join(', ')}`,
  );
  for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us).padStart(6)}  ${(us / 1000).toFixed(1).padStart(7)} ms  ${perOp(us)}${name}`);
}
