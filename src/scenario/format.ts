/** The report of a scenario run as text, the way `kvmesh sim` prints it. Pure. */
import type { Counts, ScenarioReport } from './report.js';
import type { CheckName } from './spec.js';

const counts = (c: Counts): string =>
  Object.entries(c)
    .sort(([a, x], [b, y]) => (a === 'ok' ? -1 : b === 'ok' ? 1 : y - x))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

const ms = (x: number): string => (Number.isFinite(x) ? String(x) : 'n/a');

/** Rows as aligned columns: those in `left` left-aligned, the others right-aligned. */
function table(rows: readonly (readonly string[])[], left: readonly number[]): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => `  ${r.map((c, i) => (left.includes(i) ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ')}`.trimEnd());
}

/** What one check found, a line for its verdict and the details of a failure. */
function checkLines(r: ScenarioReport, name: CheckName): string[] {
  const c = r.checks[name];
  if (c === undefined) return [];
  const head = `  ${name.padEnd(13)} ${c.verdict === 'ok' ? 'ok' : c.verdict.toUpperCase()}: ${c.summary}`;
  const out = [head];
  if (name === 'durability' && r.checks.durability !== undefined) {
    const d = r.checks.durability;
    for (const l of d.violations.slice(0, 2)) out.push(`    lost:    ${l.write}`, `    read:    ${l.read}`, `    why:     ${l.why}`);
    if (d.violationCount > 2) out.push(`    … and ${d.violationCount - 2} more`);
    if (d.lostWithNodeCount > 0) out.push(`    lost with their node: ${d.lostWithNodeCount} (the first: ${d.lostWithNode[0]?.write}; ${d.lostWithNode[0]?.why})`);
  }
  if (name === 'linearizable' && r.checks.linearizable?.witness !== undefined) {
    out.push('    smallest non-linearizable sub-history:', ...r.checks.linearizable.witness.lines.map((l) => `      ${l}`));
  }
  if (name === 'single-owner') for (const v of r.checks['single-owner']?.violations.slice(0, 3) ?? []) out.push(`    bucket "${v.bucket}" at ${v.t}: ${v.why}`);
  const around = r.around[name];
  if (around !== undefined && around.length > 0) out.push('    history around it:', ...around.map((l) => `      ${l}`));
  return out;
}

/** The report as lines of text. */
export function formatReport(r: ScenarioReport): string[] {
  const title = r.scenario.name ?? r.scenario.file ?? 'scenario';
  const host = r.host === 'sim' ? `simulated, deterministic, trace ${r.traceHash?.slice(0, 12) ?? '?'}` : 'worker threads, real time (not deterministic)';
  const unit = r.host === 'sim' ? 'virtual ms' : 'ms';
  const out = [
    `${title}: seed ${r.seed}, ${host}`,
    `  ${r.durationMs} ${unit} of workload from t=${r.start}, ${r.nodes.length} nodes (${r.nodes.join(', ')}), ${r.buckets.length} buckets × ${r.keysPerBucket} keys; ${r.wallMs} ms wall, checked in ${r.checkMs} ms`,
    `requests: ${r.requests.total} (${counts(r.requests.byOutcome) || 'none'})`,
  ];
  const ops = Object.keys(r.requests.byOp);
  if (ops.length > 0) {
    const rows = [['op', 'count', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'hops', 'outcomes']];
    for (const op of ops) {
      const q = r.latencyMs[op];
      const o = r.requests.byOp[op];
      rows.push([op, String(o?.total ?? 0), ms(q?.p50 ?? NaN), ms(q?.p90 ?? NaN), ms(q?.p99 ?? NaN), ms(q?.max ?? NaN), String(r.hopsPerOp[op] ?? 0), counts(o?.byOutcome ?? {})]);
    }
    out.push(...table(rows, [0, 7]));
  }
  for (const [phase, c] of Object.entries(r.other)) out.push(`  ${phase === 'setup' ? 'creates first' : phase === 'final' ? 'final reads' : 're-creates'}: ${counts(c)}`);
  out.push(`messages per request: ${r.messagesPerOp}`);
  out.push(
    `load (entered / owned / forwarded): ${Object.entries(r.load)
      .map(([n, l]) => `${n} ${l.entered}/${l.owned}/${l.forwarded}`)
      .join(', ')}`,
  );
  if (r.faults.length > 0) {
    out.push('faults:');
    for (const f of r.faults) out.push(`  at ${f.atMs} (t=${f.at}${f.done !== f.at ? `…${f.done}` : ''}): ${f.what}${f.error === undefined ? '' : ` FAILED: ${f.error}`}`);
  }
  if (r.nodeEvents.length > 0) out.push('nodes:', ...r.nodeEvents.map((e) => `  t=${e.t} ${e.node} ${e.event}${e.reason === undefined ? '' : ` (${e.reason})`}`));
  out.push('checks:');
  for (const name of ['durability', 'linearizable', 'single-owner'] as const) out.push(...checkLines(r, name));
  out.push(`verdict: ${r.verdict === 'ok' ? 'ok, every check holds' : r.verdict === 'unknown' ? 'unknown (a check ran out of budget)' : `FAILED (${r.failed.join(', ')})`}`);
  if (r.replay !== null) out.push(`replay: ${r.replay}`);
  return out;
}
