/** A plan as `kvmesh plan` prints it (and `formatPlan(cluster.plan(next))` gives): lines of plain text. Pure. */
import { quoteBytes } from '../core/bytes.js';
import type { Plan } from './plan.js';

const MAX_BUCKETS = 20;
const UNIT = { ranges: 'byte', slots: 'slot', ring: 'partition' } as const;

/** Bytes as they read: `812 B`, `15.1 KiB`, `2.40 MiB`. */
export function formatBytesSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The lines of `plan`. */
export function formatPlan(plan: Plan): string[] {
  const lines: string[] = [];
  const { before, after } = plan.partitioner;
  const changes = [before === after ? before : `${before} → ${after}`];
  if (plan.joining.length > 0) changes.push(`joining: ${plan.joining.join(', ')}`);
  if (plan.leaving.length > 0) changes.push(`leaving: ${plan.leaving.join(', ')}`);
  lines.push(`plan: ${changes.join('; ')}`);
  const width = Math.max(4, ...plan.ownership.map((o) => o.node.length));
  const word = UNIT[after];
  lines.push(`ownership (share of the ${word}s each node keeps):`, `  ${'node'.padEnd(width)}    before     after`);
  for (const o of plan.ownership) lines.push(`  ${o.node.padEnd(width)}  ${pct(o.before).padStart(8)}  ${pct(o.after).padStart(8)}`);
  if (before !== after) lines.push('units that move: the partitioner changes, so units do not compare (see the buckets)');
  else if (plan.units.length === 0) lines.push('units that move: none');
  else {
    lines.push('units that move:');
    for (const u of plan.units) lines.push(`  ${u.from} → ${u.to ?? '(no owner)'}: ${plural(u.count, word)}: ${u.units}`);
  }
  lines.push(...bucketLines(plan));
  if (plan.traffic !== undefined) {
    const { before: b, after: a } = plan.traffic;
    const hops = (r: typeof b): string => (r.ops - r.failed === 0 ? 'n/a' : (r.hops / (r.ops - r.failed)).toFixed(2));
    lines.push(`traffic (${plural(b.ops, 'recorded op')}): hops per op ${hops(b)} → ${hops(a)}${b.failed + a.failed > 0 ? `; ops with no owner ${b.failed} → ${a.failed}` : ''}`);
    for (const node of new Set([...b.load.keys(), ...a.load.keys()])) lines.push(`  ${node.padEnd(width)}  ${String(b.load.get(node) ?? 0).padStart(8)} → ${String(a.load.get(node) ?? 0)} ops`);
  }
  const findings = [...plan.lint.errors.map((e) => `error: ${e}`), ...plan.lint.warnings.map((w) => `warning: ${w}`)];
  lines.push(findings.length === 0 ? 'new lint findings: none' : 'new lint findings:', ...findings.map((f) => `  ${f}`));
  return lines;
}

function bucketLines(plan: Plan): string[] {
  if (plan.bucketSource === 'none') return ['buckets that move: unknown without a cluster or --traffic (the units above are what moves)'];
  const keys = plan.moves.reduce((n, m) => n + m.keys, 0);
  const bytes = plan.moves.reduce((n, m) => n + m.bytes, 0);
  const source = plan.bucketSource === 'cluster' ? 'in the cluster' : 'as the recorded writes left them';
  const lines = [`buckets that move (${source}): ${plan.moves.length} of ${plan.buckets}, ${plural(keys, 'key')}, ${formatBytesSize(bytes)}`];
  for (const m of plan.moves.slice(0, MAX_BUCKETS)) lines.push(`  ${quoteBytes(m.bucket)}: ${m.from} → ${m.to ?? '(no owner: it would be lost)'}, ${plural(m.keys, 'key')}, ${formatBytesSize(m.bytes)}`);
  if (plan.moves.length > MAX_BUCKETS) lines.push(`  … and ${plan.moves.length - MAX_BUCKETS} more`);
  return lines;
}
