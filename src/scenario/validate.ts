/**
 * Validating a scenario as `kvrc.json` is validated: every issue collected with its path and
 * reported together in one KV_ERR_BAD_CONFIG. `validateScenario` checks the file on its own;
 * `namesIssues` then checks the node names it uses against the loaded config. Pure.
 */
import type { Issue } from '../protocol/errors.js';
import { Collector, badConfig, describe, join } from '../core/issues.js';
import type { Json } from '../core/issues.js';
import { isRing, isSlots } from '../core/partition.js';
import { CHECKS, OPS, SCENARIO_BOUNDS, SCENARIO_DEFAULTS, SCENARIO_KEYS } from './spec.js';
import type { CheckName, Fault, Scenario, WorkloadOp } from './spec.js';
import { fault, flag, name, number } from './fault-spec.js';
import { CLIENT_NAME } from '../protocol/messages.js';

function workload(c: Collector, input: Json): Scenario['workload'] {
  const d = SCENARIO_DEFAULTS;
  const w = input === undefined ? {} : (c.object(input, 'workload', SCENARIO_KEYS.workload) ?? {});
  const ratePerSec = number(c, w['ratePerSec'], 'workload.ratePerSec', ...SCENARIO_BOUNDS.ratePerSec, false) ?? d.ratePerSec;
  let mix: Record<WorkloadOp, number> = { ...d.mix };
  if (w['mix'] !== undefined) {
    const m = c.object(w['mix'], 'workload.mix', SCENARIO_KEYS.mix);
    if (m !== undefined) {
      const weights = OPS.map((op) => number(c, m[op], `workload.mix.${op}`, 0, 1e9, false) ?? 0);
      const sum = weights.reduce((a, b) => a + b, 0);
      if (sum > 0) mix = Object.fromEntries(OPS.map((op, i) => [op, (weights[i] as number) / sum])) as Record<WorkloadOp, number>;
      else c.add('workload.mix', 'expected at least one weight above 0 (get, put, delete)');
    }
  }
  let buckets: number | string[] = d.buckets;
  const b = w['buckets'];
  if (Array.isArray(b)) {
    if (b.length === 0) c.add('workload.buckets', 'expected at least one bucket name');
    buckets = b.flatMap((x, i) => name(c, x, join('workload.buckets', i), 'a bucket name') ?? []);
    const twice = buckets.find((x, i) => buckets instanceof Array && buckets.indexOf(x) !== i);
    if (twice !== undefined) c.add('workload.buckets', `bucket ${JSON.stringify(twice)} is named twice`);
  } else if (b !== undefined) buckets = c.integer(b, 'workload.buckets', ...SCENARIO_BOUNDS.buckets) ?? d.buckets;
  const keysPerBucket = c.integer(w['keysPerBucket'], 'workload.keysPerBucket', ...SCENARIO_BOUNDS.keysPerBucket) ?? d.keysPerBucket;
  const e = w['enterAt'];
  let enterAt: 'any' | string[] = 'any';
  if (Array.isArray(e)) {
    if (e.length === 0) c.add('workload.enterAt', 'expected "any", a node name or a non-empty list of node names');
    enterAt = e.flatMap((x, i) => name(c, x, join('workload.enterAt', i)) ?? []);
  } else if (e !== undefined && e !== 'any') enterAt = [name(c, e, 'workload.enterAt', '"any", a node name or a list of node names') ?? ''].filter((x) => x !== '');
  const recreate = flag(c, w['recreate'], 'workload.recreate') ?? d.recreate;
  return { ratePerSec, mix, buckets, keysPerBucket, enterAt, recreate };
}

