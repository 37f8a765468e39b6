/** The README's Redis protocol section says what the code does: its error table is RESP_PREFIXES, its command table names what the server answers. */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { RESP_PREFIXES } from '../../src/core/resp-errors.js';
import { RESP_COMMANDS } from '../../src/core/resp-table.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

test("the README's RESP error table gives each code's prefix, and every other code is -ERR", (t) => {
  const table = /\| code \| RESP error \|\n\|[-|]+\n((?:\|.*\n)+)/.exec(readme)?.[1];
  if (table === undefined) return t.fail('no RESP error table in the README');
  const rows = new Map(
    table
      .trim()
      .split('\n')
      .map((row) => [/`(KV_ERR_\w+)`/.exec(row)?.[1] ?? 'other', /`-(\w+) /.exec(row)?.[1]] as const),
  );
  for (const [code, prefix] of Object.entries(RESP_PREFIXES)) t.is(rows.get(code) ?? rows.get('other'), prefix, code);
  return t.is(rows.get('other'), 'ERR');
});

test("every command of the README's RESP table is served, and every command served is in it", (t) => {
  const section = readme.slice(readme.indexOf('## Redis protocol (RESP)'), readme.indexOf('**Cluster mode**'));
  const table = /\| commands \| what they do \|\n\|[-|]+\n((?:\|.*\n)+)/.exec(section)?.[1] ?? '';
  // The first cell of each row (cells split at unescaped bars); each command is the first word of a code span.
  const cells = table
    .trim()
    .split('\n')
    .map((row) => row.split(/(?<!\\)\|/)[1] ?? '');
  const named = new Set(cells.flatMap((cell) => [...cell.matchAll(/`([A-Z]+)/g)].map((m) => m[1] as string)));
  t.deepEqual([...named].sort(), [...RESP_COMMANDS.keys()].sort());
});
