/**
 * How fast requests settle when a node dies, and how fast a million deadlines expire. Prints
 * figures; asserts nothing. Each run blocks the owner `bar` (so requests pile up at it), then:
 * - kill: N gets from client threads (and the main thread) entering at live `foo`, forwarded to
 *   `bar`, which is killed: time from the kill to the last request settled, and their codes;
 * - sweep: N gets from the main thread to the blocked `bar` with a short timeout: time from the
 *   deadline to the last request settled (the sweep).
 *
 *   node build/bench/settle.js [--inflight N] [--threads N] [--sweep N]
 */
import { Worker } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import { startCluster } from '../src/index.js';

const { values } = parseArgs({ options: { inflight: { type: 'string', default: '1500' }, threads: { type: 'string', default: '2' }, sweep: { type: 'string', default: '1000000' } } });
const INFLIGHT = Number(values.inflight);
const THREADS = Number(values.threads);
const SWEEP = Number(values.sweep);
const stall = new URL('../../test/fixtures/stall.js', import.meta.url).pathname;
const clientWorker = new URL('./settle-client.js', import.meta.url);
const now = (): number => performance.timeOrigin + performance.now();

/** Blocks `bar`; resolves once it is blocked, with the function that releases it. */
async function hold(call: (sab: SharedArrayBuffer) => Promise<unknown>): Promise<() => void> {
  const flag = new Int32Array(new SharedArrayBuffer(8));
  call(flag.buffer).catch(() => undefined);
  // Atomics.waitAsync is in Node 20 but not in the ES2023 lib.
  const { waitAsync } = Atomics as unknown as { waitAsync: (a: Int32Array, i: number, v: number, ms: number) => { async: boolean; value: unknown } };
  const started = waitAsync(flag, 1, 0, 10_000);
  if (started.async) await started.value;
  return () => {
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  };
}

async function killRun(): Promise<void> {
  const c = await startCluster({
    config: {
      routingTable: [
        { range: 'a-m', node: 'foo' },
        { range: 'n-z', node: 'bar' },
      ],
      nodes: ['foo', 'bar'],
      modules: { Stall: stall },
      timeout: 30_000,
      heartbeatMs: 60_000,
    },
  });
  await c.client().create('zebra');
  const workers = await Promise.all(
    Array.from({ length: THREADS }, async () => {
      const attachment = await c.attachClient();
      const transferList = [attachment.control, ...attachment.ports].filter((p) => p !== null);
      const w = new Worker(clientWorker, { workerData: { attachment, inflight: INFLIGHT }, transferList: transferList as never });
      await new Promise((resolve) => w.once('message', resolve));
      return w;
    }),
  );
  const release = await hold((sab) => c.call('bar', 'Stall', 'hold', [sab], { timeout: 30_000 }));
  const kv = c.client({ via: 'foo' });
  const mainCodes = new Map<string, number>();
  let mainLast = 0;
  const main = Array.from({ length: INFLIGHT }, () =>
    kv
      .get('zebra', 'k')
      .then(
        () => 'ok',
        (e: { code: string }) => e.code,
      )
      .then((code) => {
        mainCodes.set(code, (mainCodes.get(code) ?? 0) + 1);
        mainLast = now();
      }),
  );
  const results = workers.map((w) => new Promise<{ codes: Record<string, number>; last: number }>((resolve) => w.once('message', resolve)));
  for (const w of workers) w.postMessage('go');
  // Let the threads' requests reach foo (and be forwarded) before the kill.
  await c.call('foo', 'Kernel', 'node');
  await new Promise((resolve) => setTimeout(resolve, 200));
  const killedAt = now();
  await c.kill('bar');
  await Promise.all(main);
  const threads = await Promise.all(results);
  release();
  const lastThread = Math.max(...threads.map((r) => r.last));
  console.log(`kill: ${THREADS} client threads × ${INFLIGHT} + main thread ${INFLIGHT} gets in flight via foo to bar, bar killed:`);
  console.log(`  main thread settled ${(mainLast - killedAt).toFixed(1)} ms after the kill: ${JSON.stringify(Object.fromEntries(mainCodes))}`);
  console.log(`  client threads settled ${(lastThread - killedAt).toFixed(1)} ms after the kill: ${threads.map((r) => JSON.stringify(r.codes)).join(' ')}`);
  for (const w of workers) await w.terminate();
  await c.close();
}

async function sweepRun(): Promise<void> {
  const c = await startCluster({ config: { routingTable: [{ range: 'a-z', node: 'bar' }], nodes: ['foo', 'bar'], modules: { Stall: stall }, timeout: 3000, heartbeatMs: 60_000 } });
  await c.client().create('zebra');
  const release = await hold((sab) => c.call('bar', 'Stall', 'hold', [sab], { timeout: 30_000 }));
  const kv = c.client({ via: 'bar' });
  let settled = 0;
  let last = 0;
  const sent = now();
  const all: Promise<unknown>[] = [];
  for (let i = 0; i < SWEEP; i++)
    all.push(
      kv.get('zebra', 'k').catch(() => {
        settled++;
        last = now();
      }),
    );
  const queued = now();
  await Promise.all(all);
  release();
  console.log(`sweep: ${SWEEP} gets in flight to a blocked node, timeout 3000 ms (sent in ${(queued - sent).toFixed(0)} ms): ${settled} timed out; the last settled ${(last - queued - 3000).toFixed(0)} ms after its own deadline`);
  await c.close();
}

if (values.sweep !== '0') await sweepRun();
await killRun();
