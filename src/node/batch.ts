/**
 * The router for a batch: each op goes where this node's table says. Ops owned here run now;
 * the others leave as one sub-batch per owner; every part is answered straight to the originator.
 */
import type { Endpoint } from '../transport/endpoint.js';
import { toWire } from '../protocol/errors.js';
import type { BatchRequest } from '../protocol/messages.js';
import { SEP, errorField, packOp, unpackOps } from '../protocol/batch.js';
import type { Route, Router } from './router.js';
import type { Storage } from './storage.js';
import type { Recorder } from './recorder.js';

/** What routing a batch needs from its node. */
export interface BatchNode {
  readonly router: Router;
  readonly storage: Storage;
  readonly endpoint: Endpoint;
  readonly counts: { requests: number; forwarded: number };
  /** Set while the node records the traffic that enters it. */
  readonly recorder: Recorder | undefined;
  /** Keeps (part of) a batch a move holds at its fence. */
  readonly hold: (req: BatchRequest) => void;
}

/** Routes batch `req` arriving at `node` (`again`: a part held at a move's fence, counted when it came). */
export function routeBatch(node: BatchNode, req: BatchRequest, again = false): void {
  const { router, endpoint, counts } = node;
  const f = unpackOps(req.ops);
  const n = (f.length / 3) | 0;
  if (!again) counts.requests += n;
  if (!again && node.recorder !== undefined && req.hops === 0) for (let i = 0; i < n; i++) node.recorder.op((f[3 * i] as string)[0] as string, (f[3 * i] as string).slice(1), f[3 * i + 1] as string, (f[3 * i + 2] as string).length);
  // Field 3i is the op code followed by the bucket name: the bucket's first byte is char 1.
  // Decisions are shared objects, one per outcome: the same object means the same decision.
  const routeOf = (i: number): Route => router.decide(f[3 * i] as string, req.hops, 1);
  const first = routeOf(0);
  let same = true;
  for (let i = 1; i < n && same; i++) same = routeOf(i) === first;
  if (same && first.kind === 'local') {
    endpoint.replyBatch(req, node.storage.runPacked(f, 0, n), req.idx);
    return;
  }
  if (same && first.kind === 'forward') {
    forward(node, req, first.to, n);
    return;
  }
  if (same && first.kind === 'hold') {
    node.hold(req);
    return;
  }
  // Mixed owners (or errors): answer what is answered here, group the rest per owner.
  let res = '';
  let resIdx = '';
  const groups = new Map<number, { ops: string; idx: string }>();
  for (let i = 0; i < n; i++) {
    const at = req.idx === undefined ? String.fromCharCode(i) : (req.idx[i] as string);
    const route = routeOf(i);
    const head = f[3 * i] as string;
    let field: string | undefined;
    if (route.kind === 'local') field = node.storage.runPacked(f, i, i + 1);
    else if (route.kind === 'refuse') field = errorField(toWire(router.refusal(head.slice(1), route.owner, req.path)));
    else {
      // Held ops are grouped as if for a node of their own (-1), and held as one sub-batch.
      const to = route.kind === 'hold' ? -1 : route.to;
      let g = groups.get(to);
      if (g === undefined) groups.set(to, (g = { ops: '', idx: '' }));
      g.ops = packOp(g.ops, head[0] as string, head.slice(1), f[3 * i + 1] as string, f[3 * i + 2] as string);
      g.idx += at;
    }
    if (field !== undefined) {
      res = resIdx === '' ? field : `${res}${SEP}${field}`;
      resIdx += at;
    }
  }
  if (resIdx !== '') endpoint.replyBatch(req, res, resIdx);
  for (const [owner, g] of groups) {
    const sub: BatchRequest = { type: 'breq', id: req.id, from: req.from, hops: req.hops, ops: g.ops, idx: g.idx };
    if (req.path !== undefined) sub.path = req.path;
    if (owner < 0) node.hold(sub);
    else forward(node, sub, owner, g.idx.length);
  }
}

/** Sends (part of) a batch on to `owner`, counting the hop and adding this node to its path. */
function forward(node: BatchNode, req: BatchRequest, owner: number, ops: number): void {
  node.counts.forwarded += ops;
  req.hops++;
  req.path = node.router.pathFrom(req.path);
  node.endpoint.forward(owner, req);
}
