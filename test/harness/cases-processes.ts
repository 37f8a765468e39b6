/** Processes: the guide's exchange step by step, selective receive, receive timeouts, names, callServer, pids in messages, limits, bad arguments. */
import type { KvError, TaskErrorEvent } from '../../src/index.js';
import { rejectsWith } from '../helpers.js';
import { waited } from './suite.js';
import type { Suite } from './suite.js';
import { smallLimits, withProcesses } from './configs.js';

/** Whether `m` is `[tag, …]`. */
const tagged =
  (tag: string) =>
  (m: unknown): boolean =>
    Array.isArray(m) && m[0] === tag;

/** Registers the process cases. */
export function processCases(s: Suite): void {
  s.test('the guide: a function a node lacks, spawnLink returning a pid of that node, output on the caller’s side, ping-pong, flush', withProcesses, async (c, t, h) => {
    const failures: TaskErrorEvent[] = [];
    c.on('taskerror', (e: TaskErrorEvent) => failures.push(e));
    await rejectsWith(t, c.spawn('foo', 'Hello', 'world'), 'KV_ERR_UNDEFINED_FUNCTION', 'undefined function Hello.world/0 on node "foo": no module Hello (modules: Kernel, KV.Registry, KV.Bucket, KV.Router, KV.Redis, Application, Pong)');
    t.deepEqual(
      failures.map((e) => [e.node, e.mfa, e.error.code]),
      [['foo', 'Hello.world/0', 'KV_ERR_UNDEFINED_FUNCTION']],
    );
    t.is(await c.call('bar', 'Hello', 'world', []), 'hello from bar', 'bar loads Hello: the same call there runs');
    const me = c.self();
    t.is(me.pid, '#PID<client.0.0>');
    const pid = await c.spawnLink('foo', 'Pong', 'loop', []);
    t.regex(pid, /^#PID<foo\.\d+\.0>$/, 'the node is readable in the pid');
    c.send(pid, ['ping', me.pid]);
    t.is(await me.receive(undefined, 5000), 'pong');
    // The loop ended normally: as in the guide's shell, its link tells the app nothing.
    t.deepEqual(me.flush(), []);
    t.regex(await c.spawn('foo', 'Pong', 'world'), /^#PID<foo\.\d+\.0>$/);
    // Its output and the answer to a later call come from foo in order.
    await c.call('foo', 'Kernel', 'node');
    t.is(h.output(), 'hello world\n', 'printed through the group leader: the app');
    t.is(failures.length, 1);
  });

  s.test('selective receive: the first message a match accepts, the others kept in arrival order', withProcesses, async (c, t) => {
    const me = c.self();
    const p = await c.spawn('bar', 'Pong', 'selective', [me.pid]);
    for (const m of ['a', 'c', 'b', 'd']) c.send(p, m);
    t.deepEqual(await me.receive(undefined, 5000), ['b', 'a', ['c', 'd']]);
    for (const m of [1, 2, 3, 2]) c.send(me.pid, m);
    t.is(await me.receive((m) => m === 2), 2);
    t.is(await me.receive(), 1);
    t.deepEqual(me.flush(), [3, 2]);
    await rejectsWith(
      t,
      me.receive((m) => m === 'x', 0),
      'KV_ERR_TIMEOUT',
      'receive in the app (#PID<client.0.0>): no matching message within 0 ms',
    );
  });

  s.test('receive timeouts end the wait at the deadline, in a process and in the app', withProcesses, async (c, t, h) => {
    const me = c.self();
    const p = await c.spawn('foo', 'Pong', 'patient', [me.pid, 40]);
    const [code, message, took] = await me.receive<[string, string, number]>(undefined, 5000);
    t.is(code, 'KV_ERR_TIMEOUT');
    t.is(message, `receive in ${p} (Pong.patient/2): no matching message within 40 ms`);
    if (h.virtualTime) t.is(took, 40);
    else t.true(took >= 39 && took < 2000, `${took} ms on foo's clock`);
    const start = h.now();
    await rejectsWith(t, me.receive(undefined, 30), 'KV_ERR_TIMEOUT', 'receive in the app (#PID<client.0.0>): no matching message within 30 ms');
    waited(t, h, start, { virtual: 30, atLeast: 29, below: 2000 });
    c.send(me.pid, 'late');
    t.is(await me.receive(undefined, 5000), 'late', 'a message after a timeout is still received');
  });

  s.test('registered names: whereis, named sends, a name taken twice', withProcesses, async (c, t) => {
    const me = c.self();
    const failed = new Promise<TaskErrorEvent>((resolve) => c.once('taskerror', resolve));
    const srv = await c.spawn('bar', 'Pong', 'server', ['kv']);
    t.is(await c.whereis('kv', 'bar'), srv);
    t.is(await c.whereis('kv', 'foo'), null);
    const ref = me.monitor({ name: 'kv', node: 'bar' });
    c.send({ name: 'kv', node: 'bar' }, ['$call', { pid: me.pid, ref: '#Ref<client.999.0>' }, 'ignored: no callServer waits on it']);
    c.send({ name: 'nobody', node: 'bar' }, 'dropped: nobody is registered so on bar');
    const second = await c.spawn('bar', 'Pong', 'server', ['kv']);
    const event = await failed;
    t.deepEqual([event.node, event.mfa, event.error.code, event.error.message], ['bar', 'Pong.server/1', 'KV_ERR_BAD_ARGUMENT', `register: the name "kv" is taken on node "bar" by ${srv}`]);
    t.not(second, srv);
    t.deepEqual(await c.callServer({ name: 'kv', node: 'bar' }, 'hi'), ['ok', 'hi', 'bar'], 'the first holder still serves');
    c.exit(srv, 'kill');
    t.deepEqual(await me.receive(tagged('DOWN'), 5000), ['DOWN', ref, { name: 'kv', node: 'bar' }, 'killed']);
    t.is(await c.whereis('kv', 'bar'), null, 'the name is free once its process is gone');
    t.deepEqual(me.flush(), []);
  });

  s.test('callServer: a reply, a timeout, a server dying mid-call, one that is gone', withProcesses, async (c, t, h) => {
    c.on('taskerror', () => undefined);
    const kv = { name: 'kv', node: 'bar' };
    await c.spawn('bar', 'Pong', 'server', ['kv']);
    t.deepEqual(await c.callServer(kv, { any: ['value'] }), ['ok', { any: ['value'] }, 'bar']);
    const start = h.now();
    await rejectsWith(t, c.callServer(kv, 'slow', { timeout: 50 }), 'KV_ERR_TIMEOUT', 'no reply from process "kv" on node "bar" within 50 ms');
    waited(t, h, start, { virtual: 50, atLeast: 49, below: 2000 });
    await rejectsWith(t, c.callServer(kv, 'crash'), 'KV_ERR_NO_PROCESS', 'process "kv" on node "bar": it exited (KV_ERR_TASK_FAILED: Pong.server/1 failed on node "bar": Error: asked to crash) before it replied');
    await rejectsWith(t, c.callServer(kv, 'again'), 'KV_ERR_NO_PROCESS', 'process "kv" on node "bar": no such process');
    t.throws(() => c.callServer({ name: 'kv', node: 'qux' }, 'x'), { code: 'KV_ERR_UNKNOWN_NODE', message: 'unknown node "qux" (nodes: foo, bar)' });
    t.deepEqual(c.self().flush(), [], 'no reply or monitor message is left behind');
    await c.spawn('foo', 'Pong', 'server', ['kv']);
    t.deepEqual(await c.callServer({ name: 'kv', node: 'foo' }, 'next'), ['ok', 'next', 'foo'], 'the next call is served');
  });

  s.test('pids inside messages stay pids on the far side, from the app and between nodes', withProcesses, async (c, t) => {
    const me = c.self();
    const echo = await c.spawn('bar', 'Pong', 'echo');
    c.send(echo, [me.pid, { reply: me.pid, list: [echo, me.pid] }]);
    const back = await me.receive<{ reply: string; list: string[] }>(undefined, 5000);
    t.deepEqual(back, { reply: me.pid, list: [echo, me.pid] });
    c.send(back.list[0] as string, [back.reply, 'through a pid that crossed twice']);
    t.is(await me.receive(undefined, 5000), 'through a pid that crossed twice');
    for (const node of ['bar', 'foo']) {
      await c.spawn('foo', 'Pong', 'relay', [node, me.pid]);
      const [pong, pid] = await me.receive<[string, string]>(undefined, 5000);
      t.is(pong, 'pong');
      t.true(pid.startsWith(`#PID<${node}.`), `${pid}: spawned on ${node} by a process on foo`);
    }
  });

  s.test('limits: processes per node, messages per mailbox', smallLimits, async (c, t) => {
    c.on('taskerror', () => undefined);
    const me = c.self();
    const pids = [await c.spawn('foo', 'Pong', 'idle'), await c.spawn('foo', 'Pong', 'idle'), await c.spawn('foo', 'Pong', 'idle')];
    await rejectsWith(t, c.spawn('foo', 'Pong', 'idle'), 'KV_ERR_TOO_MANY_PROCESSES', 'node "foo" runs 3 processes, its limit (maxProcesses): a process must exit before another can start');
    t.is((await c.stats('foo')).processes, 3);
    const ref = me.monitor(pids[0] as string);
    for (let i = 0; i < 6; i++) c.send(pids[0] as string, i);
    t.deepEqual(await me.receive(tagged('DOWN'), 5000), ['DOWN', ref, pids[0], { code: 'KV_ERR_MAILBOX_FULL', message: `the mailbox of ${pids[0]} (Pong.idle/0) is full: 5 messages wait (maxMailbox), so it was killed` }]);
    t.regex(await c.spawn('foo', 'Pong', 'idle'), /^#PID<foo\./, 'a place freed is taken again');
    t.deepEqual(
      (await c.processes('foo')).map((p) => [p.mfa, p.mailbox]),
      [
        ['Pong.idle/0', 0],
        ['Pong.idle/0', 0],
        ['Pong.idle/0', 0],
      ],
    );
  });

  s.test('close: what the app waits for (a receive, a server call) rejects with KV_ERR_CLOSED, and so does what it asks after', withProcesses, async (c, t) => {
    const me = c.self();
    await c.spawn('bar', 'Pong', 'server', ['kv']);
    const receiving = me.receive();
    const calling = c.callServer({ name: 'kv', node: 'bar' }, 'slow', { timeout: 60_000 });
    await c.close();
    const closed = { code: 'KV_ERR_CLOSED', message: 'the cluster is closed' };
    await t.throwsAsync(receiving, closed);
    await t.throwsAsync(calling, closed);
    await t.throwsAsync(me.receive(undefined, 10), closed);
    t.throws(() => c.send(me.pid, 'x'), closed);
    t.throws(() => c.spawn('foo', 'Pong', 'idle'), closed);
  });

  s.test('bad arguments are refused, in the app and inside processes; the next spawn is served', withProcesses, async (c, t) => {
    c.on('taskerror', () => undefined);
    const me = c.self();
    t.throws(() => c.send('nope', 1), { instanceOf: TypeError, message: 'send: dest must be a pid (#PID<node.id.creation>) or { name, node }, received string "nope"' });
    t.throws(() => c.send(me.pid, () => 1), { code: 'KV_ERR_BAD_ARGUMENT', message: 'send: cannot send to another thread: () => 1 could not be cloned.' });
    t.throws(() => c.spawnLink('qux', 'Pong', 'loop'), { code: 'KV_ERR_UNKNOWN_NODE', message: 'unknown node "qux" (nodes: foo, bar)' });
    t.throws(() => me.link('#PID<foo>'), { instanceOf: TypeError, message: 'link: pid must be a pid (#PID<node.id.creation>), received string "#PID<foo>"' });
    await t.throwsAsync(me.receive(5 as unknown as () => boolean), { instanceOf: TypeError, message: 'receive: match must be a function, received number' });
    const { pid, ref } = await c.spawnMonitor('foo', 'Pong', 'echo');
    c.send(pid, [42, 'not a pid']);
    const down = await me.receive<[string, string, string, KvError]>(tagged('DOWN'), 5000);
    t.deepEqual(down, ['DOWN', ref, pid, { code: 'KV_ERR_BAD_ARGUMENT', message: 'this.send: argument 1 (dest) must be a pid or { name, node }, received number' }]);
    // A named send to a name its own node does not have fails (one to another node's name cannot know, and is dropped).
    const local = await c.spawnMonitor('foo', 'Pong', 'echo');
    c.send(local.pid, [{ name: 'nobody', node: 'foo' }, 'hello?']);
    t.deepEqual(await me.receive(tagged('DOWN'), 5000), ['DOWN', local.ref, local.pid, { code: 'KV_ERR_NO_PROCESS', message: 'process "nobody" on node "foo": no process is registered under that name' }]);
    // What cannot be copied fails at once on the sender's node, and ends a sender on another node as its frame leaves.
    const near = await c.spawnMonitor('foo', 'Pong', 'sendFunction', [local.pid]);
    t.deepEqual(await me.receive(tagged('DOWN'), 5000), ['DOWN', near.ref, near.pid, { code: 'KV_ERR_BAD_ARGUMENT', message: `send to ${local.pid}: cannot send to another thread: () => 1 could not be cloned.` }]);
    const far = await c.spawnMonitor('bar', 'Pong', 'sendFunction', [local.pid]);
    t.deepEqual(await me.receive(tagged('DOWN'), 5000), ['DOWN', far.ref, far.pid, { code: 'KV_ERR_BAD_ARGUMENT', message: 'cannot send to another thread: () => 1 could not be cloned.' }]);
    t.regex(await c.spawn('foo', 'Pong', 'echo'), /^#PID<foo\./);
  });
}
