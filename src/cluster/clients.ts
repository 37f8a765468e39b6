/**
 * Client threads attached to the cluster (`Cluster.attachClient()`): the supervisor's channel to
 * each, where a client learns that a node went down (its requests to and through it settle at
 * once) and gets its port to a restarted node, so it stays linked across restarts.
 */
import { MessageChannel } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { ClientNotice } from '../protocol/messages.js';

/** The attached client threads, by link index. */
export class AttachedClients {
  readonly #ports = new Map<number, MessagePort>();

  /** A new client with link index `index`: returns the port to hand to its thread (in its attachment). */
  add(index: number): MessagePort {
    const { port1, port2 } = new MessageChannel();
    // The client closed its end: it is gone.
    port1.once('close', () => this.#ports.delete(index));
    port1.unref();
    this.#ports.set(index, port1);
    return port2;
  }

  /** The link indexes of the clients attached now. */
  get indexes(): number[] {
    return [...this.#ports.keys()];
  }

  /** Tells client `index` (if still attached). */
  send(index: number, notice: ClientNotice): void {
    const port = this.#ports.get(index);
    if (port === undefined) return;
    if (notice.type === 'link') port.postMessage(notice, [notice.port]);
    else port.postMessage(notice);
  }

  /** Tells every attached client. */
  broadcast(notice: Exclude<ClientNotice, { type: 'link' }>): void {
    for (const index of this.#ports.keys()) this.send(index, notice);
  }

  /** Closes every channel: the clients see their nodes go. */
  close(): void {
    for (const port of this.#ports.values()) port.close();
    this.#ports.clear();
  }
}
