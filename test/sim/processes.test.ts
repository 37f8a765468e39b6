/**
 * Random sequences of spawns, messages, links, unlinks, exits, crashes, exit signals and node
 * kills, run on the simulation host (fast, and a failure replays from its seed), checked after
 * every step against a model of mailboxes and links (`process-model.ts`).
 */
import test from 'ava';
import fc from 'fast-check';
import { checkDeterminism, simulate } from '../../src/testing.js';
import type { Simulation } from '../../src/testing.js';
import { fixtures, guideTable } from '../helpers.js';
import { APP, ProcessModel } from './process-model.js';

const often = { maxRestarts: 1000, withinMs: 1 };
const config = { routingTable: guideTable, nodes: { foo: { restart: often }, bar: { restart: often } }, modules: { Pong: 'pong.js' } };
const NODES = ['foo', 'bar'] as const;

const who = fc.nat(50);
const other = fc.option(fc.nat(50), { nil: undefined });
const reason = fc.constantFrom('normal', 'shutdown', 'kill');
const command = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('spawn' as const), node: fc.constantFrom(...NODES), trap: fc.boolean(), link: fc.boolean() }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('send' as const), p: who }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constantFrom('link' as const, 'unlink' as const), p: who, q: other }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constantFrom('appLink' as const, 'appUnlink' as const), p: who }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('exit' as const), p: who, reason: fc.constantFrom('normal', 'shutdown') }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('crash' as const), p: who }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('signal' as const), p: other, q: who, reason }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('kill' as const), node: fc.constantFrom(...NODES) }), weight: 1 },
);
type Command = typeof command extends fc.Arbitrary<infer C> ? C : never;

/** Runs one command on the cluster and the model. */
async function step(sim: Simulation, model: ProcessModel, pids: string[], c: Command): Promise<void> {
  const pick = (i: number | undefined): string | undefined => (i === undefined || pids.length === 0 ? undefined : pids[i % pids.length]);
  const doo = (pid: string, ...what: unknown[]): void => sim.send(pid, ['$do', ...what]);
  if (c.kind === 'spawn') {
    const pid = await (c.link ? sim.spawnLink(c.node, 'Pong', 'agent', [c.trap]) : sim.spawn(c.node, 'Pong', 'agent', [c.trap]));
    pids.push(pid);
    model.spawned(pid, c.node, c.trap, c.link);
    return;
  }
  if (c.kind === 'kill') {
    await sim.kill(c.node);
    model.killNode(c.node);
    for (let i = 0; i < 100 && sim.status().some((s) => s.state !== 'up'); i++) await sim.sleep(5);
    return;
  }
  const p = pick(c.p);
  if (p === undefined) return;
  const q = pick(c.kind === 'signal' ? c.q : 'q' in c ? c.q : undefined);
  switch (c.kind) {
    case 'send':
      sim.send(p, 'hello');
      model.send(p);
      return;
    case 'link':
    case 'unlink':
      doo(p, c.kind, q ?? APP);
      model[c.kind](p, q ?? APP);
      return;
    case 'appLink':
      sim.self().link(p);
      model.appLink(p);
      return;
    case 'appUnlink':
      sim.self().unlink(p);
      model.appUnlink(p);
      return;
    case 'exit':
      doo(p, 'exit', c.reason);
      model.die(p, c.reason);
      return;
    case 'crash':
      doo(p, 'crash');
      model.die(p, { code: 'KV_ERR_TASK_FAILED', message: `Pong.agent/1 failed on node "${model.procs.get(p)?.node ?? ''}": Error: crash` });
      return;
    case 'signal': {
      // From process p to q, or from the app to q when the draw gave no sender.
      const to = pick(c.q) as string;
      if (c.p === undefined) sim.exit(to, c.reason);
      else if (model.procs.has(p)) doo(p, 'signal', to, c.reason);
      else return;
      model.signal(to, c.reason);
      return;
    }
  }
}

