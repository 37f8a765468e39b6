/** User functions run by a node, inline and in its CPU pool: any failure is KV_ERR_TASK_FAILED, and `this` reaches the node either way. */
import test from 'ava';
import fc from 'fast-check';
import { MessageChannel } from 'node:worker_threads';
import { KvError, messageOf } from '../../src/protocol/errors.js';
import { taskFailed } from '../../src/node/modules.js';
import { taskContext } from '../../src/node/pool.js';
import type { TaskErrorEvent } from '../../src/index.js';
import { cluster, fixture, fixtures, guideTable, rejectsWith, stillServes, cloneable } from '../helpers.js';
import { startCluster } from '../../src/index.js';
import { pathToFileURL } from 'node:url';

const hostile = (await import(pathToFileURL(fixture('hostile.js')).href)) as { kinds(): string[]; throwKind(kind: string, later: boolean): unknown };

const config = {
  routingTable: guideTable,
  nodes: { foo: {}, bar: {} },
  modules: {
    Ctx: fixture('context.js'),
    CtxCpu: { path: fixture('context.js'), cpu: true },
    Hostile: fixture('hostile.js'),
    HostileCpu: { path: fixture('hostile.js'), cpu: true },
  },
};

/** How each value the Hostile fixture builds reads in an error message. */
const printed: Record<string, string> = {
  'null prototype': 'threw [object Object]',
  'throwing toString': 'threw [object Object]',
  'revoked proxy': 'threw an unprintable object',
  'proxy whose every trap throws': 'threw an unprintable object',
  'error with a throwing message getter': 'threw [object Error]',
  'error with an unprintable message': 'threw [object Error]',
  'cyclic object': 'threw [object Object]',
  symbol: 'threw Symbol(s)',
  bigint: 'threw 10',
  function: 'threw function named() {}',
};

const caught = (kind: string): unknown => {
  try {
    hostile.throwKind(kind, false);
  } catch (e) {
    return e;
  }
  throw new Error(`${kind} did not throw`);
};

test('messageOf prints anything thrown, never throwing; taskFailed keeps a KvError and makes the rest KV_ERR_TASK_FAILED', (t) => {
  t.deepEqual(hostile.kinds(), Object.keys(printed));
  for (const [kind, text] of Object.entries(printed)) t.is(messageOf(caught(kind), 'threw '), text, kind);
  t.is(messageOf(new RangeError('too big'), 'threw '), 'RangeError: too big');
  t.is(messageOf('plain', 'threw '), 'threw plain');
  t.is(messageOf(undefined), 'undefined');
  const nested = new KvError('KV_ERR_NO_BUCKET', 'no bucket "x" on node "bar" (create it first)');
  t.is(taskFailed('M', 'f', 1, 'foo', nested), nested);
  t.like(taskFailed('M', 'f', 1, 'foo', caught('revoked proxy')), { code: 'KV_ERR_TASK_FAILED', message: 'M.f/1 failed on node "foo": threw an unprintable object' });
});

test('whatever a user function throws or rejects with, inline or in the CPU pool, is KV_ERR_TASK_FAILED with a best-effort message', async (t) => {
  const c = await cluster(t, config);
  for (const mod of ['Hostile', 'HostileCpu']) {
    for (const [kind, text] of Object.entries(printed)) {
      for (const later of [false, true]) {
        await rejectsWith(t, c.call('foo', mod, 'throwKind', [kind, later]), 'KV_ERR_TASK_FAILED', `${mod}.throwKind/2 failed on node "foo": ${text}`);
      }
    }
  }
  await rejectsWith(t, c.call('bar', 'Hostile', 'throwValue', [new TypeError('plain'), true]), 'KV_ERR_TASK_FAILED', 'Hostile.throwValue/2 failed on node "bar": TypeError: plain');
  await stillServes(t, c);
});

