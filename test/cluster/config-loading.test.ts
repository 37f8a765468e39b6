import test from 'ava';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig, startCluster } from '../../src/index.js';
import { cluster, fixture, fixtures, rejectsWith } from '../helpers.js';

test('with no config given, kvrc.json is searched from cwd up to the project root', async (t) => {
  const loaded = await loadConfig(undefined, join(fixtures, 'search/deep/er'));
  t.is(loaded.filepath, fixture('search/kvrc.json'));
  t.deepEqual(loaded.settings.nodes.map((n) => n.name), ['solo']);
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
  await rejectsWith(
    t,
    startCluster({ config: 'bad.json', cwd: fixtures }),
    'KV_ERR_BAD_CONFIG',
    'invalid configuration (2 issues):\n  - routingTable[0].node: unknown node "bar" (nodes: foo)\n  - nodes.foo.port: expected an integer from 0 to 65535 but received "4040"',
  );
});

test('a module that cannot be loaded fails the start with KV_ERR_MODULE_LOAD', async (t) => {
  await rejectsWith(t, startCluster({ config: 'missing-module.json', cwd: fixtures }), 'KV_ERR_MODULE_LOAD', /^cannot load module Gone from .*no-such-module\.js: Cannot find module/);
});

test('an app embedding kvmesh starts kvrc.json, routes hello and world to foo and bar, and exits by itself', async (t) => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [fixture('embed.mjs')], { cwd: root, timeout: 30_000 });
  t.deepEqual(JSON.parse(stdout), { nodes: ['foo', 'bar'], owners: ['foo', 'bar'], values: ['on foo', 'on bar'] });
});
