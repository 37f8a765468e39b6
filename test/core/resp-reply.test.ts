/** RESP2 and RESP3 reply encoding (pure): exact bytes of each type, and the RESP2 shapes of RESP3's maps and nulls. */
import test from 'ava';
import { array, bulk, bulkArray, error, flatMap, integer, map, nil, simple, text } from '../../src/core/resp-reply.js';

test('each reply type, byte for byte', (t) => {
  t.is(simple('OK'), '+OK\r\n');
  t.is(error('NODEDOWN', 'node "bar"\r\nis down'), '-NODEDOWN node "bar" is down\r\n');
  t.is(integer(-12), ':-12\r\n');
  t.is(integer(2n ** 63n - 1n), ':9223372036854775807\r\n');
  t.is(bulk('\xe9\x00'), '$2\r\n\xe9\x00\r\n');
  t.is(bulk(''), '$0\r\n\r\n');
  t.is(text('é'), '$2\r\n\xc3\xa9\r\n');
  t.is(array([integer(1), bulk('a')]), '*2\r\n:1\r\n$1\r\na\r\n');
  t.is(array([]), '*0\r\n');
});

test('nulls and maps in RESP3, and their RESP2 shapes', (t) => {
  t.is(nil(3), '_\r\n');
  t.is(nil(2), '$-1\r\n');
  t.is(bulkArray(['a', undefined], 2), '*2\r\n$1\r\na\r\n$-1\r\n');
  t.is(bulkArray(['a', undefined], 3), '*2\r\n$1\r\na\r\n_\r\n');
  t.is(map([[bulk('proto'), integer(3)]], 3), '%1\r\n$5\r\nproto\r\n:3\r\n');
  t.is(map([[bulk('proto'), integer(2)]], 2), '*2\r\n$5\r\nproto\r\n:2\r\n');
  t.is(flatMap(['k', 'v'], 3), '%1\r\n$1\r\nk\r\n$1\r\nv\r\n');
  t.is(flatMap(['k', 'v'], 2), '*2\r\n$1\r\nk\r\n$1\r\nv\r\n');
});
