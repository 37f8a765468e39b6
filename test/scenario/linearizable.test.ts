/**
 * The linearizable check on hand-made histories: what must pass (concurrent writes read either
 * way, a timed-out write applied late or never, a crash losing the bucket), what must be flagged
 * (a stale read, new-then-old, a value never written), the witness it gives, and the budget.
 * Properties: a history run one request at a time on the model is linearizable, and stays so
 * when its intervals are widened; a read changed to a value nobody wrote is flagged.
 */
import test from 'ava';
import fc from 'fast-check';
import { checkLinearizable } from '../../src/scenario/linearizable.js';
import { Routes } from '../../src/scenario/history.js';
import type { HistoryOp, Timeline } from '../../src/scenario/history.js';
import { linearizable } from '../../src/scenario/wgl.js';
import { kvModel } from '../../src/scenario/kv-model.js';
import { history, timeline } from './histories.js';
import type { Line } from './histories.js';

const create: Line = ['create', 'apple', null, 0, 1, 'ok'];
const check = (lines: readonly Line[], t: Timeline = timeline(), budget = 100_000) => checkLinearizable(history(lines), t, new Routes(t), ['foo', 'bar'], budget);

test('sequential writes and reads of the last value are linearizable', (t) => {
  const r = check([create, ['put', 'apple/k', '1', 2, 3, 'ok'], ['get', 'apple/k', null, 4, 5, '1'], ['delete', 'apple/k', null, 6, 7, '1'], ['get', 'apple/k', null, 8, 9, 'nil']]);
  t.is(r.verdict, 'ok');
  t.is(r.summary, '1 keys, 5 operations: linearizable');
  t.is(r.keys, 1);
});

test('a read concurrent with a write may see it or not', (t) => {
  for (const seen of ['nil', '1']) t.is(check([create, ['put', 'apple/k', '1', 2, 10, 'ok'], ['get', 'apple/k', null, 3, 4, seen]]).verdict, 'ok', seen);
});

test('a stale read after an acknowledged write is flagged, with the three operations that show it', (t) => {
  const r = check([create, ['get', 'apple/j', null, 1.5, 1.6, 'nil'], ['put', 'apple/k', '1', 2, 3, 'ok'], ['get', 'apple/k', null, 4, 5, 'nil']]);
  t.is(r.verdict, 'violation');
  t.is(r.summary, '1 of 2 keys not linearizable; the first, apple/k, in 3 operations');
  t.deepEqual(r.witness?.lines, ['#0 create apple via foo [0, 1] ok', '#2 put apple/k = 1 via foo [2, 3] ok', '#3 get apple/k via foo [4, 5] ok nil']);
  t.deepEqual(r.witness?.ids, [0, 2, 3]);
});

test('reading the new value, then the old one, is flagged even while the write is in flight', (t) => {
  const r = check([create, ['put', 'apple/k', '1', 2, 3, 'ok'], ['put', 'apple/k', '2', 4, 20, 'ok'], ['get', 'apple/k', null, 5, 6, '2'], ['get', 'apple/k', null, 7, 8, '1']]);
  t.is(r.verdict, 'violation');
  t.is(r.witness?.lines.length, 5);
});

test('a timed-out write may apply late, or never; but not after it was seen overwritten', (t) => {
  const put1: Line = ['put', 'apple/k', '1', 2, 3, 'ok'];
  const lost: Line = ['put', 'apple/k', '2', 4, 5, 'timeout'];
  t.is(check([create, put1, lost, ['get', 'apple/k', null, 100, 101, '2']]).verdict, 'ok');
  t.is(check([create, put1, lost, ['get', 'apple/k', null, 100, 101, '1']]).verdict, 'ok');
  t.is(check([create, put1, lost, ['get', 'apple/k', null, 100, 101, '2'], ['get', 'apple/k', null, 102, 103, '1']]).verdict, 'violation');
});

test('a refused request did nothing: a value only it wrote is flagged', (t) => {
  t.is(check([create, ['put', 'apple/k', '9', 2, 3, 'refused'], ['get', 'apple/k', null, 4, 5, '9']]).verdict, 'violation');
});

test('a crash of the node holding the bucket loses it; without the crash, no bucket is flagged', (t) => {
  const lines: Line[] = [create, ['put', 'apple/k', '1', 2, 3, 'ok'], ['get', 'apple/k', null, 6, 7, 'nobucket'], ['create', 'apple', null, 8, 9, 'ok'], ['get', 'apple/k', null, 10, 11, 'nil']];
  t.is(check(lines, timeline(undefined, [{ node: 'foo', t: 5, reason: 'killed' }])).verdict, 'ok');
  // bar died, not foo, which holds apple.
  const r = check(lines, timeline(undefined, [{ node: 'bar', t: 5, reason: 'killed' }]));
  t.is(r.verdict, 'violation');
  // The put nobody read back is not needed to show it: the bucket was created, then missing.
  t.deepEqual(r.witness?.lines, ['#0 create apple via foo [0, 1] ok', '#2 get apple/k via foo [6, 7] KV_ERR_NO_BUCKET']);
});

