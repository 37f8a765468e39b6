import test from 'ava';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// src/core and src/protocol decide; they never reach for threads, sockets, files, timers or packages.
const layers = ['core', 'protocol'];

for (const layer of layers) {
  test(`src/${layer} imports only its own pure siblings`, (t) => {
    const dir = fileURLToPath(new URL(`../../../src/${layer}/`, import.meta.url));
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(dir + file, 'utf8');
      for (const [, spec] of source.matchAll(/^import\s[^'"]*['"]([^'"]+)['"]/gm)) {
        const ok = spec?.startsWith('./') === true || spec?.startsWith('../core/') === true || spec?.startsWith('../protocol/') === true || spec === 'node:worker_threads' && /^import type/m.test(source);
        t.true(ok, `src/${layer}/${file} imports ${spec}`);
      }
      t.notRegex(source, /\b(setTimeout|setInterval|process\.|require\()/, `src/${layer}/${file} uses timers or the process`);
    }
  });
}
