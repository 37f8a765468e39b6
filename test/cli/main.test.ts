/** The command line in-process (`main(argv, io)`): help, version, usage errors, check, route, config errors. */
import test from 'ava';
import { copyFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commands, usage } from '../../src/cli/main.js';
import { processIo } from '../../src/cli/io.js';
import { guide, tempConfigs } from './temp.js';
import { run } from './run-main.js';

const temp = tempConfigs('kvmesh-main-');
const config = temp.config;

const USAGE = `usage: kvmesh COMMAND [options]

commands:
  start  start the cluster and its TCP servers; run until Ctrl-C
  check  validate and lint the configuration without starting anything
  route  print the path a request for BUCKET takes, and its owner or error
  plan   print what changing the configuration to another would move, without starting anything
  bench  benchmark the configured cluster: ops/s, latency percentiles, messages and hops per op
  sim    run a scenario file (workload, faults, checks) on the simulation, on one seed or many

options:
  -h, --help          this help
  -v, --version       the version of kvmesh

Run \`kvmesh COMMAND --help\` for the options of a command.
`;

test('--help, -h and help print the usage (exit 0); no command prints it on stderr (exit 2)', async (t) => {
  for (const argv of [['--help'], ['-h'], ['help']]) t.deepEqual(await run(argv), { code: 0, out: USAGE, err: '' }, argv.join(' '));
  t.is(`${usage()}\n`, USAGE);
  t.deepEqual(await run([]), { code: 2, out: '', err: USAGE });
});

test('--version and -v print the version of package.json', async (t) => {
  const { version } = JSON.parse(readFileSync(fileURLToPath(new URL('../../../package.json', import.meta.url)), 'utf8')) as { version: string };
  t.regex(version, /^\d+\.\d+\.\d+/);
  for (const flag of ['--version', '-v']) t.deepEqual(await run([flag]), { code: 0, out: `kvmesh ${version}\n`, err: '' });
});

// usage line(s), a blank line, the description, "options:" with every flag at column 2 or 6 and
// its text at column 22 (on the next line for a flag too long for that), "-h, --help" last, then
// "example:" with indented command lines.
const LAYOUT = /^usage: kvmesh (\w+) .*\n(?: {20}.*\n)*\n(?:\S.*\n)+\noptions:\n(?:(?: {2}-\w, | {6})--\S+(?: \S+)?(?: +(?<=^.{22})|\n {22})\S.*\n(?: {22}\S.*\n)*)* {2}-h, --help {10}this help\n\nexample:\n(?: {2}\S.*\n)+$/m;

test('every command has --help in one layout, the same as `kvmesh help NAME`, with the summary of kvmesh --help', async (t) => {
  for (const [name, entry] of Object.entries(commands)) {
    const help = await run([name, '--help']);
    t.is(help.code, 0);
    t.is(help.err, '');
    t.regex(help.out, LAYOUT, name);
    t.true(help.out.startsWith(`usage: kvmesh ${name} `), name);
    t.deepEqual(await run(['help', name]), help);
    t.deepEqual(await run([name, '--config', 'x', '-h']), help, '--help anywhere, other options ignored');
    t.is((await entry.load()).summary, entry.summary, name);
  }
});

test("start --help's example talks to the server with Debian's netcat (nc -q 1: quit once stdin ends)", async (t) => {
  const help = (await run(['start', '--help'])).out;
  t.true(help.endsWith("example:\n  kvmesh start --config kvrc.json\n  printf 'CREATE shopping\\r\\n' | nc -q 1 127.0.0.1 4040   # -q 1: quit once stdin ends\n"), help);
});

