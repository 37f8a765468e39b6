/** A load-generator thread (piscina task file): a client on the transferred ports, entering at every node in turn, runs the load. */
import { connectClient } from '../client.js';
import type { LoadResult, LoadTask } from '../protocol/messages.js';
import { runLoad } from './workload.js';

/** Runs one load task and closes its client. */
export default async function run(task: LoadTask): Promise<LoadResult> {
  const { attachment, ...spec } = task;
  const base = connectClient(attachment);
  try {
    const clients = attachment.nodes.filter((_, i) => attachment.ports[i] !== null).map((node) => base.enterAt(node));
    return await runLoad(clients, spec);
  } finally {
    base.close();
  }
}
