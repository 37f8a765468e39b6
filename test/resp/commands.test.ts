/** The Redis commands against one node's real storage, in this thread: exact replies, every error with its text, RESP2 and RESP3 shapes. */
import test from 'ava';
import { reply, session } from './fake-node.js';
import { Storage } from '../../src/node/storage.js';
import { redisOps } from '../../src/node/redis-ops.js';

test('strings: SET, GET, MSET, MGET, EXISTS, DEL; a key is bucket:key, a missing bucket a missing key', async (t) => {
  const s = session();
  t.is(await reply(s, 'GET', 'user:42'), '$-1\r\n');
  t.is(await reply(s, 'SET', 'user:42', 'alice'), '+OK\r\n');
  t.is(await reply(s, 'get', 'user:42'), '$5\r\nalice\r\n');
  t.is(s.storage.registry.lookup('user')?.get('42'), 'alice', 'bucket user, key 42');
  t.is(await reply(s, 'SET', 'plain', 'x'), '+OK\r\n');
  t.is(s.storage.registry.lookup('default')?.get('plain'), 'x', 'no colon: the default bucket');
  t.is(await reply(s, 'SET', ':odd', 'y'), '+OK\r\n');
  t.is(s.storage.registry.lookup('default')?.get(':odd'), 'y', 'an empty bucket part: the default bucket, the whole key');
  t.is(await reply(s, 'MSET', 'a:1', 'x', 'b:2', 'y'), '+OK\r\n');
  t.is(await reply(s, 'MGET', 'a:1', 'nope:1', 'b:2'), '*3\r\n$1\r\nx\r\n$-1\r\n$1\r\ny\r\n');
  t.is(await reply(s, 'EXISTS', 'a:1', 'a:1', 'a:9', 'zz:1'), ':2\r\n');
  t.is(await reply(s, 'DEL', 'a:1', 'a:9', 'zz:1'), ':1\r\n');
  t.is(await reply(s, 'GET', 'a:1'), '$-1\r\n');
});

test('SET NX, XX and GET are atomic on the owner; EX and the like are refused, naming the option', async (t) => {
  const s = session();
  t.is(await reply(s, 'SET', 'k:1', 'a', 'NX'), '+OK\r\n');
  t.is(await reply(s, 'SET', 'k:1', 'b', 'nx'), '$-1\r\n');
  t.is(await reply(s, 'SET', 'k:2', 'b', 'XX'), '$-1\r\n');
  t.is(await reply(s, 'SET', 'k:1', 'c', 'XX', 'GET'), '$1\r\na\r\n');
  t.is(await reply(s, 'GET', 'k:1'), '$1\r\nc\r\n');
  t.is(await reply(s, 'SET', 'k:1', 'd', 'NX', 'XX'), '-ERR syntax error\r\n');
  t.is(await reply(s, 'SET', 'k:1', 'd', 'EX', '10'), '-ERR SET EX is not supported: kvmesh keys do not expire\r\n');
  t.is(await reply(s, 'GET', 'k:1'), '$1\r\nc\r\n', 'a refused SET wrote nothing');
});

test('INCR, DECR, INCRBY, DECRBY: 64-bit, atomic on the owner, with Redis errors', async (t) => {
  const s = session();
  t.is(await reply(s, 'INCR', 'n:1'), ':1\r\n');
  t.is(await reply(s, 'INCRBY', 'n:1', '41'), ':42\r\n');
  t.is(await reply(s, 'DECR', 'n:1'), ':41\r\n');
  t.is(await reply(s, 'DECRBY', 'n:1', '-9'), ':50\r\n');
  t.is(await reply(s, 'SET', 'n:2', '9223372036854775806'), '+OK\r\n');
  t.is(await reply(s, 'INCR', 'n:2'), ':9223372036854775807\r\n');
  t.is(await reply(s, 'INCR', 'n:2'), '-ERR increment or decrement would overflow\r\n');
  t.is(await reply(s, 'SET', 'n:3', 'abc'), '+OK\r\n');
  t.is(await reply(s, 'INCR', 'n:3'), '-ERR value is not an integer or out of range\r\n');
  t.is(await reply(s, 'INCRBY', 'n:1', '1.5'), '-ERR value is not an integer or out of range\r\n');
  t.is(await reply(s, 'DECRBY', 'n:1', '-9223372036854775808'), '-ERR value is not an integer or out of range\r\n');
  t.is(await reply(s, 'GET', 'n:1'), '$2\r\n50\r\n', 'refused increments changed nothing');
});

