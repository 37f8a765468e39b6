/**
 * The package as a user gets it: `npm pack` once, the tarball unpacked into a fresh project's
 * node_modules (its declared dependencies linked from this repo's, as no registry is reached),
 * then used from ES modules, from `require`, and from a strict TypeScript project that checks
 * every .d.ts it reaches (no skipLibCheck). publint and arethetypeswrong lint the same tarball.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = (path: string): string => join(root, 'node_modules', path);
const quiet = { ...process.env, npm_config_update_notifier: 'false', NO_COLOR: '1' };

interface Packed {
  readonly tarball: string;
  readonly app: string;
  readonly files: readonly string[];
  readonly size: number;
}

const tmp = mkdtempSync(join(tmpdir(), 'kvmesh-pack-'));
test.after.always(() => rmSync(tmp, { recursive: true, force: true }));

/** Packs the built repo (`npm test` builds first) and installs the tarball into `tmp/app`; once per run. */
const packed: Promise<Packed> = (async () => {
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: root, env: quiet, timeout: 60_000 });
  const [info] = JSON.parse(stdout) as { filename: string; size: number; files: { path: string }[] }[];
  if (info === undefined) throw new Error(`npm pack printed no package: ${stdout}`);
  const tarball = join(tmp, info.filename);
  const app = join(tmp, 'app');
  const kvmesh = join(app, 'node_modules', 'kvmesh');
  mkdirSync(kvmesh, { recursive: true });
  await run('tar', ['xzf', tarball, '-C', kvmesh, '--strip-components=1']);
  // Only what the package declares (and @types/node for the consumer): an undeclared import fails here.
  const { dependencies = {} } = JSON.parse(readFileSync(join(kvmesh, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const dep of [...Object.keys(dependencies), '@types/node']) {
    mkdirSync(dirname(join(app, 'node_modules', dep)), { recursive: true });
    symlinkSync(realpathSync(bin(dep)), join(app, 'node_modules', dep), 'dir');
  }
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module', dependencies: { kvmesh: `file:${tarball}` } }));
  return { tarball, app, files: info.files.map((f) => f.path).sort(), size: info.size };
})();
// A failure is reported by the tests that await it.
packed.catch(() => undefined);

const CONFIG = "{ routingTable: [{ range: 'a-m', node: 'foo' }, { range: 'n-z', node: 'bar' }], nodes: { foo: {}, bar: {} } }";
/** Starts a cluster and a simulation of CONFIG and prints where two buckets route. */
const USE = `
  const config = ${CONFIG};
  const cluster = await startCluster({ config });
  const kv = cluster.client();
  const routes = [await kv.route('hello', 'Kernel', 'node', []), await kv.route('world', 'Kernel', 'node', [])];
  await cluster.close();
  const sim = await simulate({ config });
  const simulated = await sim.client().route('world', 'Kernel', 'node', []);
  await sim.close();
  console.log(JSON.stringify({ routes, simulated, code: new KvError('KV_ERR_NO_ROUTE', 'x').code }));
`;

test('the tarball holds the build of src and workers, the schema, README and LICENSE, and nothing else', async (t) => {
  const { files, size } = await packed;
  t.log(`${files.length} files, ${(size / 1024).toFixed(0)} kB packed`);
  const stray = files.filter((f) => !/^(build\/src\/|build\/workers\/|schema\/[\w.-]+\.schema\.json$|README\.md$|LICENSE$|package\.json$)/.test(f) || /\.ts$/.test(f.replace(/\.d\.ts$/, '')));
  t.deepEqual(stray, []);
  for (const f of [
    'build/src/index.js',
    'build/src/index.d.ts',
    'build/src/testing.js',
    'build/src/testing.d.ts',
    'build/src/cli.js',
    'build/src/node/worker.bundle.js',
    'build/src/node/worker.bundle.js.stamp.json',
    'build/workers/node.js',
    'build/workers/task.js',
    'build/src/loadgen/client-task.js',
    'build/src/scenariorun/seed-task.js',
    'schema/kvrc.schema.json',
    'schema/scenario.schema.json',
    'LICENSE',
    'README.md',
  ]) {
    t.true(files.includes(f), f);
  }
  t.regex(readFileSync(join(root, 'LICENSE'), 'utf8'), /^MIT License\n\nCopyright \(c\) \d{4} kvmesh contributors\n/);
});

test('an ES module app imports kvmesh and kvmesh/testing, starts a cluster and routes', async (t) => {
  const { app } = await packed;
  writeFileSync(join(app, 'esm.mjs'), `import { startCluster, KvError } from 'kvmesh';\nimport { simulate } from 'kvmesh/testing';\n${USE}`);
  const { stdout, stderr } = await run(process.execPath, ['esm.mjs'], { cwd: app, timeout: 30_000 });
  t.is(stdout, '{"routes":["foo","bar"],"simulated":"bar","code":"KV_ERR_NO_ROUTE"}\n');
  t.is(stderr, '');
});

