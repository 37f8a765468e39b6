/**
 * The README's "Scenarios" section is true: its scenario is scenarios/table-swap.json, and its
 * report is what `kvmesh sim` prints for it, but for the wall times, which vary.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { main } from '../../src/cli/main.js';

const repo = new URL('../../../', import.meta.url);
const readme = readFileSync(new URL('README.md', repo), 'utf8');
const section = readme.slice(readme.indexOf('## Scenarios'));
const wall = (text: string): string => text.replace(/; [\d.]+ ms wall, checked in [\d.]+ ms$/m, '; … ms wall, checked in … ms');

test('the README shows scenarios/table-swap.json and what kvmesh sim prints for it', async (t) => {
  t.is(/```jsonc\n([^]*?)```/.exec(section)?.[1], readFileSync(new URL('scenarios/table-swap.json', repo), 'utf8'));
  const shown = /```\n\$ kvmesh sim scenarios\/table-swap\.json\n([^]*?)```/.exec(section)?.[1];
  const out: string[] = [];
  const code = await main(['sim', 'scenarios/table-swap.json'], { out: (l) => out.push(l), err: (l) => out.push(l) });
  t.is(code, 1);
  t.is(wall(shown ?? ''), wall(`${out.join('\n')}\n`));
});
