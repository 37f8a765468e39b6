/** The topology as a Graphviz digraph (src/viz/dot.ts): exact output on the test configurations. */
import test from 'ava';
import { toDot } from '../../src/viz/dot.js';
import { chain, deadEnd, drawn, guide, loop, readme } from './configs.js';

const dot = (config: unknown): string => {
  const { settings, lint } = drawn(config);
  return toDot(settings, lint);
};

/** The lines every graph starts with. */
const head = (nodes: number): string[] => [
  'digraph kvmesh {',
  `  label="kvmesh: ${nodes} nodes, hop limit 16";`,
  '  labelloc=t;',
  '  fontname="monospace";',
  '  rankdir=LR;',
  '  node [shape=box, fontname="monospace", fontsize=11, color="#1e293b", style=filled, fillcolor="#f8fafc"];',
  '  edge [fontname="monospace", fontsize=10, color="#475569"];',
];

const guideExpected = [
  ...head(2),
  '  "foo" [label="foo\\lstorage + server\\lserves 127.0.0.1:4040\\la-m → foo\\ln-z → bar\\lowns a-m\\l"];',
  '  "bar" [label="bar\\lstorage only\\la-m → foo\\ln-z → bar\\lowns n-z\\l"];',
  '  "foo" -> "bar" [label="n-z"];',
  '  "bar" -> "foo" [label="a-m"];',
  '  "(lint)" [shape=note, label="warning: bytes 0x00-`, {-0xff are covered by no table: buckets starting with them cannot be routed\\l", color="#d97706", fillcolor="#fffbeb"];',
  '}',
].join('\n');

const chainExpected = [
  ...head(3),
  '  "foo" [label="foo\\lstorage only\\la-z → bar\\l"];',
  '  "bar" [label="bar\\lstorage only\\la-z → baz\\l"];',
  '  "baz" [label="baz\\lstorage only\\la-z → baz\\lowns a-z\\l"];',
  '  "foo" -> "bar" [label="a-z"];',
  '  "bar" -> "baz" [label="a-z"];',
  '  "(lint)" [shape=note, label="warning: bytes 0x00-`, {-0xff are covered by no table: buckets starting with them cannot be routed\\l", color="#d97706", fillcolor="#fffbeb"];',
  '}',
].join('\n');

const loopExpected = [
  ...head(3),
  '  "foo" [label="foo\\lstorage + server\\lserves 127.0.0.1:0 (a free port)\\la-m → bar\\ln-z → foo\\lowns n-z\\l"];',
  '  "bar" [label="bar\\lstorage only\\la-m → foo\\ln-z → baz\\l"];',
  '  "baz" [label="baz\\lserver only\\lserves 127.0.0.1:0 (a free port)\\la-z → foo\\l"];',
  '  "foo" -> "bar" [label="a-m (loop)", color="#dc2626", fontcolor="#dc2626", penwidth=2];',
  '  "bar" -> "foo" [label="a-m (loop)", color="#dc2626", fontcolor="#dc2626", penwidth=2];',
  '  "bar" -> "baz" [label="n-z"];',
  '  "baz" -> "foo" [label="a-z"];',
  '  "(lint)" [shape=note, label="error: bytes a-m loop between nodes: bar → foo → bar\\lwarning: bytes 0x00-`, {-0xff are covered by no table: buckets starting with them cannot be routed\\l", color="#dc2626", fillcolor="#fffbeb"];',
  '}',
].join('\n');

const deadEndExpected = [
  ...head(2),
  '  "foo" [label="foo\\lstorage only\\la-z → bar\\l"];',
  '  "bar" [label="bar\\lstorage only\\la-m → bar\\lowns a-m\\l"];',
  '  "foo" -> "bar" [label="a-z (dead end: n-z)", color="#d97706", fontcolor="#d97706", style=dashed];',
  '  "(lint)" [shape=note, label="warning: bytes 0x00-`, {-0xff are covered by no table: buckets starting with them cannot be routed\\lwarning: bytes n-z are forwarded along foo → bar, whose table has no entry for them\\l", color="#d97706", fillcolor="#fffbeb"];',
  '}',
].join('\n');

const readmeExpected = [
  ...head(2),
  '  "foo" [label="foo\\lstorage + server\\lserves 127.0.0.1:4040\\la-m → foo\\ln-z → bar\\lowns a-m\\la-m: 2 owners by entry node (foo, bar)\\l", color="#d97706", fillcolor="#fff7ed", penwidth=2];',
  '  "bar" [label="bar\\lstorage only\\la-z → bar\\lowns a-z\\la-m: 2 owners by entry node (foo, bar)\\l", color="#d97706", fillcolor="#fff7ed", penwidth=2];',
  '  "foo" -> "bar" [label="n-z"];',
  '  "(lint)" [shape=note, label="warning: bytes 0x00-`, {-0xff are covered by no table: buckets starting with them cannot be routed\\lwarning: bytes a-m have 2 owners, depending on the node a request enters at (entry → owner: foo →\\l  foo, bar → bar): a bucket created via one entry is not found via another\\l", color="#d97706", fillcolor="#fffbeb"];',
  '}',
].join('\n');

test('the guide: a box per node with its table left-justified, an edge each way, the lint as a note', (t) => {
  t.is(dot(guide), guideExpected);
});

test('a 3-node chain', (t) => {
  t.is(dot(chain), chainExpected);
});

test('a loop: red edges on the cycle, the error in a red note', (t) => {
  t.is(dot(loop), loopExpected);
});

test('a dead end: a dashed orange edge naming the bytes', (t) => {
  t.is(dot(deadEnd), deadEndExpected);
});

test('the README example: both owners of a-m in orange', (t) => {
  t.is(dot(readme()), readmeExpected);
});

test('quotes and backslashes in byte labels are escaped; other bytes are as they read', (t) => {
  const routingTable = ['"', '\\', '<', '&'].map((range) => ({ range, node: 'bar' }));
  const out = dot({ nodes: { foo: { routingTable }, bar: { routingTable: [{ range: [0, 255], node: 'bar' }] } } });
  t.true(out.includes('  "foo" [label="foo\\lstorage only\\l\\" → bar\\l\\\\ → bar\\l< → bar\\l& → bar\\l"];'), out);
  t.true(out.includes('  "foo" -> "bar" [label="\\", &, <, \\\\"];'), out);
  t.false(out.includes('(lint)'), 'no findings, no note');
});
