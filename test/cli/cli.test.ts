/** The built `kvmesh` binary, run as a child process. */
import test from 'ava';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { TestClient } from '../server/client.js';

const CLI = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
const DEADLINE_MS = 20_000;

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function exited(child: ChildProcess, output: { stdout: string; stderr: string }): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kvmesh did not exit within ${DEADLINE_MS} ms; stdout ${JSON.stringify(output.stdout)} stderr ${JSON.stringify(output.stderr)}`));
    }, DEADLINE_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      // 'close' waits for the pipes to drain.
      child.on('close', () => resolve({ code, signal, ...output }));
    });
  });
}

function launch(args: string[], cwd: string, env: Record<string, string> = {}): { child: ChildProcess; output: { stdout: string; stderr: string } } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (d: Buffer) => (output.stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output.stderr += d.toString()));
  return { child, output };
}

/** Runs `kvmesh ...args` to completion. */
function run(args: string[], cwd = tmp): Promise<Outcome> {
  const { child, output } = launch(args, cwd);
  return exited(child, output);
}

let tmp: string;
test.before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'kvmesh-cli-'));
});
test.after.always(() => rmSync(tmp, { recursive: true, force: true }));

function config(name: string, value: unknown): string {
  const path = join(tmp, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

const guide = {
  routingTable: [
    { range: 'a-m', node: 'foo' },
    { range: 'n-z', node: 'bar' },
  ],
  nodes: { foo: { port: 0 }, bar: {} },
};

test('start serves on its port, prints the topology, and exits 0 on SIGTERM', async (t) => {
  const file = config('start.json', guide);
  const { child, output } = launch(['start', '--config', file], tmp);
  const done = exited(child, output);
  t.teardown(() => child.kill('SIGKILL'));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line; stdout ${JSON.stringify(output.stdout)} stderr ${JSON.stringify(output.stderr)}`)), DEADLINE_MS);
    child.stdout?.on('data', () => {
      const m = /^listening: node foo on 127\.0\.0\.1:(\d+)$/m.exec(output.stdout);
      if (m !== null) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
  });
  const s = await TestClient.connect(port);
  t.teardown(() => s.destroy());
  t.is(await s.request('CREATE shopping\r\nPUT shopping milk 1\r\nGET shopping milk\r\nCREATE apple\r\nGET apple x\r\n', 7), 'OK\r\nOK\r\n1\r\nOK\r\nOK\r\n\r\nOK\r\n');
  child.kill('SIGTERM');
  const outcome = await done;
  t.is(outcome.code, 0, outcome.stderr);
  t.is(outcome.stderr, '');
  t.is(await s.rest(), '', 'the connection was closed');
  t.is(
    outcome.stdout,
    [
      `kvmesh: started from ${file}`,
      '2 nodes (hop limit 16, timeout 5000 ms, max line 1048576 bytes):',
      `  foo: storage + server, serves 127.0.0.1:${port}`,
      '    routes [a-m → foo, n-z → bar]',
      '  bar: storage only',
      '    routes [a-m → foo, n-z → bar]',
      'warning: bytes 0x00-`, {-0xff are covered by no table: buckets starting with them cannot be routed',
      `listening: node foo on 127.0.0.1:${port}`,
      'kvmesh: SIGTERM, closing',
      'kvmesh: closed',
      '',
    ].join('\n'),
  );
});

