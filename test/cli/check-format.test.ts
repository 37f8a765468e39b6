/** `kvmesh check --format text|mermaid|dot|svg`: the picture on stdout, the warnings on stderr, a looping config drawn then refused. */
import test from 'ava';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KvError } from '../../src/index.js';
import { chain, guide, loop, readme } from '../viz/configs.js';
import { fixture } from '../helpers.js';
import { xmlProblems } from '../viz/xml.js';
import { checkIn, kvmesh } from './check-run.js';

let tmp: string;
test.before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'kvmesh-check-format-'));
});
test.after.always(() => rmSync(tmp, { recursive: true, force: true }));

function config(name: string, value: unknown): string {
  const path = join(tmp, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

const expectedSvg = (name: string): string => readFileSync(new URL(`../../../test/viz/expected/${name}.svg`, import.meta.url), 'utf8');
const uncovered = 'warning: bytes 0x00-`, {-0xff are covered by no table: buckets starting with them cannot be routed';

test('--format svg prints the SVG alone on stdout and the warnings on stderr; the binary exits 0', async (t) => {
  const file = config('guide.json', guide);
  const run = await checkIn(['-c', file, '--format', 'svg']);
  t.is(run.code, 0);
  t.is(`${run.out.join('\n')}\n`, expectedSvg('guide'));
  t.deepEqual(run.err, [uncovered]);
  const binary = await kvmesh(['check', '--format', 'svg', '-c', file], tmp);
  t.is(binary.code, 0, binary.stderr);
  t.is(binary.stdout, expectedSvg('guide'));
  t.deepEqual(xmlProblems(binary.stdout), []);
  t.is(binary.stderr, `${uncovered}\n`);
});

test('--format mermaid and dot print the flowchart and the digraph', async (t) => {
  const file = config('chain.json', chain);
  const mermaid = await checkIn(['-c', file, '--format', 'mermaid']);
  t.is(mermaid.code, 0);
  t.deepEqual(mermaid.out[0]?.split('\n').slice(0, 9), [
    '---',
    'title: "kvmesh: 3 nodes, hop limit 16"',
    '---',
    'flowchart LR',
    '  n0["foo<br/>storage only<br/>a-z → bar"]',
    '  n1["bar<br/>storage only<br/>a-z → baz"]',
    '  n2["baz<br/>storage only<br/>a-z → baz<br/>owns a-z"]',
    '  n0 -->|"a-z"| n1',
    '  n1 -->|"a-z"| n2',
  ]);
  const dot = await checkIn(['-c', file, '--format', 'dot']);
  t.is(dot.out.length, 1);
  t.true(dot.out[0]?.startsWith('digraph kvmesh {\n'));
  t.true(dot.out[0]?.includes('\n  "foo" -> "bar" [label="a-z"];\n  "bar" -> "baz" [label="a-z"];\n'));
});

test('--format text, or none, prints the topology as before', async (t) => {
  const file = config('text.json', guide);
  const text = [`${file}: valid`, '2 nodes (hop limit 16, timeout 5000 ms, max line 1048576 bytes):', '  foo: storage + server, serves 127.0.0.1:4040', '    routes [a-m → foo, n-z → bar]', '  bar: storage only', '    routes [a-m → foo, n-z → bar]', uncovered];
  t.deepEqual(await checkIn(['-c', file]), { code: 0, error: undefined, out: text, err: [] });
  t.deepEqual(await checkIn(['-c', file, '--format', 'text']), { code: 0, error: undefined, out: text, err: [] });
});

test('a config whose tables loop is drawn (the loop in red), then refused: exit 1; as text it is only refused', async (t) => {
  const file = config('loop.json', loop);
  const message = `${file}: invalid configuration (1 issue):\n  - routingTable: bytes a-m loop between nodes: bar → foo → bar`;
  const run = await checkIn(['-c', file, '--format', 'svg']);
  t.is((run.error as KvError | undefined)?.code, 'KV_ERR_BAD_CONFIG');
  t.is(run.error?.message, message);
  t.is(`${run.out.join('\n')}\n`, expectedSvg('loop'));
  const binary = await kvmesh(['check', '-c', file, '--format', 'svg'], tmp);
  t.is(binary.code, 1);
  t.is(binary.stdout, expectedSvg('loop'));
  t.is(binary.stderr, `${uncovered}\nkvmesh: ${message}\n`);
  const text = await kvmesh(['check', '-c', file], tmp);
  t.is(text.code, 1);
  t.is(text.stdout, '');
  t.is(text.stderr, `kvmesh: ${message}\n`);
});

test('a bad --format is a usage error (exit 2) naming the choices; the next check is served', async (t) => {
  const file = config('bad-format.json', guide);
  const { error, out } = await checkIn(['-c', file, '--format', 'png']);
  t.is(error?.name, 'UsageError');
  t.is(error?.message, '--format must be text, mermaid, dot or svg, not "png"');
  t.deepEqual(out, []);
  const binary = await kvmesh(['check', '-c', file, '--format', 'png'], tmp);
  t.is(binary.code, 2);
  t.is(binary.stdout, '');
  t.is(binary.stderr, 'kvmesh check: --format must be text, mermaid, dot or svg, not "png"\nRun `kvmesh check --help` for usage.\n');
  const empty = await checkIn(['-c', file, '--format', '']);
  t.is(empty.error?.message, '--format must be text, mermaid, dot or svg, not ""');
  const inherited = await checkIn(['-c', file, '--format', 'toString']);
  t.is(inherited.error?.message, '--format must be text, mermaid, dot or svg, not "toString"');
  t.deepEqual(inherited.out, []);
  t.is((await checkIn(['-c', file, '--format', 'dot'])).code, 0);
});

test('check --help documents the formats and the module loading', async (t) => {
  const help = await kvmesh(['check', '--help'], tmp);
  t.is(help.code, 0);
  t.true(help.stdout.startsWith('usage: kvmesh check [--config FILE] [--format text|mermaid|dot|svg]\n'), help.stdout);
  t.regex(help.stdout, /--format F {6}text \(the default\), mermaid \(a flowchart\), dot \(Graphviz\) or svg\n/);
  t.regex(help.stdout, /imports every module\n\(each in a thread of its own that check then ends, 10 s each\)/);
});

test("the README's Mermaid block is what check --format mermaid prints for its configuration example", async (t) => {
  const text = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const block = /### Pictures[^]*?```mermaid\n([^]*?)\n```/.exec(text)?.[1];
  const file = config('readme.json', readme());
  copyFileSync(fixture('hello.js'), join(tmp, 'hello.js'));
  const run = await checkIn(['-c', file, '--format', 'mermaid']);
  t.is(run.code, 0, run.error?.message);
  t.deepEqual(run.out, [block]);
});
