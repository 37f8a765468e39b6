/**
 * Collecting configuration issues, each with its path, and the one error that reports them all.
 * Shared by every part of config validation. Pure.
 */
import { Errors, KvError } from '../protocol/errors.js';
import type { Issue } from '../protocol/errors.js';
import type { DuplicateKey } from './json.js';

export type Json = unknown;

export class Collector {
  readonly issues: Issue[] = [];
  add(path: string, message: string): void {
    this.issues.push({ path, message });
  }
  object(value: Json, path: string, allowed: readonly string[]): Record<string, Json> | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.add(path, `expected an object but received ${describe(value)}`);
      return undefined;
    }
    for (const key of Object.keys(value)) if (!allowed.includes(key)) this.add(join(path, key), `unknown key (allowed: ${allowed.join(', ')})`);
    return value as Record<string, Json>;
  }
  integer(value: Json, path: string, min: number, max: number): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.add(path, `expected an integer from ${min} to ${max} but received ${describe(value)}`);
      return undefined;
    }
    return value;
  }
}

export function describe(value: Json): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a number, boolean, bigint, symbol or function is left: each prints itself
  return `${typeof value} ${String(value)}`;
}

/** The path of `key` under `path` as issues name it: `nodes.foo`, `modules["My.Mod"]`, `table[0]`. */
export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const safe = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  return path === '' ? safe : safe.startsWith('"') ? `${path}[${safe}]` : `${path}.${safe}`;
}

/** The issues of keys a JSON file repeats (JSON.parse keeps only the last), with their paths. */
export function duplicateKeyIssues(duplicates: readonly DuplicateKey[]): Issue[] {
  return duplicates.map(({ path, key }) => ({ path: path.reduce<string>((at, k) => join(at, k), ''), message: `duplicate key ${JSON.stringify(key)} (JSON keeps only the last)` }));
}

/** The KV_ERR_BAD_CONFIG error listing every issue, one per line (`what`: the kind of file, `configuration` or `scenario`). */
export function badConfig(issues: readonly Issue[], what = 'configuration'): KvError {
  const lines = issues.map((i) => `  - ${i.path === '' ? '(top level)' : i.path}: ${i.message}`);
  return Errors.badConfig(`invalid ${what} (${issues.length} issue${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`, issues);
}
