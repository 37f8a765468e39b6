/**
 * The TCP rows of `npm run bench` and their parts: the bare floor server (the guide's four
 * commands over a Map of Maps, in this process's main thread, optionally relaying one bucket to
 * a worker), the kvmesh target (the guide's two nodes, `foo` serving), and the driver, which
 * runs the load client (tcp-client.ts) in a process of its own.
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { startCluster } from '../src/index.js';
import { bareChain } from './floors.js';
import type { BareChain } from './floors.js';
import { ratioAtLeast, ratioAtMost } from './lib.js';
import type { Better, Record, RowKey } from './lib.js';
import type { TcpLoad, TcpResult } from './tcp-client.js';

export type { TcpResult } from './tcp-client.js';

/** A server the driver can point at. */
export interface TcpTarget {
  readonly port: number;
  close(): Promise<void>;
}

/** A bucket the serving node owns, and one it forwards to the other node (the guide's a-m / n-z split). */
export const LOCAL_BUCKET = 'local';
export const REMOTE_BUCKET = 'remote';

const CLIENT = new URL('./tcp-client.js', import.meta.url);

/** One reply of the floor server, from the line's tokens (split on single spaces: the load client sends no other). */
function answer(buckets: Map<string, Map<string, string>>, t: string[]): string {
  const [cmd, name = '', key = ''] = t;
  if (cmd === 'CREATE' && t.length === 2) {
    if (!buckets.has(name)) buckets.set(name, new Map());
    return 'OK\r\n';
  }
  const b = buckets.get(name);
  const known = (cmd === 'GET' && t.length === 3) || (cmd === 'PUT' && t.length === 4) || (cmd === 'DELETE' && t.length === 3);
  if (!known) return 'UNKNOWN COMMAND\r\n';
  if (b === undefined) return 'NOT FOUND\r\n';
  if (cmd === 'GET') return `${b.get(key) ?? ''}\r\nOK\r\n`;
  if (cmd === 'PUT') b.set(key, t[3] as string);
  else b.delete(key);
  return 'OK\r\n';
}

/** A command on REMOTE_BUCKET sent to the relay's echo worker; its reply once the echo is back. */
async function relayed(relay: BareChain, t: string[]): Promise<string> {
  const [cmd = '', bucket = '', key = '', value] = t;
  await relay.single(value === undefined ? { op: 'get', bucket, key } : { op: 'put', bucket, key, value });
  return cmd === 'GET' ? '\r\nOK\r\n' : 'OK\r\n';
}

/**
 * The floor: a bare single-thread server of CREATE/PUT/GET/DELETE over a Map of Maps, writing
 * once per read. With `relay`, commands on REMOTE_BUCKET go to its echo worker and back first
 * (the floor of a forward: one more thread each way, replies still in order).
 */
export async function bareKvServer(relay?: BareChain): Promise<TcpTarget> {
  const buckets = new Map<string, Map<string, string>>();
  const open = new Set<Socket>();
  const server: Server = createServer((socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.setNoDelay(true);
    let tail = '';
    let waiting = 0;
    let last = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      const text = tail + chunk.toString('latin1');
      const parts: (string | Promise<string>)[] = [];
      let at = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; at = nl + 1, nl = text.indexOf('\n', at)) {
        const t = text.slice(at, nl > at && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl).split(' ');
        parts.push(relay !== undefined && t[1] === REMOTE_BUCKET ? relayed(relay, t) : answer(buckets, t));
      }
      tail = text.slice(at);
      if (parts.length === 0) return;
      if (waiting === 0 && parts.every((p) => typeof p === 'string')) socket.write(parts.join(''), 'latin1');
      else {
        waiting++;
        last = last.then(async () => {
          // eslint-disable-next-line @typescript-eslint/await-thenable -- some parts are promises here (not every one is a string)
          const out = (await Promise.all(parts)).join('');
          waiting--;
          if (!socket.destroyed) socket.write(out, 'latin1');
        });
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

/** The kvmesh TCP server as a target: the guide's two nodes, `foo` (a-m) serving on a free port, `bar` (n-z) owning what it forwards. */
export async function kvmeshTcpTarget(): Promise<TcpTarget | undefined> {
  const cluster = await startCluster({
    config: {
      routingTable: [
        { range: 'a-m', node: 'foo' },
        { range: 'n-z', node: 'bar' },
      ],
      nodes: { foo: { port: 0 }, bar: {} },
    },
  });
  const port = cluster.ports.get('foo');
  if (port === undefined) {
    await cluster.close();
    return undefined;
  }
  return { port, close: () => cluster.close() };
}

/**
 * Runs the load client in its own process against 127.0.0.1:`port`: `connections` sockets, each
 * keeping `depth` commands on `bucket` in flight for `ms` after `warmMs`. Rejects if the client
 * dies or does not report within 15 s of its run (it is then killed).
 */
export function driveTcp(port: number, connections: number, depth: number, bucket: string, ms = 1_500, warmMs = 300): Promise<TcpResult> {
  const load: TcpLoad = { port, connections, depth, bucket, ms, warmMs };
  // No inherited flags: a `--cpu-prof` of the bench profiles the servers, not the client.
  const child = fork(CLIENT, [JSON.stringify(load)], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let result: TcpResult | undefined;
    const timer = setTimeout(() => child.kill(), ms + warmMs + 15_000);
    child.once('message', (m) => (result = m as TcpResult));
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (result !== undefined) resolve(result);
      else reject(new Error(`the TCP load client exited (${signal ?? `code ${String(code)}`}) before reporting`));
    });
  });
}

