/**
 * Every message that crosses a thread, defined once for the main thread and the nodes.
 * Here the data plane: frames of requests and replies on raw MessagePorts. Processes'
 * messages are in process-messages.ts, the lifecycle and control plane in control-messages.ts
 * (both re-exported here).
 */
import type { Bytes } from './data.js';
import type { WireError } from './errors.js';
import type { Signal } from './process-messages.js';

/** What a request asks for. Ops with a `bucket` are routed; `apply` without one runs where it lands. */
export type Op = { op: 'create'; bucket: Bytes } | { op: 'get'; bucket: Bytes; key: Bytes } | { op: 'put'; bucket: Bytes; key: Bytes; value: Bytes } | { op: 'delete'; bucket: Bytes; key: Bytes } | { op: 'apply'; bucket?: Bytes; mod: string; fun: string; args: unknown[] };

/**
 * A request. `from` is the originator's link index: the owner replies straight to it, not
 * back along the chain. `hops` counts forwards; `path` names the nodes passed so far.
 */
export type Request = Op & { type: 'req'; id: number; from: number; hops: number; path?: string };

/** The answer to request `id`, sent to its originator. */
export type Reply = { type: 'ok'; id: number; value: unknown } | { type: 'err'; id: number; error: WireError };

/**
 * A batch: ops packed in one string (`src/protocol/batch.ts`). Each node routes every op with
 * its own table, runs its own ops, and forwards the rest grouped per owner as sub-batches.
 * `idx` (sub-batches only): the index of each op in the originator's batch, one char each.
 * `bucket` is never set: it lets code that looks at `req.bucket` treat a batch as unrouted.
 */
export interface BatchRequest {
  type: 'breq';
  id: number;
  from: number;
  hops: number;
  ops: string;
  idx?: string;
  path?: string;
  bucket?: undefined;
}

/** Results of batch `id` (or of a part of it): one packed field per op, in the order of `idx` (else of the batch). */
export interface BatchReply {
  type: 'bres';
  id: number;
  res: string;
  idx?: string;
}

/**
 * Sent by a node that forwarded request `id` of this originator (ops `idx` of a batch, or all of
 * it) to node `node` (a link index), which died before its deadline: the request may be lost,
 * so the originator settles it (those ops) with KV_ERR_NODE_DOWN naming that node.
 */
export interface Lost {
  type: 'lost';
  id: number;
  node: number;
  idx?: string;
}

/** One message of the data plane. */
export type DataMessage = Request | Reply | BatchRequest | BatchReply | Lost | Signal;

/**
 * What one `postMessage` carries: every message queued for that port in one tick, in order.
 * A string is a run of packed records (`src/protocol/batch.ts`); a frame of only such records
 * is posted as that one string.
 */
export type Frame = string | (DataMessage | string)[];

/** The most nodes a cluster has had in its life (removed ones keep their link index: indexes are never reused). */
export const MAX_NODES = 1024;

/**
 * Link indexes: nodes 0..MAX_NODES-1 (in the order they joined), the main thread's client (and
 * supervisor) `CLIENT`, client threads attached after it. Nodes that join later take the next
 * node index, so the main thread's index never moves.
 */
export const CLIENT = MAX_NODES;

/** The name of link `CLIENT` (the embedding app's side) wherever a node name goes: faults, partitions, pids, traces, errors. */
export const CLIENT_NAME = 'client';

export * from './process-messages.js';
export * from './control-messages.js';
