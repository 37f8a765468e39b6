/**
 * The TCP load client of `npm run bench`, in a process of its own (forked by tcp.ts with the
 * load as JSON in argv[2]), so that neither server shares a thread with the load. Each of
 * `connections` sockets sends `CREATE bucket`, then keeps `depth` commands in flight (75 % GET,
 * 25 % PUT, the mix of the port rows) for `ms` after `warmMs`; the figures go back over IPC.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { percentile } from './lib.js';

/** What the client is asked to run. */
export interface TcpLoad {
  readonly port: number;
  readonly connections: number;
  readonly depth: number;
  readonly bucket: string;
  readonly ms: number;
  readonly warmMs: number;
}

/** What it measured: commands answered per second, round trips in µs, replies that were not OK, and its own CPU. */
export interface TcpResult {
  readonly opsPerSec: number;
  /** The client's CPU time over the measured time (1 = one core saturated: then it, not the server, set the pace). */
  readonly clientCpu: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly firstError?: string;
}

const MAX_SAMPLES = 200_000;
const load = JSON.parse(process.argv[2] ?? '{}') as TcpLoad;
let counting = false;
let stop = false;
let done = 0;
let errors = 0;
let firstError: string | undefined;
const samples: number[] = [];
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One connection: resolves once its CREATE is answered, with `start` (send `depth` commands) and `idle` (resolves once nothing is in flight). */
async function open(c: number): Promise<{ socket: Socket; start: () => void; idle: () => Promise<void> }> {
  const socket = connect({ port: load.port, host: '127.0.0.1', noDelay: true });
  const sent: number[] = [];
  let seq = 0;
  let tail: Buffer | undefined;
  let wake: (() => void) | undefined;
  const idle = (): Promise<void> => new Promise((r) => (sent.length === 0 || socket.destroyed ? r() : (wake = r)));
  // Commands refilled after one read leave in one write, as a pipelining client would send them.
  const send = (count: number): void => {
    let out = '';
    const now = performance.now();
    for (let k = 0; k < count; k++, seq++) {
      sent.push(now);
      out += (seq & 3) === 0 ? `PUT ${load.bucket} k${c}_${seq & 1023} v${seq}\n` : `GET ${load.bucket} k${c}_${seq & 1023}\n`;
    }
    socket.write(out);
  };
  socket.on('data', (chunk: Buffer) => {
    const buf = tail === undefined ? chunk : Buffer.concat([tail, chunk]);
    const now = performance.now();
    let answered = 0;
    let s = 0;
    for (let nl = buf.indexOf(10); nl !== -1; s = nl + 1, nl = buf.indexOf(10, s)) {
      const first = buf[s];
      // A GET's value line (every value written starts with `v`) or its empty line: the OK follows.
      if (first === 0x76 || first === 0x0d) continue;
      if (first !== 0x4f || nl - s !== 3) {
        errors++;
        firstError ??= buf.toString('utf8', s, nl).trim();
      }
      const t0 = sent.shift() as number;
      answered++;
      if (counting) {
        done++;
        if (samples.length < MAX_SAMPLES) samples.push((now - t0) * 1000);
      }
    }
    tail = s < buf.length ? buf.subarray(s) : undefined;
    if (answered > 0 && !stop && seq > 0) send(answered);
    if (sent.length === 0) wake?.();
  });
  const lost = (e?: Error): void => {
    if (e !== undefined) firstError ??= e.message;
    wake?.();
  };
  socket.on('error', lost);
  socket.on('close', () => lost());
  await new Promise<void>((r, j) => socket.once('connect', r).once('error', j));
  sent.push(performance.now());
  socket.write(`CREATE ${load.bucket}\n`);
  await idle();
  return { socket, start: () => send(load.depth), idle };
}

const lanes = await Promise.all(Array.from({ length: load.connections }, (_, c) => open(c)));
for (const lane of lanes) lane.start();
await sleep(load.warmMs);
counting = true;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
await sleep(load.ms);
counting = false;
const elapsed = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const total = done;
stop = true;
let timer: NodeJS.Timeout | undefined;
await Promise.race([Promise.all(lanes.map((l) => l.idle())), new Promise((r) => (timer = setTimeout(r, 2_000)))]);
clearTimeout(timer);
for (const lane of lanes) lane.socket.destroy();
samples.sort((a, b) => a - b);
const clientCpu = (cpu.user + cpu.system) / 1000 / elapsed;
const result: TcpResult = { opsPerSec: total / (elapsed / 1000), clientCpu, p50: percentile(samples, 0.5), p99: percentile(samples, 0.99), errors, ...(firstError === undefined ? {} : { firstError }) };
if (process.send === undefined) console.log(JSON.stringify(result));
else process.send(result, () => process.disconnect());
