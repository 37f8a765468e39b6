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

/** One pair's pinging side: round trips with `pid` until `until` on this node's clock; sends `report` how many. */
async function lap(ctx: ProcessContext, pid: Pid, until: number): Promise<number> {
  const me = ctx.self();
  let n = 0;
  while (ctx.now() < until) {
    ctx.send(pid, [me, n]);
    await ctx.receive();
    n++;
  }
  return n;
}

/** `k` pairs, an echo on `node` and a pinger here each, all pinging for `ms` after `warmMs`; sends `report` the messages of the timed part and its ms. */
export async function pairs(this: ProcessContext, node: string, k: number, warmMs: number, ms: number, report: Pid): Promise<void> {
  const echoes = await Promise.all(Array.from({ length: k }, () => this.spawn(node, 'Bench', 'echo')));
  await Promise.all(echoes.map((pid) => lap(this, pid, this.now() + warmMs)));
  const t0 = this.now();
  const counts = await Promise.all(echoes.map((pid) => lap(this, pid, t0 + ms)));
  const took = this.now() - t0;
  for (const pid of echoes) this.exit(pid, 'kill');
  this.send(report, [counts.reduce((a, b) => a + b, 0) * 2, took]);
}

/** Spawns `n` idle processes on this node from a process here; sends `report` the ms it took, then ends them. */
export async function spawnMany(this: ProcessContext, n: number, report: Pid): Promise<void> {
  const t0 = this.now();
  const pids = await Promise.all(Array.from({ length: n }, () => this.spawn(this.node(), 'Bench', 'idle')));
  const took = this.now() - t0;
  for (const pid of pids) this.exit(pid, 'kill');
  this.send(report, took);
}