test(`require('kvmesh') works (Node ${process.versions.node}; engines: >= 20.19, the first 20.x with require of ES modules)`, async (t) => {
  const { app } = await packed;
  const engines = (JSON.parse(readFileSync(join(app, 'node_modules/kvmesh/package.json'), 'utf8')) as { engines: { node: string } }).engines;
  t.deepEqual(engines, { node: '>=20.19' });
  writeFileSync(join(app, 'cjs.cjs'), `const { startCluster, KvError } = require('kvmesh');\nconst { simulate } = require('kvmesh/testing');\n(async () => {${USE}})();`);
  const { stdout, stderr } = await run(process.execPath, ['cjs.cjs'], { cwd: app, timeout: 30_000 });
  t.is(stdout, '{"routes":["foo","bar"],"simulated":"bar","code":"KV_ERR_NO_ROUTE"}\n');
  t.is(stderr, '');
});

test('a strict TypeScript consumer (NodeNext, no skipLibCheck) type-checks, and what must not compile does not', async (t) => {
  const { app } = await packed;
  copyFileSync(join(root, 'test/fixtures/consumer/consumer.ts.txt'), join(app, 'consumer.ts'));
  writeFileSync(join(app, 'consumer.cts'), "import kvmesh = require('kvmesh');\nimport testing = require('kvmesh/testing');\nexport const start: typeof kvmesh.startCluster = kvmesh.startCluster;\nexport const simulate: typeof testing.simulate = testing.simulate;\n");
  const compilerOptions = { strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', types: ['node'], noEmit: true };
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts', 'consumer.cts'] }));
  const outcome = await run(bin('.bin/tsc'), ['-p', app], { cwd: app, timeout: 60_000 }).catch((e: { stdout: string }) => e);
  // Clean, and so every @ts-expect-error line of the consumer was an error (tsc reports one that is not).
  t.is(outcome.stdout, '');
});

/** Every .d.ts reachable from `entries` by import, and every package they import. */
function typeTree(entries: readonly string[]): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]/gm)) {
      const spec = m[1] ?? m[2] ?? '';
      if (spec.startsWith('.')) visit(join(dirname(file), spec.replace(/\.js$/, '.d.ts')));
      else packages.add(spec);
    }
  };
  entries.forEach(visit);
  return { files: [...files].sort(), packages: [...packages].sort() };
}

test('the published types reach no internal module and no package but node:', async (t) => {
  const { app } = await packed;
  const src = join(app, 'node_modules/kvmesh/build/src/');
  const { files, packages } = typeTree([join(src, 'index.d.ts'), join(src, 'testing.d.ts')]);
  t.deepEqual(packages, ['node:events', 'node:worker_threads']);
  const internal = files.map((f) => f.slice(src.length)).filter((f) => /^(transport\/(?!faults\.)|cluster\/(supervisor|host|threads|incarnation|clients|heartbeat)\.|node\/(?!modules\.)|sim\/(?!trace\.)|simhost\/)/.test(f));
  t.deepEqual(internal, []);
  const index = readFileSync(join(src, 'index.d.ts'), 'utf8');
  t.notRegex(index, /\b(Settings|NodeSettings|Endpoint|Supervisor)\b/);
});

test('publint and arethetypeswrong find nothing in the tarball', async (t) => {
  const { tarball } = await packed;
  const publint = await run(bin('.bin/publint'), ['run', tarball, '--level', 'suggestion', '--strict'], { env: quiet, timeout: 60_000 });
  t.regex(publint.stdout, /All good!/, publint.stdout);
  // cjs-resolves-to-esm: a require() of this ES module package is what Node does since 20.19 (engines); the test above runs it.
  const attw = await run(bin('.bin/attw'), [tarball, '--ignore-rules', 'cjs-resolves-to-esm', '--no-color', '--no-emoji'], { env: quiet, timeout: 60_000 });
  t.regex(attw.stdout, /No problems found/, attw.stdout);
});

test('the unpacked bundle is used whatever its file times say', async (t) => {
  const { app } = await packed;
  const node = join(app, 'node_modules/kvmesh/build/src/node/');
  const old = new Date('2001-01-01T00:00:00Z');
  for (const f of ['worker.bundle.js', 'worker.bundle.js.stamp.json']) utimesSync(join(node, f), old, old);
  const { nodeEntry } = (await import(pathToFileURL(join(app, 'node_modules/kvmesh/build/src/cluster/bundle.js')).href)) as typeof import('../../src/cluster/bundle.js');
  const bundle = pathToFileURL(join(node, 'worker.bundle.js'));
  t.is(nodeEntry(bundle, pathToFileURL(join(app, 'node_modules/kvmesh/build/workers/node.js'))).href, bundle.href);
});
