/** The built `kvmesh` binary as a child process: signals, exit codes, a pseudo-terminal, and netcat. The rest runs in-process (main.test.ts). */
import test from 'ava';
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { TestClient } from '../server/client.js';
import { start } from '../../src/cli/start.js';
import { guide, tempConfigs } from './temp.js';

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
  child.stdout.on('data', (d: Buffer) => (output.stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output.stderr += d.toString()));
  return { child, output };
}

/** The port of the `listening: node NODE on 127.0.0.1:PORT` line, once printed. */
function listening(child: ChildProcess, output: { stdout: string; stderr: string }, node: string): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line; stdout ${JSON.stringify(output.stdout)} stderr ${JSON.stringify(output.stderr)}`)), DEADLINE_MS);
    child.stdout?.on('data', () => {
      const m = new RegExp(`^listening: node ${node} on 127\\.0\\.0\\.1:(\\d+)$`, 'm').exec(output.stdout);
      if (m !== null) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
  });
}

/** Runs `kvmesh ...args` to completion. */
function run(args: string[], cwd = temp.dir()): Promise<Outcome> {
  const { child, output } = launch(args, cwd);
  return exited(child, output);
}

/** What `sh -c command` prints on stdout; rejects if it fails or takes more than 5 s. */
function shell(command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('sh', ['-c', command], { timeout: 5000 }, (error, stdout, stderr) => (error === null ? resolve(stdout) : reject(new Error(`${command}: ${error.message} ${stderr}`))));
  });
}

const temp = tempConfigs('kvmesh-cli-');
const config = temp.config;

test('start serves on its port, prints the topology, and exits 0 on SIGTERM', async (t) => {
  const file = config('start.json', guide);
  const { child, output } = launch(['start', '--config', file], temp.dir());
  const done = exited(child, output);
  t.teardown(() => child.kill('SIGKILL'));
  const port = await listening(child, output, 'foo');
  const s = await TestClient.connect(port);
  t.teardown(() => s.destroy());
  t.is(await s.request('CREATE shopping\r\nPUT shopping milk 1\r\nGET shopping milk\r\nCREATE apple\r\nGET apple x\r\n', 7), 'OK\r\nOK\r\n1\r\nOK\r\nOK\r\n\r\nOK\r\n');
  // The example of `start --help`, as a shell runs it, with Debian's netcat (.ci/run installs netcat-openbsd).
  const example = /^ {2}(printf .*\| nc .*) 4040 /m.exec(start.help)?.[1];
  if (example === undefined) return t.fail(`no nc example in start --help:\n${start.help}`);
  t.is(await shell(`${example} ${port}`), 'OK\r\n', example);
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

test('start --record FILE writes the traffic that entered (TCP included) when it closes; kvmesh plan replays it', async (t) => {
  const file = config('record.json', guide);
  const log = join(temp.dir(), 'traffic.json');
  const { child, output } = launch(['start', '--config', file, '--record', log], temp.dir());
  const done = exited(child, output);
  t.teardown(() => child.kill('SIGKILL'));
  const s = await TestClient.connect(await listening(child, output, 'foo'));
  t.teardown(() => s.destroy());
  t.is(await s.request('CREATE zebra\r\nPUT zebra stripes 2\r\nGET zebra stripes\r\n', 4), 'OK\r\nOK\r\n2\r\nOK\r\n');
  child.kill('SIGTERM');
  const outcome = await done;
  t.is(outcome.code, 0, outcome.stderr);
  t.regex(outcome.stdout, new RegExp(`kvmesh: SIGTERM, closing\nkvmesh: recorded 3 requests to ${log.replaceAll('/', '\\/')}\nkvmesh: closed\n$`));
  const traffic = JSON.parse(readFileSync(log, 'utf8')) as { nodes: string[]; records: unknown[][] };
  t.deepEqual(traffic.nodes, ['foo', 'bar']);
  t.deepEqual(
    traffic.records.map((r) => [r[1], r[2], r[3], r[5], r[6]]),
    [
      [0, 'c', 'zebra', 0, 0],
      [0, 'p', 'zebra', 7, 1],
      [0, 'g', 'zebra', 7, 0],
    ],
  );
  const plan = await run(['plan', '-c', file, '--to', config('swap.json', { ...guide, routingTable: [{ range: 'a-z', node: 'foo' }] }), '--traffic', log]);
  t.is(plan.code, 0, plan.stderr);
  t.regex(plan.stdout, /buckets that move \(as the recorded writes left them\): 1 of 1, 1 key, 8 B\n {2}"zebra": bar → foo, 1 key, 8 B\ntraffic \(3 recorded ops\): hops per op 1\.00 → 0\.00\n/);
});

test('start with a server-only front end and storage-only nodes; SIGINT exits 0', async (t) => {
  const file = config('roles.json', {
    routingTable: [
      { range: 'a-m', node: 'left' },
      { range: 'n-z', node: 'right' },
    ],
    nodes: { front: { port: 0, storage: false }, left: {}, right: {} },
  });
  const { child, output } = launch(['start', '-c', file], temp.dir());
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
    const { child, output } = launch(['start', '--config', file], temp.dir());
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
  const { child, output } = launch(['start', '-c', file], temp.dir(), { KVMESH_TEST_HOLD_PORT: String((hold.address() as { port: number }).port) });
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
  const dir = mkdtempSync(join(temp.dir(), 'busy-'));
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

test('the exit codes of the binary: 0 for --version, 1 for a bad config, 2 for a bad command line; one message, no stack trace', async (t) => {
  const version = await run(['--version']);
  t.deepEqual([version.code, version.stderr], [0, '']);
  t.regex(version.stdout, /^kvmesh \d+\.\d+\.\d+\n$/);
  const bad = config('bad.json', { nodes: { foo: { port: 'x' } } });
  t.deepEqual(await run(['check', '-c', bad]), { code: 1, signal: null, stdout: '', stderr: `kvmesh: ${bad}: invalid configuration (1 issue):\n  - nodes.foo.port: expected an integer from 0 to 65535 but received "x"\n` });
  t.deepEqual(await run(['frob']), { code: 2, signal: null, stdout: '', stderr: 'kvmesh: unknown command "frob" (commands: start, check, route, plan, bench, sim)\nRun `kvmesh --help` for usage.\n' });
  t.deepEqual(await run(['bench', '--inflight', '0', '--keys', 'x']), {
    code: 2,
    signal: null,
    stdout: '',
    stderr: 'kvmesh bench: --inflight must be a whole number from 1 to 100000, received "0"\nkvmesh bench: --keys must be a whole number from 1 to 10000000, received "x"\nRun `kvmesh bench --help` for usage.\n',
  });
});

test('on a terminal (a pty), kvmesh bench shows each stage and a bar per stage on stderr, then the table', async (t) => {
  const file = config('pty.json', guide);
  // script(1) runs the binary on a pseudo-terminal and copies what it shows; -e passes the exit code on.
  const child = spawn('script', ['-qec', `${process.execPath} ${CLI} bench -c ${file} --duration 0.3 --warmup 0.2 --keys 20 --inflight 4`, '/dev/null'], { cwd: temp.dir(), stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (d: Buffer) => (output.stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output.stderr += d.toString()));
  t.teardown(() => child.kill('SIGKILL'));
  const outcome = await exited(child, output);
  t.is(outcome.code, 0, outcome.stdout + outcome.stderr);
  // The terminal shows the last drawing of each line (the pty turns \n into \r\n).
  const lines = outcome.stdout.split('\r\n').map((l) => l.slice(l.lastIndexOf('\r') + 1));
  const bar = (label: string) => `${label} [${'#'.repeat(30)}] 100%`;
  t.deepEqual(lines.slice(0, 4), ['starting 2 nodes (no TCP servers)', bar('preloading 20 keys into each of 8 buckets'), bar('mixed, single ops, 4 in flight: warm-up 0.2 s'), bar('mixed, single ops, 4 in flight: 0.3 s counted')]);
  t.regex(lines[4] ?? '', /^scenario +ops\/s +p50 µs/);
  t.regex(lines[5] ?? '', /^mixed, single ops, 4 in flight +[\d.]+k? +[\d.]+ /);
  t.deepEqual(lines.slice(6), ['each scenario: a 0.2 s warm-up (not counted), then 0.3 s counted; latency per call (one op or one batch)', '']);
  // The preload bar was redrawn in place as each bucket filled.
  t.deepEqual(
    [...outcome.stdout.matchAll(/\rpreloading [^\r]* +(\d+)%/g)].map((m) => Number(m[1])),
    [0, 13, 25, 38, 50, 63, 75, 88, 100],
  );
});
