/** The generic charts (src/viz/charts.ts, axes.ts): well-formed SVG with the elements their data asks for, inside the plot, never NaN. */
import test from 'ava';
import fc from 'fast-check';
import { PLOT, decades, logTicks, niceTicks } from '../../src/viz/axes.js';
import { barChartSvg, histogramSvg, timeSeriesSvg } from '../../src/viz/charts.js';
import { short } from '../../src/viz/markup.js';
import { xmlProblems } from './xml.js';

const count = (svg: string, re: RegExp): number => [...svg.matchAll(re)].length;
const attrs = (svg: string, cls: string, name: string): number[] => [...svg.matchAll(new RegExp(`class="${cls}"[^>]*? ${name}="([-\\d.]+)"`, 'g'))].map((m) => Number(m[1]));

test('round ticks: steps of 1, 2 or 5 × 10ⁿ that cover the range, ascending', (t) => {
  t.deepEqual(niceTicks(0, 100), [0, 20, 40, 60, 80, 100]);
  t.deepEqual(niceTicks(0, 0.3), [0, 0.1, 0.2, 0.3]);
  t.deepEqual(niceTicks(0, 0.25), [0, 0.05, 0.1, 0.15, 0.2, 0.25]);
  t.deepEqual(niceTicks(0, 0), [0, 1]);
  t.deepEqual(niceTicks(5, 5), [0, 1, 2, 3, 4, 5]);
  fc.assert(
    fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.double({ min: 1e-6, max: 1e9, noNaN: true }), (min, span) => {
      const ticks = niceTicks(min, min + span);
      t.true(ticks.length >= 2 && ticks.length <= 12, String(ticks));
      t.true((ticks[0] ?? NaN) <= min && (ticks[ticks.length - 1] ?? NaN) >= min + span * (1 - 1e-9), String(ticks));
      for (let i = 1; i < ticks.length; i++) t.true((ticks[i] ?? 0) > (ticks[i - 1] ?? 0));
    }),
  );
});

test('log axes span whole decades; their ticks are the powers of ten (and 2×, 5× over two decades or less)', (t) => {
  t.deepEqual(decades(23, 7100), [10, 10_000]);
  t.deepEqual(decades(100, 100), [100, 1000]);
  t.deepEqual(logTicks(10, 10_000), [10, 100, 1000, 10_000]);
  t.deepEqual(logTicks(100, 10_000), [100, 200, 500, 1000, 2000, 5000, 10_000]);
});

test('figures for people: 3 significant figures, k and M', (t) => {
  t.deepEqual([0, 0.256, 56.31, 345.9, 1234, 12_345, 364_624, 1_500_000, NaN].map(short), ['0', '0.256', '56.3', '346', '1234', '12.3k', '365k', '1.5M', 'n/a']);
});

test('a histogram: one bar per non-empty bin, in order inside the plot, percentile markers, escaped text', (t) => {
  const bins = [
    { from: 10, to: 12.59, count: 3 },
    { from: 12.59, to: 15.85, count: 0 },
    { from: 15.85, to: 19.95, count: 40 },
    { from: 19.95, to: 25.12, count: 7 },
  ];
  const svg = histogramSvg({
    title: 'latency <of> "calls" & more',
    xLabel: 'µs',
    yLabel: 'calls',
    bins,
    logX: true,
    markers: [
      { at: 17, label: 'p50 17 µs' },
      { at: -1, label: 'not on a log axis' },
    ],
  });
  t.deepEqual(xmlProblems(svg), []);
  t.regex(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="chart" data-chart="histogram" role="img" width="640" height="300"/);
  t.true(svg.includes('<title>latency &#60;of&#62; &#34;calls&#34; &#38; more</title>'));
  t.is(count(svg, /<rect class="bar"/g), 3);
  const xs = attrs(svg, 'bar', 'x');
  t.deepEqual(
    [...xs].sort((a, b) => a - b),
    xs,
  );
  t.true(xs.every((x) => x >= PLOT.x0 && x <= PLOT.x1));
  t.true(attrs(svg, 'bar', 'height').every((h) => h > 0));
  t.is(count(svg, /<line class="marker"/g), 1);
  t.true(svg.includes('>p50 17 µs</text>'));
  t.false(/NaN|Infinity/.test(svg));
});

