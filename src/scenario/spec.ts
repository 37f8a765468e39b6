/**
 * A scenario file as users write it (`*.scenario.json`, schema/scenario.schema.json): the
 * topology, a workload, a timeline of faults and the checks to run, and what it is once
 * validated (defaults filled in). Pure: types, keys and defaults only.
 */
import type { KvConfig, RouteEntrySpec } from '../core/config-spec.js';
import type { RoutingTable } from '../core/routing.js';

/** The checks a scenario can run over its history. */
export const CHECKS = ['durability', 'linearizable', 'single-owner'] as const;
export type CheckName = (typeof CHECKS)[number];

/** The operations of a workload. */
export const OPS = ['get', 'put', 'delete'] as const;
export type WorkloadOp = (typeof OPS)[number];

/** The settings of one direction of a link a `link` fault changes. */
export const LINK_SETTINGS = ['delayMs', 'jitterMs', 'drop', 'duplicate'] as const;

/** One fault as written: `atMs` and exactly one of the kinds. */
export interface FaultSpec {
  readonly atMs: number;
  readonly link?: { readonly from: string; readonly to: string; readonly delayMs?: number; readonly jitterMs?: number; readonly drop?: number; readonly duplicate?: number };
  /** Two or more groups of node names (and `client`): every direction between two groups is cut. */
  readonly partition?: readonly (readonly string[])[];
  /** With `partition`: cut only from each group to the groups after it. */
  readonly oneWay?: boolean;
  readonly heal?: true;
  readonly clear?: true;
  readonly kill?: string;
  readonly pause?: string;
  readonly resume?: string;
  readonly setRoutingTable?: { readonly node: string; readonly table: readonly RouteEntrySpec[] };
}

/** The workload as written. */
export interface WorkloadSpec {
  /** Requests issued per virtual second, spread evenly with a random offset each. Default 100. */
  readonly ratePerSec?: number;
  /** Relative weights of the operations. Default `{ get: 0.5, put: 0.5 }`. */
  readonly mix?: { readonly get?: number; readonly put?: number; readonly delete?: number };
  /** How many buckets (named for the nodes that own them), or their names. Default 4. */
  readonly buckets?: number | readonly string[];
  /** Keys per bucket (`k0`, `k1`, …). Default 10. */
  readonly keysPerBucket?: number;
  /** Where requests enter: `"any"` node (at random), one node, or a list. Default `"any"`. */
  readonly enterAt?: string | readonly string[];
  /** Create a restarted node's buckets again once it is up (an application's reaction). Default false. */
  readonly recreate?: boolean;
}

/** A scenario file as written. */
export interface ScenarioSpec {
  readonly $schema?: string;
  readonly name?: string;
  readonly description?: string;
  /** The cluster: a config file path (relative to the scenario file) or the config itself. */
  readonly config: string | KvConfig;
  /** The seed of the run (network draws and the workload). Default 1. */
  readonly seed?: number;
  /** Virtual ms the workload runs. Default 10000. */
  readonly durationMs?: number;
  readonly workload?: WorkloadSpec;
  readonly faults?: readonly FaultSpec[];
  /** Default: every check. */
  readonly checks?: readonly CheckName[];
  /** After the run: faults cleared, paused nodes resumed, every written key read back. Default true. */
  readonly finalReads?: boolean;
  /** Search steps the linearizability checker may spend per key before it answers "unknown". Default 100000. */
  readonly linearizableBudget?: number;
}

/** A fault once validated: its time, its place in the file, and what it does. */
export type Fault =
  | { readonly atMs: number; readonly index: number; readonly kind: 'link'; readonly from: string; readonly to: string; readonly settings: Readonly<Partial<Record<(typeof LINK_SETTINGS)[number], number>>> }
  | { readonly atMs: number; readonly index: number; readonly kind: 'partition'; readonly groups: readonly (readonly string[])[]; readonly oneWay: boolean }
  | { readonly atMs: number; readonly index: number; readonly kind: 'heal' | 'clear' }
  | { readonly atMs: number; readonly index: number; readonly kind: 'kill' | 'pause' | 'resume'; readonly node: string }
  | { readonly atMs: number; readonly index: number; readonly kind: 'setRoutingTable'; readonly node: string; readonly table: RoutingTable };

/** The kinds of fault, in the order errors list them. */
export const FAULT_KINDS = ['link', 'partition', 'heal', 'clear', 'kill', 'pause', 'resume', 'setRoutingTable'] as const;

/** A validated scenario: every default filled in; `config` still as written (the runner loads it). */
export interface Scenario {
  readonly name: string | undefined;
  readonly description: string | undefined;
  readonly config: string | KvConfig;
  readonly seed: number;
  readonly durationMs: number;
  readonly workload: {
    readonly ratePerSec: number;
    /** Weights normalized to sum 1, in `OPS` order. */
    readonly mix: Readonly<Record<WorkloadOp, number>>;
    readonly buckets: number | readonly string[];
    readonly keysPerBucket: number;
    /** `"any"`, or the entry nodes. */
    readonly enterAt: 'any' | readonly string[];
    readonly recreate: boolean;
  };
  /** In time order; faults sharing an `atMs` in file order. */
  readonly faults: readonly Fault[];
  readonly checks: readonly CheckName[];
  readonly finalReads: boolean;
  readonly linearizableBudget: number;
}

/** Defaults of a scenario. */
export const SCENARIO_DEFAULTS = {
  seed: 1,
  durationMs: 10_000,
  ratePerSec: 100,
  mix: { get: 0.5, put: 0.5, delete: 0 },
  buckets: 4,
  keysPerBucket: 10,
  enterAt: 'any',
  recreate: false,
  finalReads: true,
  linearizableBudget: 100_000,
} as const;

/** Bounds of the numbers of a scenario (the schema has the same: a test compares). */
export const SCENARIO_BOUNDS = {
  durationMs: [1, 86_400_000],
  ratePerSec: [0, 1_000_000],
  buckets: [1, 10_000],
  keysPerBucket: [1, 1_000_000],
  linearizableBudget: [1, 1_000_000_000],
} as const;

/** The keys each object of a scenario may have (schema/scenario.schema.json has the same: a test compares). */
export const SCENARIO_KEYS = {
  top: ['config', 'seed', 'durationMs', 'workload', 'faults', 'checks', 'finalReads', 'linearizableBudget', 'name', 'description', '$schema'],
  workload: ['ratePerSec', 'mix', 'buckets', 'keysPerBucket', 'enterAt', 'recreate'],
  mix: OPS,
  fault: ['atMs', ...FAULT_KINDS, 'oneWay'],
  link: ['from', 'to', ...LINK_SETTINGS],
  setRoutingTable: ['node', 'table'],
} as const;