test('usage errors: one line per issue with the command named once, a hint to --help, exit 2; the next command runs', async (t) => {
  const hint = (cmd: string) => `Run \`${cmd} --help\` for usage.\n`;
  t.deepEqual(await run(['frob']), { code: 2, out: '', err: `kvmesh: unknown command "frob" (commands: start, check, route, plan, bench, sim)\n${hint('kvmesh')}` });
  t.deepEqual(await run(['help', 'frob']), { code: 2, out: '', err: `kvmesh: unknown command "frob" (commands: start, check, route, plan, bench, sim)\n${hint('kvmesh')}` });
  for (const name of ['start', 'check', 'route', 'plan', 'bench']) {
    const option = await run([name, '--bogus']);
    t.is(option.code, 2);
    t.is(option.out, '');
    t.is(option.err, `kvmesh ${name}: Unknown option '--bogus'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- "--bogus"\n${hint(`kvmesh ${name}`)}`);
  }
  t.deepEqual(await run(['check', 'extra']), { code: 2, out: '', err: `kvmesh check: unexpected argument "extra"\n${hint('kvmesh check')}` });
  t.deepEqual(await run(['route', 'a', 'b']), { code: 2, out: '', err: `kvmesh route: unexpected argument "b"\n${hint('kvmesh route')}` });
  t.deepEqual(await run(['route', '-c', config('usage.json', guide)]), { code: 2, out: '', err: `kvmesh route: missing BUCKET (for example: kvmesh route shopping)\n${hint('kvmesh route')}` });
  t.deepEqual(await run(['start', '--config']), { code: 2, out: '', err: `kvmesh start: Option '-c, --config <value>' argument missing\n${hint('kvmesh start')}` });
  t.is((await run(['route', 'apple', '-c', config('usage.json', guide)])).code, 0, 'the next command runs');
});

test('check prints the topology and warnings; a router-only node (storage: false, no port) is valid', async (t) => {
  const file = config('check.json', { ...guide, nodes: { foo: { port: 4040, maxConnections: 10 }, bar: {}, front: { port: 0, storage: false, routingTable: [{ range: 'a-z', node: 'bar' }] }, hub: { storage: false, routingTable: [{ range: 'a-z', node: 'foo' }] } } });
  t.deepEqual(await run(['check', '-c', file]), {
    code: 0,
    err: '',
    out: [
      `${file}: valid`,
      '4 nodes (hop limit 16, timeout 5000 ms, max line 1048576 bytes):',
      '  foo: storage + server, serves 127.0.0.1:4040 (max 10 clients)',
      '    routes [a-m → foo, n-z → bar]',
      '  bar: storage only',
      '    routes [a-m → foo, n-z → bar]',
      '  front: server only, serves 127.0.0.1:0 (a free port)',
      '    routes [a-z → bar]',
      '  hub: router only',
      '    routes [a-z → foo]',
      'warning: bytes 0x00-`, {-0xff are covered by no table: buckets starting with them cannot be routed',
      '',
    ].join('\n'),
  });
});

test('check on the configuration example of the README warns that a-m have two owners', async (t) => {
  const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
  const example = /## Configuration \(`kvrc\.json`\)\n+```json\n([^]*?)```/.exec(readme)?.[1];
  if (example === undefined) return t.fail('no configuration example in the README');
  const file = config('readme.json', example);
  // The example names ./hello.js, which check imports.
  copyFileSync(fileURLToPath(new URL('../../../test/fixtures/hello.js', import.meta.url)), join(dirname(file), 'hello.js'));
  const outcome = await run(['check', '-c', file]);
  t.is(outcome.code, 0, outcome.err);
  t.true(
    outcome.out.endsWith(
      [
        '  bar: storage only',
        '    routes [a-z → bar]',
        'warning: bytes 0x00-`, {-0xff are covered by no table: buckets starting with them cannot be routed',
        'warning: bytes a-m have 2 owners, depending on the node a request enters at (entry → owner: foo → foo, bar → bar): a bucket created via one entry is not found via another',
        '',
      ].join('\n'),
    ),
    outcome.out,
  );
});

test('check on a bad config lists every issue with its path, exit 1', async (t) => {
  const file = config('bad.json', { nodes: { foo: { port: 'x', storage: false }, bar: { routingTable: [{ range: 'z-a', node: 'baz' }] } }, timeout: -1 });
  t.deepEqual(await run(['check', '--config', file]), {
    code: 1,
    out: '',
    err: [
      `kvmesh: ${file}: invalid configuration (4 issues):`,
      '  - timeout: expected an integer from 1 to 2147483647 but received number -1',
      '  - nodes.foo.port: expected an integer from 0 to 65535 but received "x"',
      '  - nodes.bar.routingTable[0].range: range "z-a" is reversed: z comes after a',
      '  - nodes.bar.routingTable[0].node: unknown node "baz" (nodes: foo, bar)',
      '',
    ].join('\n'),
  });
});