test('time series: a line per series, instants as lines and spans as shaded rects, faults in red', (t) => {
  const svg = timeSeriesSvg({
    title: 'ops/s',
    xLabel: 's',
    yLabel: 'ops/s',
    series: [
      {
        name: 'foo',
        points: [
          [0, 10],
          [1, 30],
          [2, NaN],
          [3, 20],
        ],
      },
      { name: 'bar', points: [[0.5, 5]] },
    ],
    markers: [
      { at: 1.5, label: 'kill bar', tone: 'fault' },
      { at: 2, until: 2.5, label: 'partition', tone: 'fault' },
      { at: 0.2, label: 'start' },
    ],
  });
  t.deepEqual(xmlProblems(svg), []);
  t.true(svg.includes('data-chart="series"'));
  const paths = [...svg.matchAll(/<path class="line" d="([^"]*)"/g)].map((m) => m[1] ?? '');
  t.deepEqual(
    paths.map((d) => count(d, /[ML]/g)),
    [3, 1],
  );
  t.is(count(svg, /<circle /g), 1, 'a lone point is drawn as a dot');
  t.is(count(svg, /<line class="marker"[^>]*stroke="#dc2626"/g), 1);
  t.is(count(svg, /<rect class="marker"[^>]*fill="#dc2626"/g), 1);
  t.is(count(svg, /<line class="marker"/g), 2);
  t.true(svg.includes('>foo</text>') && svg.includes('>bar</text>'), 'two series: a legend');
  t.false(/NaN|Infinity/.test(svg));
});

test('time series: a given x range is the axis exactly (points outside left out), a series may bring its colour', (t) => {
  const svg = timeSeriesSvg({
    title: 't',
    xLabel: 'ms',
    yLabel: 'n',
    xRange: [0, 10_200],
    series: [
      {
        name: 'a',
        points: [
          [0, 1],
          [5000, 2],
          [10_200, 3],
          [10_300, 4],
        ],
        color: '#123456',
      },
      {
        name: 'b',
        points: [
          [-1, 1],
          [100, 1],
        ],
      },
    ],
  });
  t.deepEqual(xmlProblems(svg), []);
  const ticks = [...svg.matchAll(/<text x="[\d.]+" y="264" text-anchor="middle">([^<]*)<\/text>/g)].map((m) => m[1]);
  t.deepEqual(ticks, ['0', '2000', '4000', '6000', '8000', '10k'], 'round ticks inside the range only');
  const [a, b] = [...svg.matchAll(/<path class="line" d="([^"]*)" fill="none" stroke="([^"]*)"/g)].map((m) => [m[1] ?? '', m[2]]);
  t.deepEqual([count(a?.[0] ?? '', /[ML]/g), a?.[1]], [3, '#123456']);
  t.true((a?.[0] ?? '').endsWith(`L${PLOT.x1},${PLOT.y0}`), 'the end of the range at the right edge of the plot');
  t.deepEqual([count(b?.[0] ?? '', /[ML]/g), b?.[1]], [1, '#16a34a'], 'the second colour of the palette');
  for (const bad of [
    [5, 5],
    [NaN, 1],
    [3, 1],
  ] as const)
    t.true(
      timeSeriesSvg({
        title: 't',
        xLabel: '',
        yLabel: '',
        xRange: bad,
        series: [
          {
            name: 'a',
            points: [
              [0, 1],
              [1, 2],
            ],
          },
        ],
      }).includes(`>0</text>`),
      'an empty or broken range is ignored',
    );
});

