import test from 'ava';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// src/sim must replay: no clock, no random source, no thread, no timer but the runner's own turn.
const dir = fileURLToPath(new URL('../../../src/sim/', import.meta.url));
const imports = /^(import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]/gm;
const allowed = ['node:crypto', 'node:util', '../protocol/errors.js', '../protocol/messages.js', '../transport/link.js', '../transport/scheduler.js', '../transport/faults.js'];
const typeOnly = new Set(['../protocol/messages.js', '../transport/link.js', '../transport/scheduler.js']);

test('src/sim imports only its seams and the standard library', (t) => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  t.true(files.length >= 8);
  for (const file of files) {
    for (const m of readFileSync(dir + file, 'utf8').matchAll(imports)) {
      const spec = m[3] ?? m[4] ?? '';
      const ok = spec.startsWith('./') || (allowed.includes(spec) && (m[2] !== undefined || !typeOnly.has(spec)));
      t.true(ok, `src/sim/${file}: ${m[0]}`);
    }
  }
});

test('src/sim reads no clock and no random source, and only the runner and the scheduler touch the real loop', (t) => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(dir + file, 'utf8').replace(/^\s*(\/\/|\*|\/\*\*).*$/gm, '');
    t.notRegex(source, /\b(Date\.now|new Date|performance\.|process\.|Math\.random|randomUUID|getRandomValues|setTimeout|setInterval|MessageChannel|Worker)\b/, `src/sim/${file}`);
    if (file !== 'runner.ts') t.notRegex(source, /\bsetImmediate\b/, `src/sim/${file}`);
    if (file !== 'timer.ts') t.notRegex(source, /\bqueueMicrotask\b/, `src/sim/${file}`);
  }
});
