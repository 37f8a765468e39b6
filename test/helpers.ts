/** Shared test helpers: fixture paths and a cluster that is always closed. */
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { ExecutionContext } from 'ava';
import { startCluster } from '../src/index.js';
import type { Cluster, KvConfig, KvError } from '../src/index.js';

/** The absolute path of a file in test/fixtures (the sources, not the build). */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../../test/fixtures/${name}`, import.meta.url));
}

/** The folder of test/fixtures. */
export const fixtures = fixture('');

/** Starts a cluster for one test and ends it (`destroy`: whatever is still in flight fails now) when the test ends, pass or fail. */
export async function cluster(t: ExecutionContext, config: KvConfig | string | undefined, cwd: string = fixtures): Promise<Cluster> {
  const c = await startCluster(config === undefined ? { cwd } : { config, cwd });
  t.teardown(() => c.destroy());
  return c;
}

/** The two-node table of the guide: a-m → foo, n-z → bar. */
export const guideTable = [
  { range: 'a-m', node: 'foo' },
  { range: 'n-z', node: 'bar' },
];

/** Asserts that `promise` rejects with a KvError of `code` whose message matches `message`. */
export async function rejectsWith(t: ExecutionContext, promise: Promise<unknown>, code: string, message?: string | RegExp): Promise<KvError> {
  const error = await t.throwsAsync<KvError>(promise);
  t.is<string, string>(error.code, code, error.message);
  if (typeof message === 'string') t.is(error.message, message);
  else if (message !== undefined) t.regex(error.message, message);
  return error;
}

/**
 * Blocks `node`'s thread (fixture stall.js, configured as module `Stall`) and resolves once it
 * is blocked, with the call's promise and a release function (also run at teardown).
 */
export async function holdNode(t: ExecutionContext, c: Cluster, node: string): Promise<{ held: Promise<unknown>; release: () => void }> {
  const flag = new Int32Array(new SharedArrayBuffer(8));
  const release = (): void => {
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  };
  t.teardown(release); // teardowns run last-first: the node is released before its cluster closes
  const held = c.call(node, 'Stall', 'hold', [flag.buffer], { timeout: 30_000 });
  held.catch(() => undefined);
  // Atomics.waitAsync is in Node 20 but not in the ES2023 lib.
  const { waitAsync } = Atomics as unknown as { waitAsync: (a: Int32Array, i: number, v: number, ms: number) => { async: boolean; value: unknown } };
  const started = waitAsync(flag, 1, 0, 10_000);
  if (started.async) await started.value;
  t.is(Atomics.load(flag, 1), 1, `${node} is blocked`);
  return { held, release };
}

/** Both nodes up and never restarted, and a fresh bucket still works through the client. */
export async function stillServes(t: ExecutionContext, c: Cluster): Promise<void> {
  t.deepEqual(
    c.status().map(({ node, state, restarts }) => ({ node, state, restarts })),
    [
      { node: 'foo', state: 'up', restarts: 0 },
      { node: 'bar', state: 'up', restarts: 0 },
    ],
  );
  const kv = c.client();
  await kv.create('still');
  await kv.put('still', 'k', 'served');
  t.is(await kv.get('still', 'k'), 'served');
}

/** Any value that can cross threads (fast-check's `anything()`, kept to what structuredClone takes). */
export const cloneable = fc.anything().filter((v) => {
  try {
    structuredClone(v);
    return true;
  } catch {
    return false;
  }
});
