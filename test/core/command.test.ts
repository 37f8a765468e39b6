import test from 'ava';
import { Replies, encodeError, encodeReply, errorText, parseCommand, splitTokens, whitespaceAt } from '../../src/core/command.js';
import { toBytes } from '../../src/core/bytes.js';

// The guide's 7 doctests of KVServer.Command.parse/1.
test('doctest 1: CREATE shopping', (t) => {
  t.deepEqual(parseCommand('CREATE shopping\r\n'), { ok: true, command: { op: 'create', bucket: 'shopping' } });
});
test('doctest 2: extra spaces', (t) => {
  t.deepEqual(parseCommand('CREATE  shopping  \r\n'), { ok: true, command: { op: 'create', bucket: 'shopping' } });
});
test('doctest 3: PUT', (t) => {
  t.deepEqual(parseCommand('PUT shopping milk 1\r\n'), { ok: true, command: { op: 'put', bucket: 'shopping', key: 'milk', value: '1' } });
});
test('doctest 4: GET', (t) => {
  t.deepEqual(parseCommand('GET shopping milk\r\n'), { ok: true, command: { op: 'get', bucket: 'shopping', key: 'milk' } });
});
test('doctest 5: DELETE', (t) => {
  t.deepEqual(parseCommand('DELETE shopping eggs\r\n'), { ok: true, command: { op: 'delete', bucket: 'shopping', key: 'eggs' } });
});
test('doctest 6: unknown command', (t) => {
  t.deepEqual(parseCommand('UNKNOWN shopping eggs\r\n'), { ok: false, error: 'unknown_command' });
});
test('doctest 7: wrong arity', (t) => {
  t.deepEqual(parseCommand('GET shopping\r\n'), { ok: false, error: 'unknown_command' });
});

test('anything else is an unknown command', (t) => {
  for (const line of ['', '\r\n', '   \t  \r\n', '\r\r\n', 'HELLO', 'create shopping', 'Get a b', 'PUT shopping k', 'PUT s k v extra', 'CREATE', 'CREATE a b', 'DELETE a', 'GET a b c', 'QUIT', 'CREATE\u0000 x']) {
    t.false(parseCommand(line).ok, JSON.stringify(line));
  }
});

test('tokens split on exactly the Elixir whitespace set, as UTF-8 bytes', (t) => {
  const separators = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x205f, 0x3000];
  const notSeparators = [0x00, 0x1c, 0x1d, 0x1e, 0x1f, 0xa0, 0x2007, 0x202f, 0x180e, 0x200b, 0xfeff, 0x200c, 0x2030, 0x3001, 0x85 + 0x100];
  for (const cp of separators) {
    const sep = toBytes(String.fromCodePoint(cp));
    t.deepEqual(splitTokens(`a${sep}b${sep}${sep}c`), ['a', 'b', 'c'], `U+${cp.toString(16)}`);
    t.is(whitespaceAt(sep, 0), sep.length);
  }
  for (const cp of notSeparators) {
    const s = toBytes(`a${String.fromCodePoint(cp)}b`);
    t.deepEqual(splitTokens(s), [s], `U+${cp.toString(16)} is part of the token`);
  }
});

test('JavaScript \\s is not the set', (t) => {
  // NBSP is \s in JS but part of a key here; NEL is not \s in JS but splits here.
  t.deepEqual(splitTokens(toBytes('PUT u1 k\u00a0v x')), ['PUT', 'u1', toBytes('k\u00a0v'), 'x']);
  t.deepEqual(parseCommand(toBytes('PUT u2 k a\u2003b')), { ok: false, error: 'unknown_command' });
  t.deepEqual(splitTokens(toBytes('a\u0085b')), ['a', 'b']);
});

test('truncated or broken whitespace sequences are token bytes', (t) => {
  t.deepEqual(splitTokens('a\xe2\x80'), ['a\xe2\x80']);
  t.deepEqual(splitTokens('a\xc2'), ['a\xc2']);
  t.deepEqual(splitTokens('a\xe2\xe2\x80\x80b'), ['a\xe2', 'b']);
  t.deepEqual(splitTokens('\xe3\x80\x80\xe3\x80'), ['\xe3\x80']);
});

test('opaque bytes are tokens: invalid UTF-8 and NUL', (t) => {
  t.deepEqual(parseCommand('PUT iu k \xff\xfe\x80\r\n'), { ok: true, command: { op: 'put', bucket: 'iu', key: 'k', value: '\xff\xfe\x80' } });
  t.deepEqual(parseCommand('GET n\x00ul k\x00'), { ok: true, command: { op: 'get', bucket: 'n\x00ul', key: 'k\x00' } });
});

test('a CR inside a line is whitespace, so the line has more tokens', (t) => {
  t.deepEqual(splitTokens('CREATE r1\rPUT r1 k v\r\n'), ['CREATE', 'r1', 'PUT', 'r1', 'k', 'v']);
  t.false(parseCommand('CREATE r1\rPUT r1 k v\r\n').ok);
});

test('reply bytes', (t) => {
  t.is(encodeReply({ op: 'create', bucket: 'b' }, undefined), 'OK\r\n');
  t.is(encodeReply({ op: 'put', bucket: 'b', key: 'k', value: 'v' }, undefined), 'OK\r\n');
  t.is(encodeReply({ op: 'delete', bucket: 'b', key: 'k' }, 'old'), 'OK\r\n');
  t.is(encodeReply({ op: 'get', bucket: 'b', key: 'k' }, '\xff\x00v'), '\xff\x00v\r\nOK\r\n');
  t.is(encodeReply({ op: 'get', bucket: 'b', key: 'k' }, undefined), '\r\nOK\r\n');
  t.is(Replies.unknownCommand, 'UNKNOWN COMMAND\r\n');
});

test('error bytes: NOT FOUND for a missing bucket, else one printable ERROR line in UTF-8', (t) => {
  t.is(encodeError({ code: 'KV_ERR_NO_BUCKET', message: 'no bucket "x" on node "foo"' }), 'NOT FOUND\r\n');
  t.is(encodeError({ code: 'KV_ERR_NODE_DOWN', message: 'node "bar" is down' }), 'ERROR node "bar" is down\r\n');
  t.is(encodeError({ code: 'KV_ERR_NO_ROUTE', message: 'table [a-m → foo]' }), 'ERROR table [a-m \xe2\x86\x92 foo]\r\n');
  t.is(errorText('invalid (2 issues):\n  - a: x\n  - b: y\r\n'), 'invalid (2 issues): - a: x - b: y');
  t.is(errorText('tab\there\x00\x7f'), 'tab\\x09here\\x00\\x7f');
});
