/**
 * What shrinking a failing scenario may change, as data, and the scenario file each choice
 * stands for: which faults stay, a shorter duration, a lower rate, fewer buckets and keys, and
 * fewer nodes where the config allows (a node goes with every table entry naming it and every
 * fault naming it; the config is written out inline then). The runner hands these choices to
 * fast-check, which shrinks them while the same check still fails. Pure.
 */
import { defaults } from '../core/config-spec.js';
import type { KvConfig, NodeConfig, RouteEntrySpec, TableSpec } from '../core/config-spec.js';
import { isRing, isSlots, tableNodes } from '../core/partition.js';
import type { RoutingTable } from '../core/routing.js';
import type { Settings } from '../protocol/data.js';
import { CLIENT_NAME } from '../protocol/messages.js';
import type { Fault, FaultSpec, Scenario, ScenarioSpec } from './spec.js';

/** One candidate: what is kept of the original. */
export interface ShrinkChoice {
  /** Indexes (into the scenario's faults) of the faults kept. */
  readonly faults: readonly number[];
  readonly durationMs: number;
  readonly ratePerSec: number;
  /** A count, or the names kept (when the scenario names its buckets). */
  readonly buckets: number | readonly string[];
  readonly keysPerBucket: number;
  /** For each node of the config, in order: kept. */
  readonly keep: readonly boolean[];
}

/** The choice that stands for `s` itself. */
export function wholeChoice(s: Scenario, nodes: readonly string[]): ShrinkChoice {
  const w = s.workload;
  return { faults: s.faults.map((_, i) => i), durationMs: s.durationMs, ratePerSec: w.ratePerSec, buckets: w.buckets, keysPerBucket: w.keysPerBucket, keep: nodes.map(() => true) };
}

/** A range as written: `"a-z"`, `"a"` for printable ASCII, else `[from, to]`. */
function range(from: number, to: number): RouteEntrySpec['range'] {
  const printable = (b: number): boolean => b > 0x20 && b < 0x7f;
  if (!printable(from) || !printable(to)) return [from, to];
  return from === to ? String.fromCharCode(from) : `${String.fromCharCode(from)}-${String.fromCharCode(to)}`;
}

/** `table` as written, without the entries (or ring claims) of the nodes in `gone`. */
function entries(table: RoutingTable, gone: ReadonlySet<string> = new Set()): TableSpec {
  if (isRing(table)) return { ring: { size: table.ring.size, nodes: table.ring.nodes.filter((n) => !gone.has(n)) } };
  if (isSlots(table)) return { slots: table.slots.filter((e) => !gone.has(e.node)).map((e) => ({ slots: [e.from, e.to] as const, node: e.node })) };
  return table.filter((e) => !gone.has(e.node)).map((e): RouteEntrySpec => ({ range: range(e.from, e.to), node: e.node }));
}

/** A validated config written out again (module paths as `modulePath` gives them), without the nodes in `gone` and every entry naming them. */
export function configWithout(settings: Settings, gone: ReadonlySet<string>, modulePath: (path: string) => string): KvConfig {
  const nodes: Record<string, NodeConfig> = {};
  for (const n of settings.nodes) {
    if (gone.has(n.name)) continue;
    nodes[n.name] = {
      routingTable: entries(n.table, gone),
      ...(n.storage ? {} : { storage: false }),
      ...(n.restart === 'never' ? { restart: 'never' as const } : n.restart.maxRestarts === defaults.restart.maxRestarts && n.restart.withinMs === defaults.restart.withinMs ? {} : { restart: { ...n.restart } }),
      ...(n.resourceLimits === undefined ? {} : { resourceLimits: n.resourceLimits }),
    };
  }
  const modules = Object.fromEntries(settings.modules.map((m) => [m.name, { path: modulePath(m.path), cpu: m.cpu }]));
  // Only what differs from the defaults, as a person would write it.
  const set = <K extends 'hopLimit' | 'timeout' | 'heartbeatMs' | 'maxLineLength' | 'maxReplyBytes'>(k: K) => (settings[k] === defaults[k] ? {} : { [k]: settings[k] });
  return { nodes, ...(settings.modules.length > 0 ? { modules } : {}), ...set('hopLimit'), ...set('timeout'), ...set('heartbeatMs'), ...set('maxLineLength'), ...set('maxReplyBytes') };
}

/** A fault as a scenario file writes it. */
function written(f: Fault): FaultSpec {
  switch (f.kind) {
    case 'link':
      return { atMs: f.atMs, link: { from: f.from, to: f.to, ...f.settings } };
    case 'partition':
      return { atMs: f.atMs, partition: f.groups, ...(f.oneWay ? { oneWay: true } : {}) };
    case 'heal':
    case 'clear':
      return { atMs: f.atMs, [f.kind]: true };
    case 'setRoutingTable':
      return { atMs: f.atMs, setRoutingTable: { node: f.node, table: entries(f.table) } };
    default:
      return { atMs: f.atMs, [f.kind]: f.node };
  }
}

/** The names a fault uses (nodes, and `client`). */
function namesOf(f: Fault): string[] {
  if (f.kind === 'link') return [f.from, f.to];
  if (f.kind === 'partition') return f.groups.flat();
  if (f.kind === 'setRoutingTable') return [f.node, ...tableNodes(f.table)];
  return 'node' in f ? [f.node] : [];
}

/**
 * The scenario file `choice` stands for, at `seed`: `config` is the original's as written when
 * every node is kept, else `shrunkConfig(gone)`. Partition groups emptied by a removed node drop.
 */
export function candidate(s: Scenario, choice: ShrinkChoice, seed: number, nodes: readonly string[], shrunkConfig: (gone: ReadonlySet<string>) => KvConfig): ScenarioSpec {
  const gone = new Set(nodes.filter((_, i) => choice.keep[i] === false));
  const faults: FaultSpec[] = [];
  for (const i of choice.faults) {
    const f = s.faults[i];
    if (f === undefined || f.atMs > choice.durationMs) continue;
    if (f.kind === 'partition') {
      const groups = f.groups.map((g) => g.filter((n) => !gone.has(n))).filter((g) => g.length > 0);
      if (groups.length >= 2) faults.push(written({ ...f, groups }));
      continue;
    }
    if (namesOf(f).some((n) => gone.has(n) && n !== CLIENT_NAME)) continue;
    faults.push(written(f));
  }
  const w = s.workload;
  const enterAt = w.enterAt === 'any' ? 'any' : w.enterAt.filter((n) => !gone.has(n));
  return {
    ...(s.name === undefined ? {} : { name: `${s.name} (shrunk)` }),
    config: gone.size === 0 ? s.config : shrunkConfig(gone),
    seed,
    durationMs: choice.durationMs,
    workload: { ratePerSec: choice.ratePerSec, mix: { ...w.mix }, buckets: choice.buckets, keysPerBucket: choice.keysPerBucket, enterAt, recreate: w.recreate },
    faults,
    checks: s.checks,
    finalReads: s.finalReads,
    linearizableBudget: s.linearizableBudget,
  };
}
