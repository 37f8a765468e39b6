/** The configurations the pictures are tested on, and the (settings, lint) that `kvmesh check` draws them from. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkConfig } from '../../src/core/config.js';
import type { KvConfig, Settings } from '../../src/core/config.js';
import type { LintResult } from '../../src/core/routing.js';

/** The settings and lint of `config` as check draws them: tables that loop are kept, their loops are the lint's errors. */
export function drawn(config: unknown): { settings: Settings; lint: LintResult } {
  const { settings, warnings, loops } = checkConfig(config);
  return { settings, lint: { errors: loops.map((l) => l.message), warnings } };
}

/** The guide's two nodes, as the repository's kvrc.json: foo serves TCP on 4040. */
export const guide: KvConfig = {
  routingTable: [
    { range: 'a-m', node: 'foo' },
    { range: 'n-z', node: 'bar' },
  ],
  nodes: { foo: { port: 4040 }, bar: {} },
};

/** Each node decides with its own table: foo sends everything to bar, bar to baz, baz keeps it. */
export const chain: KvConfig = {
  nodes: {
    foo: { routingTable: [{ range: 'a-z', node: 'bar' }] },
    bar: { routingTable: [{ range: 'a-z', node: 'baz' }] },
    baz: { routingTable: [{ range: 'a-z', node: 'baz' }] },
  },
};

/** a-m loops between foo and bar; baz, a front end, sends everything into it (leading into the loop, not on it). */
export const loop: KvConfig = {
  nodes: {
    foo: {
      port: 0,
      routingTable: [
        { range: 'a-m', node: 'bar' },
        { range: 'n-z', node: 'foo' },
      ],
    },
    bar: {
      routingTable: [
        { range: 'a-m', node: 'foo' },
        { range: 'n-z', node: 'baz' },
      ],
    },
    baz: { storage: false, port: 0, routingTable: [{ range: 'a-z', node: 'foo' }] },
  },
};

/** foo sends a-z to bar, whose table has only a-m: n-z dead-ends there. */
export const deadEnd: KvConfig = {
  nodes: {
    foo: { routingTable: [{ range: 'a-z', node: 'bar' }] },
    bar: { routingTable: [{ range: 'a-m', node: 'bar' }] },
  },
};

/** The configuration example of the README (bar's own table keeps a-m, which foo keeps too). */
export function readme(): unknown {
  const text = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
  const example = /## Configuration \(`kvrc\.json`\)\n+```json\n([^]*?)```/.exec(text)?.[1];
  if (example === undefined) throw new Error('no configuration example in the README');
  return JSON.parse(example) as unknown;
}
