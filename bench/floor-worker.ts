/**
 * The bare worker of the floors: the same Map-of-Maps work as a node, with nothing of kvmesh
 * around it. Roles: `echo` answers on its port (one op per message, a coalesced array, or a
 * packed string); `relay` passes every message on to the next port untouched; `idle` only
 * says it is up (start/close and memory floors).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { NONE, SEP } from '../src/protocol/batch.js';

/** What a floor worker is started with. */
export interface FloorInit {
  readonly role: 'echo' | 'relay' | 'idle';
  /** Where requests arrive. */
  readonly input?: MessagePort;
  /** Where replies (echo) or relayed messages (relay) go; echo replies on `input` when absent. */
  readonly output?: MessagePort;
}

interface SingleOp {
  id: number;
  op: string;
  bucket: string;
  key: string;
  value?: string;
}

const buckets = new Map<string, Map<string, string>>();
function bucket(name: string): Map<string, string> {
  let b = buckets.get(name);
  if (b === undefined) buckets.set(name, (b = new Map()));
  return b;
}
function run(op: string, b: string, key: string, value: string | undefined): string | undefined {
  if (op === 'put' || op === 'p') {
    bucket(b).set(key, value as string);
    return undefined;
  }
  return bucket(b).get(key);
}

const init = workerData as FloorInit;
const input = init.input;
const output = init.output ?? input;
if (init.role === 'relay' && input !== undefined && output !== undefined) {
  input.on('message', (m: unknown) => output.postMessage(m));
} else if (init.role === 'echo' && input !== undefined && output !== undefined) {
  input.on('message', (m: SingleOp | { id: number; ops: SingleOp[] } | string) => {
    if (typeof m === 'string') {
      // Packed batch: id, then 3 fields per op (code+bucket, key, value); reply: id, 1 field per op.
      const f = m.split(SEP);
      let out = f[0] as string;
      for (let i = 1; i + 2 < f.length; i += 3) {
        const head = f[i] as string;
        const v = run(head[0] as string, head.slice(1), f[i + 1] as string, f[i + 2]);
        out += SEP + (v === undefined ? NONE : `v${v}`);
      }
      output.postMessage(out);
    } else if ('ops' in m) {
      const res = m.ops.map((o) => run(o.op, o.bucket, o.key, o.value));
      output.postMessage({ id: m.id, res });
    } else {
      output.postMessage({ id: m.id, value: run(m.op, m.bucket, m.key, m.value) });
    }
  });
}
parentPort?.postMessage('ready');
