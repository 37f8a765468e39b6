/**
 * Scenario files are validated like kvrc.json: every issue with its path, in one
 * KV_ERR_BAD_CONFIG; node names checked against the config; a config inline reports its issues
 * under `config`; a file that is not JSON, repeats a key or names a missing config says so. Each
 * bad file is followed by a good one, which loads.
 */
import test from 'ava';
import { namesIssues, validateScenario } from '../../src/scenario/validate.js';
import { loadScenario } from '../../src/scenariorun/load.js';
import { KvError } from '../../src/protocol/errors.js';
import { tempConfigs } from '../cli/temp.js';

const temp = tempConfigs('kvmesh-scenario-');
const config = {
  nodes: ['foo', 'bar'],
  routingTable: [
    { range: 'a-m', node: 'foo' },
    { range: 'n-z', node: 'bar' },
  ],
};

/** The error `fn` throws (or rejects with): a KvError. */
async function error(fn: () => unknown): Promise<KvError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof KvError) return e;
    throw e;
  }
  throw new Error('it did not throw');
}

test('a scenario is validated whole: every issue with its path, in one KV_ERR_BAD_CONFIG', async (t) => {
  const bad = {
    config: 5,
    seed: 1.5,
    workload: { ratePerSec: -1, mix: { get: 0 }, buckets: ['a', 'a'], enterAt: [], colour: 1 },
    faults: [
      { atMs: 20000, kill: 'foo' },
      { kill: 'foo', heal: true },
      { atMs: 1, link: { from: 'foo', to: 'foo' } },
      { atMs: 2, partition: [['foo'], ['foo']], oneWay: 1 },
      { atMs: 3, heal: false, oneWay: true },
      { atMs: 4, setRoutingTable: { node: 'foo', table: [{ range: 'z-a', node: 'foo' }] } },
    ],
    checks: ['durability', 'durability', 'speed'],
  };
  const e = await error(() => validateScenario(bad));
  t.is(e.code, 'KV_ERR_BAD_CONFIG');
  t.is(
    e.message,
    `invalid scenario (19 issues):
  - config: expected the path of a config file or a config object but received number 5
  - seed: expected an integer from -9007199254740991 to 9007199254740991 but received number 1.5
  - workload.colour: unknown key (allowed: ratePerSec, mix, buckets, keysPerBucket, enterAt, recreate)
  - workload.ratePerSec: expected a number from 0 to 1000000 but received number -1
  - workload.mix: expected at least one weight above 0 (get, put, delete)
  - workload.buckets: bucket "a" is named twice
  - workload.enterAt: expected "any", a node name or a non-empty list of node names
  - faults[0].atMs: expected a number from 0 to 10000 but received number 20000
  - faults[1].atMs: expected the virtual ms the fault happens at (0 to durationMs 10000)
  - faults[1]: expected one kind of fault, found heal and kill
  - faults[2].link: from and to are the same node "foo"
  - faults[2].link: expected at least one of delayMs, jitterMs, drop, duplicate
  - faults[3].partition[1][0]: "foo" is in two groups
  - faults[3].oneWay: expected true or false but received number 1
  - faults[4].oneWay: oneWay goes with partition only
  - faults[4].heal: expected true but received boolean false
  - faults[5].setRoutingTable.table[0].range: range "z-a" is reversed: z comes after a
  - checks[1]: check "durability" is listed twice
  - checks[2]: unknown check "speed" (checks: durability, linearizable, single-owner)`,
  );
  t.is(e.issues.length, 19);
  t.is(validateScenario({ config }).durationMs, 10_000);
});

test('defaults are filled in, weights normalized, faults put in time order (those sharing an atMs in file order)', (t) => {
  const s = validateScenario({
    config: './kvrc.json',
    workload: { mix: { get: 3, put: 1 }, enterAt: 'foo' },
    faults: [
      { atMs: 5, heal: true },
      { atMs: 1, kill: 'foo' },
      { atMs: 5, clear: true },
    ],
  });
  t.deepEqual(s.workload, { ratePerSec: 100, mix: { get: 0.75, put: 0.25, delete: 0 }, buckets: 4, keysPerBucket: 10, enterAt: ['foo'], recreate: false });
  t.deepEqual(
    s.faults.map((f) => `${f.atMs} ${f.kind}`),
    ['1 kill', '5 heal', '5 clear'],
  );
  t.deepEqual([s.seed, s.checks, s.finalReads, s.linearizableBudget], [1, ['durability', 'linearizable', 'single-owner'], true, 100_000]);
});

