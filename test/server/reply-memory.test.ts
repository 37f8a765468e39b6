/**
 * Clients that pipeline GETs of a 1 MB value and never read, against a cluster in a child
 * process whose RSS is sampled: the reply buffers are off-heap, only the resident size shows them.
 */
import test from 'ava';
import type { ExecutionContext } from 'ava';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { client } from './client.js';

const MiB = 1 << 20;
const KEYS = 4;
const OK = Buffer.from('\r\nOK\r\n');
/** The reply to `GET big k<i>`: four distinct values, so a reply out of order or cut short shows. */
const replies = Array.from({ length: KEYS }, (_, k) => Buffer.concat([Buffer.alloc(1_000_000, 0x61 + k), OK]));
const gets = (n: number): string => Array.from({ length: n }, (_, i) => `GET big k${i % KEYS}\r\n`).join('');

/** Rejects after `ms` naming `what`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Starts reply-server.js with `config`; it ends with the test. */
async function serve(t: ExecutionContext, config: object): Promise<{ port: number; rss: () => Promise<{ rss: number; peak: number }> }> {
  const child = fork(new URL('./reply-server.js', import.meta.url), [JSON.stringify(config)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  t.teardown(() => void child.kill());
  const [first] = (await within(once(child, 'message'), 10_000, 'port from the server process')) as [{ port: number }];
  const rss = async (): Promise<{ rss: number; peak: number }> => {
    child.send('rss');
    const [m] = (await within(once(child, 'message'), 5_000, 'RSS from the server process')) as [{ rss: number; peak: number }];
    return m;
  };
  return { port: first.port, rss };
}

/** A client that sends `lines` and does not read: its socket is paused before any reply comes. */
async function silent(t: ExecutionContext, port: number, lines: string): Promise<Socket> {
  const socket = connect({ port, host: '127.0.0.1' });
  socket.pause();
  socket.on('error', () => undefined);
  t.teardown(() => void socket.destroy());
  await within(once(socket, 'connect'), 5_000, 'connection');
  socket.write(lines);
  return socket;
}

/** Reads `n` replies from `socket`, checking every byte against `replies` in order; resolves with the byte count. */
function readReplies(socket: Socket, n: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let i = 0;
    let offset = 0;
    let bytes = 0;
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      for (let pos = 0; pos < chunk.length;) {
        const want = replies[i % KEYS] as Buffer;
        if (i === n) return reject(new Error(`${chunk.length - pos} bytes after the ${n} replies`));
        const len = Math.min(want.length - offset, chunk.length - pos);
        if (chunk.compare(want, offset, offset + len, pos, pos + len) !== 0) return reject(new Error(`reply ${i} differs from GET big k${i % KEYS}'s at byte ${offset}`));
        pos += len;
        offset += len;
        if (offset === want.length) [i, offset] = [i + 1, 0];
      }
      if (i === n) resolve(bytes);
    });
    socket.on('close', () => reject(new Error(`closed after ${i} of ${n} replies`)));
    socket.resume();
  });
}

test('four clients pipelining GETs of a 1 MB value without reading keep the server under 150 MiB more; each is served in full once it reads', async (t) => {
  const server = await serve(t, { routingTable: [{ range: 'a-z', node: 'foo' }], nodes: { foo: { port: 0 } } });
  const other = await client(t, server.port);
  let puts = 'CREATE big\r\n';
  for (let k = 0; k < KEYS; k++) puts += `PUT big k${k} ${(replies[k] as Buffer).toString('latin1', 0, 1_000_000)}\r\n`;
  t.is(await other.request(puts, KEYS + 1), 'OK\r\n'.repeat(KEYS + 1));
  const before = await server.rss();
  // Three ask for 2,000 replies (2 GB) each; the fourth asks for 300 (300 MB), which it reads below.
  for (let c = 0; c < 3; c++) await silent(t, server.port, gets(2_000));
  const reader = await silent(t, server.port, gets(300));
  // A measuring window, not a wait for an event: without the budget the server grew by 500 MiB within one second.
  await delay(2_000);
  const stuck = await server.rss();
  const growth = (stuck.peak - before.rss) / MiB;
  t.log(`server RSS ${(before.rss / MiB).toFixed(0)} MiB before, peak ${(stuck.peak / MiB).toFixed(0)} MiB with four clients not reading: +${growth.toFixed(1)} MiB`);
  t.true(growth < 150, `the server grew by ${growth.toFixed(0)} MiB`);
  t.is(await other.request('PUT big small v\r\nGET big small\r\n', 3), 'OK\r\nv\r\nOK\r\n', 'another client is served meanwhile');
  const reading = readReplies(reader, 300);
  t.is(await other.request('GET big small\r\n', 2), 'v\r\nOK\r\n', 'and while one of them reads');
  t.is(await within(reading, 20_000, '300 replies'), 300 * (replies[0] as Buffer).length, 'every reply complete, in order, nothing more');
  const read = await server.rss();
  t.log(`peak while it read 300 MB: ${(read.peak / MiB).toFixed(0)} MiB`);
  t.true((read.peak - before.rss) / MiB < 150);
});
