/** A load-generator thread (piscina task file): a client on the transferred ports, entering at every node in turn, runs the load. */
import { connectClient } from '../client.js';
import { runLoad } from './workload.js';
import type { LoadRun, LoadTask } from './workload.js';

/** Runs one load task and closes its client; the histogram goes back by structured clone. */
export default async function run(task: LoadTask): Promise<LoadRun> {
  const { attachment, ...spec } = task;
  const base = connectClient(attachment);
  try {
    const clients = attachment.nodes.filter((_, i) => attachment.ports[i] !== null).map((node) => base.enterAt(node));
    return await runLoad(clients, spec);
  } finally {
    base.close();
  }
}
