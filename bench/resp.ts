/**
 * `node build/bench/resp.js`: kvmesh's Redis front end side by side with Redis, both driven
 * by the same redis-benchmark (Debian's redis-tools) with the same options, in interleaved
 * rounds: `-c 50 -t set,get -n 200000` at `-P 1` and `-P 16`. Targets: a one-node kvmesh
 * (keys owned by the serving node) against a `redis-server` started for the run (≥ 0.6×), and a
 * forwarded key (a router-only node in front of the owner) against the owned one. Medians.
 * Options: --rounds N (default 3), --requests N (default 200000), --clients N (default 50).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startCluster } from '../src/index.js';
import { formatTable, pause, ratioAtLeast } from './lib.js';
import type { Row, RowKey } from './lib.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, requests: { type: 'string', default: '200000' }, clients: { type: 'string', default: '50' } } });
const rounds = Number(values.rounds);
const requests = Number(values.requests);
const clients = Number(values.clients);
for (const [name, n] of [
  ['--rounds', rounds],
  ['--requests', requests],
  ['--clients', clients],
] as const) {
  if (!Number.isInteger(n) || n < 1) {
    console.error(`bench/resp: ${name} must be a whole number ≥ 1\nusage: node build/bench/resp.js [--rounds N] [--requests N] [--clients N]`);
    process.exit(2);
  }
}

/** Runs a command to its end; resolves with its output. */
function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', (e) => reject(new Error(`${command}: ${e.message} (apt-get install redis-tools redis-server)`)));
    child.on('close', () => resolve(out));
  });
}

/** A free port now. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** Starts Debian's redis-server on a free port, without persistence; resolves once it answers PING. */
async function startRedis(): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  child.on('error', (e) => {
    console.error(`bench/resp: redis-server: ${e.message} (apt-get install redis-server)`);
    process.exit(1);
  });
  for (let i = 0; i < 200; i++) {
    if ((await run('redis-cli', ['-p', String(port), 'PING'])).trim() === 'PONG') return { port, child };
    await pause(25);
  }
  throw new Error('redis-server did not answer PING within 5 s');
}

/** requests/s of SET and GET against `port` with `pipeline` requests per client in flight. */
async function benchmark(port: number, pipeline: number): Promise<{ SET: number; GET: number }> {
  const out = await run('redis-benchmark', ['-p', String(port), '-c', String(clients), '-t', 'set,get', '-n', String(requests), '-P', String(pipeline), '-q']);
  const rate = (test: string): number => Number(new RegExp(`^${test}: ([\\d.]+) requests per second`, 'm').exec(out.replace(/\r/g, '\n'))?.[1] ?? NaN);
  if (/error/i.test(out))
    console.error(
      `bench/resp: redis-benchmark on port ${port} reported: ${out
        .replace(/\r/g, '\n')
        .split('\n')
        .find((l) => /error/i.test(l))}`,
    );
  return { SET: rate('SET'), GET: rate('GET') };
}

const redis = await startRedis();
// foo owns every bucket and serves RESP; front holds none and forwards every key to foo.
const cluster = await startCluster({ config: { routingTable: [{ range: [0, 255], node: 'foo' }], nodes: { foo: { resp: { port: 0 } }, front: { storage: false, resp: { port: 0 } } } } });
const ports = { redis: redis.port, owned: cluster.respPorts.get('foo') as number, forwarded: cluster.respPorts.get('front') as number };

console.log(`bench/resp: ${cpus().length} vCPU ${cpus()[0]?.model.trim() ?? ''}, Node ${process.version}, ${(await run('redis-server', ['--version'])).split(' ').slice(0, 3).join(' ')}`);
console.log(
  `redis-benchmark -c ${clients} -t set,get -n ${requests} -P 1|16; ${rounds} interleaved rounds, medians; load average at start ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const rows = new Map<string, Row>();
const record = (key: RowKey, floor: number, value: number): void => {
  const id = `${key.group}|${key.name}`;
  let row = rows.get(id);
  if (row === undefined) rows.set(id, (row = { ...key, floor: [], value: [] }));
  row.floor.push(floor);
  row.value.push(value);
};
// Warm-up: the first run of a fresh node thread is slow (JIT).
await benchmark(ports.owned, 16);
await benchmark(ports.forwarded, 16);
for (let round = 0; round < rounds; round++) {
  for (const pipeline of [1, 16]) {
    const r = await benchmark(ports.redis, pipeline);
    const owned = await benchmark(ports.owned, pipeline);
    const forwarded = await benchmark(ports.forwarded, pipeline);
    for (const test of ['SET', 'GET'] as const) {
      record({ group: `-P ${pipeline}`, name: `${test}, owned key`, unit: 'ops/s', better: 'higher', floorName: 'redis-server', target: ratioAtLeast(0.6) }, r[test], owned[test]);
      record({ group: `-P ${pipeline}`, name: `${test}, forwarded key`, unit: 'ops/s', better: 'higher', floorName: 'kvmesh, owned key' }, owned[test], forwarded[test]);
    }
  }
  console.log(`round ${round + 1}/${rounds} done`);
}
console.log(formatTable([...rows.values()]));
await cluster.close();
redis.child.kill();