/** Validates a scenario as written; throws KV_ERR_BAD_CONFIG listing every issue (those `found` in the file first). */
export function validateScenario(input: Json, found: readonly Issue[] = []): Scenario {
  const c = new Collector();
  c.issues.push(...found);
  const top = c.object(input, '', SCENARIO_KEYS.top) ?? {};
  for (const key of ['$schema', 'name', 'description'] as const) if (top[key] !== undefined && typeof top[key] !== 'string') c.add(key, `expected a string but received ${describe(top[key])}`);
  const config = top['config'];
  if (typeof config !== 'string' && (config === null || typeof config !== 'object' || Array.isArray(config))) c.add('config', `expected the path of a config file or a config object but received ${describe(config)}`);
  const seed = number(c, top['seed'], 'seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true) ?? SCENARIO_DEFAULTS.seed;
  const durationMs = c.integer(top['durationMs'], 'durationMs', ...SCENARIO_BOUNDS.durationMs) ?? SCENARIO_DEFAULTS.durationMs;
  const w = workload(c, top['workload']);
  const faults: Fault[] = [];
  if (top['faults'] !== undefined && !Array.isArray(top['faults'])) c.add('faults', `expected an array of faults but received ${describe(top['faults'])}`);
  else {
    for (const [i, f] of ((top['faults'] as Json[] | undefined) ?? []).entries()) {
      const checked = fault(c, f, join('faults', i), i, durationMs);
      if (checked !== undefined) faults.push(checked);
    }
  }
  let checks: CheckName[] = [...CHECKS];
  const ch = top['checks'];
  if (ch !== undefined) {
    if (!Array.isArray(ch)) c.add('checks', `expected an array of check names (${CHECKS.join(', ')}) but received ${describe(ch)}`);
    else {
      checks = [];
      for (const [i, x] of ch.entries()) {
        if (!(CHECKS as readonly unknown[]).includes(x)) c.add(join('checks', i), `unknown check ${describe(x)} (checks: ${CHECKS.join(', ')})`);
        else if (checks.includes(x as CheckName)) c.add(join('checks', i), `check "${String(x)}" is listed twice`);
        else checks.push(x as CheckName);
      }
    }
  }
  const finalReads = flag(c, top['finalReads'], 'finalReads') ?? SCENARIO_DEFAULTS.finalReads;
  const linearizableBudget = c.integer(top['linearizableBudget'], 'linearizableBudget', ...SCENARIO_BOUNDS.linearizableBudget) ?? SCENARIO_DEFAULTS.linearizableBudget;
  if (c.issues.length > 0) throw badConfig(c.issues, 'scenario');
  // Stable: faults sharing an atMs keep their file order.
  faults.sort((a, b) => a.atMs - b.atMs || a.index - b.index);
  const text = (k: string): string | undefined => top[k] as string | undefined;
  return { name: text('name'), description: text('description'), config: config as Scenario['config'], seed, durationMs, workload: w, faults, checks, finalReads, linearizableBudget };
}

/** The issues of node names a valid scenario uses that the config does not have (`client` allowed where a link or partition takes it). */
export function namesIssues(s: Scenario, nodes: readonly string[]): Issue[] {
  const c = new Collector();
  const known = (n: string, path: string, client: boolean): void => {
    if (nodes.includes(n) || (client && n === CLIENT_NAME)) return;
    c.add(path, `unknown node "${n}" (nodes: ${nodes.join(', ')}${client ? `, and ${CLIENT_NAME}` : ''})`);
  };
  if (s.workload.enterAt !== 'any') s.workload.enterAt.forEach((n, i) => known(n, Array.isArray(s.workload.enterAt) && s.workload.enterAt.length > 1 ? `workload.enterAt[${i}]` : 'workload.enterAt', false));
  for (const f of s.faults) {
    const at = `faults[${f.index}].${f.kind}`;
    if (f.kind === 'link') {
      known(f.from, `${at}.from`, true);
      known(f.to, `${at}.to`, true);
    } else if (f.kind === 'partition') f.groups.forEach((g, i) => g.forEach((n, j) => known(n, `${at}[${i}][${j}]`, true)));
    else if (f.kind === 'kill' || f.kind === 'pause' || f.kind === 'resume') known(f.node, at, false);
    else if (f.kind === 'setRoutingTable') {
      known(f.node, `${at}.node`, false);
      const t = f.table;
      if (isRing(t)) t.ring.nodes.forEach((n, i) => known(n, `${at}.table.ring.nodes[${i}]`, false));
      else (isSlots(t) ? t.slots : t).forEach((e, i) => known(e.node, `${at}.table${isSlots(t) ? '.slots' : ''}[${i}].node`, false));
    }
  }
  return c.issues;
}
