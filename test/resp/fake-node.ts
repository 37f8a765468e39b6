/**
 * A RESP session over a node that is one `Storage` in this thread (the real buckets and the
 * real `KV.Redis` module, no router): the command specs run as on a node, with exact replies.
 */
import { Storage } from '../../src/node/storage.js';
import { redisOps } from '../../src/node/redis-ops.js';
import { decode, encodeFailure, encodeValue } from '../../src/core/resp-command.js';
import type { RespNode, RespSession } from '../../src/core/resp-command.js';
import type { ClusterView } from '../../src/core/resp-cluster.js';
import { RESP_COMMANDS } from '../../src/core/resp-table.js';
import { clusterPlace, proxyPlace } from '../../src/core/resp-keys.js';
import type { Op } from '../../src/protocol/messages.js';
import { redisOp } from '../../src/core/resp-ops.js';

/** Two nodes a and b: a (this one) owns slots 0-8191, b the rest; both serve RESP. */
export const twoNodes: ClusterView = {
  self: 0,
  names: ['a', 'b'],
  ownerOfSlot: (slot) => (slot < 8192 ? 0 : 1),
  endpoints: async () => [
    { host: '127.0.0.1', port: 7000 },
    { host: '127.0.0.1', port: 7001 },
  ],
};

/** A session on a fresh node; `cluster`: in cluster mode with `view`. */
export function session(options: { cluster?: boolean; view?: ClusterView } = {}): RespSession & { storage: Storage; quitted: () => boolean } {
  const storage = new Storage('a', true);
  const [, redis] = redisOps(storage);
  const run = (op: Op): unknown => {
    if (op.op === 'apply') return (redis[op.fun] as (...a: unknown[]) => unknown)(...op.args);
    return storage.run(op.op, op.bucket, op.op === 'create' ? '' : op.key, op.op === 'put' ? op.value : '');
  };
  const cluster = options.cluster === true;
  const node: RespNode = {
    name: 'a',
    cluster,
    host: '127.0.0.1',
    port: () => 7000,
    run,
    write: (bucket, key, value) => run(redisOp('put', bucket, key, value)),
    place: cluster ? clusterPlace : (key) => proxyPlace(key, 'default'),
    clients: () => 1,
    keys: async () => storage.counts().keys,
    view: options.view ?? twoNodes,
  };
  let quit = false;
  return { version: 2, name: undefined, lib: { name: '', version: '' }, id: 7, node, quit: () => (quit = true), storage, quitted: () => quit };
}

/** The reply bytes of one request. */
export async function reply(s: RespSession, ...args: string[]): Promise<string> {
  const out = decode(RESP_COMMANDS, s, args);
  if (typeof out === 'string') return out;
  return out.promise.then(
    (v) => encodeValue(out, v),
    (e: unknown) => encodeFailure(out, e),
  );
}
