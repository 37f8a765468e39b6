/**
 * The thread `kvmesh check` imports the user's modules in: their top-level code (timers,
 * sockets, console output, process.exit) runs here and ends with the thread. Posts
 * `{ reason }` per module, in order (reason undefined: it loaded), then `{ done: true }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { messageOf } from '../protocol/errors.js';

/** This file, which Node names as the importer in its errors ("imported from …"): not the user's concern. */
const self = fileURLToPath(import.meta.url);

for (const path of workerData as string[]) {
  let reason: string | undefined;
  try {
    await import(pathToFileURL(path).href);
  } catch (e) {
    const missing = (e as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' && (e as Error).message.includes(`'${path}'`);
    reason = missing ? `no such file (${path})` : messageOf(e, 'threw ').replace(` imported from ${self}`, '');
  }
  parentPort?.postMessage({ reason });
}
parentPort?.postMessage({ done: true });
