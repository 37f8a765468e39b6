/** The thread entry of a node: hosts one `KvNode` and reports to the supervisor on the parent port. */
import { parentPort, workerData } from 'node:worker_threads';
import { hostNode } from '../src/node/host.js';
import type { NodeInit } from '../src/protocol/messages.js';

if (parentPort === null) throw new Error('workers/node.js runs as a worker thread, started by the kvmesh supervisor');
const port = parentPort;
await hostNode(workerData as NodeInit, (msg) => port.postMessage(msg));
