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
