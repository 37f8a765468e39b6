/** `kvmesh check`'s module check: a module file that is not there, or does not load, is an issue with its path. */
import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertModulesLoad, moduleIssues } from '../../src/cli/modules-check.js';
import { loadConfig } from '../../src/cluster/load-config.js';
import type { KvError } from '../../src/protocol/errors.js';

test('each module is looked for, then imported; a missing file is not imported', async (t) => {
  const imported: string[] = [];
  const fs = {
    exists: (path: string) => path !== '/m/gone.js',
    load: async (path: string) => {
      imported.push(path);
      if (path === '/m/bad.js') throw new SyntaxError("Unexpected token '{'");
      if (path === '/m/odd.js') throw 42;
      return {};
    },
  };
  const modules = ['ok', 'gone', 'bad', 'odd'].map((n) => ({ name: n.toUpperCase(), path: `/m/${n}.js`, cpu: n === 'bad' }));
  t.deepEqual(await moduleIssues(modules, fs), [
    { path: 'modules.GONE', message: 'file /m/gone.js does not exist' },
    { path: 'modules.BAD', message: "/m/bad.js does not load: SyntaxError: Unexpected token '{'" },
    { path: 'modules.ODD', message: '/m/odd.js does not load: threw 42' },
  ]);
  t.deepEqual(imported, ['/m/ok.js', '/m/bad.js', '/m/odd.js']);
  t.deepEqual(await moduleIssues([], fs), []);
});

test('real files: a missing one, one that does not parse and one that throws are KV_ERR_BAD_CONFIG naming the config file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kvmesh-modules-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'hello.js'), 'export function world() { return 1; }\n');
  writeFileSync(join(dir, 'syntax.js'), 'const a = 1;\nlet = = 2;\n');
  writeFileSync(join(dir, 'throws.js'), 'throw new Error("kaput at load");\n');
  const file = join(dir, 'kvrc.json');
  writeFileSync(file, JSON.stringify({ nodes: { foo: {} }, modules: { Hello: './hello.js', Nope: './nope.js', Syntax: './syntax.js', Throws: { path: './throws.js', cpu: true } } }));
  const loaded = await loadConfig(file);
  const e = (await t.throwsAsync(assertModulesLoad(loaded))) as KvError;
  t.is(e.code, 'KV_ERR_BAD_CONFIG');
  t.is(
    e.message,
    [
      `${file}: invalid configuration (3 issues):`,
      `  - modules.Nope: file ${join(dir, 'nope.js')} does not exist`,
      `  - modules.Syntax: ${join(dir, 'syntax.js')} does not load: SyntaxError: Unexpected token '=' (line 2)`,
      `  - modules.Throws: ${join(dir, 'throws.js')} does not load: Error: kaput at load`,
    ].join('\n'),
  );
  t.is(e.issues.length, 3);
  writeFileSync(file, JSON.stringify({ nodes: { foo: {} }, modules: { Hello: './hello.js' } }));
  await t.notThrowsAsync(assertModulesLoad(await loadConfig(file)), 'a module that loads is no issue');
});
