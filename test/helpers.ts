/** Shared test helpers: fixture paths and a cluster that is always closed. */
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';
import { startCluster } from '../src/index.js';
import type { Cluster, KvConfig, KvError } from '../src/index.js';

/** The absolute path of a file in test/fixtures (the sources, not the build). */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../../test/fixtures/${name}`, import.meta.url));
}

/** The folder of test/fixtures. */
export const fixtures = fixture('');

/** Starts a cluster for one test and closes it when the test ends, pass or fail. */
export async function cluster(t: ExecutionContext, config: KvConfig | string | undefined, cwd: string = fixtures): Promise<Cluster> {
  const c = await startCluster(config === undefined ? { cwd } : { config, cwd });
  t.teardown(() => c.close());
  return c;
}

/** The two-node table of the guide: a-m → foo, n-z → bar. */
export const guideTable = [
  { range: 'a-m', node: 'foo' },
  { range: 'n-z', node: 'bar' },
];

/** Asserts that `promise` rejects with a KvError of `code` whose message matches `message`. */
export async function rejectsWith(t: ExecutionContext, promise: Promise<unknown>, code: string, message?: string | RegExp): Promise<KvError> {
  const error = (await t.throwsAsync(promise)) as KvError;
  t.is(error?.code as string | undefined, code, error?.message);
  if (typeof message === 'string') t.is(error?.message, message);
  else if (message !== undefined) t.regex(error?.message ?? '', message);
  return error;
}
