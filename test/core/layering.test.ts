/**
 * The layers of design.md, enforced: a file imports only from its own layer or below, pure
 * layers (protocol, core, viz, scenario) import no thread, socket, file or package, and only the hosts (worker threads, the
 * system scheduler, the TCP server, the command line) reach for the clock, timers, microtasks,
 * channels or threads. Node code gets all of those from its host.
 */
import test from 'ava';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The layer of each folder (and top file) of src/, lowest first; a file may import its own layer and below. */
const LAYERS: Record<string, number> = {
  protocol: 0,
  core: 1,
  transport: 2,
  viz: 1.5, // pure pictures: above core, below everything that does I/O
  plan: 1.5, // pure plans of a table change (moves, shares, replayed traffic): above core, below I/O
  node: 3,
  'client.ts': 3,
  cluster: 4,
  server: 4,
  sim: 3,
  scenario: 3.5, // pure: scenario files, workload, history, checkers, reports (above sim: a workload draws from its Random)
  simhost: 5,
  scenariorun: 6, // runs scenarios: on simhost or threads, many seeds (piscina), shrinking (fast-check)
  loadgen: 6,
  cli: 6,
  'index.ts': 7,
  'testing.ts': 7,
  'cli.ts': 7,
};

/** Files that are a host: they may reach for the clock, timers, microtasks, channels and threads. */
const HOSTS = new Set([
  'src/transport/scheduler.ts', // the system scheduler
  'src/transport/link.ts', // MessagePort as a Link
  'src/transport/control.ts', // comlink on a MessagePort
  'src/cluster/threads.ts', // nodes as worker threads
  'src/cluster/incarnation.ts', // one worker thread
  'src/cluster/clients.ts', // channels to client threads
  'src/node/host.ts', // a node in a worker thread (or the test thread)
  'src/node/pool.ts', // the piscina task pool
  'src/sim/runner.ts', // the simulation's driver (real turns between virtual events)
  'src/sim/timer.ts', // the simulation's defer (a microtask, deterministic between events)
]);
const HOST_FOLDERS = ['src/server/', 'src/cli/', 'src/loadgen/', 'workers/'];
const TOP = new Set(['src/cli.ts', 'src/index.ts', 'src/testing.ts']);

const GLOBALS = /\b(Date\.now|performance\.now|setTimeout|setInterval|setImmediate|queueMicrotask|new MessageChannel|new Worker|process\.hrtime)\b/;
const IMPORTS = /^(import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]/gm;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    return statSync(path).isDirectory() ? files(path) : f.endsWith('.ts') ? [path] : [];
  });
}

/** The layer of a path under src/ (`src/core/x.ts` → 1). */
function layerOf(rel: string): number | undefined {
  const [, first] = rel.split('/');
  return first === undefined ? undefined : LAYERS[first];
}

const sources = [...files(join(root, 'src')), ...files(join(root, 'workers'))].map((abs) => ({ rel: relative(root, abs).split('\\').join('/'), text: readFileSync(abs, 'utf8') }));

test('every file of src/ imports only from its own layer or below', (t) => {
  const wrong: string[] = [];
  for (const { rel, text } of sources) {
    if (!rel.startsWith('src/')) continue;
    const mine = layerOf(rel);
    if (mine === undefined) wrong.push(`${rel}: not in a layer (add its folder to LAYERS)`);
    for (const m of text.matchAll(IMPORTS)) {
      const spec = m[3] ?? m[4] ?? '';
      if (!spec.startsWith('.')) continue;
      const target = relative(root, join(root, rel, '..', spec))
        .split('\\')
        .join('/')
        .replace(/\.js$/, '.ts');
      const theirs = layerOf(target);
      if (theirs === undefined || mine === undefined || theirs > mine) wrong.push(`${rel} (layer ${mine}) imports ${target} (layer ${theirs})`);
    }
  }
  t.deepEqual(wrong, []);
});

test('protocol, core, viz, scenario and plan import no thread, socket, file, timer or package', (t) => {
  const wrong: string[] = [];
  for (const { rel, text } of sources.filter((s) => ['src/protocol/', 'src/core/', 'src/viz/', 'src/scenario/', 'src/plan/'].some((f) => s.rel.startsWith(f)))) {
    for (const m of text.matchAll(IMPORTS)) {
      const spec = m[3] ?? m[4] ?? '';
      const typeOnly = m[2] !== undefined;
      if (!(spec.startsWith('.') || (spec === 'node:worker_threads' && typeOnly))) wrong.push(`${rel}: ${m[0]}`);
    }
    const used = /\b(setTimeout|setInterval|setImmediate|queueMicrotask|Date\.now|performance\.|process\.|require\()/.exec(text);
    if (used !== null) wrong.push(`${rel} uses ${used[0]}`);
  }
  t.deepEqual(wrong, []);
});

test('only the hosts reach for the clock, timers, microtasks, channels or threads', (t) => {
  const wrong: string[] = [];
  for (const { rel, text } of sources) {
    if (HOSTS.has(rel) || TOP.has(rel) || HOST_FOLDERS.some((f) => rel.startsWith(f))) continue;
    const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    const found = GLOBALS.exec(code);
    if (found !== null) wrong.push(`${rel} reaches for ${found[0]}: take it from the host (Scheduler, Link, ClusterHost)`);
  }
  t.deepEqual(wrong, []);
});

/** An error made where it is raised instead of through the catalogue (`Errors` in src/protocol/errors.ts). */
const INLINE_ERROR = /\bnew KvError\(/;

test('every KvError is made by the error catalogue (src/protocol/errors.ts), one text shape per kind', (t) => {
  const wrong = sources.filter(({ rel, text }) => rel.startsWith('src/') && rel !== 'src/protocol/errors.ts' && INLINE_ERROR.test(text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''))).map(({ rel }) => `${rel} makes a KvError inline: add it to Errors`);
  t.deepEqual(wrong, []);
});

test('the checks catch what they are for', (t) => {
  const bad = "import { Worker } from 'node:worker_threads';\nimport type { X } from './x.js';";
  t.deepEqual(
    [...bad.matchAll(IMPORTS)].map((m) => [m[3], m[2] !== undefined]),
    [
      ['node:worker_threads', false],
      ['./x.js', true],
    ],
  );
  t.is(GLOBALS.exec('const t = setTimeout(f, 1)')?.[0], 'setTimeout');
  t.is(GLOBALS.exec('new MessageChannel()')?.[0], 'new MessageChannel');
  t.true(INLINE_ERROR.test("throw new KvError('KV_ERR_INTERNAL', 'x')"));
  t.false(INLINE_ERROR.test("throw Errors.internal('x')"));
  t.is(layerOf('src/protocol/messages.ts'), 0);
  t.is(layerOf('src/cli.ts'), 7);
});
