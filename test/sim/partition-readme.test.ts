/** The README's "Partitioning and resharding": its plan and route output is what the CLI prints, and its worked example prints what its comments say. */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { simulate } from '../../src/testing.js';
import { formatPlan, formatTable } from '../../src/index.js';
import type { KvConfig } from '../../src/index.js';
import { run } from '../cli/run-main.js';
import { tempConfigs } from '../cli/temp.js';
import { slots2, slots3 } from '../plan/expected.js';
import { slotted } from '../harness/cases-partition.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## Partitioning and resharding'), readme.indexOf('## Errors'));
const temp = tempConfigs('kvmesh-readme-');

/** The lines of the ```text block that starts with `$ command`, without that line. */
function printed(command: string): string {
  const start = section.indexOf(`$ ${command}\n`);
  return section.slice(start + command.length + 3, section.indexOf('\n```', start) + 1);
}

test("the README's kvmesh plan and kvmesh route output is what they print", async (t) => {
  const plan = await run(['plan', '--config', temp.config('two.json', slots2), '--to', temp.config('three.json', slots3)]);
  t.is(plan.out, printed('kvmesh plan --config two.json --to three.json'));
  const route = await run(['route', '123456789', '--config', temp.config('slots.json', slotted)]);
  t.is(route.out, printed('kvmesh route 123456789 --config slots.json'));
});

test("the README's worked example prints what its comments say", async (t) => {
  const config: KvConfig = {
    routingTable: {
      slots: [
        { slots: '0-8191', node: 'foo' },
        { slots: '8192-16383', node: 'bar' },
      ],
    },
    nodes: ['foo', 'bar'],
  };
  const sim = await simulate({ config, seed: 1 });
  t.teardown(() => sim.close());
  const kv = sim.client();
  const recording = await sim.record();
  for (let i = 0; i < 12; i++) {
    await kv.create(`user:${i}`);
    for (let k = 0; k < 50; k++) await kv.put(`user:${i}`, `item${k}`, 'x'.repeat(20));
  }
  const traffic = await recording.stop();
  t.deepEqual(traffic.records[1]?.slice(1), [0, 'p', 'user:0', 1944768351, 5, 20]);
  const next: KvConfig = {
    routingTable: {
      slots: [
        { slots: '0-5460', node: 'foo' },
        { slots: '5461-8191', node: 'baz' },
        { slots: '8192-13653', node: 'bar' },
        { slots: '13654-16383', node: 'baz' },
      ],
    },
    nodes: ['foo', 'bar', 'baz'],
  };
  const lines = formatPlan(await sim.plan(next, { traffic }));
  const shown = section.slice(section.indexOf('formatPlan(await sim.plan(next, { traffic }));'));
  const after = shown.split('\n').slice(1);
  const comments = after
    .slice(
      0,
      after.findIndex((l) => !l.startsWith('// ')),
    )
    .map((l) => l.slice(3));
  t.deepEqual(lines, comments);
  let writing = true;
  let failed = 0;
  const load = Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      for (let n = 0; writing; n++) await kv.put(`user:${(w + n) % 12}`, `w${w}`, String(n)).catch(() => failed++);
    }),
  );
  const result = await sim.addNode('baz');
  writing = false;
  await load;
  t.is(failed, 0);
  t.deepEqual(result, { committed: true, version: 1, moved: { buckets: 5, keys: 254, bytes: 6462 }, rounds: 1, fenceMs: 0.03, held: 4, durationMs: 0.1 });
  t.is(formatTable(sim.routingTable('baz')), '[slots 0-5460 → foo, 5461-8191 → baz, 8192-13653 → bar, 13654-16383 → baz]');
  t.true(section.includes(`formatTable(sim.routingTable('baz'));             // '${formatTable(sim.routingTable('baz'))}'`));
  t.true(section.includes('// { committed: true, version: 1, moved: { buckets: 5, keys: 254, bytes: 6462 },'));
});
