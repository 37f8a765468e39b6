/**
 * TCP scenario: C connections × pipeline depth D of `PUT` lines against a line server, vs a
 * bare Node line server in the same process that answers every line with `OK` and no work.
 */
import { createServer, connect } from 'node:net';
import type { Server, Socket } from 'node:net';
import { percentile } from './lib.js';
import { startCluster } from '../src/index.js';

/** A server the driver can point at. */
export interface TcpTarget {
  readonly port: number;
  close(): Promise<void>;
}

/** The bare floor: a line server answering each `\n`-terminated line with `OK\r\n`. */
export async function bareLineServer(): Promise<TcpTarget> {
  const open = new Set<Socket>();
  const server: Server = createServer((socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.setNoDelay(true);
    let carry = 0;
    socket.on('data', (chunk: Buffer) => {
      let lines = 0;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      carry += lines;
      if (carry > 0) {
        socket.write('OK\r\n'.repeat(carry));
        carry = 0;
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        for (const s of open) s.destroy();
      }),
  };
}

/**
 * Drives `connections` sockets, each keeping `depth` `PUT` lines in flight (every reply is
 * one `OK\r\n` line), for `ms` after `warmMs`. Bucket `bucket` must exist on the target.
 */
export async function driveTcp(port: number, connections: number, depth: number, bucket: string, ms = 1_500, warmMs = 300): Promise<{ opsPerSec: number; p99: number }> {
  let counting = false;
  let done = 0;
  const samples: number[] = [];
  let stop = false;
  const sockets: Socket[] = [];
  const finished: Promise<void>[] = [];
  for (let c = 0; c < connections; c++) {
    const socket = connect({ port, host: '127.0.0.1', noDelay: true });
    sockets.push(socket);
    await new Promise<void>((r, j) => socket.once('connect', r).once('error', j));
    const sent: number[] = [];
    let seq = 0;
    let tail = '';
    // Lines refilled after one read leave in one write, as a pipelining client would send them.
    const send = (count: number): void => {
      let out = '';
      const now = performance.now();
      for (let k = 0; k < count; k++) {
        sent.push(now);
        out += `PUT ${bucket} k${c}_${seq++ & 1023} v\n`;
      }
      socket.write(out);
    };
    finished.push(
      new Promise<void>((resolve) => {
        socket.on('data', (chunk: Buffer) => {
          const text = tail + chunk.toString('latin1');
          let at = 0;
          let answered = 0;
          const now = performance.now();
          for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', at)) {
            at = nl + 1;
            const t0 = sent.shift() as number;
            answered++;
            if (counting) {
              done++;
              if (samples.length < 200_000) samples.push((now - t0) * 1000);
            }
          }
          if (!stop && answered > 0) send(answered);
          tail = text.slice(at);
          if (stop && sent.length === 0) resolve();
        });
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
      }),
    );
    send(depth);
  }
  await new Promise((r) => setTimeout(r, warmMs));
  counting = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  counting = false;
  const elapsed = performance.now() - t0;
  const total = done;
  stop = true;
  await Promise.race([Promise.all(finished), new Promise((r) => setTimeout(r, 2_000))]);
  for (const s of sockets) s.destroy();
  samples.sort((a, b) => a - b);
  return { opsPerSec: total / (elapsed / 1000), p99: percentile(samples, 0.99) };
}

/** The kvmesh TCP server as a target: a one-node cluster serving on a free port, with `bucket` created. */
export async function kvmeshTcpTarget(bucket: string): Promise<TcpTarget | undefined> {
  const cluster = await startCluster({ config: { routingTable: [{ range: [0, 255], node: 'solo' }], nodes: { solo: { port: 0 } } } });
  await cluster.client().create(bucket);
  const port = cluster.ports.get('solo');
  if (port === undefined) {
    await cluster.close();
    return undefined;
  }
  return { port, close: () => cluster.close() };
}
