import test from 'ava';
import { MAX_TIMEOUT_MS, parseRange, replaceTable, validateConfig, validateTable } from '../../src/core/config.js';
import type { KvError } from '../../src/protocol/errors.js';

const guideTable = [
  { range: 'a-m', node: 'foo' },
  { range: 'n-z', node: 'bar' },
];

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    validateConfig(input);
  } catch (e) {
    const error = e as KvError;
    if (error.code !== 'KV_ERR_BAD_CONFIG') throw e;
    return error.issues.map((i) => ({ ...i }));
  }
  throw new Error('expected the config to be rejected');
}

test('the default kvrc.json shape validates, with defaults filled in', (t) => {
  const { settings, warnings } = validateConfig({ routingTable: guideTable, nodes: { foo: { port: 4040 }, bar: {} } });
  t.deepEqual(
    settings.nodes.map((n) => [n.name, n.port, n.host, n.storage]),
    [
      ['foo', 4040, '127.0.0.1', true],
      ['bar', undefined, '127.0.0.1', true],
    ],
  );
  t.deepEqual(settings.nodes[1]?.table, [
    { from: 0x61, to: 0x6d, node: 'foo' },
    { from: 0x6e, to: 0x7a, node: 'bar' },
  ]);
  t.is(settings.hopLimit, 16);
  t.is(settings.timeout, 5000);
  t.deepEqual(warnings, ['bytes 0x00-`, {-0xff are covered by no table: buckets starting with them cannot be routed']);
});

test('a node’s own table replaces the default; the default table is empty', (t) => {
  const { settings } = validateConfig({ nodes: { foo: {}, bar: { routingTable: [{ range: [0, 255], node: 'bar' }] } } });
  t.deepEqual(settings.nodes[0]?.table, []);
  t.deepEqual(settings.nodes[1]?.table, [{ from: 0, to: 255, node: 'bar' }]);
});

test('nodes may be listed as an array, in order', (t) => {
  const { settings } = validateConfig({ nodes: ['b', { name: 'a', port: 0 }], routingTable: [{ range: 'a', node: 'a' }] });
  t.deepEqual(
    settings.nodes.map((n) => [n.name, n.port]),
    [
      ['b', undefined],
      ['a', 0],
    ],
  );
});

test('ranges: "x-y", "x" or [from, to]', (t) => {
  t.deepEqual(parseRange('a-m'), { from: 0x61, to: 0x6d });
  t.deepEqual(parseRange('-'), { from: 0x2d, to: 0x2d });
  t.deepEqual(parseRange('!-~'), { from: 0x21, to: 0x7e });
  t.deepEqual(parseRange([0, 255]), { from: 0, to: 255 });
  t.is(parseRange('m-a'), 'range "m-a" is reversed: m comes after a');
  t.is(parseRange('abc'), 'expected "x-y", "x" or [from, to] but received "abc"');
  t.is(parseRange('é-z'), 'expected single-byte (ASCII) characters in "é-z"; use [from, to] byte numbers for other bytes');
  t.is(parseRange([0, 256]), 'expected "x-y", "x" or [from, to] with bytes 0-255 but received an array');
  t.is(parseRange([9, 3]), 'range [9, 3] is reversed');
  t.is(parseRange(7), 'expected "x-y", "x" or [from, to] with bytes 0-255 but received number 7');
});

test('every issue is collected with its path and reported together', (t) => {
  const issues = issuesOf({
    routingTable: [
      { range: 'a-m', node: 'foo' },
      { range: 'k-z', node: 'nobody' },
      { range: 'z-a', node: 'foo', weight: 2 },
    ],
    nodes: { foo: { port: 70000, colour: 'red' }, '9lives': {}, bar: { port: 4040 }, baz: { port: 4040 } },
    hopLimit: -1,
    speed: 'fast',
  });
  t.deepEqual(issues, [
    { path: 'speed', message: 'unknown key (allowed: routingTable, nodes, modules, hopLimit, timeout, maxLineLength, maxReplyBytes, heartbeatMs, maxProcesses, maxMailbox, $schema)' },
    { path: 'nodes["9lives"]', message: 'invalid node name "9lives": expected a letter or _ then letters, digits, _ . - (at most 64)' },
    { path: 'routingTable[1].node', message: 'unknown node "nobody" (nodes: foo, bar, baz)' },
    { path: 'routingTable[1].range', message: 'k-z overlaps a-m of entry 0' },
    { path: 'routingTable[2].weight', message: 'unknown key (allowed: range, node, from, to)' },
    { path: 'routingTable[2].range', message: 'range "z-a" is reversed: z comes after a' },
    { path: 'hopLimit', message: 'expected an integer from 0 to 1000 but received number -1' },
    { path: 'nodes.foo.colour', message: 'unknown key (allowed: routingTable, port, host, storage, maxConnections, restart, resourceLimits, resp, modules)' },
    { path: 'nodes.foo.port', message: 'expected an integer from 0 to 65535 but received number 70000' },
    { path: 'nodes.baz.port', message: 'port 4040 is also used by node "bar"' },
  ]);
});

