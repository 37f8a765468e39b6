/** Links and monitors: crashes across a link, trapped exits, kill, monitors' DOWN, and `noconnection` when a node dies. */
import type { ExitEvent, TaskErrorEvent } from '../../src/index.js';
import { rejectsWith } from '../helpers.js';
import type { Suite } from './suite.js';
import { withProcesses } from './configs.js';

const tagged =
  (tag: string, second?: unknown) =>
  (m: unknown): boolean =>
    Array.isArray(m) && m[0] === tag && (second === undefined || m[1] === second);

/** Registers the link and monitor cases. */
export function linkCases(s: Suite): void {
  s.test('a link: a crash ends the process at its other end, and reaches the app as EXIT and an exit event', withProcesses, async (c, t, h) => {
    const crashes: TaskErrorEvent[] = [];
    const crashed = new Promise((resolve) => c.on('taskerror', (e: TaskErrorEvent) => resolve(crashes.push(e))));
    const exits: ExitEvent[] = [];
    c.on('exit', (e: ExitEvent) => exits.push(e));
    const me = c.self();
    const a = await c.spawnLink('foo', 'Pong', 'crashOn');
    // Monitored from its start: a monitor set up later could come after its death (another link, another order).
    // b links to a, then greets it (after the link, on the same link between the nodes): a crashes on the greeting.
    const { pid: b, ref } = await c.spawnMonitor('bar', 'Pong', 'linker', [a, me.pid, true]);
    const reason = { code: 'KV_ERR_TASK_FAILED', message: `Pong.crashOn/0 failed on node "foo": Error: linked,${b}` };
    t.deepEqual(await me.receive(tagged('EXIT'), 5000), ['EXIT', a, reason]);
    t.deepEqual(await me.receive(tagged('DOWN'), 5000), ['DOWN', ref, b, reason], 'b died of the same reason, through its link');
    t.deepEqual(await me.receive(undefined, 5000), ['linked', b]);
    t.deepEqual(exits, [{ pid: a, reason }]);
    // Reported to the supervisor on the node's own channel, not the data plane: it may come later.
    await h.settle(crashed, 5000, 'the taskerror of the crash');
    t.deepEqual(
      crashes.map((e) => [e.node, e.mfa, e.error.message]),
      [['foo', 'Pong.crashOn/0', reason.message]],
      'only the crash itself is reported, not the exits it caused',
    );
    t.deepEqual(me.flush(), []);
  });

  s.test('trapped exits arrive as messages; kill cannot be trapped; unlink ends a link', withProcesses, async (c, t) => {
    const me = c.self();
    const trapper = await c.spawn('bar', 'Pong', 'trapper', [me.pid]);
    t.deepEqual(await me.receive(undefined, 5000), ['trapping', trapper]);
    const a = await c.spawn('foo', 'Pong', 'linker', [trapper, me.pid]);
    t.deepEqual(await me.receive(undefined, 5000), ['linked', a]);
    c.exit(a, 'shutdown');
    t.deepEqual(await me.receive(undefined, 5000), ['got', ['EXIT', a, 'shutdown']], 'the trapping process lives on');
    c.send(trapper, 'still there?');
    t.deepEqual(await me.receive(undefined, 5000), ['got', 'still there?']);
    const linked = await c.spawnLink('foo', 'Pong', 'idle');
    me.unlink(linked);
    c.exit(linked, 'gone quietly');
    const ref = me.monitor(trapper);
    c.exit(trapper, 'kill');
    t.deepEqual(await me.receive(tagged('DOWN'), 5000), ['DOWN', ref, trapper, 'killed']);
    t.deepEqual(me.flush(), [], 'no EXIT from the unlinked process');
  });

  s.test('monitors: DOWN once with the reason (normal, an error, exit), noproc for a process already gone, none after demonitor', withProcesses, async (c, t) => {
    c.on('taskerror', () => undefined);
    const me = c.self();
    const normal = await c.spawnMonitor('foo', 'Pong', 'exitOn');
    c.send(normal.pid, 'normal');
    t.deepEqual(await me.receive(tagged('DOWN'), 5000), ['DOWN', normal.ref, normal.pid, 'normal']);
    const crash = await c.spawnMonitor('bar', 'Pong', 'crashOn');
    c.send(crash.pid, 'bad');
    t.deepEqual(await me.receive(tagged('DOWN'), 5000), ['DOWN', crash.ref, crash.pid, { code: 'KV_ERR_TASK_FAILED', message: 'Pong.crashOn/0 failed on node "bar": Error: bad' }]);
    const late = me.monitor(normal.pid);
    t.deepEqual(await me.receive(tagged('DOWN', late), 5000), ['DOWN', late, normal.pid, 'noproc']);
    const nobody = me.monitor({ name: 'nobody', node: 'bar' });
    t.deepEqual(await me.receive(tagged('DOWN', nobody), 5000), ['DOWN', nobody, { name: 'nobody', node: 'bar' }, 'noproc']);
    const idle = await c.spawnMonitor('foo', 'Pong', 'idle');
    me.demonitor(idle.ref);
    const watcher = await c.spawn('bar', 'Pong', 'watcher', [idle.pid, me.pid, { why: 'a reason is any value' }]);
    const [tag, ref, pid, reason] = await me.receive<unknown[]>(undefined, 5000);
    t.deepEqual([tag, pid, reason], ['DOWN', idle.pid, { why: 'a reason is any value' }], `${watcher} heard it`);
    t.regex(ref as string, /^#Ref<bar\.\d+\.0>$/);
    t.deepEqual(me.flush(), [], 'the app, which demonitored, did not');
  });

  s.testWith(['supervision'], 'a node that dies: links and monitors to its processes fire with noconnection; its pids reach nobody after its restart', withProcesses, async (c, t, h) => {
    const me = c.self();
    const linked = await c.spawnLink('foo', 'Pong', 'idle');
    const watched = await c.spawnMonitor('foo', 'Pong', 'idle');
    const trapper = await c.spawn('bar', 'Pong', 'trapper', [me.pid]);
    await me.receive(tagged('trapping'), 5000);
    const remote = await c.spawn('foo', 'Pong', 'linker', [trapper, me.pid, true]);
    await me.receive(tagged('linked'), 5000);
    // The trapper has the link once it has the greeting sent after it (a node's death loses what it had in flight).
    t.deepEqual(await me.receive(tagged('got'), 5000), ['got', ['linked', remote]]);
    const up = new Promise((resolve) => c.once('nodeup', resolve));
    await c.kill('foo');
    t.deepEqual(await me.receive(tagged('EXIT'), 5000), ['EXIT', linked, 'noconnection']);
    t.deepEqual(await me.receive(tagged('DOWN'), 5000), ['DOWN', watched.ref, watched.pid, 'noconnection']);
    t.deepEqual(await me.receive(undefined, 5000), ['got', ['EXIT', remote, 'noconnection']], 'a process on bar linked to one on foo');
    c.send(linked, 'dropped: its node is gone');
    await h.settle(up, 10_000, 'the restart of foo');
    const again = await c.spawn('foo', 'Pong', 'idle');
    t.regex(again, /^#PID<foo\.\d+\.1>$/, 'a pid of the second life of foo');
    const ref = me.monitor(linked);
    t.deepEqual(await me.receive(tagged('DOWN', ref), 5000), ['DOWN', ref, linked, 'noproc'], 'a pid of the first life reaches nobody');
    t.deepEqual(me.flush(), []);
  });

  s.testWith(['supervision'], 'a node blocked past heartbeatMs is declared down: its links fire with noconnection', { ...withProcesses, heartbeatMs: 200 }, async (c, t, h) => {
    const me = c.self();
    const pid = await c.spawnLink('bar', 'Pong', 'idle');
    const start = h.now();
    await c.pause('bar');
    t.deepEqual(await me.receive(tagged('EXIT'), 5000), ['EXIT', pid, 'noconnection']);
    const took = h.now() - start;
    // The heartbeat declares a node blocked within heartbeatMs of its last turn (the pause came after one).
    t.true(took > 0 && took <= (h.virtualTime ? 200 : 4000), `declared down ${took} ms after the pause`);
  });

  s.testWith(['supervision'], 'callServer while the server’s node dies: KV_ERR_NODE_DOWN at once, and while it is down', { ...withProcesses, nodes: { foo: {}, bar: { restart: 'never' } } }, async (c, t) => {
    c.on('taskerror', () => undefined);
    await c.spawn('bar', 'Pong', 'server', ['kv']);
    const pending = c.callServer({ name: 'kv', node: 'bar' }, 'slow', { timeout: 60_000 });
    await c.kill('bar');
    await rejectsWith(t, pending, 'KV_ERR_NODE_DOWN', 'node "bar" is down');
    await rejectsWith(t, c.callServer({ name: 'kv', node: 'bar' }, 'hi'), 'KV_ERR_NODE_DOWN', 'node "bar" is down');
    await rejectsWith(t, c.spawn('bar', 'Pong', 'idle'), 'KV_ERR_NODE_DOWN');
    t.deepEqual(c.self().flush(), []);
  });
}
