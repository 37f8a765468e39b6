/** The README's "Processes" example on worker threads, step by step, with what it says each step prints; and labelled output. */
import test from 'ava';
import { startCluster } from '../../src/index.js';
import type { TaskErrorEvent } from '../../src/index.js';
import { fixture, rejectsWith } from '../helpers.js';

test('the README ping-pong prints what the README says', async (t) => {
  let output = '';
  const config = { nodes: { foo: { modules: ['Pong'] }, bar: {} }, modules: { Pong: fixture('pong.js'), Hello: fixture('hello.js') } };
  const cluster = await startCluster({ config, stdout: { write: (text: string) => (output += text) } });
  t.teardown(() => cluster.destroy());
  const failed = new Promise<TaskErrorEvent>((resolve) => cluster.once('taskerror', resolve));
  await rejectsWith(t, cluster.spawn('foo', 'Hello', 'world'), 'KV_ERR_UNDEFINED_FUNCTION', 'undefined function Hello.world/0 on node "foo": no module Hello (modules: Kernel, KV.Registry, KV.Bucket, KV.Router, KV.Redis, Application, Pong)');
  t.is((await failed).mfa, 'Hello.world/0');
  t.is(await cluster.spawn('foo', 'Pong', 'world'), '#PID<foo.1.0>');
  const me = cluster.self();
  t.is(me.pid, '#PID<client.0.0>');
  const pid = await cluster.spawnLink('foo', 'Pong', 'loop');
  t.is(pid, '#PID<foo.2.0>');
  cluster.send(pid, ['ping', me.pid]);
  t.is(await me.receive(), 'pong');
  t.deepEqual(me.flush(), []);
  t.is(output, 'hello world\n', 'printed by the app, before foo answered the ping');
  await cluster.spawn('bar', 'Pong', 'shout', ['kv']);
  t.is(await cluster.callServer({ name: 'kv', node: 'bar' }, 'hi'), 'HI');
  await cluster.close();
});

test('labelOutput starts every line a process prints with its node, as kvmesh start does', async (t) => {
  const lines: string[] = [];
  const cluster = await startCluster({ config: { nodes: ['foo', 'bar'], modules: { Pong: fixture('pong.js') } }, stdout: { write: (text: string) => lines.push(text) }, labelOutput: true });
  t.teardown(() => cluster.destroy());
  await cluster.spawn('bar', 'Pong', 'say', ['two\nlines']);
  await cluster.call('bar', 'Kernel', 'node');
  t.deepEqual(lines, ['[bar] two\n[bar] lines\n']);
  const failed = new Promise<TaskErrorEvent>((resolve) => cluster.once('taskerror', resolve));
  await cluster.spawn('bar', 'Pong', 'say', [42]);
  const { error } = await failed;
  t.deepEqual([error.code, error.message], ['KV_ERR_BAD_ARGUMENT', 'this.puts: argument 1 (text) must be a string, received number']);
  t.is(lines.length, 1, 'nothing printed for it');
});
