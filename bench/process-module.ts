/** The module the process benchmark loads on its nodes (`Bench`): an echo, a timed pinger, pairs of them, a mass spawn. */
import type { Pid, ProcessContext } from '../src/index.js';

/** Sends back every `[from, msg]` it gets, for ever. */
export async function echo(this: ProcessContext): Promise<void> {
  for (;;) {
    const [from, msg] = await this.receive<[Pid, unknown]>();
    this.send(from, msg);
  }
}

/** Waits for ever. */
export async function idle(this: ProcessContext): Promise<void> {
  await this.receive(() => false);
}

/** Pings `pid` `warm` then `n` times, one in flight; sends `report` each timed round trip, µs on this node's clock. */
export async function pinger(this: ProcessContext, pid: Pid, warm: number, n: number, report: Pid): Promise<void> {
  const me = this.self();
  for (let i = 0; i < warm; i++) {
    this.send(pid, [me, i]);
    await this.receive();
  }
  const times = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const t0 = this.now();
    this.send(pid, [me, i]);
    await this.receive();
    times[i] = (this.now() - t0) * 1000;
  }
  this.send(report, times);
}

/** One pair's pinging side: round trips with `pid` from `start` to `end` on this node's clock (those before `start` are the warm-up); sends `report` how many were timed. */
export async function pingFor(this: ProcessContext, pid: Pid, start: number, end: number, report: Pid): Promise<void> {
  const me = this.self();
  let n = 0;
  for (let i = 0; this.now() < end; i++) {
    this.send(pid, [me, i]);
    await this.receive();
    if (this.now() >= start) n++;
  }
  this.send(report, n);
}

/** `k` pairs of processes, an echo on `node` and a pinger here each, pinging for `ms` after `warmMs`; sends `report` the messages of the timed part and its ms. */
export async function pairs(this: ProcessContext, node: string, k: number, warmMs: number, ms: number, report: Pid): Promise<void> {
  const echoes = await Promise.all(Array.from({ length: k }, () => this.spawn(node, 'Bench', 'echo')));
  const start = this.now() + warmMs;
  for (const pid of echoes) await this.spawn(this.node(), 'Bench', 'pingFor', [pid, start, start + ms, this.self()]);
  let pings = 0;
  for (let i = 0; i < k; i++) pings += await this.receive<number>();
  for (const pid of echoes) this.exit(pid, 'kill');
  this.send(report, [pings * 2, ms]);
}

/** Spawns `n` idle processes on this node from a process here; sends `report` the ms it took, then ends them. */
export async function spawnMany(this: ProcessContext, n: number, report: Pid): Promise<void> {
  const t0 = this.now();
  const pids = await Promise.all(Array.from({ length: n }, () => this.spawn(this.node(), 'Bench', 'idle')));
  const took = this.now() - t0;
  for (const pid of pids) this.exit(pid, 'kill');
  this.send(report, took);
}
