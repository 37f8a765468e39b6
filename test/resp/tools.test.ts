/**
 * Debian's redis-cli and redis-benchmark against kvmesh: a scripted redis-cli session (proxy
 * mode, and -c following MOVED in cluster mode), and redis-benchmark's tests through a
 * router-only node (every request forwarded) with no error.
 */
import test from 'ava';
import { cluster } from '../helpers.js';
import { run } from './tools.js';
import { slotBucket } from '../../src/core/resp-keys.js';

test("a scripted redis-cli session: strings, hashes, counters, an unknown command, and the data is kvmesh's", async (t) => {
  const c = await cluster(t, { routingTable: [{ range: [0, 255], node: 'foo' }], nodes: { foo: { resp: { port: 0 } } } });
  const script = ['SET user:1 alice', 'GET user:1', 'HSET cart milk 2 eggs 12', 'HGETALL cart', 'INCR n', 'INCRBY n 41', 'NOPE x', 'MGET user:1 cart:eggs', 'DBSIZE', 'PING'].join('\n');
  const { stdout, code } = await run('redis-cli', ['-p', String(c.respPorts.get('foo'))], `${script}\n`);
  t.is(code, 0);
  t.is(stdout, ['OK', 'alice', '2', 'milk', '2', 'eggs', '12', '1', '42', "ERR unknown command 'NOPE', with args beginning with: 'x'", '', 'alice', '12', '4', 'PONG', ''].join('\n'));
  const kv = c.client();
  t.is(await kv.get('user', '1'), 'alice');
  t.is(await kv.get('cart', 'eggs'), '12');
  t.is(await kv.get('default', 'n'), '42');
});

test('redis-cli -c in cluster mode: a node that owns no slot answers -MOVED, redis-cli follows it to the owner', async (t) => {
  const c = await cluster(t, { routingTable: [{ range: [0, 255], node: 'foo' }], nodes: { foo: { resp: { port: 0, cluster: true } }, bar: { storage: false, resp: { port: 0, cluster: true } } } });
  const [foo, bar] = [c.respPorts.get('foo') as number, c.respPorts.get('bar') as number];
  const plain = await run('redis-cli', ['-p', String(bar)], 'SET user:1 alice\n');
  t.is(plain.stdout, `MOVED 10778 127.0.0.1:${foo}\n\n`);
  const followed = await run('redis-cli', ['-c', '-p', String(bar)], 'SET user:1 alice\nGET user:1\nCLUSTER KEYSLOT user:1\n');
  t.is(followed.stdout, `-> Redirected to slot [10778] located at 127.0.0.1:${foo}\nOK\nalice\n10778\n`);
  t.is(await c.client({ via: 'bar' }).get(slotBucket(10778), 'user:1'), 'alice', 'stored whole in the bucket of its slot');
});

test('redis-benchmark -t ping,set,get,incr,hset,mset completes with no error through a router-only node (proxy mode)', async (t) => {
  const c = await cluster(t, { routingTable: [{ range: [0, 255], node: 'back' }], nodes: { front: { storage: false, resp: { port: 0 } }, back: {} } });
  const { stdout, stderr, code } = await run('redis-benchmark', ['-p', String(c.respPorts.get('front')), '-t', 'ping,set,get,incr,hset,mset', '-n', '20000', '-q'], '', 120_000);
  t.is(code, 0, stderr);
  const results = stdout.split(/[\r\n]/).filter((l) => l.includes('requests per second'));
  t.log(results.join('\n'));
  t.deepEqual(
    results.map((l) => l.split(':')[0]),
    ['PING_INLINE', 'PING_MBULK', 'SET', 'GET', 'INCR', 'HSET', 'MSET (10 keys)'],
  );
  t.false(/error|ERR/i.test(stdout + stderr), stdout + stderr);
  t.is((await c.stats('back')).keys > 0, true);
});

test('redis-benchmark --cluster against two nodes on hash slots: cluster mode without being asked, every request to the slot owner, no error', async (t) => {
  const slots = {
    slots: [
      { slots: '0-8191', node: 'foo' },
      { slots: '8192-16383', node: 'bar' },
    ],
  };
  const c = await cluster(t, { routingTable: slots, nodes: { foo: { resp: { port: 0 } }, bar: { resp: { port: 0 } } } });
  const nodes = await run('redis-cli', ['-p', String(c.respPorts.get('foo'))], 'CLUSTER KEYSLOT {06S}\n');
  t.is(nodes.stdout, '0\n');
  const { stdout, stderr, code } = await run('redis-benchmark', ['--cluster', '-p', String(c.respPorts.get('foo')), '-t', 'set,get,incr', '-n', '20000', '-q'], '', 120_000);
  t.is(code, 0, stderr);
  const results = stdout.split(/[\r\n]/).filter((l) => l.includes('requests per second'));
  t.log(results.join('\n'));
  t.deepEqual(
    results.map((l) => l.split(':')[0]),
    ['SET', 'GET', 'INCR'],
  );
  t.false(/error|ERR|MOVED/i.test(stdout + stderr), stdout + stderr);
  const [foo, bar] = [await c.stats('foo'), await c.stats('bar')];
  t.true(foo.keys > 0 && bar.keys > 0, `both slot owners hold keys (${foo.keys}, ${bar.keys})`);
  t.is(foo.forwarded + bar.forwarded, 0, 'no request needed a forward: each went to its slot owner');
});