/**
 * TCP, with the load client in a process of its own: 1 connection × depth 1 and 64 × 16 against
 * a bare four-command server (this process's main thread; kvmesh serves from a node thread),
 * and a command forwarded to the other node against a local one and against a bare relay.
 */
export async function tcpScenario(record: Record): Promise<string | undefined> {
  const relay = await bareChain(1, 'echo');
  const bare = await bareKvServer(relay);
  const ours = await kvmeshTcpTarget();
  try {
    if (ours === undefined) return 'TCP rows: the cluster reported no TCP port';
    const floor1 = await driveTcp(bare.port, 1, 1, LOCAL_BUCKET);
    const local1 = await driveTcp(ours.port, 1, 1, LOCAL_BUCKET);
    const floorRemote1 = await driveTcp(bare.port, 1, 1, REMOTE_BUCKET);
    const remote1 = await driveTcp(ours.port, 1, 1, REMOTE_BUCKET);
    const floor64 = await driveTcp(bare.port, 64, 16, LOCAL_BUCKET);
    const local64 = await driveTcp(ours.port, 64, 16, LOCAL_BUCKET);
    const key = (name: string, unit: string, better: Better, target?: RowKey['target']): RowKey => ({ group: 'tcp', name, unit, better, floorName: 'bare 4-command server', ...(target === undefined ? {} : { target }) });
    record(key('1 conn × depth 1', 'ops/s', 'higher', ratioAtLeast(0.85)), floor1.opsPerSec, local1.opsPerSec);
    record(key('1 conn × depth 1, p50', 'µs', 'lower'), floor1.p50, local1.p50);
    record(key('64 conn × depth 16', 'ops/s', 'higher', ratioAtLeast(0.7)), floor64.opsPerSec, local64.opsPerSec);
    record(key('64 conn × depth 16, p99', 'µs', 'lower'), floor64.p99, local64.p99);
    const forwarded = { group: 'tcp', name: 'forwarded command, 1 conn, p50', unit: 'µs', better: 'lower' } as const;
    record({ ...forwarded, floorName: 'local command (kvmesh)', target: ratioAtMost(1.6) }, local1.p50, remote1.p50);
    record({ ...forwarded, floorName: 'bare server relaying to a worker' }, floorRemote1.p50, remote1.p50);
    const all = [floor1, local1, floorRemote1, remote1, floor64, local64];
    const failed = all.filter((r) => r.errors > 0);
    if (failed.length > 0) return `tcp: replies other than OK or a value: ${failed.map((r) => `${r.errors} (first: ${r.firstError ?? '?'})`).join(', ')}`;
    // A client at one full core paces the server instead of measuring it: the ratio then understates the gap.
    const busy = Math.max(...all.map((r) => r.clientCpu));
    return busy >= 0.9 ? `tcp: the load client used ${(100 * busy).toFixed(0)}% of a core in one run: those ops/s are the client's limit as much as the server's` : undefined;
  } finally {
    await ours?.close();
    await bare.close();
    await relay.close();
  }
}