test('overlapping entries in one table are rejected', (t) => {
  t.deepEqual(
    issuesOf({
      nodes: {
        foo: {
          routingTable: [
            { range: 'a-m', node: 'foo' },
            { range: 'k-z', node: 'foo' },
          ],
        },
      },
    }),
    [{ path: 'nodes.foo.routingTable[1].range', message: 'k-z overlaps a-m of entry 0' }],
  );
});

test('duplicate node names are rejected', (t) => {
  t.deepEqual(issuesOf({ nodes: ['foo', { name: 'foo' }] }), [{ path: 'nodes[1]', message: 'duplicate node name "foo"' }]);
});

test('timeouts are whole ms up to the longest a timer can wait; heartbeatMs from 10', (t) => {
  t.is(MAX_TIMEOUT_MS, 2147483647);
  const { settings } = validateConfig({ nodes: ['foo'], timeout: MAX_TIMEOUT_MS, heartbeatMs: MAX_TIMEOUT_MS });
  t.is(settings.timeout, 2147483647);
  t.is(settings.heartbeatMs, 2147483647);
  t.is(validateConfig({ nodes: ['foo'], timeout: 1, heartbeatMs: 10 }).settings.timeout, 1);
  t.deepEqual(issuesOf({ nodes: ['foo'], timeout: 0.5, heartbeatMs: 1e-9 }), [
    { path: 'timeout', message: 'expected an integer from 1 to 2147483647 but received number 0.5' },
    { path: 'heartbeatMs', message: 'expected an integer from 10 to 2147483647 but received number 1e-9' },
  ]);
  t.deepEqual(issuesOf({ nodes: ['foo'], timeout: 2147483648, heartbeatMs: 9 }), [
    { path: 'timeout', message: 'expected an integer from 1 to 2147483647 but received number 2147483648' },
    { path: 'heartbeatMs', message: 'expected an integer from 10 to 2147483647 but received number 9' },
  ]);
});

test('issues the file reader found come first in the same report', (t) => {
  const error = t.throws<KvError>(() => validateConfig({ nodes: { foo: { port: -1 } } }, [{ path: 'nodes.foo', message: 'duplicate key "foo" (JSON keeps only the last)' }]));
  t.is(error.code, 'KV_ERR_BAD_CONFIG');
  t.is(error.message, 'invalid configuration (2 issues):\n  - nodes.foo: duplicate key "foo" (JSON keeps only the last)\n  - nodes.foo.port: expected an integer from 0 to 65535 but received number -1');
  t.throws(() => validateConfig({ nodes: ['foo'] }, [{ path: 'nodes.foo', message: 'duplicate key "foo" (JSON keeps only the last)' }]), { message: /^invalid configuration \(1 issue\):/ }, 'an otherwise valid config is refused too');
});

test('a cluster needs nodes', (t) => {
  t.deepEqual(issuesOf({ nodes: {} }), [{ path: 'nodes', message: 'a cluster needs at least one node' }]);
  t.deepEqual(issuesOf({}), [{ path: 'nodes', message: 'expected an object of nodes or an array but received nothing' }]);
  t.deepEqual(issuesOf([]), [
    { path: '', message: 'expected an object but received an array' },
    { path: 'nodes', message: 'expected an object of nodes or an array but received nothing' },
  ]);
});

test('tables whose paths loop are rejected, naming the cycle', (t) => {
  t.deepEqual(
    issuesOf({
      nodes: {
        foo: { routingTable: [{ range: 'a-z', node: 'bar' }] },
        bar: {
          routingTable: [
            { range: 'a-m', node: 'foo' },
            { range: 'n-z', node: 'bar' },
          ],
        },
      },
    }),
    [{ path: 'routingTable', message: 'bytes a-m loop between nodes: bar → foo → bar' }],
  );
});

test('the error message lists every issue, one per line', (t) => {
  const error = t.throws<KvError>(() => validateConfig({ nodes: { foo: { port: -1 } }, timeout: 0 }));
  t.is(error.code, 'KV_ERR_BAD_CONFIG');
  t.is(error.message, 'invalid configuration (2 issues):\n  - timeout: expected an integer from 1 to 2147483647 but received number 0\n  - nodes.foo.port: expected an integer from 0 to 65535 but received number -1');
});

test('modules: names, paths and the cpu flag are checked', (t) => {
  const { settings } = validateConfig({ nodes: ['foo'], modules: { Hello: './hello.js', 'My.Crunch': { path: './crunch.js', cpu: true } } });
  t.deepEqual(settings.modules, [
    { name: 'Hello', path: './hello.js', cpu: false },
    { name: 'My.Crunch', path: './crunch.js', cpu: true },
  ]);
  t.deepEqual(issuesOf({ nodes: ['foo'], modules: { hello: './h.js', Kernel: './k.js', Empty: '', Bad: { path: 1, cpu: 'yes' } } }), [
    { path: 'modules.hello', message: 'invalid module name "hello": expected capitalized words joined by dots, like Hello or My.Module' },
    { path: 'modules.Kernel', message: '"Kernel" is a built-in module' },
    { path: 'modules.Empty', message: 'expected a file path or { path, cpu } but received ""' },
    { path: 'modules.Bad.path', message: 'expected a file path but received number 1' },
    { path: 'modules.Bad.cpu', message: 'expected true or false but received "yes"' },
  ]);
});

