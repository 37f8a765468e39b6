/**
 * Hand-made histories for the checkers' unit tests: one line per request, as
 * `[op, bucket/key, value, invoke, complete, result]`, a result being `ok`, a value read back,
 * `nil` (read nothing), `nobucket`, `timeout` (no answer) or `refused` (surely not run).
 */
import type { HistoryOp, Outcome, Timeline } from '../../src/scenario/history.js';
import type { RoutingTable } from '../../src/core/routing.js';

export type Line = readonly [op: HistoryOp['op'], where: string, value: string | null, invoke: number, complete: number, result: string, via?: string];

/** The outcome a line's result stands for. */
function outcome(op: HistoryOp['op'], result: string): Outcome {
  if (result === 'nobucket') return { type: 'nobucket' };
  if (result === 'timeout') return { type: 'info', code: 'KV_ERR_TIMEOUT', message: 'no reply' };
  if (result === 'refused') return { type: 'fail', code: 'KV_ERR_NO_ROUTE', message: 'no route' };
  if (op === 'get' || op === 'delete') return { type: 'ok', value: result === 'nil' ? undefined : result };
  return { type: 'ok' };
}

/** A history from lines; ids are line numbers. Entry node `foo` unless a line says. */
export function history(lines: readonly Line[]): HistoryOp[] {
  return lines.map(([op, where, value, invoke, complete, result, via = 'foo'], id) => {
    const [bucket = '', key = ''] = where.split('/');
    return { id, op, bucket, key, value: value ?? undefined, via, invoke, complete: result === 'timeout' ? Infinity : complete, outcome: outcome(op, result), phase: 'run' };
  });
}

/** The guide's pair: `a-m` on foo, `n-z` on bar, the same table on both. */
export const guide: RoutingTable = [
  { from: 97, to: 109, node: 'foo' },
  { from: 110, to: 122, node: 'bar' },
];

/** A timeline of foo and bar on `tables` (each `[t, table for every node, why]`), with `deaths`. */
export function timeline(tables: readonly (readonly [number, RoutingTable, string])[] = [[0, guide, 'config']], deaths: Timeline['deaths'] = []): Timeline {
  return {
    nodes: ['foo', 'bar'],
    hopLimit: 16,
    tables: tables.map(([t, table, why]) => ({
      t,
      done: t,
      why,
      tables: new Map([
        ['foo', table],
        ['bar', table],
      ]),
    })),
    deaths,
    ups: [],
    duplicating: [],
  };
}
