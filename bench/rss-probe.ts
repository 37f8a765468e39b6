/**
 * Resident memory per idle node, measured in a fresh process (`node build/bench/rss-probe.js bare|kvmesh N`):
 * in a process that already ran and ended threads, new threads reuse freed allocator arenas and
 * RSS barely moves. Prints MiB per thread.
 */
import { floorWorker } from './floors.js';
import { pause, rss } from './lib.js';
import { startCluster } from '../src/index.js';
import { spreadConfig } from './scenarios.js';

const mode = process.argv[2] ?? 'bare';
const n = Number(process.argv[3] ?? 8);
await pause(100);
const before = rss();
let close: () => Promise<unknown>;
if (mode === 'bare') {
  const ws = await Promise.all(Array.from({ length: n }, () => floorWorker({ role: 'idle' })));
  close = () => Promise.all(ws.map((w) => w.terminate()));
} else {
  const c = await startCluster({ config: spreadConfig(n) });
  close = () => c.close();
}
await pause(500);
console.log(((rss() - before) / n / 2 ** 20).toFixed(2));
await close();