test('start with a server-only front end and storage-only nodes; SIGINT exits 0', async (t) => {
  const file = config('roles.json', {
    routingTable: [
      { range: 'a-m', node: 'left' },
      { range: 'n-z', node: 'right' },
    ],
    nodes: { front: { port: 0, storage: false }, left: {}, right: {} },
  });
  const { child, output } = launch(['start', '-c', file], tmp);
  const done = exited(child, output);
  t.teardown(() => child.kill('SIGKILL'));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line; stdout ${JSON.stringify(output.stdout)} stderr ${JSON.stringify(output.stderr)}`)), DEADLINE_MS);
    child.stdout?.on('data', () => {
      const m = /^listening: node front on 127\.0\.0\.1:(\d+)$/m.exec(output.stdout);
      if (m !== null) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
  });
  t.regex(output.stdout, /^ {2}front: server only, serves 127\.0\.0\.1:\d+\n {4}routes \[a-m → left, n-z → right\]\n {2}left: storage only\n/m);
  const s = await TestClient.connect(port);
  t.teardown(() => s.destroy());
  t.is(await s.request('CREATE apple\r\nCREATE zebra\r\nPUT apple k 1\r\nPUT zebra k 2\r\nGET apple k\r\nGET zebra k\r\n', 8), 'OK\r\nOK\r\nOK\r\nOK\r\n1\r\nOK\r\n2\r\nOK\r\n');
  child.kill('SIGINT');
  const outcome = await done;
  t.is(outcome.code, 0, outcome.stderr);
  t.true(outcome.stdout.endsWith('kvmesh: SIGINT, closing\nkvmesh: closed\n'));
});

test('start: SIGTERM the moment `listening:` is printed closes cleanly and exits 0 (5 runs)', async (t) => {
  const file = config('race.json', guide);
  for (let run = 1; run <= 5; run++) {
    const { child, output } = launch(['start', '--config', file], tmp);
    const done = exited(child, output);
    t.teardown(() => child.kill('SIGKILL'));
    let sent = false;
    child.stdout?.on('data', () => {
      if (sent || !output.stdout.includes('listening: ')) return;
      sent = true; // one signal: a second one exits at once, with 143
      child.kill('SIGTERM');
    });
    const outcome = await done;
    t.is(outcome.signal, null, `run ${run}: not killed by the signal; stdout ${JSON.stringify(outcome.stdout)}`);
    t.is(outcome.code, 0, `run ${run}: ${outcome.stderr}`);
    t.is(outcome.stderr, '', `run ${run}`);
    t.regex(outcome.stdout, /\nlistening: node foo on 127\.0\.0\.1:\d+\nkvmesh: SIGTERM, closing\nkvmesh: closed\n$/, `run ${run}`);
  }
});

test('start: a signal that comes while the cluster is starting closes it once it is up, exit 0', async (t) => {
  const file = config('held.json', { routingTable: [{ range: 'a-z', node: 'solo' }], nodes: { solo: { port: 0 } }, modules: { Held: fileURLToPath(new URL('../../../test/fixtures/held-load.js', import.meta.url)) } });
  // The node's module connects here while it loads, and finishes loading on our first byte.
  const hold = createServer();
  await new Promise<void>((resolve) => hold.listen(0, '127.0.0.1', resolve));
  t.teardown(() => hold.close());
  const { child, output } = launch(['start', '-c', file], tmp, { KVMESH_TEST_HOLD_PORT: String((hold.address() as { port: number }).port) });
  const done = exited(child, output);
  t.teardown(() => child.kill('SIGKILL'));
  hold.once('connection', (socket) => {
    t.is(output.stdout, '', 'nothing printed yet: still starting');
    socket.on('error', () => undefined); // a child killed by the signal resets it
    child.kill('SIGINT');
    socket.end('go');
  });
  const outcome = await done;
  t.is(outcome.signal, null, outcome.stdout);
  t.is(outcome.code, 0, outcome.stderr);
  t.is(outcome.stderr, '');
  t.regex(outcome.stdout, /^kvmesh: started from .*held\.json\n[^]*\nlistening: node solo on 127\.0\.0\.1:\d+\nkvmesh: SIGINT, closing\nkvmesh: closed\n$/);
});

test('start finds kvrc.json in the working directory; a busy port exits 1 with one message', async (t) => {
  const dir = mkdtempSync(join(tmp, 'busy-'));
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  const busy = (server.address() as { port: number }).port;
  writeFileSync(join(dir, 'kvrc.json'), JSON.stringify({ ...guide, nodes: { foo: { port: busy }, bar: {} } }));
  const outcome = await run(['start'], dir);
  t.is(outcome.code, 1);
  t.is(outcome.stdout, '');
  t.is(outcome.stderr, `kvmesh: node "foo" cannot listen on 127.0.0.1:${busy}: the port is already in use (EADDRINUSE); change nodes.foo.port or .host in the configuration (port 0 takes a free port)\n`);
});

test('check prints the topology and warnings and exits 0 on a valid config', async (t) => {
  const file = config('check.json', { ...guide, nodes: { foo: { port: 4040, maxConnections: 10 }, bar: {}, front: { port: 0, storage: false, routingTable: [{ range: 'a-z', node: 'bar' }] } } });
  const outcome = await run(['check', '-c', file]);
  t.is(outcome.code, 0, outcome.stderr);
  t.is(
    outcome.stdout,
    [
      `${file}: valid`,
      '3 nodes (hop limit 16, timeout 5000 ms, max line 1048576 bytes):',
      '  foo: storage + server, serves 127.0.0.1:4040 (max 10 clients)',
      '    routes [a-m → foo, n-z → bar]',
      '  bar: storage only',
      '    routes [a-m → foo, n-z → bar]',
      '  front: server only, serves 127.0.0.1:0 (a free port)',
      '    routes [a-z → bar]',
      'warning: bytes 0x00-`, {-0xff are covered by no table: buckets starting with them cannot be routed',
      '',
    ].join('\n'),
  );
});

