/**
 * The Wing–Gong linearizability search with Lowe's memoisation (as Porcupine and Knossos do it):
 * walk the history's call and return events in time order, linearize a pending call when the
 * model accepts it, and backtrack when a return comes whose call could not be placed. Seen
 * (linearized set, state) configurations are not explored twice. An operation with an unknown
 * outcome (a timeout: Knossos's `info`) has no return: it may take effect at any time after its
 * call, or never. A step budget bounds the search: the answer is ok, violation, or unknown.
 * Pure: no clock; the work done is counted in steps.
 */

/** A sequential specification: states are strings (so configurations can be remembered). */
export interface Model<I, O> {
  readonly init: string;
  /** The state after `input` from `state` if it may return `output` (undefined: unknown, any), else undefined. */
  step(state: string, input: I, output: O | undefined): string | undefined;
}

/** One operation: when it was called and returned (Infinity: no return seen), what it did and returned. */
export interface Operation<I, O> {
  readonly input: I;
  /** Undefined when the outcome is unknown. */
  readonly output: O | undefined;
  readonly invoke: number;
  readonly complete: number;
}

/** The answer, and the steps it took. */
export interface SearchResult {
  readonly verdict: 'ok' | 'violation' | 'unknown';
  readonly steps: number;
}

/** 32 well-mixed bits of `x` (Murmur3's finaliser). */
function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * Whether `ops` is linearizable with respect to `model`, within `budget` steps. The set of
 * linearized operations is remembered by a 64-bit Zobrist hash (two xor-ed words per operation).
 */
export function linearizable<I, O>(model: Model<I, O>, ops: readonly Operation<I, O>[], budget: number): SearchResult {
  const n = ops.length;
  // Events: 2j is the call of op j, 2j+1 its return. At equal times, another operation's return
  // comes before a call (one that returned at t surely took effect before one called at t), and
  // an operation's own call before its return.
  const events: number[] = [];
  for (let j = 0; j < n; j++) {
    events.push(2 * j);
    if (Number.isFinite((ops[j] as Operation<I, O>).complete)) events.push(2 * j + 1);
  }
  const time = (e: number): number => (e & 1 ? (ops[e >> 1] as Operation<I, O>).complete : (ops[e >> 1] as Operation<I, O>).invoke);
  events.sort((a, b) => time(a) - time(b) || (a >> 1 === b >> 1 ? a - b : (b & 1) - (a & 1) || a - b));
  // A doubly linked list over positions 1..m (0 is the head); removed entries keep their links (dancing links).
  const m = events.length;
  const next = new Int32Array(m + 2);
  const prev = new Int32Array(m + 2);
  const pos = new Int32Array(2 * n).fill(-1);
  for (let p = 0; p <= m; p++) next[p] = p + 1;
  for (let p = 1; p <= m + 1; p++) prev[p] = p - 1;
  events.forEach((e, i) => (pos[e] = i + 1));
  const unlink = (p: number): void => {
    next[prev[p] as number] = next[p] as number;
    prev[next[p] as number] = prev[p] as number;
  };
  const relink = (p: number): void => {
    next[prev[p] as number] = p;
    prev[next[p] as number] = p;
  };
  let returns = m - n;
  const lift = (j: number): void => {
    unlink(pos[2 * j] as number);
    if ((pos[2 * j + 1] as number) > 0) {
      unlink(pos[2 * j + 1] as number);
      returns--;
    }
  };
  const unlift = (j: number): void => {
    if ((pos[2 * j + 1] as number) > 0) {
      relink(pos[2 * j + 1] as number);
      returns++;
    }
    relink(pos[2 * j] as number);
  };
  const seen = new Set<string>();
  const stack: { j: number; state: string }[] = [];
  let h1 = 0;
  let h2 = 0;
  let state = model.init;
  let steps = 0;
  let p = next[0] as number;
  /** Undoes the last placement and moves to what follows its call; false if there was none. */
  const backtrack = (): boolean => {
    const top = stack.pop();
    if (top === undefined) return false;
    state = top.state;
    h1 ^= mix(2 * top.j + 1);
    h2 ^= mix(~(2 * top.j));
    unlift(top.j);
    p = next[pos[2 * top.j] as number] as number;
    return true;
  };
  while (returns > 0) {
    if (++steps > budget) return { verdict: 'unknown', steps: budget };
    const e = events[p - 1] as number;
    const j = e >> 1;
    if ((e & 1) === 1) {
      // The return of an operation not yet placed: the placements so far cannot be right.
      if (!backtrack()) return { verdict: 'violation', steps };
      continue;
    }
    const op = ops[j] as Operation<I, O>;
    const after = model.step(state, op.input, op.output);
    if (after !== undefined) {
      const k1 = h1 ^ mix(2 * j + 1);
      const k2 = h2 ^ mix(~(2 * j));
      const key = `${k1}:${k2}:${after}`;
      if (!seen.has(key)) {
        seen.add(key);
        stack.push({ j, state });
        [h1, h2, state] = [k1, k2, after];
        lift(j);
        p = next[0] as number;
        continue;
      }
    }
    // A return is always met before the end: a call is never the last event while one is left.
    p = next[p] as number;
  }
  return { verdict: 'ok', steps };
}
