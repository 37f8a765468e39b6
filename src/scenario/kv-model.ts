/**
 * One key of a bucket as a sequential object, for the linearizability search: its bucket may
 * not exist (`N`), or exist without the key (`U`), or hold a value (`V…`). A create makes the
 * bucket if it is missing; a crash of the node holding it loses it. Each (bucket, key) is
 * checked on its own (linearizability is local), with the bucket's creates and crashes in each.
 * Pure.
 */
import type { Model, Operation } from './wgl.js';
import type { HistoryOp } from './history.js';

/** What an operation does to a key. */
export type KvInput = { readonly f: 'get' | 'delete' | 'create' | 'crash' } | { readonly f: 'put'; readonly value: string };

/** What it returned: a value (undefined: none), or that the bucket was missing. */
export type KvOutput = { readonly type: 'ok'; readonly value?: string | undefined } | { readonly type: 'nobucket' };

/** States: no bucket, no value, or a value. */
const NONE = 'N';
const UNSET = 'U';
const valueState = (v: string): string => `V${v}`;
const valueOfState = (s: string): string | undefined => (s.charCodeAt(0) === 0x56 /* V */ ? s.slice(1) : undefined);

/** The model of one key; `init` is the state before the first operation (the bucket not yet created). */
export const kvModel: Model<KvInput, KvOutput> = {
  init: NONE,
  step(state, input, output) {
    if (input.f === 'crash') return NONE;
    if (input.f === 'create') return output === undefined || output.type === 'ok' ? (state === NONE ? UNSET : state) : undefined;
    if (state === NONE) return output === undefined || output.type === 'nobucket' ? NONE : undefined;
    if (output !== undefined && output.type !== 'ok') return undefined;
    switch (input.f) {
      case 'put':
        return valueState(input.value);
      case 'get':
        return output === undefined || output.value === valueOfState(state) ? state : undefined;
      case 'delete':
        return output === undefined || output.value === valueOfState(state) ? UNSET : undefined;
    }
  },
};

/** A history operation as the search takes it; undefined for one that surely did nothing (refused, never applied). */
export function toOperation(op: HistoryOp): Operation<KvInput, KvOutput> | undefined {
  const o = op.outcome;
  if (o?.type === 'fail') return undefined;
  const input: KvInput = op.op === 'put' ? { f: 'put', value: op.value ?? '' } : { f: op.op };
  // In flight at the end, or no answer: it may have taken effect at any time after its call.
  if (o === undefined || o.type === 'info') return { input, output: undefined, invoke: op.invoke, complete: Infinity };
  return { input, output: o.type === 'nobucket' ? { type: 'nobucket' } : { type: 'ok', value: o.value }, invoke: op.invoke, complete: op.complete };
}

/** A crash of the node holding the bucket at `t`: the bucket is gone. */
export function crashAt(t: number): Operation<KvInput, KvOutput> {
  return { input: { f: 'crash' }, output: undefined, invoke: t, complete: t };
}
