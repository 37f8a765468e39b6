import test from 'ava';
import { cluster, guideTable } from '../helpers.js';

test('routes hello to foo and world to bar, as the guide', async (t) => {
  const c = await cluster(t, { routingTable: guideTable, nodes: { foo: {}, bar: {} } });
  const kv = c.client();
  t.is(await kv.route('hello', 'Kernel', 'node', []), 'foo');
  t.is(await kv.route('world', 'Kernel', 'node', []), 'bar');
});
