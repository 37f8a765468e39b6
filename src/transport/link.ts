/**
 * The seams between the data plane and whatever hosts it (design.md, "One node, three hosts"):
 * a `Link` is one end of a channel between two threads, or two simulated nodes; the worker-thread
 * host adapts a MessagePort to it, the simulation host delivers through its seeded schedule.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Frame } from '../protocol/messages.js';

/** One end of a data-plane channel. */
export interface Link {
  /** Sends a frame to the other end, cloned as a structured clone is (throws DataCloneError for a value that cannot be). */
  post(frame: Frame): void;
  /** Receives the frames of the other end, in the order the link delivers them. */
  onFrame(fn: (frame: Frame) => void): void;
  /** Called once when either end closes. */
  onClose(fn: () => void): void;
  /** Closes the channel; nothing is delivered after. Idempotent. */
  close(): void;
}

/** A MessagePort as a Link. */
export function portLink(port: MessagePort): Link {
  return {
    post: (frame) => port.postMessage(frame),
    onFrame: (fn) => port.on('message', fn),
    onClose: (fn) => port.once('close', fn),
    close: () => {
      port.removeAllListeners('message');
      port.removeAllListeners('close');
      port.close();
    },
  };
}
