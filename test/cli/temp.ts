/** A temporary folder per CLI test file, removed after its tests, and config files written into it. */
import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The guide's table, `foo` serving on a free port. */
export const guide = {
  routingTable: [
    { range: 'a-m', node: 'foo' },
    { range: 'n-z', node: 'bar' },
  ],
  nodes: { foo: { port: 0 }, bar: {} },
};

/** Registers the folder's creation and removal with the calling test file; `config` writes a file there (an object as JSON). */
export function tempConfigs(prefix: string): { dir: () => string; config: (name: string, value: unknown) => string } {
  let tmp = '';
  test.before(() => {
    tmp = mkdtempSync(join(tmpdir(), prefix));
  });
  test.after.always(() => rmSync(tmp, { recursive: true, force: true }));
  return {
    dir: () => tmp,
    config(name, value) {
      const path = join(tmp, name);
      writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
      return path;
    },
  };
}
