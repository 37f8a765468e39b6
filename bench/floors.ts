/** The floors: bare workers and ports doing the same work as kvmesh with nothing of kvmesh around them. */
import { MessageChannel, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { SEP } from '../src/protocol/batch.js';
import type { FloorInit } from './floor-worker.js';

const FLOOR_WORKER = new URL('./floor-worker.js', import.meta.url);

/** Starts a floor worker and resolves once it is up. */
export function floorWorker(init: FloorInit): Promise<Worker> {
  const transfer = [init.input, init.output].filter((p): p is MessagePort => p !== undefined);
  const w = new Worker(FLOOR_WORKER, { workerData: init, transferList: transfer });
  return new Promise((resolve, reject) => {
    w.once('message', () => resolve(w));
    w.once('error', reject);
  });
}

/** A single op as the floors send it. */
export interface FloorOp {
  op: 'get' | 'put';
  bucket: string;
  key: string;
  value?: string;
}

/** The main thread's side of a bare chain of workers (1 = the answering worker; 2 = relay then the answering worker replying straight to main; ...). */
export interface BareChain {
  /** One op per postMessage. */
  single(op: FloorOp): Promise<unknown>;
  /** Ops queued in one tick leave as one postMessage (transport.md's appendix). */
  coalesced(op: FloorOp): Promise<unknown>;
  /** A packed batch (fields of `src/protocol/batch.ts`); resolves with the result fields. */
  packed(ops: string): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Starts `length` bare workers in a chain: main → w1 → … → wN, and wN replies straight to main.
 * `answer`: what wN does, `echo` (no work: the floor of single ops and forwards) or `store`
 * (the Map-of-Maps work: the floor of packed batches).
 */
export async function bareChain(length: number, answer: 'echo' | 'store'): Promise<BareChain> {
  const toFirst = new MessageChannel();
  const back = new MessageChannel();
  const workers: Promise<Worker>[] = [];
  let input = toFirst.port2;
  for (let i = 0; i < length - 1; i++) {
    const next = new MessageChannel();
    workers.push(floorWorker({ role: 'relay', input, output: next.port1 }));
    input = next.port2;
  }
  workers.push(floorWorker({ role: answer, input, output: back.port2 }));
  const started = await Promise.all(workers);
  const out = toFirst.port1;
  const pending = new Map<number, (v: unknown) => void>();
  let nextId = 1;
  const settle = (id: number, v: unknown): void => {
    const r = pending.get(id);
    pending.delete(id);
    r?.(v);
  };
  back.port1.on('message', (m: { id: number; value?: unknown; res?: unknown[] } | string) => {
    if (typeof m === 'string') {
      const f = m.split(SEP);
      settle(Number(f[0]), f.slice(1));
    } else if (m.res !== undefined) {
      const rs = pending.get(m.id) as unknown as ((v: unknown) => void)[];
      pending.delete(m.id);
      for (let i = 0; i < rs.length; i++) (rs[i] as (v: unknown) => void)(m.res[i]);
    } else settle(m.id, m.value);
  });
  let qOps: FloorOp[] = [];
  let qRes: ((v: unknown) => void)[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    const id = nextId++;
    pending.set(id, qRes as unknown as (v: unknown) => void);
    out.postMessage({ id, ops: qOps });
    qOps = [];
    qRes = [];
  };
  return {
    single: (op) =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        out.postMessage({ id, ...op });
      }),
    coalesced: (op) =>
      new Promise((resolve) => {
        qOps.push(op);
        qRes.push(resolve);
        if (!scheduled) {
          scheduled = true;
          queueMicrotask(flush);
        }
      }),
    packed: (ops) =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve as (v: unknown) => void);
        out.postMessage(`${id}${SEP}${ops}`);
      }),
    async close() {
      toFirst.port1.close();
      back.port1.close();
      await Promise.all(started.map((w) => w.terminate()));
    },
  };
}

/** Starts `n` idle bare workers and terminates them; resolves with the milliseconds it took. */
export async function bareStartClose(n: number): Promise<number> {
  const t0 = performance.now();
  const ws = await Promise.all(Array.from({ length: n }, () => floorWorker({ role: 'idle' })));
  await Promise.all(ws.map((w) => w.terminate()));
  return performance.now() - t0;
}
