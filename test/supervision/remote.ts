/** A client in a real other thread (fixture remote-client.mjs), driven from the test. */
import { Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { ExecutionContext } from 'ava';
import type { ClientAttachment, Cluster } from '../../src/index.js';
import { fixture } from '../helpers.js';

/** How one request of the remote client ended. */
export type Outcome = { ok: true; value: string | null } | { ok: false; code: string; message: string };

/** What the remote client is told to run: `n` requests (key suffixed by their number when n > 1), then a probe route. */
export interface Command {
  readonly op: 'create' | 'get' | 'put';
  readonly bucket: string;
  readonly key?: string;
  readonly value?: string;
  readonly n: number;
  /** Entry node of these requests (default: the client's own). */
  readonly via?: string;
  /** A bucket whose route to Kernel.node is sent after them: `sent` resolves once it is answered. */
  readonly probe?: string;
}

/** One run: `sent` once issued (with the probe's outcome), `done` with every outcome in order. */
export interface Run {
  readonly sent: Promise<Outcome | null>;
  readonly done: Promise<Outcome[]>;
}

/** The remote client's handle. */
export interface Remote {
  run(cmd: Command): Run;
}

/** Starts a client thread on `attachment` (default: a new one), entering at `via`; it is ended at teardown. */
export async function remoteClient(t: ExecutionContext, c: Cluster, via: string, attachment?: ClientAttachment): Promise<Remote> {
  const a = attachment ?? (await c.attachClient());
  const transferList = [a.control, ...a.ports.filter((p): p is MessagePort => p !== null)];
  const worker = new Worker(fixture('remote-client.mjs'), { workerData: { attachment: a, via }, transferList });
  t.teardown(() => worker.terminate());
  const waiting = new Map<string, (value: unknown) => void>();
  worker.on('message', (msg: { id: number; type: 'sent' | 'done'; probe?: Outcome | null; outcomes?: Outcome[] }) => {
    waiting.get(`${msg.id}:${msg.type}`)?.(msg.type === 'sent' ? msg.probe : msg.outcomes);
  });
  const failed = new Promise<never>((_, reject) => worker.once('error', reject));
  failed.catch(() => undefined);
  let next = 0;
  return {
    run(cmd) {
      const id = next++;
      const wait = <T>(type: string): Promise<T> => Promise.race([new Promise<T>((resolve) => waiting.set(`${id}:${type}`, resolve as (v: unknown) => void)), failed]);
      const run = { sent: wait<Outcome | null>('sent'), done: wait<Outcome[]>('done') };
      worker.postMessage({ id, ...cmd });
      return run;
    },
  };
}

/** How a request of this thread ended, in the same shape as the remote client's. */
export function outcomeOf(p: Promise<unknown>): Promise<Outcome> {
  return p.then(
    (value) => ({ ok: true, value: (value as string | undefined) ?? null }),
    (e: { code: string; message: string }) => ({ ok: false, code: e.code, message: e.message }),
  );
}

/** Outcomes counted by `ok` or `CODE: message`: a whole burst checked in one deepEqual. */
export function tally(outcomes: readonly Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const key = o.ok ? 'ok' : `${o.code}: ${o.message}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
