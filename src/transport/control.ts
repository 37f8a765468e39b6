/**
 * The control plane: comlink on a channel of its own, one long-lived proxy per node. The
 * one place comlink is imported. A node's errors keep their `code` across the channel.
 */
import type { MessagePort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import type { HostControl, NodeControl } from '../protocol/messages.js';
import { fromWire, toWire } from '../protocol/errors.js';
import type { WireError } from '../protocol/errors.js';

// comlink's own 'throw' handler keeps only name, message and stack: replace it once per thread.
const builtinThrow = Comlink.transferHandlers.get('throw');
if (builtinThrow !== undefined) {
  Comlink.transferHandlers.set('throw', {
    canHandle: (value): value is unknown => builtinThrow.canHandle(value),
    serialize: (thrown: unknown) => [toWire((thrown as { value: unknown }).value), []],
    deserialize: (wire: unknown) => {
      throw fromWire(wire as WireError);
    },
  });
}

/** A node's control API as the supervisor sees it: every method returns a promise. */
export type ControlProxy = Comlink.Remote<NodeControl & HostControl>;

/** Exposes `api` on the node's end of its control channel. */
export function exposeControl(api: NodeControl & HostControl, port: MessagePort): void {
  Comlink.expose(api, port);
}

/** The supervisor's one long-lived proxy for a node's control channel. Keep it; never wrap inline. */
export function wrapControl(port: MessagePort): ControlProxy {
  return Comlink.wrap<NodeControl & HostControl>(port);
}

/** Passes `port` by transfer in a control call. */
export function transferPort(port: MessagePort): MessagePort {
  return Comlink.transfer(port, [port as unknown as Parameters<typeof Comlink.transfer>[1][number]]);
}
