/** The thread entry of a node: hosts one `KvNode`, reports to the supervisor on the parent port, and counts its event-loop turns for the heartbeat. */
import { parentPort, workerData } from 'node:worker_threads';
import { hostNode } from '../src/node/host.js';
import { beatInterval } from '../src/cluster/heartbeat.js';
import type { NodeInit } from '../src/protocol/messages.js';

if (parentPort === null) throw new Error('workers/node.js runs as a worker thread, started by the kvmesh supervisor');
const port = parentPort;
const init = workerData as NodeInit;
// The heartbeat: a turn of this thread's event loop bumps the counter the supervisor reads, and
// writes the node's process count beside it (for cluster.status()).
const { beat } = init;
let node: Awaited<ReturnType<typeof hostNode>> = undefined;
if (beat !== undefined) {
  setInterval(() => {
    Atomics.add(beat, 0, 1);
    if (node !== undefined) Atomics.store(beat, 1, node.processCount);
  }, beatInterval(init.settings.heartbeatMs)).unref();
}
// The TCP server (a layer above the node) is loaded only by nodes that serve.
node = await hostNode(
  init,
  (msg) => port.postMessage(msg),
  async (node, init) => (await import('../src/server/serve.js')).serveNode(node, init),
);