test('property: any value thrown or rejected with, inline or pooled, is KV_ERR_TASK_FAILED printed as messageOf prints it', async (t) => {
  const c = await cluster(t, config);
  await fc.assert(
    fc.asyncProperty(cloneable, fc.boolean(), fc.constantFrom('Hostile', 'HostileCpu'), async (value, later, mod) => {
      const error = (await c.call('bar', mod, 'throwValue', [value, later]).then(
        () => undefined,
        (e: unknown) => e,
      )) as KvError | undefined;
      const expected = `${mod}.throwValue/2 failed on node "bar": ${messageOf(structuredClone(value), 'threw ')}`;
      // Thrown, not asserted: fast-check shrinks the value and reports it.
      if (error?.code !== 'KV_ERR_TASK_FAILED' || error.message !== expected) throw new Error(`${error?.code ?? 'no error'}: ${error?.message ?? ''}, expected ${expected}`);
    }),
    { numRuns: 100 },
  );
  await stillServes(t, c);
});

test('a cpu: true function sees its node as an inline one does: node(), nodes(), getEnv (a snapshot), route and call through the node', async (t) => {
  const c = await cluster(t, config);
  t.is(await c.call('foo', 'Application', 'put_env', ['greeting', 'hi']), 'ok');
  const view = {
    node: 'foo',
    nodes: ['bar'],
    table: [
      { from: 97, to: 109, node: 'foo' },
      { from: 110, to: 122, node: 'bar' },
    ],
    env: 'hi',
  };
  t.deepEqual(await c.call('foo', 'Ctx', 'view', ['greeting']), view);
  t.deepEqual(await c.call('foo', 'CtxCpu', 'view', ['greeting']), view);
  for (const mod of ['Ctx', 'CtxCpu']) {
    t.is(await c.call('foo', mod, 'route', ['zebra', 'Kernel', 'node', []]), 'bar', mod);
    t.is(await c.call('foo', mod, 'route', ['apple', 'Kernel', 'node']), 'foo', mod);
    t.is(await c.call('foo', mod, 'call', ['bar', 'Kernel', 'node', []]), 'bar', mod);
    t.deepEqual(await c.call('bar', mod, 'call', ['foo', 'Application', 'get_env', ['greeting']]), 'hi', mod);
    await rejectsWith(t, c.call('foo', mod, 'call', ['nope', 'Kernel', 'node', []]), 'KV_ERR_UNKNOWN_NODE', 'unknown node "nope" (nodes: foo, bar)');
    await rejectsWith(t, c.call('foo', mod, 'route', [123, 'Kernel', 'node', []]), 'KV_ERR_BAD_ARGUMENT', 'this.route: argument 1 (bucket) must be a string, received number');
    await rejectsWith(t, c.call('foo', mod, 'route', ['zebra', 'Nope', 'x', [1]]), 'KV_ERR_UNDEFINED_FUNCTION', 'undefined function Nope.x/1 on node "bar": no module Nope (modules: Kernel, KV.Registry, KV.Bucket, KV.Router, KV.Redis, Application, Ctx, CtxCpu, Hostile, HostileCpu)');
    await rejectsWith(t, c.call('foo', mod, 'getEnv', [5]), 'KV_ERR_BAD_ARGUMENT', 'this.getEnv: argument 1 (key) must be a string, received number');
  }
  // The snapshot holds what can cross threads: a function put by an inline module stays behind.
  t.is(await c.call('foo', 'Ctx', 'putUnsendable', ['fn']), 'ok');
  t.is(await c.call('foo', 'CtxCpu', 'getEnv', ['fn']), undefined);
  t.is(await c.call('foo', 'CtxCpu', 'getEnv', ['greeting']), 'hi');
  await stillServes(t, c);
});

