/**
 * What a picture of the topology shows, derived once from the validated settings and the lint
 * so that every format (Mermaid, DOT, SVG) draws the same thing. Pure: no fs, no threads.
 */
import type { NodeSettings, Settings } from '../core/config.js';
import { entryFor, formatBytes, formatRange, trace } from '../core/routing.js';
import type { LintResult, RoutingTable } from '../core/routing.js';

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

/** The picture of `settings`: each node with its table and owned bytes, an arrow per (node → next hop), the lint findings. */
export function picture(settings: Settings, lint: LintResult): Picture {
  const tables = new Map<string, RoutingTable>(settings.nodes.map((n) => [n.name, n.table]));
  const owners = ownersByByte(tables);
  const nodes = settings.nodes.map((node) => nodeBox(node, owners));
  const forwards = settings.nodes.flatMap((node) => forwardsOf(node, tables));
  const findings = [...lint.errors.map((e) => `error: ${e}`), ...lint.warnings.map((w) => `warning: ${w}`)];
  return { title: `kvmesh: ${settings.nodes.length} node${settings.nodes.length === 1 ? '' : 's'}, hop limit ${settings.hopLimit}`, nodes, forwards, findings };
}

/** For each byte, the distinct owners a request finds from every entry node, in node order. */
function ownersByByte(tables: ReadonlyMap<string, RoutingTable>): string[][] {
  const owners: string[][] = [];
  for (let byte = 0; byte < 256; byte++) {
    const found = new Set<string>();
    for (const node of tables.keys()) {
      const t = trace(tables, node, byte);
      if (t.outcome.kind === 'owner') found.add(t.outcome.node);
    }
    owners.push([...tables.keys()].filter((n) => found.has(n)));
  }
  return owners;
}

function nodeBox(node: NodeSettings, owners: readonly string[][]): NodeBox {
  const lines = [node.name, role(node)];
  if (node.port !== undefined) lines.push(`serves ${node.host}:${node.port === 0 ? '0 (a free port)' : node.port}`);
  lines.push(...(node.table.length === 0 ? ['(empty table)'] : node.table.map((e) => `${formatRange(e.from, e.to)} → ${e.node}`)));
  const owned = node.table.filter((e) => e.node === node.name).flatMap((e) => bytesOf(e.from, e.to));
  if (owned.length > 0) lines.push(`owns ${formatBytes(owned)}`);
  // Owned bytes that another entry node finds elsewhere, grouped by who else owns them.
  const shared = new Map<string, { all: readonly string[]; bytes: number[] }>();
  for (const byte of owned) {
    const all = owners[byte] ?? [];
    if (all.length < 2) continue;
    const group = shared.get(all.join()) ?? { all, bytes: [] };
    group.bytes.push(byte);
    shared.set(all.join(), group);
  }
  for (const { all, bytes } of shared.values()) lines.push(`${formatBytes(bytes)}: ${all.length} owners by entry node (${all.join(', ')})`);
  return { name: node.name, lines, split: shared.size > 0 };
}

function forwardsOf(node: NodeSettings, tables: ReadonlyMap<string, RoutingTable>): Forward[] {
  const byHop = new Map<string, number[]>();
  for (const e of node.table) if (e.node !== node.name) byHop.set(e.node, [...(byHop.get(e.node) ?? []), ...bytesOf(e.from, e.to)]);
  return [...byHop].map(([to, bytes]) => {
    bytes.sort((a, b) => a - b);
    const next = tables.get(to) ?? [];
    // On a loop when the path from the next hop comes back to this node.
    const loop = bytes.filter((b) => {
      const t = trace(tables, to, b);
      return t.outcome.kind === 'loop' && t.outcome.cycle.includes(node.name);
    });
    const dead = bytes.filter((b) => entryFor(next, b) === undefined);
    return { from: node.name, to, label: formatBytes(bytes) + part('loop', loop, bytes) + part('dead end', dead, bytes), loop: loop.length > 0, deadEnd: dead.length > 0 };
  });
}

/** ` (loop)` when every byte is in `some`, ` (loop: a-c)` when some are, else nothing. */
function part(what: string, some: readonly number[], all: readonly number[]): string {
  if (some.length === 0) return '';
  return some.length === all.length ? ` (${what})` : ` (${what}: ${formatBytes(some)})`;
}

function bytesOf(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
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
