/**
 * What a report's time axis reads (src/scenario/timeline-series.ts): round bins over the run,
 * requests by outcome class per bin of completion and latency per bin of invocation, only the
 * workload's requests; the latency distribution in 10 bins a decade; and how long each fault
 * lasted: a partition to the next heal or clear, a link's settings to the next clear or link of
 * the same direction, else to the clearing at the end; a kill and a pause are instants.
 */
import test from 'ava';
import fc from 'fast-check';
import type { HistoryOp, Outcome } from '../../src/scenario/history.js';
import type { Fault } from '../../src/scenario/spec.js';
import { binWidth, faultSpans, latencyBins, overTime } from '../../src/scenario/timeline-series.js';
import type { FaultRecord } from '../../src/scenario/timeline-series.js';

const outcomes: Record<string, Outcome> = {
  ok: { type: 'ok' },
  refused: { type: 'fail', code: 'KV_ERR_NO_ROUTE', message: 'no route' },
  timeout: { type: 'info', code: 'KV_ERR_TIMEOUT', message: 'no reply' },
  nobucket: { type: 'nobucket' },
};

/** Requests as `[invoke, complete, outcome, phase?]`. */
function ops(lines: readonly (readonly [number, number, string, HistoryOp['phase']?])[]): HistoryOp[] {
  return lines.map(([invoke, complete, o, phase = 'run'], id) => ({ id, op: 'get', bucket: 'a', key: 'k0', via: 'foo', invoke, complete, outcome: outcomes[o], phase }));
}

test('bins are round whole ms, 1, 2, 2.5 or 5 × 10ⁿ, at most 120 over the run', (t) => {
  t.deepEqual([0, 0.5, 120, 121, 300, 3000.5, 10_000.1, 10_300, 60_000, 1e7].map(binWidth), [1, 1, 1, 2, 5, 50, 100, 100, 500, 100_000]);
  fc.assert(
    fc.property(fc.double({ min: 0, max: 1e9, noNaN: true }), (span) => {
      const w = binWidth(span);
      t.true(Number.isInteger(w) && w >= 1 && Math.ceil(span / w) <= 120 && (w === 1 || span / w >= 120 / 2.5), `${span}: ${w}`);
    }),
  );
});

test('per bin: the workload requests that completed in it by class, and the latency of those invoked in it', (t) => {
  const history = ops([
    [0, 0.01, 'ok', 'setup'],
    [10, 12, 'ok'],
    [20, 21, 'ok'],
    [30, 530, 'timeout'],
    [130, 131, 'refused'],
    [140, 150, 'nobucket'],
    [600, 601, 'ok', 'final'],
  ]);
  const o = overTime(history, 10, 610);
  t.is(o.binMs, 5);
  t.is(o.ok.length, 120);
  const at = (xs: readonly (number | null)[]): Record<number, number | null> => Object.fromEntries(xs.flatMap((n, i) => (n === 0 || n === null ? [] : [[i, n]])));
  t.deepEqual(at(o.ok), { 0: 1, 2: 1 }, 'the setup and final reads left out');
  t.deepEqual(at(o.info), { 104: 1 }, 'the timeout where it completed');
  t.deepEqual(at(o.failed), { 24: 1 });
  t.deepEqual(at(o.noBucket), { 28: 1 });
  t.deepEqual(at(o.p50Ms), { 0: 2, 2: 1, 4: 500, 24: 1, 26: 10 }, 'the timeout where it was invoked');
  t.deepEqual(at(o.p99Ms), at(o.p50Ms));
  t.is(o.p50Ms[1], null);
  const many = overTime(ops(Array.from({ length: 100 }, (_, i) => [1, 1 + i + 1, 'ok'] as const)), 0, 100);
  t.deepEqual([many.p50Ms[1], many.p99Ms[1]], [50, 99]);
  t.deepEqual(overTime([], 5, 5), { binMs: 1, ok: [0], failed: [0], info: [0], noBucket: [0], p50Ms: [null], p99Ms: [null] }, 'an empty run: one bin');
});