test('hashes are buckets: HSET creates one; HGET, HEXISTS, HLEN, HKEYS, HGETALL, HDEL; RESP3 maps', async (t) => {
  const s = session();
  t.is(await reply(s, 'HGETALL', 'cart'), '*0\r\n');
  t.is(await reply(s, 'HLEN', 'cart'), ':0\r\n');
  t.is(await reply(s, 'HGET', 'cart', 'milk'), '$-1\r\n');
  t.is(await reply(s, 'HSET', 'cart', 'milk', '1', 'eggs', '12'), ':2\r\n');
  t.is(await reply(s, 'HSET', 'cart', 'milk', '2', 'tea', '1'), ':1\r\n');
  t.is(await reply(s, 'HGET', 'cart', 'milk'), '$1\r\n2\r\n');
  t.is(await reply(s, 'GET', 'cart:milk'), '$1\r\n2\r\n', 'HGET b k and GET b:k read the same');
  t.is(await reply(s, 'HEXISTS', 'cart', 'eggs'), ':1\r\n');
  t.is(await reply(s, 'HEXISTS', 'nocart', 'eggs'), ':0\r\n');
  t.is(await reply(s, 'HKEYS', 'cart'), '*3\r\n$4\r\nmilk\r\n$4\r\neggs\r\n$3\r\ntea\r\n');
  t.is(await reply(s, 'HGETALL', 'cart'), '*6\r\n$4\r\nmilk\r\n$1\r\n2\r\n$4\r\neggs\r\n$2\r\n12\r\n$3\r\ntea\r\n$1\r\n1\r\n');
  s.version = 3;
  t.is(await reply(s, 'HGETALL', 'cart'), '%3\r\n$4\r\nmilk\r\n$1\r\n2\r\n$4\r\neggs\r\n$2\r\n12\r\n$3\r\ntea\r\n$1\r\n1\r\n');
  t.is(await reply(s, 'HGET', 'cart', 'none'), '_\r\n');
  t.is(await reply(s, 'HDEL', 'cart', 'milk', 'none'), ':1\r\n');
  t.is(await reply(s, 'HLEN', 'cart'), ':2\r\n');
  t.is(await reply(s, 'HSET', 'cart', 'odd'), "-ERR wrong number of arguments for 'hset' command\r\n");
  t.is(await reply(s, 'HSET', 'cart', 'a', 'b', 'c'), "-ERR wrong number of arguments for 'hset' command\r\n");
});

test('unknown commands and wrong arities: Redis 7 words; nothing runs', async (t) => {
  const s = session();
  t.is(await reply(s, 'LPUSH', 'list', 'a', 'b'), "-ERR unknown command 'LPUSH', with args beginning with: 'list' 'a' 'b'\r\n");
  t.is(await reply(s, 'flushall'), "-ERR unknown command 'flushall', with args beginning with:\r\n");
  t.is(await reply(s, 'GET'), "-ERR wrong number of arguments for 'get' command\r\n");
  t.is(await reply(s, 'GET', 'a', 'b'), "-ERR wrong number of arguments for 'get' command\r\n");
  t.is(await reply(s, 'MSET', 'a', 'b', 'c'), "-ERR wrong number of arguments for 'mset' command\r\n");
  t.is(s.storage.counts().keys, 0);
});

test('PING, ECHO, SELECT, QUIT, DBSIZE', async (t) => {
  const s = session();
  t.is(await reply(s, 'PING'), '+PONG\r\n');
  t.is(await reply(s, 'PING', 'hi'), '$2\r\nhi\r\n');
  t.is(await reply(s, 'PING', 'a', 'b'), "-ERR wrong number of arguments for 'ping' command\r\n");
  t.is(await reply(s, 'ECHO', '\x00\xff'), '$2\r\n\x00\xff\r\n');
  t.is(await reply(s, 'SELECT', '0'), '+OK\r\n');
  t.is(await reply(s, 'SELECT', '1'), '-ERR DB index is out of range\r\n');
  t.is(await reply(s, 'SELECT', 'x'), '-ERR value is not an integer or out of range\r\n');
  await reply(s, 'SET', 'a:1', 'x');
  t.is(await reply(s, 'DBSIZE'), ':1\r\n');
  t.false(s.quitted());
  t.is(await reply(s, 'QUIT'), '+OK\r\n');
  t.true(s.quitted());
});