test('a put acknowledged on a bucket that was never created is flagged', (t) => {
  t.is(check([['put', 'apple/k', '1', 2, 3, 'ok']]).verdict, 'violation');
  t.is(check([['put', 'apple/k', '1', 2, 3, 'nobucket']]).verdict, 'ok');
});

test('the witness leaves out what it does not need: other reads, unread writes, what came after', (t) => {
  const lines: Line[] = [create];
  for (let i = 0; i < 30; i++) lines.push(['put', 'apple/k', `w${i}`, 10 * i + 2, 10 * i + 3, 'ok'], ['get', 'apple/k', null, 10 * i + 4, 10 * i + 5, `w${i}`]);
  lines.push(['get', 'apple/k', null, 400, 401, 'w3'], ['put', 'apple/k', 'x', 402, 403, 'ok'], ['get', 'apple/k', null, 404, 405, 'x']);
  const r = check(lines);
  t.is(r.verdict, 'violation');
  // The create, the write read back late, one write surely after it (any of them shows it), the late read.
  const w = r.witness?.lines ?? [];
  t.is(w.length, 4);
  t.deepEqual([w[0], w[1], w[3]], ['#0 create apple via foo [0, 1] ok', '#7 put apple/k = w3 via foo [32, 33] ok', '#61 get apple/k via foo [400, 401] ok "w3"']);
  t.regex(w[2] ?? '', /^#\d+ put apple\/k = w([4-9]|[12]\d) via foo/);
});

test('a search past its budget answers unknown, never hangs', (t) => {
  const lines: Line[] = [create];
  // Twelve writes all in flight together, then a read of a value none wrote: every order must be tried.
  for (let i = 0; i < 12; i++) lines.push(['put', 'apple/k', `w${i}`, 2, 100, 'ok']);
  lines.push(['get', 'apple/k', null, 101, 102, 'nope']);
  const r = check(lines, timeline(), 1000);
  t.is(r.verdict, 'unknown');
  t.deepEqual(r.unknownKeys, ['apple/k']);
  t.is(r.summary, '1 of 1 keys not decided within 1000 steps each (linearizableBudget); the others are linearizable');
  t.is(check(lines, timeline(), 10_000_000).verdict, 'violation');
});

/** A random history run one request at a time on the model: each returns what the model says. */
const sequential = fc.array(fc.tuple(fc.constantFrom('get', 'put', 'delete', 'create', 'crash'), fc.constantFrom('a', 'b', 'c')), { minLength: 1, maxLength: 25 }).map((steps) => {
  let state = kvModel.init;
  return steps.map(([f, v], i) => {
    const input = f === 'put' ? { f, value: v } : { f: f };
    const shown = state.startsWith('V') ? state.slice(1) : undefined;
    const output = f === 'crash' ? undefined : state === 'N' && f !== 'create' ? ({ type: 'nobucket' } as const) : { type: 'ok' as const, value: f === 'get' || f === 'delete' ? shown : undefined };
    const after = kvModel.step(state, input, output);
    if (after === undefined) throw new Error(`the model refused its own step ${f} from ${state}`);
    state = after;
    return { input, output, invoke: 10 * i, complete: 10 * i + 1 };
  });
});

test('property: a history run one at a time is linearizable, and stays so with its intervals widened', (t) => {
  fc.assert(
    fc.property(sequential, fc.array(fc.nat(40)), (ops, widen) => {
      if (linearizable(kvModel, ops, 1e6).verdict !== 'ok') return false;
      const wide = ops.map((o, i) => ({ ...o, invoke: o.invoke - (widen[i] ?? 0), complete: o.complete + (widen[(i + 7) % Math.max(1, widen.length)] ?? 0) }));
      return linearizable(kvModel, wide, 1e6).verdict === 'ok';
    }),
  );
  t.pass();
});

test('property: a read changed to a value nobody wrote is flagged', (t) => {
  fc.assert(
    fc.property(sequential, fc.nat(), (ops, pick) => {
      const reads = ops.flatMap((o, i) => (o.input.f === 'get' && o.output?.type === 'ok' ? [i] : []));
      fc.pre(reads.length > 0);
      const i = reads[pick % reads.length] as number;
      const bad = ops.map((o, j) => (j === i ? { ...o, output: { type: 'ok' as const, value: 'never written' } } : o));
      return linearizable(kvModel, bad, 1e6).verdict === 'violation';
    }),
  );
  t.pass();
});

test('ops without a key of their own (creates) are shared by every key of the bucket', (t) => {
  const h: HistoryOp[] = history([create, ['put', 'apple/a', '1', 2, 3, 'ok'], ['put', 'apple/b', '2', 2, 3, 'ok']]);
  const r = checkLinearizable(h, timeline(), new Routes(timeline()), ['foo'], 1000);
  t.is(r.keys, 2);
  t.is(r.operations, 4);
});