test('latency bins: 10 a decade from the first non-empty to the last, every workload request counted once', (t) => {
  const b = latencyBins(
    ops([
      [0, 0.03, 'ok'],
      [0, 0.031, 'ok'],
      [0, 2, 'timeout'],
      [0, 0, 'ok'],
      [5, 5.5, 'ok', 'final'],
    ]),
  );
  t.deepEqual(b.edgesMs.slice(0, 3), [0.001, 0.001259, 0.001585]);
  t.is(b.edgesMs.at(-1), 2.512);
  t.is(b.counts.length + 1, b.edgesMs.length);
  t.is(b.counts[0], 1, 'a 0 ms request in the first bin');
  t.is(
    b.counts.reduce((x, y) => x + y, 0),
    4,
  );
  const bin = (ms: number): number => b.edgesMs.findIndex((e, i) => e <= ms && ms < (b.edgesMs[i + 1] ?? Infinity));
  t.is(b.counts[bin(0.03)], 2);
  t.is(b.counts[bin(2)], 1);
  t.deepEqual(latencyBins([]), { edgesMs: [], counts: [] });
});

const f = (index: number, kind: string, rest: object = {}): Fault => ({ index, atMs: index * 100, kind, ...rest }) as Fault;
const rec = (index: number, what: string, at: number, done = at, error?: string): FaultRecord => ({ index, atMs: index * 100, what, at, done, ...(error === undefined ? {} : { error }) });

test('fault spans: a partition to the next heal or clear, a link to the next clear or link of its direction, else to the clearing', (t) => {
  const faults = [
    f(0, 'link', { from: 'foo', to: 'bar', settings: { delayMs: 3 } }),
    f(1, 'link', { from: 'bar', to: 'foo', settings: { delayMs: 3 } }),
    f(2, 'partition', { groups: [['foo'], ['bar']], oneWay: false }),
    f(3, 'kill', { node: 'bar' }),
    f(4, 'pause', { node: 'foo' }),
    f(5, 'resume', { node: 'foo' }),
    f(6, 'heal'),
    f(7, 'link', { from: 'foo', to: 'bar', settings: { drop: 0.5 } }),
    f(8, 'setRoutingTable', { node: 'foo', table: [] }),
    f(9, 'partition', { groups: [['foo'], ['bar']], oneWay: true }),
    f(10, 'clear'),
    f(11, 'partition', { groups: [['foo'], ['bar']], oneWay: false }),
  ];
  const records = [rec(0, 'a', 100), rec(1, 'b', 100), rec(2, 'c', 200), rec(3, 'd', 300, 301), rec(4, 'e', 400, 402), rec(5, 'f', 500, 501), rec(6, 'g', 600), rec(7, 'h', 700), rec(8, 'i', 800, 802.5), rec(9, 'j', 900), rec(10, 'k', 1000), rec(11, 'l', 1100)];
  t.deepEqual(
    faultSpans(faults, records, 5000).map((s) => [s.what, s.until]),
    [
      ['a', 700],
      ['b', 1000],
      ['c', 600],
      ['d', 300],
      ['e', 400],
      ['f', 501],
      ['g', 600],
      ['h', 1000],
      ['i', 802.5],
      ['j', 1000],
      ['k', 1000],
      ['l', 5000],
    ],
  );
});

test('fault spans: a failed fault lasts to its done and ends nothing; a heal at the same time as a partition ends it only if after it in the file', (t) => {
  const faults = [f(0, 'heal'), f(1, 'partition', { groups: [['foo'], ['bar']], oneWay: false }), f(2, 'heal'), f(3, 'partition', { groups: [['foo'], ['bar']], oneWay: false }), f(4, 'heal')];
  const records = [rec(0, 'heal first', 100), rec(1, 'p', 100), rec(2, 'failed heal', 200, 250, 'no'), rec(3, 'failed partition', 300, 310, 'refused'), rec(4, 'heal', 400)];
  t.deepEqual(
    faultSpans(faults, records, 900).map((s) => s.until),
    [100, 400, 250, 310, 400],
  );
  t.deepEqual(faultSpans([], [rec(0, 'unknown kind', 5, 6)], 9), [{ ...rec(0, 'unknown kind', 5, 6), until: 5 }]);
});