test('check on the configuration example of the README warns that a-m have two owners', async (t) => {
  const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
  const example = /## Configuration \(`kvrc\.json`\)\n+```json\n([^]*?)```/.exec(readme)?.[1];
  if (example === undefined) return t.fail('no configuration example in the README');
  const file = config('readme.json', example);
  const outcome = await run(['check', '-c', file]);
  t.is(outcome.code, 0, outcome.stderr);
  t.true(
    outcome.stdout.endsWith(
      [
        '  bar: storage only',
        '    routes [a-z → bar]',
        'warning: bytes 0x00-`, {-0xff are covered by no table: buckets starting with them cannot be routed',
        'warning: bytes a-m have 2 owners, depending on the node a request enters at (entry → owner: foo → foo, bar → bar): a bucket created via one entry is not found via another',
        '',
      ].join('\n'),
    ),
    outcome.stdout,
  );
});

test('check on a bad config lists every issue with its path, exits 1, no stack trace', async (t) => {
  const file = config('bad.json', { nodes: { foo: { port: 'x', storage: false }, bar: { routingTable: [{ range: 'z-a', node: 'baz' }] } }, timeout: -1 });
  const outcome = await run(['check', '--config', file]);
  t.is(outcome.code, 1);
  t.is(outcome.stdout, '');
  t.is(
    outcome.stderr,
    [
      `kvmesh: ${file}: invalid configuration (4 issues):`,
      '  - timeout: expected an integer from 1 to 2147483647 but received number -1',
      '  - nodes.foo.port: expected an integer from 0 to 65535 but received "x"',
      '  - nodes.bar.routingTable[0].range: range "z-a" is reversed: z comes after a',
      '  - nodes.bar.routingTable[0].node: unknown node "baz" (nodes: foo, bar)',
      '',
    ].join('\n'),
  );
});

test('a config that is not JSON, or not there, is one message and exit 1', async (t) => {
  const broken = await run(['check', '-c', config('broken.json', '{ "nodes": ')]);
  t.is(broken.code, 1);
  t.regex(broken.stderr, /^kvmesh: cannot read configuration ".*broken\.json": JSON Error.*\n$/s);
  t.notRegex(broken.stderr, /\n\s+at /);
  const missing = await run(['route', 'x', '-c', join(tmp, 'none.json')]);
  t.is(missing.code, 1);
  t.regex(missing.stderr, /^kvmesh: cannot read configuration ".*none\.json": .*ENOENT/);
});

