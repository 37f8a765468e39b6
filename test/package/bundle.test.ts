/**
 * The node thread's bundle is chosen by content: its build stamp must match the bundle and the
 * modules it was built from, whatever their file times say. Checked on a copy of the built
 * bundle, its stamp and its inputs, laid out as in build/.
 */
import test from 'ava';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleIsCurrent, nodeEntry, stampFile } from '../../src/cluster/bundle.js';
import type { BundleStamp } from '../../src/cluster/bundle.js';

const built = new URL('../../src/node/worker.bundle.js', import.meta.url);
const stamp = JSON.parse(readFileSync(stampFile(built), 'utf8')) as BundleStamp;

/** A copy of the bundle, its stamp and its inputs under a fresh folder; returns the bundle's and the modules' URLs there. */
function copy(t: { teardown: (f: () => void) => void }): { bundle: URL; modules: URL; input: (i: string) => string } {
  const root = mkdtempSync(join(tmpdir(), 'kvmesh-bundle-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const bundle = pathToFileURL(join(root, 'build/src/node/worker.bundle.js'));
  const place = (from: URL, to: URL): void => {
    mkdirSync(dirname(fileURLToPath(to)), { recursive: true });
    copyFileSync(from, to);
  };
  place(built, bundle);
  place(stampFile(built), stampFile(bundle));
  for (const i of stamp.inputs) place(new URL(i, built), new URL(i, bundle));
  return { bundle, modules: new URL('../../workers/node.js', bundle), input: (i) => fileURLToPath(new URL(i, bundle)) };
}

test('npm run build stamps the bundle with its inputs in the package (none from node_modules)', (t) => {
  t.true(bundleIsCurrent(built));
  t.true(stamp.inputs.includes('../../workers/node.js'));
  t.true(stamp.inputs.includes('./node.js'));
  t.deepEqual(
    stamp.inputs.filter((i) => i.includes('node_modules')),
    [],
  );
  t.regex(stamp.digest, /^[0-9a-f]{64}$/);
});

test('a bundle older than its modules (an archive extracted in the other order) is still used', (t) => {
  const { bundle, modules, input } = copy(t);
  const old = new Date('2001-01-01T00:00:00Z');
  utimesSync(bundle, old, old);
  utimesSync(stampFile(bundle), old, old);
  for (const i of stamp.inputs) utimesSync(input(i), new Date(), new Date());
  t.is(nodeEntry(bundle, modules).href, bundle.href);
});

test('a stale bundle falls back to the modules, even when it is the newest file', (t) => {
  const { bundle, modules, input } = copy(t);
  const source = input('../node/router.js');
  const before = readFileSync(source);
  appendFileSync(source, '\n// edited after the bundle was built\n');
  const later = new Date(Date.now() + 60_000);
  utimesSync(bundle, later, later);
  t.is(nodeEntry(bundle, modules).href, modules.href);
  // The same bytes again: current again, whatever the times.
  writeFileSync(source, before);
  t.is(nodeEntry(bundle, modules).href, bundle.href);
  appendFileSync(fileURLToPath(bundle), '\n');
  t.is(nodeEntry(bundle, modules).href, modules.href, 'an edited bundle');
});

test('no stamp, a broken stamp, or a missing input: the modules', (t) => {
  const { bundle, modules, input } = copy(t);
  const file = fileURLToPath(stampFile(bundle));
  const good = readFileSync(file, 'utf8');
  for (const bad of ['', 'not json', 'null', '{}', JSON.stringify({ inputs: [], digest: stamp.digest }), JSON.stringify({ inputs: [1], digest: stamp.digest }), JSON.stringify({ ...stamp, digest: '0'.repeat(64) })]) {
    writeFileSync(file, bad);
    t.is(nodeEntry(bundle, modules).href, modules.href, bad);
  }
  writeFileSync(file, good);
  t.is(nodeEntry(bundle, modules).href, bundle.href);
  rmSync(input('../core/routing.js'));
  t.is(nodeEntry(bundle, modules).href, modules.href, 'an input gone');
  rmSync(file);
  t.is(nodeEntry(bundle, modules).href, modules.href, 'no stamp');
});
