import test from 'ava';
import type { ExecutionContext } from 'ava';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig, startCluster } from '../../src/index.js';
import { cluster, fixture, fixtures, rejectsWith } from '../helpers.js';

test('with no config given, kvrc.json is searched from cwd up to the project root', async (t) => {
  const loaded = await loadConfig(undefined, join(fixtures, 'search/deep/er'));
  t.is(loaded.filepath, fixture('search/kvrc.json'));
  t.deepEqual(
    loaded.settings.nodes.map((n) => n.name),
    ['solo'],
  );
  t.is(loaded.settings.modules[0]?.path, fixture('hello.js'), 'module paths are relative to the config file');
});

test('the "kv" key of package.json is a config too', async (t) => {
  const c = await cluster(t, undefined, fixture('pkgkey'));
  t.deepEqual(c.nodes, ['fromPackage']);
  t.is(c.configFile, fixture('pkgkey/package.json'));
});

test('a config file can be picked at start, like mix run --config', async (t) => {
  const c = await cluster(t, 'search/kvrc.json', fixtures);
  t.is(await c.call('solo', 'Hello', 'world'), 'hello from solo');
});

test('no config found is a clear error', async (t) => {
  await rejectsWith(t, startCluster({ cwd: fixture('empty-project') }), 'KV_ERR_BAD_CONFIG', /^no configuration found from .*empty-project up to the project root \(looked for kvrc\.json, package\.json/);
});

test('unreadable, invalid and missing files are clear errors', async (t) => {
  await rejectsWith(t, startCluster({ config: 'broken.json', cwd: fixtures }), 'KV_ERR_BAD_CONFIG', /^cannot read configuration "broken\.json": /);
  await rejectsWith(t, startCluster({ config: 'nope.json', cwd: fixtures }), 'KV_ERR_BAD_CONFIG', /^cannot read configuration "nope\.json": ENOENT/);
  await rejectsWith(t, startCluster({ config: 'bad.json', cwd: fixtures }), 'KV_ERR_BAD_CONFIG', 'invalid configuration (2 issues):\n  - routingTable[0].node: unknown node "bar" (nodes: foo)\n  - nodes.foo.port: expected an integer from 0 to 65535 but received "4040"');
});

test('a module that cannot be loaded fails the start with KV_ERR_MODULE_LOAD', async (t) => {
  await rejectsWith(t, startCluster({ config: 'missing-module.json', cwd: fixtures }), 'KV_ERR_MODULE_LOAD', /^cannot load module Gone from .*no-such-module\.js: Cannot find module/);
});

test('a key written twice in a JSON config is refused with its path, with every other issue', async (t) => {
  await rejectsWith(
    t,
    startCluster({ config: 'duplicate-node.json', cwd: fixtures }),
    'KV_ERR_BAD_CONFIG',
    'invalid configuration (3 issues):\n' + '  - routingTable[0].node: duplicate key "node" (JSON keeps only the last)\n' + '  - nodes.foo: duplicate key "foo" (JSON keeps only the last)\n' + '  - timeout: expected an integer from 1 to 2147483647 but received number 0.5',
  );
  // The next start, of a good config, is served.
  const c = await cluster(t, 'search/kvrc.json', fixtures);
  t.is(await c.call('solo', 'Hello', 'world'), 'hello from solo');
});

/** A temporary project folder (a package.json marks its root) with these files; removed when the test ends. */
function project(t: ExecutionContext, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kvmesh-config-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries({ 'package.json': '{ "private": true }', ...files })) writeFileSync(join(dir, name), text);
  return dir;
}

test('duplicates are found in the "kv" key of package.json (not elsewhere in it) and in JSON written to .kvrc', async (t) => {
  const pkg = project(t, { 'package.json': '{ "scripts": { "a": "x", "a": "y" }, "kv": { "nodes": { "n": {}, "n": {} } } }' });
  await rejectsWith(t, loadConfig(undefined, pkg), 'KV_ERR_BAD_CONFIG', 'invalid configuration (1 issue):\n  - nodes.n: duplicate key "n" (JSON keeps only the last)');
  const rc = project(t, { '.kvrc': '{ "nodes": ["n"], "hopLimit": 1, "hopLimit": 2 }' });
  await rejectsWith(t, loadConfig(undefined, rc), 'KV_ERR_BAD_CONFIG', 'invalid configuration (1 issue):\n  - hopLimit: duplicate key "hopLimit" (JSON keeps only the last)');
  const yaml = project(t, { '.kvrc': 'nodes: [n]\nhopLimit: 1\nhopLimit: 2\n' });
  await rejectsWith(t, loadConfig(undefined, yaml), 'KV_ERR_BAD_CONFIG', /^cannot read configuration found from .*: YAML Error in .*\.kvrc:\nduplicated mapping key \(3:1\)/);
  const fine = project(t, { '.kvrc': 'nodes: [n]\nhopLimit: 2\n' });
  t.is((await loadConfig(undefined, fine)).settings.hopLimit, 2, 'YAML without duplicates still loads');
});

test('an app embedding kvmesh starts kvrc.json, routes hello and world to foo and bar, and exits by itself', async (t) => {
  // The repo's kvrc.json, in a project of its own, on a free port: nothing else may be listening on 4040.
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const shipped = JSON.parse(readFileSync(join(root, 'kvrc.json'), 'utf8')) as { nodes: Record<string, { port?: number }> };
  for (const node of Object.values(shipped.nodes)) if (node.port !== undefined) node.port = 0;
  const dir = project(t, { 'kvrc.json': JSON.stringify(shipped) });
  const { stdout } = await promisify(execFile)(process.execPath, [fixture('embed.mjs')], { cwd: dir, timeout: 30_000 });
  t.deepEqual(JSON.parse(stdout), { nodes: ['foo', 'bar'], owners: ['foo', 'bar'], values: ['on foo', 'on bar'] });
});
