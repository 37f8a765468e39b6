/**
 * Shrink candidates (pure): the whole choice gives the scenario back; dropping a node drops the
 * table entries and faults naming it (a partition keeps its other groups), and the config is
 * written out inline with only what differs from the defaults; faults past a shorter duration go.
 */
import test from 'ava';
import { candidate, configWithout, wholeChoice } from '../../src/scenario/shrink.js';
import { validateScenario } from '../../src/scenario/validate.js';
import { validateConfig } from '../../src/core/config.js';

const config = {
  routingTable: [
    { range: 'a-h', node: 'foo' },
    { range: 'i-q', node: 'bar' },
    { range: 'r-z', node: 'baz' },
  ],
  nodes: ['foo', 'bar', 'baz'],
  timeout: 300,
};
const nodes = ['foo', 'bar', 'baz'];
const s = validateScenario({
  config,
  seed: 4,
  durationMs: 5000,
  workload: { enterAt: ['foo', 'baz'] },
  faults: [
    { atMs: 1000, partition: [['foo'], ['bar'], ['baz']] },
    { atMs: 2000, kill: 'baz' },
    { atMs: 3000, link: { from: 'client', to: 'foo', drop: 0.5 } },
    { atMs: 4500, heal: true },
  ],
});
const { settings } = validateConfig(config);
const shrunk = (gone: ReadonlySet<string>) => configWithout(settings, gone, (p) => p);

test('the whole choice stands for the scenario itself', (t) => {
  const spec = candidate(s, wholeChoice(s, nodes), 4, nodes, shrunk);
  t.is(spec.config, config);
  t.deepEqual(validateScenario(spec), { ...s, name: undefined, description: undefined });
});

test('dropping a node drops what names it; the config is written out with what differs from the defaults', (t) => {
  const spec = candidate(s, { ...wholeChoice(s, nodes), keep: [true, true, false], durationMs: 4000 }, 4, nodes, shrunk);
  t.deepEqual(spec.faults, [
    { atMs: 1000, partition: [['foo'], ['bar']] },
    { atMs: 3000, link: { from: 'client', to: 'foo', drop: 0.5 } },
  ]);
  t.deepEqual(spec.workload?.enterAt, ['foo']);
  const table = [
    { range: 'a-h', node: 'foo' },
    { range: 'i-q', node: 'bar' },
  ];
  t.deepEqual(spec.config, { nodes: { foo: { routingTable: table }, bar: { routingTable: table } }, timeout: 300 });
  t.deepEqual(validateScenario(spec).durationMs, 4000);
});
