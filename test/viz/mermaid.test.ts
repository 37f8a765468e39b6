/** The topology as a Mermaid flowchart (src/viz/mermaid.ts): exact output on the test configurations. */
import test from 'ava';
import { toMermaid } from '../../src/viz/mermaid.js';
import { chain, deadEnd, drawn, guide, loop, readme } from './configs.js';

const mermaid = (config: unknown): string => {
  const { settings, lint } = drawn(config);
  return toMermaid(settings, lint);
};

const guideExpected = [
  '---',
  'title: "kvmesh: 2 nodes, hop limit 16"',
  '---',
  'flowchart LR',
  '  n0["foo<br/>storage + server<br/>serves 127.0.0.1:4040<br/>a-m → foo<br/>n-z → bar<br/>owns a-m"]',
  '  n1["bar<br/>storage only<br/>a-m → foo<br/>n-z → bar<br/>owns n-z"]',
  '  n0 -->|"n-z"| n1',
  '  n1 -->|"a-m"| n0',
  '  lint["warning: bytes 0x00-#96;, {-0xff are covered by no table: buckets starting with them cannot be routed"]',
  '  classDef lint stroke:#d97706,fill:#fffbeb',
  '  class lint lint',
].join('\n');

const chainExpected = [
  '---',
  'title: "kvmesh: 3 nodes, hop limit 16"',
  '---',
  'flowchart LR',
  '  n0["foo<br/>storage only<br/>a-z → bar"]',
  '  n1["bar<br/>storage only<br/>a-z → baz"]',
  '  n2["baz<br/>storage only<br/>a-z → baz<br/>owns a-z"]',
  '  n0 -->|"a-z"| n1',
  '  n1 -->|"a-z"| n2',
  '  lint["warning: bytes 0x00-#96;, {-0xff are covered by no table: buckets starting with them cannot be routed"]',
  '  classDef lint stroke:#d97706,fill:#fffbeb',
  '  class lint lint',
].join('\n');

const loopExpected = [
  '---',
  'title: "kvmesh: 3 nodes, hop limit 16"',
  '---',
  'flowchart LR',
  '  n0["foo<br/>storage + server<br/>serves 127.0.0.1:0 (a free port)<br/>a-m → bar<br/>n-z → foo<br/>owns n-z"]',
  '  n1["bar<br/>storage only<br/>a-m → foo<br/>n-z → baz"]',
  '  n2["baz<br/>server only<br/>serves 127.0.0.1:0 (a free port)<br/>a-z → foo"]',
  '  n0 ==>|"a-m (loop)"| n1',
  '  n1 ==>|"a-m (loop)"| n0',
  '  n1 -->|"n-z"| n2',
  '  n2 -->|"a-z"| n0',
  '  lint["error: bytes a-m loop between nodes: bar → foo → bar<br/>warning: bytes 0x00-#96;, {-0xff are covered by no table: buckets starting with them cannot be routed"]',
  '  classDef lint stroke:#dc2626,fill:#fffbeb',
  '  class lint lint',
  '  linkStyle 0 stroke:#dc2626,color:#dc2626',
  '  linkStyle 1 stroke:#dc2626,color:#dc2626',
].join('\n');

const deadEndExpected = [
  '---',
  'title: "kvmesh: 2 nodes, hop limit 16"',
  '---',
  'flowchart LR',
  '  n0["foo<br/>storage only<br/>a-z → bar"]',
  '  n1["bar<br/>storage only<br/>a-m → bar<br/>owns a-m"]',
  '  n0 -.->|"a-z (dead end: n-z)"| n1',
  '  lint["warning: bytes 0x00-#96;, {-0xff are covered by no table: buckets starting with them cannot be routed<br/>warning: bytes n-z are forwarded along foo → bar, whose table has no entry for them"]',
  '  classDef lint stroke:#d97706,fill:#fffbeb',
  '  class lint lint',
  '  linkStyle 0 stroke:#d97706,color:#d97706',
].join('\n');

const readmeExpected = [
  '---',
  'title: "kvmesh: 2 nodes, hop limit 16"',
  '---',
  'flowchart LR',
  '  n0["foo<br/>storage + server<br/>serves 127.0.0.1:4040<br/>a-m → foo<br/>n-z → bar<br/>owns a-m<br/>a-m: 2 owners by entry node (foo, bar)"]',
  '  n1["bar<br/>storage only<br/>a-z → bar<br/>owns a-z<br/>a-m: 2 owners by entry node (foo, bar)"]',
  '  n0 -->|"n-z"| n1',
  '  lint["warning: bytes 0x00-#96;, {-0xff are covered by no table: buckets starting with them cannot be routed<br/>warning: bytes a-m have 2 owners, depending on the node a request enters at (entry → owner: foo →<br/>  foo, bar → bar): a bucket created via one entry is not found via another"]',
  '  classDef split stroke:#d97706,stroke-width:2px,fill:#fff7ed',
  '  class n0,n1 split',
  '  classDef lint stroke:#d97706,fill:#fffbeb',
  '  class lint lint',
].join('\n');

test('the guide: a node per box with its table, an arrow each way, the lint as a note', (t) => {
  t.is(mermaid(guide), guideExpected);
});

test('a 3-node chain', (t) => {
  t.is(mermaid(chain), chainExpected);
});

test('a loop: thick red arrows on the cycle, the error in a red note', (t) => {
  t.is(mermaid(loop), loopExpected);
});

test('a dead end: a dotted orange arrow naming the bytes', (t) => {
  t.is(mermaid(deadEnd), deadEndExpected);
});

test('the README example: both owners of a-m in orange', (t) => {
  t.is(mermaid(readme()), readmeExpected);
});

test('bytes Mermaid would read as syntax are entity codes; any node name is safe (ids n0, n1, …)', (t) => {
  const routingTable = ['"', '&', '<', '`', '|', '#'].map((range) => ({ range, node: 'end' }));
  const out = mermaid({ nodes: { 'a-b.c': { routingTable }, end: { routingTable: [{ range: [0, 255], node: 'end' }] } } });
  t.true(out.includes('  n0["a-b.c<br/>storage only<br/>#34; → end<br/>#38; → end<br/>#60; → end<br/>#96; → end<br/>#124; → end<br/>#35; → end"]'), out);
  t.true(out.includes('  n0 -->|"#34;-#35;, #38;, #60;, #96;, #124;"| n1'), out);
  t.false(out.includes('lint['), 'no findings, no note');
});
