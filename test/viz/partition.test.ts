/** Pictures of slot and ring tables: slot runs on boxes and arrows, a ring's partitions counted. */
import test from 'ava';
import { picture } from '../../src/viz/model.js';
import { toMermaid } from '../../src/viz/mermaid.js';
import { drawn } from './configs.js';

const of = (config: unknown): ReturnType<typeof picture> => {
  const { settings, lint } = drawn(config);
  return picture(settings, lint);
};
const halves = {
  slots: [
    { slots: '0-8191', node: 'foo' },
    { slots: '8192-16383', node: 'bar' },
  ],
};

test('slots: each box lists its slot entries and owned slots; an arrow per next hop with its slots', (t) => {
  const p = of({ routingTable: halves, nodes: { front: { storage: false, routingTable: { slots: [{ slots: '0-16383', node: 'foo' }] } }, foo: {}, bar: {} } });
  t.deepEqual(
    p.nodes.map((n) => n.lines),
    [
      ['front', 'router only', 'slots 0-16383 → foo'],
      ['foo', 'storage only', 'slots 0-8191 → foo', 'slots 8192-16383 → bar', 'owns slots 0-8191'],
      ['bar', 'storage only', 'slots 0-8191 → foo', 'slots 8192-16383 → bar', 'owns slots 8192-16383'],
    ],
  );
  t.deepEqual(
    p.forwards.map((f) => `${f.from} → ${f.to}: ${f.label}`),
    ['front → foo: slots 0-16383', 'foo → bar: slots 8192-16383', 'bar → foo: slots 0-8191'],
  );
  t.deepEqual(p.findings, []);
});

test('slots: a loop and a dead end are named by slot', (t) => {
  const p = of({ nodes: { foo: { routingTable: { slots: [{ slots: '0-99', node: 'bar' }] } }, bar: { routingTable: { slots: [{ slots: '0-49', node: 'foo' }] } } } });
  t.deepEqual(p.forwards, [
    { from: 'foo', to: 'bar', label: 'slots 0-99 (loop: slots 0-49) (dead end: slots 50-99)', loop: true, deadEnd: true },
    { from: 'bar', to: 'foo', label: 'slots 0-49 (loop)', loop: true, deadEnd: false },
  ]);
});

test('a ring: the table in one line, the partitions each node owns and forwards counted', (t) => {
  const p = of({ routingTable: { ring: { size: 8, nodes: ['foo', 'bar'] } }, nodes: ['foo', 'bar'] });
  t.deepEqual(
    p.nodes.map((n) => n.lines),
    [
      ['foo', 'storage only', 'ring of 8: foo 4, bar 4', 'owns 4 partitions'],
      ['bar', 'storage only', 'ring of 8: foo 4, bar 4', 'owns 4 partitions'],
    ],
  );
  t.deepEqual(
    p.forwards.map((f) => f.label),
    ['4 partitions', '4 partitions'],
  );
  t.true(toMermaid(drawn({ routingTable: { ring: { size: 8, nodes: ['foo', 'bar'] } }, nodes: ['foo', 'bar'] }).settings, { errors: [], warnings: [] }).includes('n0 -->|"4 partitions"| n1'));
});
