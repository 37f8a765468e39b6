import test from 'ava';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// src/core and src/protocol decide; they never reach for threads, sockets, files, timers or packages.
// They may import each other's modules and, as types only, node:worker_threads (MessagePort in message types).
const layers = ['core', 'protocol'];
const imports = /^(import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]/gm;

for (const layer of layers) {
  test(`src/${layer} imports only pure modules`, (t) => {
    const dir = fileURLToPath(new URL(`../../../src/${layer}/`, import.meta.url));
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(dir + file, 'utf8');
      for (const m of source.matchAll(imports)) {
        const typeOnly = m[2] !== undefined;
        const spec = m[3] ?? m[4] ?? '';
        const ok = spec.startsWith('./') || spec.startsWith('../core/') || spec.startsWith('../protocol/') || (spec === 'node:worker_threads' && typeOnly);
        t.true(ok, `src/${layer}/${file}: ${m[0]}`);
      }
      t.notRegex(source, /\b(setTimeout|setInterval|setImmediate|queueMicrotask|process\.|require\()/, `src/${layer}/${file} uses timers or the process`);
    }
  });
}

test('the purity check catches a runtime import of a thread module', (t) => {
  const bad = "import { Worker } from 'node:worker_threads';\nimport type { X } from './x.js';";
  const found = [...bad.matchAll(imports)].map((m) => [m[3], m[2] !== undefined]);
  t.deepEqual(found, [
    ['node:worker_threads', false],
    ['./x.js', true],
  ]);
});
