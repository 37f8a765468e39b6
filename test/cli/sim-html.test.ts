/**
 * `kvmesh sim SCENARIO --html FILE` end to end through `main`: a scenario of scenarios/ writes
 * its page, and a real headless browser opens it from disk (test/browser.ts): every chart sized
 * and drawn, each fault and node event marked on both time charts, nothing fetched, the console
 * clean. The report's series add up to its requests. --html with --seeds and a path that cannot
 * be written are refused before anything runs (exit 2), and the next run is served; on worker
 * threads the page says the run was real time.
 */
import test from 'ava';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/command.js';
import type { ScenarioReport } from '../../src/scenario/report.js';
import { browserTest, render } from '../browser.js';
import { tempConfigs } from './temp.js';

const temp = tempConfigs('kvmesh-sim-html-');

async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l) };
  return { code: await main(['sim', ...argv], io), out, err };
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

browserTest('kvmesh sim --html: the page renders in headless chromium, every chart drawn, the faults on the time axis, nothing fetched', async (t) => {
  const html = join(temp.dir(), 'chain.html');
  const json = join(temp.dir(), 'chain.json');
  const { code, out, err } = await run(['scenarios/chain-middle-dies.json', '--html', html, '--json', json]);
  t.is(code, 0, err.join('\n'));
  t.true(out.includes('verdict: ok, every check holds'));
  const r = JSON.parse(readFileSync(json, 'utf8')) as ScenarioReport;
  const o = r.overTime;
  t.is(o.binMs, 100, 'about 8 s in bins of 100 ms');
  t.is(sum(o.ok) + sum(o.failed) + sum(o.info) + sum(o.noBucket), r.requests.total, 'every request of the workload in one bin');
  t.is(sum(o.ok), r.requests.byOutcome['ok'] ?? 0);
  t.is(sum(r.latencyBins.counts), r.requests.total);
  t.deepEqual(
    r.faults.map((f) => [f.what, f.until - f.at > 7000]),
    [
      ['link foo → bar delayMs=2', true],
      ['link baz → bar delayMs=2', true],
      ['kill bar', false],
    ],
    'the links last to the end of the workload, the kill is an instant',
  );
  const { url, seen, requests, problems } = await render(html);
  t.deepEqual(seen.headings, ['checks', 'over time', 'faults and nodes', 'requests by outcome', 'latency per op', 'load per node']);
  t.is(seen.tableRows, 4 + 6 + 3 + 4, 'the checks, 3 faults and 2 node events, 2 outcomes, 3 ops, each with its head');
  t.deepEqual(
    seen.charts.map((c) => c.kind),
    ['series', 'series', 'histogram', 'bars'],
  );
  for (const c of seen.charts) t.true(c.width >= 600 && c.height >= 280, JSON.stringify(c));
  const [rate, latency, histogram, load] = seen.charts;
  t.deepEqual([rate?.lines, rate?.points], [2, o.ok.length], 'ok and the one error class that happened, a point a bin');
  t.is(latency?.lines, 2);
  for (const c of [rate, latency]) {
    // Two link spans, the kill, bar down and up.
    t.is(c?.markers, 5, JSON.stringify(c));
    for (const l of ['link foo → bar delayMs=2', 'link baz → bar delayMs=2', 'kill bar', 'bar down', 'bar up']) t.true(c?.texts.includes(l), l);
  }
  t.true((histogram?.bars ?? 0) >= 2);
  t.is(load?.bars, 9, 'entered, owned and forwarded for each of 3 nodes');
  t.deepEqual(requests, [url], 'the page alone: no script, style, font or image fetched');
  t.deepEqual(problems, []);
});

test('--html is refused with --seeds, empty or where it cannot be written, before anything runs (exit 2); the next run is served', async (t) => {
  const file = temp.config('pass.json', { config: { routingTable: [{ range: 'a-z', node: 'foo' }], nodes: ['foo'] }, durationMs: 200, workload: { ratePerSec: 50, buckets: 1, keysPerBucket: 1 } });
  const hint = 'Run `kvmesh sim --help` for usage.';
  t.deepEqual(await run([file, '--seeds', '1..3', '--html', 'x.html']), { code: 2, out: [], err: ['kvmesh sim: --html draws one run: use it with --seed, not --seeds', hint] });
  t.deepEqual(await run([file, '--html', '']), { code: 2, out: [], err: ['kvmesh sim: --html must name a file, received ""', hint] });
  const missing = join(temp.dir(), 'no-such-folder', 'out.html');
  t.deepEqual(await run([file, '--html', missing]), { code: 2, out: [], err: [`kvmesh sim: --html ${JSON.stringify(missing)}: cannot write the page there: its folder ${JSON.stringify(join(temp.dir(), 'no-such-folder'))} does not exist`] });
  const folder = join(temp.dir(), 'a-folder');
  mkdirSync(folder);
  t.deepEqual(await run([file, '--json', folder]), { code: 2, out: [], err: [`kvmesh sim: --json ${JSON.stringify(folder)}: cannot write the report there: it is a folder`] });
  const html = join(temp.dir(), 'one.html');
  const ok = await run([file, '--seed', '4', '--html', html]);
  t.is(ok.code, 0, ok.err.join('\n'));
  t.true(readFileSync(html, 'utf8').includes('<dt>replay</dt><dd>kvmesh sim'));
});

test('--html on worker threads: one real-time run, its page says so', async (t) => {
  const file = temp.config('threads.json', {
    config: {
      routingTable: [
        { range: 'a-m', node: 'foo' },
        { range: 'n-z', node: 'bar' },
      ],
      nodes: ['foo', 'bar'],
      timeout: 200,
    },
    durationMs: 300,
    workload: { ratePerSec: 50, buckets: 2, keysPerBucket: 1 },
    faults: [
      { atMs: 100, partition: [['foo'], ['bar']] },
      { atMs: 200, heal: true },
    ],
  });
  const html = join(temp.dir(), 'threads.html');
  const { code, err } = await run([file, '--host', 'threads', '--html', html]);
  t.is(code, 0, err.join('\n'));
  t.true(existsSync(html));
  const page = readFileSync(html, 'utf8');
  t.true(page.includes('<dt>host</dt><dd>worker threads (real time)</dd>') && page.includes('<dt>deterministic</dt><dd>no (real time replays nothing)</dd>'));
  t.regex(page, /<rect class="marker" x="[\d.]+" y="44" width="[\d.]+"/, 'the partition a span until the heal');
  t.true(page.includes('>partition foo | bar</text>') && page.includes('>heal</text>'));
});
