/** The thread entry of a node: hosts one `KvNode` and reports to the supervisor on the parent port. */
import { parentPort, workerData } from 'node:worker_threads';
import { hostNode } from '../src/node/host.js';
import type { NodeInit } from '../src/protocol/messages.js';

if (parentPort === null) throw new Error('workers/node.js runs as a worker thread, started by the kvmesh supervisor');
const port = parentPort;
// The TCP server (a layer above the node) is loaded only by nodes that serve.
await hostNode(workerData as NodeInit, (msg) => port.postMessage(msg), async (node, init) => (await import('../src/server/serve.js')).serveNode(node, init));
