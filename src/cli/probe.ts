/** Whether the user's modules load, found by importing them in a thread of their own that is ended afterwards. */
import { Worker } from 'node:worker_threads';
import { messageOf } from '../protocol/errors.js';

/** How long one module may take to load before check gives up on it. */
export const PROBE_DEADLINE_MS = 10_000;

/** For each module path (absolute), why it does not load, or undefined if it loads. */
export async function probeModules(paths: readonly string[], deadlineMs = PROBE_DEADLINE_MS): Promise<(string | undefined)[]> {
  const reasons: (string | undefined)[] = [];
  // A module that hangs or ends its thread stops that thread: the ones after it get a fresh one.
  while (reasons.length < paths.length) reasons.push(...(await probeThread(paths.slice(reasons.length), deadlineMs)));
  return reasons;
}

/** Imports `paths` in order in one thread; the result stops at the first that hangs or ends the thread (its reason last). */
async function probeThread(paths: readonly string[], deadlineMs: number): Promise<(string | undefined)[]> {
  // stdout and stderr are kept from ours: a module printing at load must not corrupt a picture.
  const worker = new Worker(new URL('./probe-worker.js', import.meta.url), { workerData: [...paths], stdout: true, stderr: true });
  const reasons: (string | undefined)[] = [];
  try {
    await new Promise<void>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      // Each module gets the whole deadline, counted from when the thread is up (starting one can take long on a busy machine).
      const restart = (): void => {
        clearTimeout(timer);
        timer = setTimeout(() => stop(`did not finish loading within ${deadlineMs} ms`), deadlineMs);
      };
      let settled = false;
      // The first of done, the deadline, an error or an exit decides; the rest change nothing.
      function stop(reason: string | undefined): void {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (reason !== undefined) reasons.push(reason);
        resolve();
      }
      worker.on('message', (m: { reason: string | undefined } | { done: true }) => {
        if ('done' in m) return stop(undefined);
        reasons.push(m.reason);
        restart();
      });
      worker.on('online', restart);
      worker.on('error', (e) => stop(`threw while loading: ${messageOf(e)}`));
      worker.on('exit', (code) => stop(`ended its thread while loading (exit code ${code})`));
    });
  } finally {
    await worker.terminate();
  }
  return reasons;
}
