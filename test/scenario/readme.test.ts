/**
 * The README's "Scenarios" section is true: its scenario is scenarios/table-swap.json, and its
 * report is what `kvmesh sim` prints for it, but for the wall times, which vary; its `--html`
 * command writes a page.
 */
import test from 'ava';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

test("the README's --html command writes the page of that run", async (t) => {
  const shown = /`kvmesh sim (scenarios\/[\w-]+\.json) --html ([\w.-]+)`/.exec(section);
  t.truthy(shown);
  const dir = mkdtempSync(join(tmpdir(), 'kvmesh-readme-'));
  try {
    const page = join(dir, shown?.[2] ?? '');
    const code = await main(['sim', shown?.[1] ?? '', '--html', page], { out: () => undefined, err: (l) => t.log(l) });
    t.is(code, 0);
    t.true(readFileSync(page, 'utf8').includes('<dt>replay</dt><dd>kvmesh sim scenarios/guide-partition.json --seed 7</dd>'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
