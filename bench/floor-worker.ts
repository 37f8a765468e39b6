/**
 * The bare worker of the floors, with nothing of kvmesh around it. Roles: `echo` answers every
 * message with a plain object of its id and value and does no other work (the floor of a round trip);
 * `store` does the same Map-of-Maps work as a node (one op per message, a coalesced array, or
 * a packed string); `relay` passes every message on to the next port untouched; `idle` only
 * says it is up (start/close and memory floors).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { NONE, SEP } from '../src/protocol/batch.js';

/** What a floor worker is started with. */
export interface FloorInit {
  readonly role: 'echo' | 'store' | 'relay' | 'idle';
  /** Where requests arrive. */
  readonly input?: MessagePort;
  /** Where replies (echo, store) or relayed messages (relay) go; replies go back on `input` when absent. */
  readonly output?: MessagePort;
}

interface SingleOp {
  id: number;
  op: string;
  bucket: string;
  key: string;
  value?: string;
}
type Message = SingleOp | { id: number; ops: SingleOp[] } | string;

const buckets = new Map<string, Map<string, string>>();
function bucket(name: string): Map<string, string> {
  let b = buckets.get(name);
  if (b === undefined) buckets.set(name, (b = new Map<string, string>()));
  return b;
}
function run(op: string, b: string, key: string, value: string | undefined): string | undefined {
  if (op === 'put' || op === 'p') {
    bucket(b).set(key, value as string);
    return undefined;
  }
  return bucket(b).get(key);
}

function store(m: Message): unknown {
  if (typeof m === 'string') {
    // Packed batch: id, then 3 fields per op (code+bucket, key, value); reply: id, 1 field per op.
    const f = m.split(SEP);
    let out = f[0] as string;
    for (let i = 1; i + 2 < f.length; i += 3) {
      const head = f[i] as string;
      const v = run(head[0] as string, head.slice(1), f[i + 1] as string, f[i + 2]);
      out += SEP + (v === undefined ? NONE : `v${v}`);
    }
    return out;
  }
  if ('ops' in m) return { id: m.id, res: m.ops.map((o) => run(o.op, o.bucket, o.key, o.value)) };
  return { id: m.id, value: run(m.op, m.bucket, m.key, m.value) };
}

// The echo answers with what it was sent (a put's value, nothing for a get): no lookup, no Map.
function echo(m: Message): unknown {
  if (typeof m === 'string') return m;
  if ('ops' in m) return { id: m.id, res: m.ops.map((o) => o.value) };
  return { id: m.id, value: m.value };
}

const init = workerData as FloorInit;
const input = init.input;
const output = init.output ?? input;
if (input !== undefined && output !== undefined) {
  if (init.role === 'relay') input.on('message', (m: unknown) => output.postMessage(m));
  else if (init.role === 'echo') input.on('message', (m: Message) => output.postMessage(echo(m)));
  else if (init.role === 'store') input.on('message', (m: Message) => output.postMessage(store(m)));
}
parentPort?.postMessage('ready');