test('a config that is not JSON prints where, with its code frame once; a missing one names the file; exit 1', async (t) => {
  const file = config('broken.json', '{\n  "nodes": {\n    "foo": { "port": 4040, }\n  }\n}\n');
  t.deepEqual(await run(['check', '-c', file]), {
    code: 1,
    out: '',
    err: [
      `kvmesh: cannot read configuration ${JSON.stringify(file)}: invalid JSON in ${file}: Expected double-quoted property name in JSON at position 42 (line 3, column 28)`,
      '',
      '  1 | {',
      '  2 |   "nodes": {',
      '> 3 |     "foo": { "port": 4040, }',
      '    |                            ^',
      '  4 |   }',
      '  5 | }',
      '  6 |',
      '',
    ].join('\n'),
  });
  const cut = config('cut.json', '{ "nodes": ');
  t.deepEqual(await run(['route', 'x', '-c', cut]), { code: 1, out: '', err: `kvmesh: cannot read configuration ${JSON.stringify(cut)}: invalid JSON in ${cut}: Unexpected end of JSON input (line 1, column 12)\n` });
  const missing = join(temp.dir(), 'none.json');
  t.deepEqual(await run(['route', 'x', '-c', missing]), { code: 1, out: '', err: `kvmesh: cannot read configuration ${JSON.stringify(missing)}: ENOENT: no such file or directory, open '${missing}'\n` });
});

test('route prints each hop with the entry it matched and the owner', async (t) => {
  const file = config('route.json', guide);
  t.deepEqual(await run(['route', 'shopping', '--config', file]), { code: 0, err: '', out: 'bucket "shopping" (first byte 0x73) entering at node foo:\n  foo: n-z → bar, forwards to bar\n  bar: n-z → bar, owns it\nowner: bar (1 hop)\n' });
  t.deepEqual(await run(['route', 'apple', '--config', file, '--from', 'bar']), { code: 0, err: '', out: 'bucket "apple" (first byte 0x61) entering at node bar:\n  bar: a-m → foo, forwards to foo\n  foo: a-m → foo, owns it\nowner: foo (1 hop)\n' });
});

test('route prints the error a request would get and exits 1; an unknown --from node is exit 1', async (t) => {
  const file = config('route-err.json', guide);
  t.deepEqual(await run(['route', 'Été', '-c', file]), {
    code: 1,
    err: '',
    out: 'bucket "Été" (first byte 0xc3) entering at node foo:\n  foo: no entry for 0xc3\nerror KV_ERR_NO_ROUTE: no route for bucket "Été" (first byte 0xc3) on node "foo": its table is [a-m → foo, n-z → bar]\n',
  });
  const chain = config('chain.json', {
    hopLimit: 1,
    nodes: { a: { routingTable: [{ range: 'a-z', node: 'b' }] }, b: { routingTable: [{ range: 'a-z', node: 'c' }] }, c: { routingTable: [{ range: 'a-z', node: 'c' }] } },
  });
  t.deepEqual(await run(['route', 'far', '-c', chain]), {
    code: 1,
    err: '',
    out: 'bucket "far" (first byte 0x66) entering at node a:\n  a: a-z → b, forwards to b\n  b: a-z → c, forwards to c\nerror KV_ERR_TOO_MANY_HOPS: too many hops for bucket "far": forwarded 1 time (the hop limit) along a → b → c\n',
  });
  t.deepEqual(await run(['route', 'x', '-c', file, '--from', 'baz']), { code: 1, out: '', err: 'kvmesh: unknown node "baz" (nodes: foo, bar)\n' });
});

test("the binary's io: lines to stdout and stderr; progress on stderr only when stderr is a terminal", (t) => {
  const stream = (isTTY: boolean) => {
    const written: string[] = [];
    return { written, isTTY, write: (s: string) => written.push(s) };
  };
  const [out, err] = [stream(false), stream(true)];
  const tty = processIo(out, err);
  tty.out('table');
  tty.err('oops');
  tty.progress?.('\rbar  50%');
  t.deepEqual(out.written, ['table\n']);
  t.deepEqual(err.written, ['oops\n', '\rbar  50%']);
  t.is(processIo(stream(true), stream(false)).progress, undefined, 'stdout a terminal, stderr piped: no progress');
  t.is(processIo(stream(false), { write: () => true }).progress, undefined, 'isTTY absent: a pipe or a file');
});
