/** The endpoint without threads: fake links that record or deliver frames, and a scheduler the test moves by hand. */
import test from 'ava';
import { Endpoint } from '../../src/transport/endpoint.js';
import type { Link } from '../../src/transport/link.js';
import type { Scheduler } from '../../src/transport/scheduler.js';
import type { Frame, Request } from '../../src/protocol/messages.js';
import { KvError } from '../../src/protocol/errors.js';
import { packOp, readField } from '../../src/protocol/batch.js';

/** A scheduler whose time moves only when the test says; deferred calls run on `flush()`. */
function manualScheduler() {
  let now = 0;
  let deferred: (() => void)[] = [];
  const timers: { at: number; every: number; fn: () => void; live: boolean }[] = [];
  const s: Scheduler & { advance(ms: number): void; flush(): void } = {
    now: () => now,
    after(ms, fn) {
      const t = { at: now + ms, every: 0, fn, live: true };
      timers.push(t);
      return () => void (t.live = false);
    },
    every(ms, fn) {
      const t = { at: now + ms, every: ms, fn, live: true };
      timers.push(t);
      return () => void (t.live = false);
    },
    defer: (fn) => void deferred.push(fn),
    flush() {
      while (deferred.length > 0) {
        const run = deferred;
        deferred = [];
        for (const fn of run) fn();
      }
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.live && t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (due === undefined) break;
        now = due.at;
        if (due.every > 0) due.at += due.every;
        else due.live = false;
        due.fn();
        s.flush();
      }
      now = until;
    },
  };
  return s;
}

/** A link that records what is posted; `deliver(frame)` hands a frame to the endpoint as if it came from the far end. */
function recordingLink() {
  const posted: Frame[] = [];
  let onFrame: (f: Frame) => void = () => undefined;
  let onClose: () => void = () => undefined;
  let closed = false;
  const link: Link & { posted: Frame[]; deliver(f: Frame): void; closeFar(): void; readonly closed: boolean } = {
    posted,
    post: (f) => void posted.push(structuredClone(f)),
    onFrame: (fn) => void (onFrame = fn),
    onClose: (fn) => void (onClose = fn),
    close: () => void (closed = true),
    deliver: (f) => onFrame(f),
    closeFar: () => onClose(),
    get closed() {
      return closed;
    },
  };
  return link;
}

const names = ['foo', 'bar', 'baz'];
function endpoint(s: Scheduler, options: Partial<ConstructorParameters<typeof Endpoint>[0]> = {}) {
  return new Endpoint({ self: 3, onRequest: () => undefined, nameOf: (i) => names[i] ?? 'client', scheduler: s, ...options });
}

test('requests sent in one turn leave as one frame per link, at most 64 messages each', (t) => {
  const s = manualScheduler();
  const e = endpoint(s);
  const foo = recordingLink();
  const bar = recordingLink();
  e.attach(0, foo);
  e.attach(1, bar);
  for (let i = 0; i < 100; i++) void e.request(0, { op: 'get', bucket: 'apple', key: `k${i}` }, 1000).catch(() => undefined);
  void e.request(1, { op: 'get', bucket: 'zebra', key: 'k' }, 1000).catch(() => undefined);
  t.is(foo.posted.length, 1, 'a full frame of 64 leaves at once, before the turn ends');
  s.flush();
  t.is(foo.posted.length, 2, 'the other 36 at the end of the turn');
  t.is(bar.posted.length, 1);
  t.deepEqual(e.counters, { frames: 3, messages: 101 });
});

test('a deadline expires at its time (the sweep runs every 20 ms from the first timed request), naming the owner waited on and the entry node', async (t) => {
  const s = manualScheduler();
  const tables = new Map([
    ['foo', [{ from: 0x61, to: 0x7a, node: 'bar' }]],
    ['bar', [{ from: 0x61, to: 0x7a, node: 'bar' }]],
  ]);
  const e = endpoint(s, { tables: () => tables });
  e.attach(0, recordingLink());
  const p = e.request(0, { op: 'get', bucket: 'zebra', key: 'k' }, 100);
  let settled = false;
  p.catch(() => (settled = true));
  s.flush();
  s.advance(99);
  await Promise.resolve();
  t.false(settled, 'not before its deadline');
  s.advance(1);
  const error = await t.throwsAsync<KvError>(p);
  t.is(error.code, 'KV_ERR_TIMEOUT');
  t.is(error.message, 'no reply to get of bucket "zebra" from node "bar" (entered at node "foo") within 100 ms');
});