test('HELLO switches to RESP3 and answers a map; bad versions and options are refused with Redis words', async (t) => {
  const s = session();
  const map3 = '%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:7\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n';
  t.is(await reply(s, 'HELLO', '3', 'AUTH', 'default', 'secret', 'SETNAME', 'app'), map3);
  t.is(s.version, 3);
  t.is(await reply(s, 'CLIENT', 'GETNAME'), '$3\r\napp\r\n');
  t.is(await reply(s, 'GET', 'no:such'), '_\r\n');
  t.true((await reply(s, 'HELLO', '2')).startsWith('*14\r\n$6\r\nserver\r\n'));
  t.is(await reply(s, 'HELLO', '4'), '-NOPROTO unsupported protocol version\r\n');
  t.is(await reply(s, 'HELLO', 'x'), '-ERR Protocol version is not an integer or out of range\r\n');
  t.is(await reply(s, 'HELLO', '3', 'BOGUS'), "-ERR Syntax error in HELLO option 'BOGUS'\r\n");
  t.is(s.version, 2, 'a refused HELLO changes nothing');
});

test('CLIENT, CONFIG GET and COMMAND answer what clients ask at connect', async (t) => {
  const s = session();
  t.is(await reply(s, 'CLIENT', 'SETINFO', 'LIB-NAME', 'ioredis'), '+OK\r\n');
  t.is(await reply(s, 'CLIENT', 'SETINFO', 'lib-ver', '6.0.0'), '+OK\r\n');
  t.is(await reply(s, 'CLIENT', 'SETINFO', 'color', 'red'), "-ERR Unrecognized option 'color'\r\n");
  t.is(await reply(s, 'CLIENT', 'SETNAME', 'a b'), '-ERR Client names cannot contain spaces, newlines or special characters.\r\n');
  t.is(await reply(s, 'CLIENT', 'ID'), ':7\r\n');
  t.is(await reply(s, 'CLIENT', 'INFO'), '$54\r\nid=7 name= db=0 resp=2 lib-name=ioredis lib-ver=6.0.0\n\r\n');
  t.is(await reply(s, 'CLIENT', 'MAINT_NOTIFICATIONS', 'ON'), "-ERR unknown subcommand 'MAINT_NOTIFICATIONS'. Try CLIENT HELP.\r\n");
  t.is(await reply(s, 'CONFIG', 'GET', 'save'), '*2\r\n$4\r\nsave\r\n$0\r\n\r\n');
  t.is(await reply(s, 'CONFIG', 'GET', 'APPEND*'), '*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n');
  t.is(await reply(s, 'CONFIG', 'GET', 'nothing'), '*0\r\n');
  t.is(await reply(s, 'CONFIG', 'SET', 'save', ''), '-ERR CONFIG SET is not supported: kvmesh is configured by its kvrc.json\r\n');
  t.is(await reply(s, 'COMMAND', 'DOCS'), '*0\r\n');
  t.is(await reply(s, 'COMMAND'), '*0\r\n');
  t.regex(await reply(s, 'COMMAND', 'COUNT'), /^:\d+\r\n$/);
});

test('INFO: the sections asked for, loading:0 and the keyspace', async (t) => {
  const s = session();
  await reply(s, 'SET', 'a:1', 'x');
  const all = await reply(s, 'INFO');
  for (const line of ['# Server', 'redis_version:7.0.15', 'redis_mode:standalone', 'kvmesh_node:a', 'tcp_port:7000', 'connected_clients:1', 'loading:0', 'db0:keys=1,expires=0,avg_ttl=0', 'cluster_enabled:0']) t.true(all.includes(`${line}\r\n`), line);
  t.is(await reply(s, 'INFO', 'keyspace'), '$44\r\n# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n\r\n');
  t.is(await reply(s, 'INFO', 'nosuch'), '$0\r\n\r\n');
});

test('KV.Redis checks what other callers send: strings only, fields and values in pairs', (t) => {
  const [, redis] = redisOps(new Storage('a', true));
  const hset = redis['hset'] as (...a: unknown[]) => unknown;
  t.like(
    t.throws(() => hset('b', ['f'])),
    { code: 'KV_ERR_BAD_ARGUMENT', message: 'KV.Redis.hset/2: argument 2 (fields) must hold fields and values in pairs, received 1 strings' },
  );
  t.like(
    t.throws(() => hset('b', ['f', 1])),
    { code: 'KV_ERR_BAD_ARGUMENT', message: 'KV.Redis.hset/2: argument 2 (fields) must be an array of strings, received array' },
  );
  t.is(hset('b', ['f', 'v']), 1, 'the next call is served');
});
