/**
 * Client threads attached to the cluster (`Cluster.attachClient()`): the supervisor's channel to
 * each, where a client learns that a node went down (its requests to and through it settle at
 * once) and gets its port to a restarted node, so it stays linked across restarts.
 */
import { MessageChannel } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { ClientNotice } from '../protocol/messages.js';

/** The clients in other threads, as the supervisor tells them of nodes (none in a simulation). */
export interface ClientRegistry<E> {
  /** The link indexes of the clients attached now. */
  readonly indexes: readonly number[];
  /** Gives client `client` its end of a new channel to node `node` (restarted). */
  link(client: number, node: number, end: E): void;
  /** Tells every attached client. */
  broadcast(notice: Exclude<ClientNotice, { type: 'link' }>): void;
  /** Closes every channel. */
  close(): void;
}

/** No clients in other threads. */
export const noClients: ClientRegistry<never> = { indexes: [], link: () => undefined, broadcast: () => undefined, close: () => undefined };

/** The attached client threads, by link index. */
export class AttachedClients implements ClientRegistry<MessagePort> {
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

  /** Gives client `client` its port to node `node` (restarted); a client gone meanwhile closes it. */
  link(client: number, node: number, port: MessagePort): void {
    const control = this.#ports.get(client);
    if (control === undefined) port.close();
    else control.postMessage({ type: 'link', index: node, port } satisfies ClientNotice, [port]);
  }

  /** Tells every attached client. */
  broadcast(notice: Exclude<ClientNotice, { type: 'link' }>): void {
    for (const port of this.#ports.values()) port.postMessage(notice);
  }

  /** Closes every channel: the clients see their nodes go. */
  close(): void {
    for (const port of this.#ports.values()) port.close();
    this.#ports.clear();
  }
}
