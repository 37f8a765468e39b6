import test from 'ava';
import { duplicateKeys } from '../../src/core/json.js';
import { duplicateKeyIssues } from '../../src/core/config.js';

test('a key repeated in one object is found with its path, at any depth', (t) => {
  t.deepEqual(duplicateKeys('{"nodes": {"foo": {"port": 1}, "foo": {}}}'), [{ path: ['nodes', 'foo'], key: 'foo' }]);
  t.deepEqual(duplicateKeys('{"a": 1, "a": 2}'), [{ path: ['a'], key: 'a' }]);
  t.deepEqual(duplicateKeys('{"a": {"b": {"c": 1, "c": 2}}, "d": {"c": 3}}'), [{ path: ['a', 'b', 'c'], key: 'c' }]);
});

test('the same key in different objects is no duplicate', (t) => {
  t.deepEqual(duplicateKeys('{"foo": {"port": 1}, "bar": {"port": 2}, "port": 3}'), []);
  t.deepEqual(duplicateKeys('[{"node": "a"}, {"node": "b"}]'), []);
  t.deepEqual(duplicateKeys('{}'), []);
});

test('inside arrays, the path holds the element index', (t) => {
  t.deepEqual(duplicateKeys('{"routingTable": [{"range": "a", "node": "x"}, {"range": "b", "range": "c", "node": "y"}]}'), [{ path: ['routingTable', 1, 'range'], key: 'range' }]);
  t.deepEqual(duplicateKeys('[[1, 2], [3, {"k": 1, "k": 2}]]'), [{ path: [1, 1, 'k'], key: 'k' }]);
});

test('values are never keys: strings with braces, quotes, commas and escapes are skipped', (t) => {
  t.deepEqual(duplicateKeys('{"a": "}{\\"a\\": ,", "b": "x\\\\", "c": 1}'), []);
  t.deepEqual(duplicateKeys('{"a": "{\\"b\\": 1, \\"b\\": 2}", "a": 0}'), [{ path: ['a'], key: 'a' }]);
  t.deepEqual(duplicateKeys('{"k": ["a", "a"], "v": {"x": "k", "y": "k"}}'), [], 'equal values are not keys');
});

test('keys compare as JSON.parse decodes them, and a key repeated many times is reported once', (t) => {
  t.deepEqual(duplicateKeys('{"foo": 1, "\\u0066oo": 2}'), [{ path: ['foo'], key: 'foo' }]);
  t.deepEqual(duplicateKeys('{"a\\"b": 1, "a\\"b": 2, "a\\"b": 3}'), [{ path: ['a"b'], key: 'a"b' }]);
  t.deepEqual(duplicateKeys('{"": 1, "": 2}'), [{ path: [''], key: '' }]);
});

test('text that is not JSON never throws', (t) => {
  for (const text of ['', '{', '}}]]', '{"a', '{"a": "\\', '[,,,{"x":1,"x"']) t.notThrows(() => duplicateKeys(text), text);
  t.deepEqual(duplicateKeys('[,,,{"x":1,"x"'), [{ path: [3, 'x'], key: 'x' }]);
});

test('duplicates become config issues with their paths', (t) => {
  t.deepEqual(duplicateKeyIssues(duplicateKeys('{"nodes": {"foo": {}, "foo": {}, "my node": {"port": 1, "port": 2}}, "routingTable": [{"node": "a", "node": "b"}]}')), [
    { path: 'nodes.foo', message: 'duplicate key "foo" (JSON keeps only the last)' },
    { path: 'nodes["my node"].port', message: 'duplicate key "port" (JSON keeps only the last)' },
    { path: 'routingTable[0].node', message: 'duplicate key "node" (JSON keeps only the last)' },
  ]);
});