test('route prints each hop with the entry it matched and the owner', async (t) => {
  const file = config('route.json', guide);
  const outcome = await run(['route', 'shopping', '--config', file]);
  t.is(outcome.code, 0, outcome.stderr);
  t.is(outcome.stdout, 'bucket "shopping" (first byte 0x73) entering at node foo:\n  foo: n-z → bar, forwards to bar\n  bar: n-z → bar, owns it\nowner: bar (1 hop)\n');
  const local = await run(['route', 'apple', '--config', file, '--from', 'bar']);
  t.is(local.stdout, 'bucket "apple" (first byte 0x61) entering at node bar:\n  bar: a-m → foo, forwards to foo\n  foo: a-m → foo, owns it\nowner: foo (1 hop)\n');
});

test('route prints the error a request would get and exits 1', async (t) => {
  const file = config('route-err.json', guide);
  const outcome = await run(['route', 'Été', '-c', file]);
  t.is(outcome.code, 1);
  t.is(outcome.stdout, 'bucket "Été" (first byte 0xc3) entering at node foo:\n  foo: no entry for 0xc3\nerror KV_ERR_NO_ROUTE: no route for bucket "Été" (first byte 0xc3) on node "foo": its table is [a-m → foo, n-z → bar]\n');
  const chain = config('chain.json', {
    hopLimit: 1,
    nodes: { a: { routingTable: [{ range: 'a-z', node: 'b' }] }, b: { routingTable: [{ range: 'a-z', node: 'c' }] }, c: { routingTable: [{ range: 'a-z', node: 'c' }] } },
  });
  const far = await run(['route', 'far', '-c', chain]);
  t.is(far.code, 1);
  t.is(far.stdout, 'bucket "far" (first byte 0x66) entering at node a:\n  a: a-z → b, forwards to b\n  b: a-z → c, forwards to c\nerror KV_ERR_TOO_MANY_HOPS: too many hops for bucket "far": forwarded 1 time (the hop limit) along a → b → c\n');
});

test('route with an unknown --from node, or no bucket, is a user error', async (t) => {
  const file = config('route-user.json', guide);
  const unknown = await run(['route', 'x', '-c', file, '--from', 'baz']);
  t.is(unknown.code, 1);
  t.is(unknown.stderr, 'kvmesh: unknown node "baz" (nodes: foo, bar)\n');
  const missing = await run(['route', '-c', file]);
  t.is(missing.code, 2);
  t.is(missing.stderr, 'kvmesh route: missing BUCKET (for example: kvmesh route shopping)\nRun `kvmesh route --help` for usage.\n');
});

test('--help for every command; unknown commands and options exit 2', async (t) => {
  const help = await run(['--help']);
  t.is(help.code, 0);
  t.regex(help.stdout, /^usage: kvmesh COMMAND \[options\]\n\ncommands:\n {2}start .*\n {2}check .*\n {2}route /);
  for (const name of ['start', 'check', 'route']) {
    const h = await run([name, '--help']);
    t.is(h.code, 0);
    t.true(h.stdout.startsWith(`usage: kvmesh ${name}`), h.stdout);
    t.is((await run(['help', name])).stdout, h.stdout);
  }
  const none = await run([]);
  t.is(none.code, 2);
  t.true(none.stderr.startsWith('usage: kvmesh COMMAND'));
  const unknown = await run(['frob']);
  t.is(unknown.code, 2);
  t.is(unknown.stderr, 'kvmesh unknown command "frob" (commands: start, check, route, bench)\nRun `kvmesh --help` for usage.\n');
  const option = await run(['check', '--bogus']);
  t.is(option.code, 2);
  t.regex(option.stderr, /^kvmesh check: Unknown option '--bogus'.*\nRun `kvmesh check --help` for usage.\n$/);
  const extra = await run(['check', 'extra']);
  t.is(extra.code, 2);
  t.regex(extra.stderr, /^kvmesh check: unexpected argument "extra"\n/);
});
