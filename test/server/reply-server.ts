/**
 * A cluster in a process of its own, for the tests that measure a server's memory: RSS belongs
 * to a process, and ava runs other test files in the test's process. The configuration comes
 * as JSON in argv[2]. Over IPC it sends `{ port }` (node foo's) once serving, and answers each
 * `'rss'` with `{ rss, peak }`: now, and the highest sample (every 10 ms) since the last answer.
 */
import { startCluster } from '../../src/index.js';
import type { KvConfig } from '../../src/index.js';

const send = (message: object): void => {
  process.send?.(message);
};
const cluster = await startCluster({ config: JSON.parse(process.argv[2] ?? '{}') as KvConfig });
let peak = 0;
const sample = (): number => {
  const rss = process.memoryUsage().rss;
  if (rss > peak) peak = rss;
  return rss;
};
const sampler = setInterval(sample, 10);
process.on('message', (message) => {
  if (message !== 'rss') return;
  send({ rss: sample(), peak });
  peak = 0;
});
// The test is gone (it ended or was killed): close the cluster and leave.
process.on('disconnect', () => {
  clearInterval(sampler);
  void cluster.close().then(() => process.exit(0));
});
send({ port: cluster.ports.get('foo') });
