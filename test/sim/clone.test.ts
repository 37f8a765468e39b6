import test from 'ava';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { serialize } from 'node:v8';
import { cloneData } from '../../src/sim/clone.js';

/**
 * The outcome of a clone, as V8 serializes it (holes, -0, shared references, key order show),
 * or the error's name and text. The result is cloned once more first: V8 writes the arrays
 * structuredClone makes as sparse (their elements kind, invisible to JS), the ones `cloneData`
 * makes as dense.
 */
function outcome(clone: () => unknown): string {
  try {
    return serialize(structuredClone(clone())).toString('hex');
  } catch (e) {
    const { name, message } = e as { name: string; message: string };
    return `${name}: ${message}`;
  }
}

/** Same outcome, and deeply equal with prototypes (which the second clone above would flatten). */
function alike(v: unknown): boolean {
  const mine = outcome(() => cloneData(v));
  if (mine !== outcome(() => structuredClone(v))) return false;
  return mine.includes(':') || isDeepStrictEqual(cloneData(v), structuredClone(v));
}

const same = (t: { true(a: boolean, m?: string): void }, v: unknown, m?: string) => t.true(alike(v), m);

test('cloneData gives what structuredClone gives, for any value', (t) => {
  const anything = fc.anything({
    maxDepth: 3,
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withNullPrototype: true,
    withObjectString: true,
    withSet: true,
    withSparseArray: true,
    withTypedArray: true,
    stringUnit: 'binary',
  });
  fc.assert(fc.property(anything, alike), { numRuns: 300, seed: 7 });
  t.pass();
});

test('the shapes frames take: plain objects, dense arrays, primitives, nested', (t) => {
  const frame = [{ type: 'req', id: 1, from: 0, hops: 0, op: 'put', bucket: 'b', key: 'k', value: 'v' }, 'packed\u0100x', { type: 'ok', id: 2, value: { n: -0, u: undefined, big: 10n, nan: Number.NaN, list: [1, [2, [3]]] } }];
  const copy = cloneData(frame);
  t.deepEqual(copy, frame);
  t.not(copy, frame);
  t.not(copy[0], frame[0]);
  same(t, frame);
});

test('shared references and cycles come out shared and cyclic, as structuredClone makes them', (t) => {
  const shared = { x: 1 };
  const twice = cloneData([shared, shared]);
  t.is(twice[0], twice[1]);
  const cyclic: { self?: unknown; list: unknown[] } = { list: [] };
  cyclic.self = cyclic;
  cyclic.list.push(cyclic);
  const copy = cloneData(cyclic);
  t.is(copy.self, copy);
  t.is(copy.list[0], copy);
  same(t, [shared, shared]);
  same(t, cyclic);
});

test('what is not plain data goes through structuredClone: getters are read, classes flattened, an own __proto__ kept, holes and named array fields kept', (t) => {
  class Point {
    constructor(readonly x: number) {}
  }
  const withGetter = {
    get answer() {
      return 42;
    },
  };
  const named = Object.assign([1, 2], { extra: true });
  const protoKey = JSON.parse('{"__proto__": {"a": 1}}') as object;
  // eslint-disable-next-line no-sparse-arrays -- a sparse array is a case under test
  const holes = [1, , 3];
  for (const [name, v] of Object.entries({ withGetter, point: new Point(3), named, protoKey, holes, date: new Date(0), map: new Map([[1, 2]]), error: new RangeError('x') })) same(t, v, name);
  t.deepEqual(cloneData(withGetter), { answer: 42 });
  t.deepEqual(Object.keys(cloneData(protoKey)), ['__proto__']);
  t.false(1 in cloneData(holes));
});

test('a function, a symbol or a proxy throws the DataCloneError structuredClone throws', (t) => {
  for (const v of [() => 1, [{ f() {} }], Symbol('s'), { s: Symbol('t') }, new Proxy({}, {}), [new Proxy([], {})]]) {
    const mine = outcome(() => cloneData(v));
    t.regex(mine, /^DataCloneError: /);
    t.is(
      mine,
      outcome(() => structuredClone(v)),
    );
  }
});