/** The cluster's processes and the app's mailbox, as the model has them. */
async function check(sim: Simulation, model: ProcessModel): Promise<string | undefined> {
  for (const node of NODES) {
    const real: Record<string, { mailbox: number; links: string[] }> = {};
    for (const p of await sim.processes(node)) real[p.pid] = { mailbox: p.mailbox, links: [...p.links].sort() };
    const want = model.view(node);
    if (JSON.stringify(real) !== JSON.stringify(want)) return `${node}: ${JSON.stringify(real)} but the model has ${JSON.stringify(want)}`;
  }
  const key = (m: unknown): string => JSON.stringify(m);
  const got = sim.self().flush().map(key).sort();
  const want = model.takeAppMailbox().map(key).sort();
  return JSON.stringify(got) === JSON.stringify(want) ? undefined : `the app's mailbox: ${JSON.stringify(got)} but the model has ${JSON.stringify(want)}`;
}

test('random spawns, messages, links, exits, crashes, exit signals and node kills end each step where the model of mailboxes and links does', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 1000 }), async (commands, seed) => {
      const sim = await simulate({ config, cwd: fixtures, seed, stdout: { write: () => true } });
      sim.on('taskerror', () => undefined);
      const model = new ProcessModel();
      const pids: string[] = [];
      try {
        for (const [i, c] of commands.entries()) {
          await step(sim, model, pids, c);
          await sim.sleep(1);
          const wrong = await check(sim, model);
          if (wrong !== undefined) throw new Error(`after step ${i} ${JSON.stringify(c)}: ${wrong}`);
        }
      } finally {
        await sim.close();
      }
    }),
    { numRuns: 60 },
  );
  t.pass();
});

test('processes replay from the seed: the same ping-pong, server call, timeout and node kill give the same trace, with exact virtual times', async (t) => {
  const scenario = async (sim: Simulation): Promise<void> => {
    const me = sim.self();
    const pid = await sim.spawnLink('foo', 'Pong', 'loop');
    sim.send(pid, ['ping', me.pid]);
    t.is(await me.receive(), 'pong');
    await sim.spawn('bar', 'Pong', 'shout', ['kv']);
    t.is(await sim.callServer({ name: 'kv', node: 'bar' }, 'hi'), 'HI');
    const before = sim.now();
    await t.throwsAsync(me.receive(undefined, 25), { code: 'KV_ERR_TIMEOUT' });
    t.is(sim.now() - before, 25);
    const linked = await sim.spawnLink('bar', 'Pong', 'idle');
    await sim.kill('bar');
    t.deepEqual(await me.receive(), ['EXIT', linked, 'noconnection']);
  };
  const hash = await checkDeterminism({ config, cwd: fixtures, seed: 7, stdout: { write: () => true } }, scenario);
  t.regex(hash, /^[0-9a-f]{64}$/);
});

test('cluster.status() counts each node’s processes: a spawn adds one, an exit or a node’s death takes them away', async (t) => {
  const sim = await simulate({ config, cwd: fixtures, seed: 3, stdout: { write: () => true } });
  t.teardown(() => sim.close());
  const counts = (): number[] => sim.status().map((s) => s.processes);
  t.deepEqual(counts(), [0, 0]);
  const a = await sim.spawn('foo', 'Pong', 'loop', []);
  await sim.spawn('foo', 'Pong', 'loop', []);
  await sim.spawn('bar', 'Pong', 'loop', []);
  t.deepEqual(counts(), [2, 1]);
  sim.send(a, ['ping', sim.self().pid]);
  t.is(await sim.self().receive(undefined, 1000), 'pong');
  await sim.sleep(1);
  t.deepEqual(counts(), [1, 1], 'the loop that answered has returned');
  await sim.kill('bar');
  await sim.sleep(10);
  t.deepEqual(counts(), [1, 0], 'a restarted node starts with none');
});
