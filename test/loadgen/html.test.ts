/**
 * `kvmesh bench --html FILE` end to end: a real bench (worker threads) writes the page, and a real
 * headless browser (Debian's chromium, driven by playwright-core) opens it from disk: every chart
 * is there with a size, the histograms have bars and the series a line, nothing is fetched, and
 * the console stays clean. Without chromium this is skipped, except under CI (.ci/run installs it).
 */
import test from 'ava';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/command.js';
import type { BenchDocument } from '../../src/loadgen/report.js';
import { browserTest, render } from '../browser.js';

const dir = mkdtempSync(join(tmpdir(), 'kvmesh-html-'));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

async function bench(args: string[]): Promise<{ code: number; err: string[] }> {
  const err: string[] = [];
  const io: Io = { out: () => undefined, err: (l) => err.push(l) };
  return { code: await main(['bench', ...args], io), err };
}

const config = join(dir, 'kvrc.json');
writeFileSync(
  config,
  JSON.stringify({
    routingTable: [
      { range: 'a-m', node: 'foo' },
      { range: 'n-z', node: 'bar' },
    ],
    nodes: { foo: {}, bar: {}, front: { storage: false } },
  }),
);

browserTest('the --html page renders in headless chromium: every chart sized and drawn, nothing fetched, no console error', async (t) => {
  const html = join(dir, 'bench.html');
  const json = join(dir, 'bench.json');
  const { code, err } = await bench(['--config', config, '--duration', '0.5', '--warmup', '0', '--inflight', '8', '--batch', '8', '--keys', '20', '--html', html, '--json', json]);
  t.is(code, 0, err.join('\n'));
  const doc = JSON.parse(readFileSync(json, 'utf8')) as BenchDocument;
  for (const s of doc.scenarios) {
    t.is(
      s.latencyBins.counts.reduce((a, b) => a + b, 0),
      s.latency.count,
      'every call in a bin',
    );
    t.is(s.throughput.opsPerSec.length, 5, '100 ms intervals over 0.5 s');
    t.deepEqual(
      s.perNode.map((n) => n.node),
      ['foo', 'bar', 'front'],
    );
    t.is(Number((s.perNode.reduce((a, n) => a + n.forwarded, 0) / s.ops).toFixed(3)), s.hopsPerOp);
  }
  const { url, seen, requests, problems } = await render(html);
  t.deepEqual(seen.headings, ['scenarios', ...doc.scenarios.map((s) => s.scenario)]);
  t.is(seen.tableRows, 1 + doc.scenarios.length);
  t.deepEqual(
    seen.charts.map((c) => c.kind),
    ['bars', 'histogram', 'series', 'bars', 'histogram', 'series', 'bars'],
  );
  for (const c of seen.charts) {
    t.true(c.width >= 600 && c.height >= 280, JSON.stringify(c));
    if (c.kind === 'series') t.true(c.lines === 1 && c.points === 5, JSON.stringify(c));
    else t.true(c.bars > 0, JSON.stringify(c));
  }
  t.deepEqual(requests, [url], 'the page alone: no script, style, font or image fetched');
  t.deepEqual(problems, []);
});

test('--html must name a file it can write, checked before anything starts', async (t) => {
  t.deepEqual(await bench(['--html', '']), { code: 2, err: ['kvmesh bench: --html must name a file, received ""', 'Run `kvmesh bench --help` for usage.'] });
  const missing = join(dir, 'no-such-folder', 'out.html');
  t.deepEqual(await bench(['--html', missing]), { code: 1, err: [`kvmesh: --html ${JSON.stringify(missing)}: cannot write the page there: its folder ${JSON.stringify(join(dir, 'no-such-folder'))} does not exist`] });
  t.is((await bench(['--config', config, '--duration', '0.1', '--warmup', '0', '--keys', '1'])).code, 0, 'the next run works');
});