test('marker labels go in rows: the first free one from the top, so that neighbours do not overlap', (t) => {
  const markers = [
    { at: 0, label: 'link foo → bar delayMs=2' },
    { at: 0, label: 'link baz → bar delayMs=2' },
    { at: 1, label: 'kill bar' },
    { at: 30, label: 'bar down' },
    { at: 100, label: 'heal' },
  ];
  const svg = timeSeriesSvg({
    title: 't',
    xLabel: '',
    yLabel: '',
    series: [
      {
        name: 'a',
        points: [
          [0, 1],
          [100, 2],
        ],
      },
    ],
    markers,
  });
  const rows = [...svg.matchAll(/<text x="[\d.]+" y="([\d.]+)" text-anchor="(?:start|end)" fill/g)].map((m) => (Number(m[1]) - PLOT.y0 - 12) / 12);
  // The two links take rows 0 and 1; the kill, a few px right of them, row 2; "bar down" at 30 % clears them; "heal" at the right end, its label to its left.
  t.deepEqual(rows, [0, 1, 2, 0, 0]);
  const crowded = timeSeriesSvg({
    title: 't',
    xLabel: '',
    yLabel: '',
    series: [
      {
        name: 'a',
        points: [
          [0, 1],
          [1, 2],
        ],
      },
    ],
    markers: Array.from({ length: 8 }, (_, i) => ({ at: 0, label: `fault ${i}` })),
  });
  t.true(
    [...crowded.matchAll(/<text x="[\d.]+" y="([\d.]+)" text-anchor="start" fill/g)].every((m) => Number(m[1]) <= PLOT.y0 + 12 + 4 * 12),
    'at most 5 rows',
  );
});

test('grouped bars: one per category and series with its value, long names cut; no data says so', (t) => {
  const svg = barChartSvg({
    title: 'load',
    xLabel: 'node',
    yLabel: '/s',
    categories: ['foo', 'a-very-long-node-name-that-cannot-fit-under-its-group-of-bars-at-all', 'baz'],
    series: [
      { name: 'requests', values: [10, 20, 0] },
      { name: 'forwards', values: [5, NaN, 1] },
    ],
  });
  t.deepEqual(xmlProblems(svg), []);
  t.is(count(svg, /<rect class="bar"/g), 5);
  t.true(svg.includes('>20</text>'));
  t.true(svg.includes('…</text>'));
  t.true(attrs(svg, 'bar', 'y').every((y) => y >= PLOT.y0 && y <= PLOT.y1));
  for (const empty of [barChartSvg({ title: 'e', xLabel: '', yLabel: '', categories: [], series: [] }), histogramSvg({ title: 'e', xLabel: '', yLabel: '', bins: [] }), timeSeriesSvg({ title: 'e', xLabel: '', yLabel: '', series: [{ name: 'x', points: [] }] })]) {
    t.deepEqual(xmlProblems(empty), []);
    t.true(empty.includes('>no data</text>'));
  }
});

test('any data, finite or not, gives well-formed SVG with no NaN in it', (t) => {
  const value = fc.oneof(fc.double(), fc.integer({ min: 0, max: 1e6 }));
  fc.assert(
    fc.property(fc.array(fc.tuple(value, value), { maxLength: 30 }), fc.array(value, { maxLength: 8 }), fc.array(fc.record({ at: value, label: fc.string() }), { maxLength: 4 }), (pairs, values, markers) => {
      const bins = pairs.map(([a, b], i) => ({ from: Math.abs(a), to: Math.abs(a) + Math.abs(b), count: i }));
      for (const svg of [
        histogramSvg({ title: 't', xLabel: 'x', yLabel: 'y', bins, logX: true, markers }),
        histogramSvg({ title: 't', xLabel: 'x', yLabel: 'y', bins }),
        timeSeriesSvg({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', points: [...pairs].sort((p, q) => p[0] - q[0]) }], markers }),
        barChartSvg({ title: 't', xLabel: 'x', yLabel: 'y', categories: values.map((_, i) => `c${i}`), series: [{ name: 's', values }] }),
      ]) {
        t.deepEqual(xmlProblems(svg), []);
        t.false(/NaN|Infinity/.test(svg), svg);
      }
    }),
    { numRuns: 200 },
  );
});
