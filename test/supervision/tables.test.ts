import test from 'ava';
import type { ExecutionContext } from 'ava';
import type { Cluster, KvError } from '../../src/index.js';
import { cluster } from '../helpers.js';

// Each node keeps a-z to itself; the two changes raced below are each fine alone, and make a loop together.
const config = {
  nodes: { foo: { routingTable: [{ range: 'a-z', node: 'foo' }] }, bar: { routingTable: [{ range: 'a-z', node: 'bar' }] } },
  timeout: 30_000,
  heartbeatMs: 60_000,
};
const to = (node: string) => [{ range: 'a-z', node }];
const own = (node: string) => [{ from: 0x61, to: 0x7a, node }];
const other = (node: string): string => (node === 'foo' ? 'bar' : 'foo');

/** A change of `node`'s table to a-z → the other node: by `Application.put_env` on the node, or by `setRoutingTable`. */
type Change = (c: Cluster, node: string) => Promise<unknown>;
const putEnv: Change = (c, node) => c.call(node, 'Application', 'put_env', ['routing_table', to(other(node))]);
const setTable: Change = (c, node) => c.setRoutingTable(node, to(other(node)));
/** How a refused change names itself in the error. */
const where = (change: Change, node: string): string => (change === putEnv ? `routing_table of node "${node}"` : `table for node "${node}"`);

/** Races `foo`'s change against `bar`'s, 10 times: exactly one is applied, the other refused naming the loop, then requests are served. */
async function race(t: ExecutionContext, fooChange: Change, barChange: Change): Promise<void> {
  const c = await cluster(t, config);
  const winners: string[] = [];
  for (let round = 0; round < 10; round++) {
    // Issued in the same tick: both leave before either is answered.
    const [foo, bar] = await Promise.allSettled([fooChange(c, 'foo'), barChange(c, 'bar')]);
    t.is([foo, bar].filter((o) => o.status === 'fulfilled').length, 1, `round ${round}: exactly one change applied`);
    const winner = foo.status === 'fulfilled' ? 'foo' : 'bar';
    const loser = other(winner);
    winners.push(winner);
    const refused = (winner === 'foo' ? bar : foo) as PromiseRejectedResult;
    const error = refused.reason as KvError;
    t.is(error.code, 'KV_ERR_BAD_CONFIG');
    t.is(error.message, `invalid configuration (1 issue):\n  - ${where(loser === 'foo' ? fooChange : barChange, loser)}: bytes a-z loop between nodes: bar → foo → bar`);
    t.deepEqual(c.routingTable(winner), own(loser));
    t.deepEqual(c.routingTable(loser), own(loser), 'the refused change kept the old table');
    // Both entries lead to the loser, which keeps a-z.
    await c.client({ via: 'foo' }).create(`apple${round}`);
    t.is(await c.client({ via: 'bar' }).route(`apple${round}`, 'KV.Registry', 'lookup', [`apple${round}`]), loser);
    await c.setRoutingTable(winner, to(winner));
  }
  t.log(`winners: ${winners.join(' ')}`);
}

test('two Application.put_env(:routing_table) calls racing to make a loop: one applied, the other refused naming it', (t) => race(t, putEnv, putEnv));
test('two setRoutingTable calls racing to make a loop: one applied, the other refused naming it', (t) => race(t, setTable, setTable));
test('put_env on foo racing setRoutingTable for bar: one applied, the other refused naming it', (t) => race(t, putEnv, setTable));
test('setRoutingTable for foo racing put_env on bar: one applied, the other refused naming it', (t) => race(t, setTable, putEnv));
