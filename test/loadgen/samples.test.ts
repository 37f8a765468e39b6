/** The samples behind `kvmesh bench --html`: latency bins, ops per interval, merging, and what the JSON keeps of them (pure). */
import test from 'ava';
import fc from 'fast-check';
import { addSamples, latencyBins, newSamples, recordSample, throughput } from '../../src/loadgen/samples.js';

test('intervals: 100 ms each, at most 300 of them, at least one', (t) => {
  t.like(newSamples(5000), { intervalMs: 100 });
  t.is(newSamples(5000).ops.length, 50);
  t.is(newSamples(3_600_000).ops.length, 300);
  t.is(newSamples(3_600_000).intervalMs, 12_000);
  t.is(newSamples(30).ops.length, 1);
  t.is(newSamples(30).intervalMs, 30);
});

test('a call lands in the bin of its latency (10 a decade) and the interval it finished in; late calls count in the last interval', (t) => {
  const s = newSamples(1000);
  recordSample(s, 1, 0, 1); // 1 ms = 10^6 ns: bin 60
  recordSample(s, 0.0505, 150, 16); // 50.5 µs = 10^4.70 ns: bin 47
  recordSample(s, 0.0000001, 999, 1); // below 1 ns: bin 0
  recordSample(s, 2, 1040, 1); // in flight at the deadline
  t.deepEqual(s.ops.slice(0, 2), [1, 16]);
  t.is(s.ops[9], 2);
  const bins = latencyBins(s);
  t.is(bins.edgesUs[0], 0.001);
  t.is(bins.counts.length + 1, bins.edgesUs.length);
  t.is(bins.counts[47], 1);
  t.is(bins.counts[60], 1);
  t.is(bins.counts[63], 1); // 2 ms = 10^6.30 ns
  t.is(bins.edgesUs[60], 1000);
  t.is(bins.edgesUs[bins.edgesUs.length - 1], 2512);
  t.deepEqual(throughput(s), { intervalMs: 100, opsPerSec: [10, 160, 0, 0, 0, 0, 0, 0, 0, 20] });
});

test('no calls: no bins; samples merge by adding, bin by bin and interval by interval', (t) => {
  t.deepEqual(latencyBins(newSamples(500)), { edgesUs: [], counts: [] });
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.double({ min: 0.001, max: 10_000, noNaN: true }), fc.double({ min: 0, max: 600, noNaN: true }), fc.integer({ min: 1, max: 64 })), { maxLength: 40 }), fc.integer({ min: 0, max: 40 }), (calls, cut) => {
      const all = newSamples(500);
      const [a, b] = [newSamples(500), newSamples(500)];
      calls.forEach(([ms, at, ops], i) => {
        recordSample(all, ms, at, ops);
        recordSample(i < cut ? a : b, ms, at, ops);
      });
      addSamples(a, b);
      t.deepEqual(a, all);
      t.is(
        all.ops.reduce((x, y) => x + y, 0),
        calls.reduce((x, [, , ops]) => x + ops, 0),
      );
      t.is(
        latencyBins(all).counts.reduce((x, y) => x + y, 0),
        calls.length,
      );
    }),
  );
});