test('a storage-less node may not keep a range for itself, and needs no port (a router reached through client({ via }))', (t) => {
  t.deepEqual(issuesOf({ routingTable: [{ range: 'a-z', node: 'front' }], nodes: { front: { storage: false, port: 0 } } }), [{ path: 'nodes.front.routingTable[0]', message: 'node "front" has storage: false but its table keeps a-z for itself' }]);
  const front = validateConfig({ routingTable: [{ range: 'a-z', node: 'back' }], nodes: { front: { storage: false }, back: {} } }).settings.nodes[0];
  t.like(front, { name: 'front', storage: false, port: undefined });
});

test('restart and resource limits are validated', (t) => {
  const { settings } = validateConfig({ nodes: { a: { restart: 'never' }, b: { restart: { maxRestarts: 1, withinMs: 100 }, resourceLimits: { maxOldGenerationSizeMb: 32 } }, c: {} } });
  t.deepEqual(
    settings.nodes.map((n) => n.restart),
    ['never', { maxRestarts: 1, withinMs: 100 }, { maxRestarts: 3, withinMs: 5000 }],
  );
  t.deepEqual(settings.nodes[1]?.resourceLimits, { maxOldGenerationSizeMb: 32 });
  t.deepEqual(issuesOf({ nodes: { a: { restart: 'sometimes' } } }), [{ path: 'nodes.a.restart', message: 'expected an object but received "sometimes"' }]);
});

test('validateTable accepts tables as read back ({ from, to, node }) and rejects unknown nodes', (t) => {
  t.deepEqual(validateTable([{ from: 97, to: 98, node: 'foo' }], ['foo']), [{ from: 97, to: 98, node: 'foo' }]);
  const error = t.throws<KvError>(() => validateTable([{ range: 'a', node: 'bar' }], ['foo'], 'table for node "foo"'));
  t.is(error.code, 'KV_ERR_BAD_CONFIG');
  t.deepEqual(error.issues, [{ path: 'table for node "foo"[0].node', message: 'unknown node "bar" (nodes: foo)' }]);
});

test('replaceTable checks a run-time table as the config is checked', (t) => {
  const { settings } = validateConfig({ routingTable: [{ range: 'a-z', node: 'back' }], nodes: { front: { storage: false, port: 0 }, back: {} } });
  const tables = new Map(settings.nodes.map((n) => [n.name, n.table]));
  const kept = t.throws<KvError>(() => replaceTable(settings, tables, 'front', [{ range: 'a-m', node: 'front' }], 'table for node "front"'));
  t.is(kept.code, 'KV_ERR_BAD_CONFIG');
  t.deepEqual(kept.issues, [{ path: 'table for node "front"[0]', message: 'node "front" has storage: false but its table keeps a-m for itself' }]);
  const loop = t.throws<KvError>(() => replaceTable(settings, tables, 'back', [{ range: 'a-z', node: 'front' }], 'table for node "back"'));
  t.deepEqual(loop.issues, [{ path: 'table for node "back"', message: 'bytes a-z loop between nodes: back → front → back' }]);
  const ok = replaceTable(settings, tables, 'front', [{ range: 'a-m', node: 'back' }], 'table for node "front"');
  t.deepEqual(ok.table, [{ from: 0x61, to: 0x6d, node: 'back' }]);
  t.deepEqual(ok.warnings, ['bytes 0x00-`, {-0xff are covered by no table: buckets starting with them cannot be routed']);
});

test('a node’s modules name the config’s user modules; by default a node has them all', (t) => {
  const modules = { Hello: 'hello.js', Pong: 'pong.js' };
  const { settings } = validateConfig({ nodes: { foo: { modules: ['Pong'] }, bar: {} }, modules });
  t.deepEqual(
    settings.nodes.map((n) => [n.name, n.modules]),
    [
      ['foo', ['Pong']],
      ['bar', undefined],
    ],
  );
  const error = t.throws<KvError>(() => validateConfig({ nodes: { foo: { modules: ['Pong', 'Nope', 'Pong', 3] }, bar: { modules: 'Hello' } }, modules }));
  t.is(
    error.message,
    [
      'invalid configuration (4 issues):',
      '  - nodes.foo.modules[1]: expected the name of a module of "modules" (Hello, Pong) but received "Nope"',
      '  - nodes.foo.modules[2]: module "Pong" is listed twice',
      '  - nodes.foo.modules[3]: expected the name of a module of "modules" (Hello, Pong) but received number 3',
      '  - nodes.bar.modules: expected an array of module names but received "Hello"',
    ].join('\n'),
  );
});
