/**
 * Backpressure and ordering of one connection, against a KvServer in this thread whose
 * dispatch the test controls (the cluster tests cover the real router).
 */
import test from 'ava';
import { KvServer } from '../../src/server/server.js';
import type { Command } from '../../src/core/command.js';
import { client } from './client.js';

test('a client that pipelines without reading stops being read; it gets every reply in order once it reads', async (t) => {
  const big = 'v'.repeat(16 * 1024);
  let dispatched = 0;
  let paused!: () => void;
  const pausedOnce = new Promise<void>((resolve) => (paused = resolve));
  const server = await KvServer.listen({
    node: 'test',
    host: '127.0.0.1',
    port: 0,
    maxLineLength: 1024,
    maxInFlight: 64,
    dispatch: async (command: Command) => {
      dispatched++;
      return command.op === 'get' ? `${command.key}:${big}` : undefined;
    },
    onPause: () => paused(),
  });
  t.teardown(() => server.close());
  const s = await client(t, server.port);
  s.socket.pause(); // read nothing: replies pile up in the kernel, then in the server
  const n = 3000;
  let lines = '';
  for (let i = 0; i < n; i++) lines += `GET b ${i}\r\n`;
  s.send(lines);
  await pausedOnce;
  const atPause = dispatched;
  t.log(`dispatched at the first pause: ${atPause}`);
  t.true(atPause < n, `the server stopped reading after ${atPause} of ${n} commands (≈ 48 MB of replies were asked for)`);
  s.socket.resume();
  let expected = '';
  for (let i = 0; i < n; i++) expected += `${i}:${big}\r\nOK\r\n`;
  const got = await s.read(2 * n, 60_000);
  t.is(got.length, expected.length);
  t.true(got === expected, 'every reply, in order');
  t.is(dispatched, n);
});

test('replies are written in request order when completions arrive in reverse order', async (t) => {
  const waiting: (() => void)[] = [];
  const server = await KvServer.listen({
    node: 'test',
    host: '127.0.0.1',
    port: 0,
    maxLineLength: 1024,
    dispatch: (command: Command) =>
      new Promise((resolve) => {
        waiting.push(() => resolve(command.op === 'get' ? command.key : undefined));
        if (waiting.length === 4) for (const w of waiting.reverse()) w();
      }),
  });
  t.teardown(() => server.close());
  const s = await client(t, server.port);
  t.is(await s.request('GET b 1\r\nPUT b k v\r\nNOPE\r\nGET b 2\r\nGET b 3\r\n', 8), '1\r\nOK\r\nOK\r\nUNKNOWN COMMAND\r\n2\r\nOK\r\n3\r\nOK\r\n');
});

test('a dispatch that throws or rejects with a non-KvError is one ERROR line', async (t) => {
  let calls = 0;
  const server = await KvServer.listen({
    node: 'test',
    host: '127.0.0.1',
    port: 0,
    maxLineLength: 1024,
    dispatch: (): Promise<unknown> => {
      calls++;
      if (calls === 1) throw new Error('sync\nfailure');
      if (calls === 2) return Promise.reject(Object.assign(new Error('no bucket'), { code: 'KV_ERR_NO_BUCKET' }));
      return Promise.resolve('ok');
    },
  });
  t.teardown(() => server.close());
  const s = await client(t, server.port);
  t.is(await s.request('GET a b\r\nGET a b\r\nGET a b\r\n', 4), 'ERROR sync failure\r\nNOT FOUND\r\nok\r\nOK\r\n');
});

test('close is idempotent and refuses new clients', async (t) => {
  const server = await KvServer.listen({ node: 'test', host: '127.0.0.1', port: 0, maxLineLength: 1024, dispatch: async () => undefined });
  const s = await client(t, server.port);
  t.is(await s.request('CREATE x\r\n'), 'OK\r\n');
  t.is(server.connections, 1);
  await Promise.all([server.close(), server.close()]);
  t.is(server.connections, 0);
  t.is(await s.rest(), '');
});

test('a full window whose oldest command completes last is answered, then the lines already read run', async (t) => {
  // maxInFlight 4 and one write of 8 lines: the first 4 run, GET b slow completes after the 3
  // others (setImmediate runs after their microtasks), and its completion alone empties the
  // window. The other 4 lines are already in the server's buffer: no socket read will come to
  // start them, so the pump that wrote the window must go on reading (it used to stop: a hang).
  const server = await KvServer.listen({
    node: 'test',
    host: '127.0.0.1',
    port: 0,
    maxLineLength: 1024,
    maxInFlight: 4,
    dispatch: (command: Command) => (command.op === 'get' && command.key === 'slow' ? new Promise((resolve) => setImmediate(resolve, 'slow')) : Promise.resolve(command.op === 'get' ? command.key : undefined)),
  });
  t.teardown(() => server.close());
  const s = await client(t, server.port);
  t.is(await s.request('GET b slow\r\nGET b 1\r\nGET b 2\r\nGET b 3\r\nGET b 4\r\nGET b 5\r\nPUT b k v\r\nGET b 6\r\n', 15), 'slow\r\nOK\r\n1\r\nOK\r\n2\r\nOK\r\n3\r\nOK\r\n4\r\nOK\r\n5\r\nOK\r\nOK\r\n6\r\nOK\r\n');
  t.is(await s.request('GET b 7\r\n', 2), '7\r\nOK\r\n', 'the connection still serves');
});

test('past maxReplyBytes a connection stops reading until its replies drain, then resumes; replies bigger than the budget are served one by one', async (t) => {
  // 256 KiB replies against a 64 KiB budget, and no limit by count: only the bytes pause it.
  const value = (key: string): string => `${key}:`.padEnd(256 * 1024, 'v');
  const n = 64;
  let dispatched = 0;
  let pauses = 0;
  let atFirstPause = -1;
  let paused!: () => void;
  const pausedOnce = new Promise<void>((resolve) => (paused = resolve));
  const server = await KvServer.listen({
    node: 'test',
    host: '127.0.0.1',
    port: 0,
    maxLineLength: 1024,
    maxInFlight: 100_000,
    maxReplyBytes: 64 * 1024,
    dispatch: async (command: Command) => {
      dispatched++;
      return command.op === 'get' ? value(command.key) : undefined;
    },
    onPause: () => {
      if (pauses++ === 0) atFirstPause = dispatched;
      paused();
    },
  });
  t.teardown(() => server.close());
  const s = await client(t, server.port);
  s.socket.pause();
  const lines = (from: number, to: number): string => Array.from({ length: to - from }, (_, i) => `GET b ${from + i}\r\n`).join('');
  s.send(lines(0, n / 2));
  await pausedOnce;
  // Counting only the socket's full buffer, the server read all 32 (8 MB of replies) before it paused.
  t.is(atFirstPause, 16, 'a first window of 16 commands, while the size of the replies is unknown');
  // Sent while the server does not read: it reads them once the first half has drained.
  s.send(lines(n / 2, n));
  s.socket.resume();
  let expected = '';
  for (let i = 0; i < n; i++) expected += `${value(String(i))}\r\nOK\r\n`;
  const got = await s.read(2 * n);
  t.true(got === expected, 'every reply, in order');
  t.is(dispatched, n);
  t.true(pauses > 1, `it resumed and paused again (${pauses} pauses)`);
  t.is(await s.request('PUT b k v\r\n'), 'OK\r\n', 'the connection still serves');
});
