/**
 * What a picture of the topology shows, derived once from the validated settings and the lint
 * so that every format (Mermaid, DOT, SVG) draws the same thing. Pure: no fs, no threads.
 */
import type { NodeSettings, Settings } from '../core/config.js';
import { entryFor, trace } from '../core/routing.js';
import type { LintResult, RoutingTable } from '../core/routing.js';
import { formatUnits, isRing, isSlots, tableLines, unitCount, unitTable, unitWord } from '../core/partition.js';
import { segments } from '../core/lint.js';

/** A node's deployment role. */
export function role(node: NodeSettings): string {
  // A server of either protocol: the text protocol's port, or RESP.
  const serves = node.port !== undefined || node.resp !== undefined;
  if (!node.storage) return serves ? 'server only' : 'router only';
  return serves ? 'storage + server' : 'storage only';
}

/** One node as drawn: its lines of text, and whether it owns bytes whose owner depends on the entry node. */
export interface NodeBox {
  readonly name: string;
  /** The name, role, address, table and owned bytes, one line each. */
  readonly lines: readonly string[];
  readonly split: boolean;
}

/** The forwards from one node to its next hop: every byte its own table sends there. */
export interface Forward {
  readonly from: string;
  readonly to: string;
  /** The bytes carried, with the loop and dead-end part named: `a-m`, `a-m (loop)`, `a-z (dead end: n-z)`. */
  readonly label: string;
  /** Some of its bytes come back to `from` (the lint's error). */
  readonly loop: boolean;
  /** `to` has no entry for some of its bytes. */
  readonly deadEnd: boolean;
}

/** Everything a picture shows. */
export interface Picture {
  readonly title: string;
  readonly nodes: readonly NodeBox[];
  readonly forwards: readonly Forward[];
  /** The lint's errors and warnings, as `kvmesh check` prints them. */
  readonly findings: readonly string[];
}

/**
 * The picture of `settings`: each node with its table and owned units (bytes, slots; a ring's
 * partitions counted), an arrow per (node → next hop), the lint findings.
 */
export function picture(settings: Settings, lint: LintResult): Picture {
  const tables = new Map<string, RoutingTable>(settings.nodes.map((n) => [n.name, n.table]));
  const shape = unitTable(tables.values());
  const owners = ownersByUnit(tables);
  const nodes = settings.nodes.map((node) => nodeBox(node, owners, shape));
  const forwards = settings.nodes.flatMap((node) => forwardsOf(node, tables, shape));
  const findings = [...lint.errors.map((e) => `error: ${e}`), ...lint.warnings.map((w) => `warning: ${w}`)];
  return { title: `kvmesh: ${settings.nodes.length} node${settings.nodes.length === 1 ? '' : 's'}, hop limit ${settings.hopLimit}`, nodes, forwards, findings };
}

/** For each unit, the distinct owners a request finds from every entry node, in node order (traced once per run of equal units). */
function ownersByUnit(tables: ReadonlyMap<string, RoutingTable>): string[][] {
  const owners: string[][] = [];
  for (const [from, to] of segments(tables)) {
    const found = new Set<string>();
    for (const node of tables.keys()) {
      const t = trace(tables, node, from);
      if (t.outcome.kind === 'owner') found.add(t.outcome.node);
    }
    const list = [...tables.keys()].filter((n) => found.has(n));
    for (let u = from; u <= to; u++) owners.push(list);
  }
  return owners;
}

/** The units of `table` that its entries send to `node`. */
function unitsTo(table: RoutingTable, node: string): number[] {
  const out: number[] = [];
  for (let u = 0; u < unitCount(table); u++) if (entryFor(table, u)?.node === node) out.push(u);
  return out;
}

/** Units as a label: runs of bytes (`a-m`) or slots (`slots 0-8191`); a ring's partitions, scattered, are counted. */
function unitsLabel(shape: RoutingTable, units: readonly number[]): string {
  if (isRing(shape)) return `${units.length} ${unitWord(shape, units.length === 1)}`;
  return `${isSlots(shape) ? 'slots ' : ''}${formatUnits(shape, units)}`;
}

function nodeBox(node: NodeSettings, owners: readonly string[][], shape: RoutingTable): NodeBox {
  const lines = [node.name, role(node)];
  if (node.port !== undefined) lines.push(`serves ${node.host}:${node.port === 0 ? '0 (a free port)' : node.port}`);
  lines.push(...tableLines(node.table));
  const owned = unitsTo(node.table, node.name);
  if (owned.length > 0) lines.push(`owns ${unitsLabel(shape, owned)}`);
  // Owned bytes that another entry node finds elsewhere, grouped by who else owns them.
  const shared = new Map<string, { all: readonly string[]; bytes: number[] }>();
  for (const byte of owned) {
    const all = owners[byte] ?? [];
    if (all.length < 2) continue;
    const group = shared.get(all.join()) ?? { all, bytes: [] };
    group.bytes.push(byte);
    shared.set(all.join(), group);
  }
  for (const { all, bytes } of shared.values()) lines.push(`${unitsLabel(shape, bytes)}: ${all.length} owners by entry node (${all.join(', ')})`);
  return { name: node.name, lines, split: shared.size > 0 };
}

function forwardsOf(node: NodeSettings, tables: ReadonlyMap<string, RoutingTable>, shape: RoutingTable): Forward[] {
  const byHop = new Map<string, number[]>();
  for (let u = 0; u < unitCount(node.table); u++) {
    const to = entryFor(node.table, u)?.node;
    if (to === undefined || to === node.name) continue;
    const list = byHop.get(to);
    if (list === undefined) byHop.set(to, [u]);
    else list.push(u);
  }
  return [...byHop].map(([to, bytes]) => {
    const next = tables.get(to) ?? [];
    // On a loop when the path from the next hop comes back to this node.
    const loop = bytes.filter((b) => {
      const t = trace(tables, to, b);
      return t.outcome.kind === 'loop' && t.outcome.cycle.includes(node.name);
    });
    const dead = bytes.filter((b) => entryFor(next, b) === undefined);
    const label = unitsLabel(shape, bytes) + part('loop', loop, bytes, shape) + part('dead end', dead, bytes, shape);
    return { from: node.name, to, label, loop: loop.length > 0, deadEnd: dead.length > 0 };
  });
}

/** ` (loop)` when every unit is in `some`, ` (loop: a-c)` when some are, else nothing. */
function part(what: string, some: readonly number[], all: readonly number[], shape: RoutingTable): string {
  if (some.length === 0) return '';
  return some.length === all.length ? ` (${what})` : ` (${what}: ${unitsLabel(shape, some)})`;
}

/** `text` broken at spaces into lines of at most `width` characters (a longer word stays whole); later lines indented by two. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line === '' ? word : `${line} ${word}`;
    if (next.length > width && line.trim() !== '') {
      lines.push(line);
      line = `  ${word}`;
    } else line = next;
  }
  lines.push(line);
  return lines;
}
