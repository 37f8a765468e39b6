/** The version `kvmesh --version` prints: the one in the package's own package.json. */
import { readFileSync } from 'node:fs';

/** The `version` of kvmesh's package.json (this file runs as build/src/cli/version.js, three folders below it). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error('kvmesh: package.json has no "version"');
  return pkg.version;
}
