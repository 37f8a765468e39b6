/** `kvmesh check` loads every module in a thread of its own and reports one that is missing or does not load, with its path. */
import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KvError } from '../../src/index.js';
import { probeModules } from '../../src/cli/probe.js';
import { fixture, fixtures } from '../helpers.js';
import { checkIn, kvmesh } from './check-run.js';

let tmp: string;
const files = {
  'good.js': 'export function f() { return 1; }\n',
  'syntax.js': 'export function f( {\n',
  'throws.js': 'export const x = 1;\nthrow new Error("kaput at load");\n',
  'throws-value.js': 'throw 42;\n',
  'exits.js': 'process.exit(3);\n',
  'hangs.js': 'await new Promise(() => setInterval(() => {}, 1000));\n',
  // Loads, but would keep a process alive and print into a picture if it ran in check's own thread.
  'noisy.js': 'setInterval(() => {}, 1000);\nconsole.log("noise at load");\nexport const x = 1;\n',
  'needs-package.js': 'import "no-such-package-kvmesh";\n',
};
const path = (name: string): string => join(tmp, name);

test.before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'kvmesh-check-modules-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path(name), text);
});
test.after.always(() => rmSync(tmp, { recursive: true, force: true }));

test('probeModules: why each module does not load; those after one that ends or hangs its thread are still tried', async (t) => {
  const names = ['good.js', 'missing.js', 'syntax.js', 'throws.js', 'throws-value.js', 'exits.js', 'good.js', 'needs-package.js', 'noisy.js', 'hangs.js', 'good.js'];
  t.deepEqual(await probeModules(names.map(path), 2000), [
    undefined,
    `no such file (${path('missing.js')})`,
    'SyntaxError: Unexpected end of input',
    'Error: kaput at load',
    'threw 42',
    'ended its thread while loading (exit code 3)',
    undefined,
    `Error: Cannot find package 'no-such-package-kvmesh' imported from ${path('needs-package.js')}`,
    undefined,
    'did not finish loading within 2000 ms',
    undefined,
  ]);
  t.deepEqual(await probeModules([]), []);
});

test('check lists every module that does not load, with its path and the file as written; exit 1, nothing printed', async (t) => {
  const file = path('kvrc.json');
  writeFileSync(file, JSON.stringify({ nodes: ['foo'], modules: { Good: './good.js', Gone: './gone.js', 'My.Syntax': 'syntax.js', Noisy: { path: './noisy.js', cpu: true }, Throws: { path: './throws.js' } } }));
  const run = await checkIn(['-c', file]);
  t.is((run.error as KvError | undefined)?.code, 'KV_ERR_BAD_CONFIG');
  t.is(
    run.error?.message,
    [`${file}: invalid configuration (3 issues):`, `  - modules.Gone: cannot load ./gone.js: no such file (${path('gone.js')})`, '  - modules["My.Syntax"]: cannot load ./syntax.js: SyntaxError: Unexpected end of input', '  - modules.Throws: cannot load ./throws.js: Error: kaput at load'].join('\n'),
  );
  t.deepEqual(
    (run.error as KvError | undefined)?.issues.map((i) => i.path),
    ['modules.Gone', 'modules["My.Syntax"]', 'modules.Throws'],
  );
  t.deepEqual([run.out, run.err], [[], []]);
});

test('the binary: a missing module is exit 1 with the issue on stderr; with --format the picture is still drawn; then a good config passes', async (t) => {
  const file = fixture('missing-module.json');
  const issue = `  - modules.Gone: cannot load ./no-such-module.js: no such file (${fixture('no-such-module.js')})`;
  const text = await kvmesh(['check', '-c', file], fixtures);
  t.is(text.code, 1);
  t.is(text.stdout, '');
  t.is(text.stderr, `kvmesh: ${file}: invalid configuration (1 issue):\n${issue}\n`);
  const drawn = await kvmesh(['check', '-c', file, '--format', 'mermaid'], fixtures);
  t.is(drawn.code, 1);
  t.true(drawn.stdout.startsWith('---\ntitle: "kvmesh: 1 node, hop limit 16"\n---\nflowchart LR\n  n0["foo<br/>storage only<br/>(empty table)"]\n'), drawn.stdout);
  t.true(drawn.stderr.endsWith(`kvmesh: ${file}: invalid configuration (1 issue):\n${issue}\n`), drawn.stderr);
  const good = path('good.json');
  writeFileSync(good, JSON.stringify({ nodes: ['foo'], modules: { Hello: fixture('hello.js'), Noisy: './noisy.js' } }));
  const passes = await kvmesh(['check', '-c', good], tmp);
  t.is(passes.code, 0, passes.stderr);
  t.true(passes.stdout.startsWith(`${good}: valid\n`), passes.stdout);
  t.notRegex(passes.stdout, /noise at load/);
});
