/** The worker-thread host of the supervisor: a node is a worker thread, a channel a MessageChannel. */
import { MessageChannel } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { portLink } from '../transport/link.js';
import { systemScheduler } from '../transport/scheduler.js';
import type { ClusterHost } from './host.js';
import { Incarnation } from './incarnation.js';

/** Nodes as worker threads. */
export const threadHost: ClusterHost<MessagePort> = {
  scheduler: systemScheduler,
  random: { next: Math.random },
  channel() {
    const { port1, port2 } = new MessageChannel();
    return [port1, port2];
  },
  link: portLink,
  spawn: (settings, index, tables, links, hooks, creation) => new Incarnation(settings, index, tables, links, hooks, creation),
  warn: (text, code) => process.emitWarning(text, { code }),
};