test('a cpu: true function: spawn goes through the node, putEnv is refused, and what cannot cross threads is named', async (t) => {
  const c = await cluster(t, config);
  const failed = new Promise<TaskErrorEvent>((resolve) => c.once('taskerror', resolve));
  t.is(await c.call('foo', 'CtxCpu', 'spawn', ['bar', 'Nope', 'x', []]), 'spawned');
  const event = await failed;
  t.is(event.node, 'bar');
  t.is(event.error.code, 'KV_ERR_UNDEFINED_FUNCTION');
  await rejectsWith(t, c.call('foo', 'CtxCpu', 'spawn', [1, 'Nope', 'x', []]), 'KV_ERR_BAD_ARGUMENT', 'this.spawn: argument 1 (node) must be a string, received number');
  await rejectsWith(t, c.call('foo', 'CtxCpu', 'putEnv', ['k', 'v']), 'KV_ERR_BAD_ARGUMENT', `this.putEnv in CtxCpu.putEnv/2 on node "foo": a cpu: true module reads a snapshot of the environment; set it with this.call(this.node(), 'Application', 'put_env', [key, value])`);
  await rejectsWith(t, c.call('foo', 'CtxCpu', 'callWithUnsendable', ['bar']), 'KV_ERR_BAD_ARGUMENT', 'this.call in CtxCpu.callWithUnsendable/1 on node "foo": cannot send to another thread: DataCloneError: () => 1 could not be cloned.');
  await rejectsWith(t, c.call('foo', 'CtxCpu', 'route', ['apple', 'Ctx', 'unsendable', []]), 'KV_ERR_TASK_FAILED', "the result of this.route cannot be sent to the CPU task's thread: DataCloneError: () => 1 could not be cloned.");
  await rejectsWith(t, c.call('foo', 'CtxCpu', 'unsendable', []), 'KV_ERR_TASK_FAILED', 'CtxCpu.unsendable/0 on node "foo": its result cannot be sent to another thread: DataCloneError: () => 1 could not be cloned.');
  await stillServes(t, c);
});

test('calls are not processes, but spawn (to a pid), send, puts and whereis work there, inline and in the CPU pool', async (t) => {
  let output = '';
  const c = await startCluster({ config: { ...config, modules: { ...config.modules, Pong: fixture('pong.js') } }, cwd: fixtures, stdout: { write: (text: string) => (output += text) } });
  t.teardown(() => c.destroy());
  for (const mod of ['Ctx', 'CtxCpu']) {
    const pid = await c.call<string>('foo', mod, 'spawnSendPuts', ['bar', `from ${mod}`]);
    t.regex(pid, /^#PID<bar\.\d+\.0>$/);
    t.deepEqual(await c.self().receive(undefined, 5000), [pid, null]);
    t.deepEqual((await c.processes('bar')).find((p) => p.pid === pid)?.mfa, 'Pong.idle/0');
  }
  await c.call('foo', 'Kernel', 'node');
  t.is(output, 'from Ctx\nfrom CtxCpu\n');
  c.on('taskerror', () => undefined);
  await rejectsWith(t, c.spawn('foo', 'CtxCpu', 'view', ['k']), 'KV_ERR_BAD_ARGUMENT', 'spawn CtxCpu.view/1 on node "foo": CtxCpu is a cpu: true module, whose functions run in the CPU pool as calls; a process runs on its node\'s event loop');
});

test('a task context whose task has returned rejects with KV_ERR_CLOSED instead of waiting forever', async (t) => {
  const { port1, port2 } = new MessageChannel();
  t.teardown(() => port1.close());
  const ctx = taskContext({ node: 'foo', mod: 'M', path: '', fun: 'f', args: [1], nodes: ['bar'], env: { a: 1 }, port: port2 });
  t.is(ctx.node(), 'foo');
  t.deepEqual(ctx.nodes(), ['bar']);
  t.is(ctx.getEnv('a'), 1);
  t.is(ctx.getEnv('toString'), undefined, 'own keys only');
  ctx.close();
  await rejectsWith(t, ctx.route('b', 'M', 'f', []), 'KV_ERR_CLOSED', 'this.route in M.f/1 on node "foo": the CPU task has returned, so it can no longer reach its node');
  t.throws(() => ctx.spawn('bar', 'M', 'f', []), { code: 'KV_ERR_CLOSED', message: 'this.spawn in M.f/1 on node "foo": the CPU task has returned, so it can no longer reach its node' });
});
