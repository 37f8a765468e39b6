/** The `maxReplyBytes` setting: validated like the others, and carried to every connection of a serving node. */
import test from 'ava';
import { validateConfig } from '../../src/core/config.js';
import type { KvError } from '../../src/protocol/errors.js';
import { cluster, fixture, guideTable, holdNode } from '../helpers.js';
import { client } from './client.js';

test('maxReplyBytes defaults to 4 MiB and takes an integer from 1024 to 1 GiB', (t) => {
  t.is(validateConfig({ nodes: ['foo'] }).settings.maxReplyBytes, 4_194_304);
  for (const [bad, received] of [
    [512, 'number 512'],
    [2 ** 30 + 1, 'number 1073741825'],
    [65536.5, 'number 65536.5'],
    ['4 MiB', '"4 MiB"'],
  ] as const) {
    const error = t.throws<KvError>(() => validateConfig({ nodes: ['foo'], maxReplyBytes: bad }));
    t.is(error.code, 'KV_ERR_BAD_CONFIG');
    t.is(error.message, `invalid configuration (1 issue):\n  - maxReplyBytes: expected an integer from 1024 to 1073741824 but received ${received}`);
    t.is(validateConfig({ nodes: ['foo'], maxReplyBytes: 65536 }).settings.maxReplyBytes, 65536, 'the next config is read');
  }
});

/** The reply to `GET values k`: 100,000 bytes and OK. */
const value = 'x'.repeat(100_000);
const reply = `${value}\r\nOK\r\n`;

for (const [setting, window] of [
  [undefined, 42],
  [1024 * 1024, 11],
] as const) {
  test(`maxReplyBytes ${setting ?? '(default)'}: ${window} GETs of a 100 KB value run at once on a connection that knows their size`, async (t) => {
    const c = await cluster(t, {
      routingTable: guideTable,
      nodes: { foo: { port: 0 }, bar: {} },
      modules: { Stall: fixture('stall.js') },
      heartbeatMs: 60_000,
      timeout: 30_000,
      ...(setting === undefined ? {} : { maxReplyBytes: setting }),
    });
    const s = await client(t, c.ports.get('foo') as number);
    t.is(await s.request(`CREATE values\r\nPUT values k ${value}\r\n`, 2), 'OK\r\nOK\r\n');
    // 20 replies teach the connection their size (it starts expecting 1/16 of the budget each).
    t.true((await s.request('GET values k\r\n'.repeat(20), 40)) === reply.repeat(20));
    const base = (await c.stats('foo')).forwarded;
    // bar holds the bucket and is blocked: foo's GETs wait on it, and their count is foo's window.
    const { release } = await holdNode(t, c, 'bar');
    s.send('GET values k\r\n'.repeat(60));
    const deadline = Date.now() + 10_000;
    let forwarded: number;
    // A stats call is answered after foo's pump: the window it filled is final until bar answers.
    while ((forwarded = (await c.stats('foo')).forwarded - base) === 0 && Date.now() < deadline);
    t.is(forwarded, window);
    release();
    t.true((await s.read(120)) === reply.repeat(60), 'every reply, in order, once bar answers');
  });
}
