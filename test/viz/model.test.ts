/** What the pictures show, decided once from the settings and the lint (src/viz/model.ts). */
import test from 'ava';
import { picture, wrap } from '../../src/viz/model.js';
import { chain, deadEnd, drawn, guide, loop, readme } from './configs.js';

const of = (config: unknown): ReturnType<typeof picture> => {
  const { settings, lint } = drawn(config);
  return picture(settings, lint);
};

test('the guide: each node with its role, address, table and owned bytes; a forward each way', (t) => {
  const p = of(guide);
  t.is(p.title, 'kvmesh: 2 nodes, hop limit 16');
  t.deepEqual(p.nodes, [
    { name: 'foo', lines: ['foo', 'storage + server', 'serves 127.0.0.1:4040', 'a-m → foo', 'n-z → bar', 'owns a-m'], split: false },
    { name: 'bar', lines: ['bar', 'storage only', 'a-m → foo', 'n-z → bar', 'owns n-z'], split: false },
  ]);
  t.deepEqual(p.forwards, [
    { from: 'foo', to: 'bar', label: 'n-z', loop: false, deadEnd: false },
    { from: 'bar', to: 'foo', label: 'a-m', loop: false, deadEnd: false },
  ]);
  t.deepEqual(p.findings, ['warning: bytes 0x00-`, {-0xff are covered by no table: buckets starting with them cannot be routed']);
});

test('a chain: forwards follow each node’s own table; only the last node owns', (t) => {
  const p = of(chain);
  t.deepEqual(
    p.forwards.map((f) => `${f.from} → ${f.to}: ${f.label}`),
    ['foo → bar: a-z', 'bar → baz: a-z'],
  );
  t.deepEqual(
    p.nodes.map((n) => n.lines.slice(1)),
    [
      ['storage only', 'a-z → bar'],
      ['storage only', 'a-z → baz'],
      ['storage only', 'a-z → baz', 'owns a-z'],
    ],
  );
});

test('a loop: the forwards on the cycle are marked, the one leading into it is not; the error comes first', (t) => {
  const p = of(loop);
  t.deepEqual(p.forwards, [
    { from: 'foo', to: 'bar', label: 'a-m (loop)', loop: true, deadEnd: false },
    { from: 'bar', to: 'foo', label: 'a-m (loop)', loop: true, deadEnd: false },
    { from: 'bar', to: 'baz', label: 'n-z', loop: false, deadEnd: false },
    { from: 'baz', to: 'foo', label: 'a-z', loop: false, deadEnd: false },
  ]);
  t.deepEqual(p.nodes[2]?.lines, ['baz', 'server only', 'serves 127.0.0.1:0 (a free port)', 'a-z → foo']);
  t.deepEqual(p.findings, ['error: bytes a-m loop between nodes: bar → foo → bar', 'warning: bytes 0x00-`, {-0xff are covered by no table: buckets starting with them cannot be routed']);
});

test('part of a forward on a loop, or dead-ending, is named in its label', (t) => {
  const partial = of({
    nodes: {
      foo: { routingTable: [{ range: 'a-z', node: 'bar' }] },
      bar: {
        routingTable: [
          { range: 'a-m', node: 'foo' },
          { range: 'n-z', node: 'bar' },
        ],
      },
    },
  });
  t.deepEqual(partial.forwards[0], { from: 'foo', to: 'bar', label: 'a-z (loop: a-m)', loop: true, deadEnd: false });
  const dead = of(deadEnd);
  t.deepEqual(dead.forwards, [{ from: 'foo', to: 'bar', label: 'a-z (dead end: n-z)', loop: false, deadEnd: true }]);
  t.true(dead.findings.includes('warning: bytes n-z are forwarded along foo → bar, whose table has no entry for them'), dead.findings.join('\n'));
});

test('the README example: both nodes own a-m, so both are marked and say who else does', (t) => {
  const p = of(readme());
  t.deepEqual(p.nodes, [
    { name: 'foo', lines: ['foo', 'storage + server', 'serves 127.0.0.1:4040', 'a-m → foo', 'n-z → bar', 'owns a-m', 'a-m: 2 owners by entry node (foo, bar)'], split: true },
    { name: 'bar', lines: ['bar', 'storage only', 'a-z → bar', 'owns a-z', 'a-m: 2 owners by entry node (foo, bar)'], split: true },
  ]);
  t.deepEqual(p.forwards, [{ from: 'foo', to: 'bar', label: 'n-z', loop: false, deadEnd: false }]);
  t.is(p.findings[1], 'warning: bytes a-m have 2 owners, depending on the node a request enters at (entry → owner: foo → foo, bar → bar): a bucket created via one entry is not found via another');
});

test('one node with an empty table; several ranges to one next hop make one forward', (t) => {
  const one = of({ nodes: ['solo'] });
  t.is(one.title, 'kvmesh: 1 node, hop limit 16');
  t.deepEqual(one.nodes[0]?.lines, ['solo', 'storage only', '(empty table)']);
  const two = of({
    nodes: {
      foo: {
        routingTable: [
          { range: 'a-c', node: 'bar' },
          { range: 'x', node: 'foo' },
          { range: 'e-f', node: 'bar' },
        ],
      },
      bar: { routingTable: [{ range: 'a-f', node: 'bar' }] },
    },
  });
  t.deepEqual(two.forwards, [{ from: 'foo', to: 'bar', label: 'a-c, e-f', loop: false, deadEnd: false }]);
});

test('wrap breaks at spaces, indents the lines after the first, and keeps a long word whole', (t) => {
  t.deepEqual(wrap('one two three four', 9), ['one two', '  three', '  four']);
  t.deepEqual(wrap('abcdefghijkl xy', 5), ['abcdefghijkl', '  xy']);
  t.deepEqual(wrap('short', 80), ['short']);
});