test('node names are checked against the config, client allowed where a link or partition takes it', async (t) => {
  const file = temp.config('names.json', {
    config,
    workload: { enterAt: 'baz' },
    faults: [
      { atMs: 1, link: { from: 'client', to: 'qux', drop: 0.1 } },
      { atMs: 2, partition: [['foo'], ['client', 'zed']] },
      { atMs: 3, kill: 'client' },
      { atMs: 4, setRoutingTable: { node: 'bar', table: [{ range: 'a-z', node: 'nope' }] } },
    ],
  });
  const e = await error(() => loadScenario(file));
  t.is(e.code, 'KV_ERR_BAD_CONFIG');
  t.is(
    e.message,
    `${file}: invalid scenario (5 issues):
  - workload.enterAt: unknown node "baz" (nodes: foo, bar)
  - faults[0].link.to: unknown node "qux" (nodes: foo, bar, and client)
  - faults[1].partition[1][1]: unknown node "zed" (nodes: foo, bar, and client)
  - faults[2].kill: unknown node "client" (nodes: foo, bar)
  - faults[3].setRoutingTable.table[0].node: unknown node "nope" (nodes: foo, bar)`,
  );
  t.is((await loadScenario(temp.config('good.json', { config, faults: [{ atMs: 1, partition: [['foo'], ['client']] }] }))).scenario.faults.length, 1);
});

test("an inline config's issues are the scenario's, under config; a config file that is missing is named", async (t) => {
  const inline = await error(() => loadScenario(temp.config('inline.json', { config: { nodes: { foo: { port: 'x' } }, hopLimit: -1 } })));
  t.is(inline.message.split('\n').slice(1).join('\n'), '  - config.hopLimit: expected an integer from 0 to 1000 but received number -1\n  - config.nodes.foo.port: expected an integer from 0 to 65535 but received "x"');
  const file = temp.config('missing.json', { config: './nowhere.json' });
  const missing = await error(() => loadScenario(file));
  t.is(missing.message, `${file}: invalid scenario (1 issue):\n  - config: cannot read configuration "${temp.dir()}/nowhere.json": ENOENT: no such file or directory, open '${temp.dir()}/nowhere.json'`);
  temp.config('kvrc.json', config);
  const ok = await loadScenario(temp.config('path.json', { config: './kvrc.json' }));
  t.deepEqual(
    ok.loaded.settings.nodes.map((n) => n.name),
    ['foo', 'bar'],
  );
});

test('a scenario file that is not JSON says where; a repeated key is an issue; a missing file is named', async (t) => {
  const broken = temp.config('broken.json', '{ "config": "./kvrc.json",\n  "seed": 1,, }\n');
  t.is((await error(() => loadScenario(broken))).message, `invalid JSON in ${broken}: Expected double-quoted property name in JSON at position 39 (line 2, column 13)`);
  const dup = temp.config('dup.json', '{ "config": "./kvrc.json", "seed": 1, "seed": 2 }');
  t.is((await error(() => loadScenario(dup))).message, `${dup}: invalid scenario (1 issue):\n  - seed: duplicate key "seed" (JSON keeps only the last)`);
  const none = `${temp.dir()}/none.json`;
  t.is((await error(() => loadScenario(none))).message, `cannot read scenario "${none}": ENOENT: no such file or directory, open '${none}'`);
});

test("the issue's example file, field for field, validates (users write these names by hand)", (t) => {
  const s = validateScenario({
    config: './kvrc.json',
    seed: 7,
    durationMs: 60000,
    workload: { ratePerSec: 1000, mix: { get: 0.6, put: 0.3, delete: 0.1 }, buckets: 20, keysPerBucket: 100, enterAt: 'any' },
    faults: [
      { atMs: 1000, link: { from: 'foo', to: 'bar', delayMs: 3, drop: 0.05 } },
      { atMs: 2000, partition: [['foo'], ['bar']] },
      { atMs: 5000, heal: true },
      { atMs: 7000, kill: 'baz' },
      { atMs: 9000, setRoutingTable: { node: 'foo', table: [{ range: 'a-z', node: 'bar' }] } },
    ],
    checks: ['durability', 'linearizable', 'single-owner'],
  });
  t.deepEqual(
    s.faults.map((f) => f.kind),
    ['link', 'partition', 'heal', 'kill', 'setRoutingTable'],
  );
  t.deepEqual(namesIssues(s, ['foo', 'bar', 'baz']), []);
  t.deepEqual(namesIssues(s, ['foo', 'bar']), [{ path: 'faults[3].kill', message: 'unknown node "baz" (nodes: foo, bar)' }]);
});