test('a batch answered in parts by several owners is reassembled in order; a duplicate part changes nothing', async (t) => {
  const s = manualScheduler();
  const e = endpoint(s);
  const foo = recordingLink();
  e.attach(0, foo);
  let ops = '';
  for (const b of ['apple', 'zebra', 'avocado']) ops = packOp(ops, 'g', b, 'k', '');
  const p = e.requestBatch(0, ops, 3, 1000);
  s.flush();
  const req = (foo.posted[0] as Request[])[0] as unknown as { id: number };
  foo.deliver([{ type: 'bres', id: req.id, res: 'vz', idx: '\u0001' }]);
  foo.deliver([{ type: 'bres', id: req.id, res: 'vz-again', idx: '\u0001' }]);
  foo.deliver([{ type: 'bres', id: req.id, res: 'va\u0100vv', idx: '\u0000\u0002' }]);
  const fields = await p;
  t.deepEqual(
    fields.map((f) => readField(f)),
    [{ value: 'a' }, { value: 'z-again' }, { value: 'v' }],
  );
});

test('a lost message settles a single request, or only the ops it names of a batch, with KV_ERR_NODE_DOWN', async (t) => {
  const s = manualScheduler();
  const e = endpoint(s);
  const foo = recordingLink();
  e.attach(0, foo);
  const single = e.request(0, { op: 'get', bucket: 'zebra', key: 'k' }, 1000);
  const batch = e.requestBatch(0, packOp(packOp('', 'g', 'apple', 'k', ''), 'g', 'zebra', 'k', ''), 2, 1000);
  s.flush();
  const frame = foo.posted[0] as unknown[];
  const singleId = Number(String(frame[0]).split('\u0100')[0]?.slice(1));
  const batchId = (frame[1] as { id: number }).id;
  foo.deliver([{ type: 'lost', id: singleId, node: 1 }]);
  foo.deliver([
    { type: 'bres', id: batchId, res: 'va', idx: '\u0000' },
    { type: 'lost', id: batchId, node: 1, idx: '\u0001' },
  ]);
  const error = await t.throwsAsync<KvError>(single);
  t.deepEqual([error.code, error.message], ['KV_ERR_NODE_DOWN', 'node "bar" is down']);
  const fields = await batch;
  t.deepEqual(readField(fields[0] as string), { value: 'a' });
  t.deepEqual(readField(fields[1] as string), { error: { code: 'KV_ERR_NODE_DOWN', message: 'node "bar" is down' } });
});

test('when a link is lost, what was forwarded on it is reported to each originator, and only until its deadline', (t) => {
  const s = manualScheduler();
  const e = endpoint(s, { self: 0, forwardRetainMs: 500 });
  const bar = recordingLink();
  const client = recordingLink();
  e.attach(1, bar);
  e.attach(3, client);
  const req = (id: number): Request => ({ type: 'req', id, from: 3, hops: 0, op: 'get', bucket: 'zebra', key: 'k' });
  e.forward(1, req(7));
  s.flush();
  s.advance(600);
  e.forward(1, req(8));
  s.flush();
  e.linkLost(1);
  s.flush();
  t.true(bar.closed);
  t.deepEqual(client.posted, [[{ type: 'lost', id: 8, node: 1 }]], 'request 7 is past its deadline: nobody waits on it');
});

test('close rejects every pending request with its reason, and later ones too', async (t) => {
  const s = manualScheduler();
  const e = endpoint(s);
  e.attach(0, recordingLink());
  const p = e.request(0, { op: 'get', bucket: 'apple', key: 'k' }, undefined);
  e.close(new KvError('KV_ERR_CLOSED', 'the cluster is closed'));
  await t.throwsAsync(p, { code: 'KV_ERR_CLOSED', message: 'the cluster is closed' });
  await t.throwsAsync(e.request(0, { op: 'get', bucket: 'apple', key: 'k' }, 10), { code: 'KV_ERR_CLOSED' });
});

test('faults at the sending end: a cut frame is lost, a delayed one leaves after its delay, a duplicate twice', (t) => {
  const s = manualScheduler();
  const e = endpoint(s);
  const foo = recordingLink();
  e.attach(0, foo);
  const perfect = { delayMs: 0, jitterMs: 0, drop: 0, duplicate: 0 };
  e.setFaults([{ cut: true, settings: perfect }], { next: () => 0.5 });
  void e.request(0, { op: 'get', bucket: 'apple', key: 'a' }, 1000).catch(() => undefined);
  s.flush();
  t.is(foo.posted.length, 0);
  e.setFaults([{ cut: false, settings: { ...perfect, delayMs: 10, duplicate: 1 } }], { next: () => 0.5 });
  void e.request(0, { op: 'get', bucket: 'apple', key: 'b' }, 1000).catch(() => undefined);
  s.flush();
  s.advance(9);
  t.is(foo.posted.length, 0, 'held for its delay');
  s.advance(1);
  t.is(foo.posted.length, 1);
  s.advance(10);
  t.is(foo.posted.length, 2, 'the copy one delay later');
  t.deepEqual(e.faultCounts[0], { dropped: 1, duplicated: 1, delayed: 2 });
});
