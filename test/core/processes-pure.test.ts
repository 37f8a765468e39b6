/** The pure parts of processes: pids and refs, the mailbox's selective receive, Erlang's link and monitor rules. */
import test from 'ava';
import fc from 'fast-check';
import { APP_PID, describeDest, describeReason, formatPid, formatRef, isPid, isRef, isServerName, nodeOfDest, nodeOfPid, parsePid } from '../../src/core/pid.js';
import { Mailbox, NONE } from '../../src/core/mailbox.js';
import { exitOutcome, exitSignals, nodeDownSignals, unreachableAnswer } from '../../src/core/links.js';
import type { LinkState } from '../../src/core/links.js';

const nodeName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,20}$/);

test('a pid reads back as it was written, and its node is what routes it', (t) => {
  fc.assert(
    fc.property(nodeName, fc.nat(), fc.nat(1000), (node, id, creation) => {
      const pid = formatPid(node, id, creation);
      t.deepEqual(parsePid(pid), { node, id, creation });
      t.is(nodeOfPid(pid), node);
      t.is(nodeOfDest(pid), node);
      t.true(isPid(pid));
      t.false(isRef(pid));
      t.true(isRef(formatRef(node, id, creation)));
    }),
  );
  t.is(formatPid('foo', 59, 0), '#PID<foo.59.0>');
  t.is(nodeOfPid('#PID<a.b.c.7.2>'), 'a.b.c', 'a node name with dots');
  t.is(APP_PID, '#PID<client.0.0>');
  for (const bad of ['#PID<foo.1>', '#PID<9x.1.0>', 'PID<foo.1.0>', '#PID<foo.1.0> ', '#Ref<foo.1.0>', 42, null, { node: 'foo', id: 1 }]) t.false(isPid(bad), JSON.stringify(bad));
  t.true(isServerName({ name: 'kv', node: 'bar' }));
  t.false(isServerName({ name: 'kv' }));
  t.false(isServerName('kv'));
  t.is(nodeOfDest({ name: 'kv', node: 'bar' }), 'bar');
});

test('destinations and reasons as error messages show them', (t) => {
  t.is(describeDest('#PID<foo.1.0>'), '#PID<foo.1.0>');
  t.is(describeDest({ name: 'kv', node: 'bar' }), 'process "kv" on node "bar"');
  t.is(describeReason('noconnection'), 'noconnection');
  t.is(describeReason({ code: 'KV_ERR_TASK_FAILED', message: 'M.f/0 failed' }), 'KV_ERR_TASK_FAILED: M.f/0 failed');
  t.is(describeReason({ why: [1] }), '{"why":[1]}');
  const loop: Record<string, unknown> = {};
  loop['self'] = loop;
  t.is(describeReason(loop), '[object Object]', 'a value JSON cannot show is still shown');
  t.is(describeReason(undefined), 'undefined');
});

test('selective receive takes the first message a match accepts and keeps the others in arrival order', (t) => {
  const op = fc.oneof(fc.record({ push: fc.integer({ min: 0, max: 9 }) }), fc.record({ take: fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }) }), fc.constant({ drain: true }));
  fc.assert(
    fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
      const box = new Mailbox<number>();
      const model: number[] = [];
      for (const o of ops) {
        if ('push' in o) {
          box.push(o.push);
          model.push(o.push);
        } else if ('take' in o) {
          const want = o.take;
          const i = want === undefined ? (model.length > 0 ? 0 : -1) : model.indexOf(want);
          const got = box.take(want === undefined ? undefined : (m) => m === want);
          t.is(got, i < 0 ? NONE : (model.splice(i, 1)[0] as number));
        } else t.deepEqual(box.drain(), model.splice(0));
        t.is(box.length, model.length);
      }
    }),
  );
});

test('a long mailbox drains from the front in order; a match that throws leaves it as it was; remove drops what matches', (t) => {
  const box = new Mailbox<number>();
  for (let i = 0; i < 5000; i++) box.push(i);
  const out: unknown[] = [];
  for (let i = 0; i < 4000; i++) out.push(box.take());
  t.deepEqual(
    out,
    Array.from({ length: 4000 }, (_, i) => i),
  );
  t.throws(
    () =>
      box.take(() => {
        throw new Error('bad match');
      }),
    { message: 'bad match' },
  );
  t.is(box.length, 1000);
  t.is(
    box.remove((m) => m % 2 === 0),
    500,
  );
  t.is(box.take(), 4001);
  t.is(
    box.take((m) => m === 4999),
    4999,
  );
  t.is(box.length, 498);
});

test("an exit signal is ignored, trapped or fatal by Erlang's rules", (t) => {
  const cases: [link: boolean, reason: unknown, linked: boolean, trapping: boolean, outcome: unknown][] = [
    [true, 'boom', false, false, { act: 'ignore' }],
    [true, 'boom', true, false, { act: 'die', reason: 'boom' }],
    [true, 'boom', true, true, { act: 'trap' }],
    [true, 'normal', true, false, { act: 'ignore' }],
    [true, 'normal', true, true, { act: 'trap' }],
    [true, 'kill', true, true, { act: 'trap' }],
    [false, 'kill', false, true, { act: 'die', reason: 'killed' }],
    [false, 'kill', false, false, { act: 'die', reason: 'killed' }],
    [false, 'normal', false, false, { act: 'ignore' }],
    [false, 'shutdown', false, false, { act: 'die', reason: 'shutdown' }],
    [false, 'shutdown', false, true, { act: 'trap' }],
  ];
  for (const [link, reason, linked, trapping, outcome] of cases) t.deepEqual(exitOutcome({ link, reason }, linked, trapping), outcome, JSON.stringify({ link, reason, linked, trapping }));
});

test('an ending process signals its links, its watchers and the targets of its monitors; a dead node stands for its processes', (t) => {
  const state: LinkState = {
    pid: '#PID<foo.1.0>',
    links: new Set(['#PID<bar.1.0>', '#PID<foo.2.0>']),
    monitors: new Map([['#Ref<foo.1.0>', { name: 'kv', node: 'bar' }]]),
    watchers: new Map([
      ['#Ref<bar.1.0>', '#PID<bar.3.0>'],
      ['#Ref<client.1.0>', '#PID<client.0.0>'],
    ]),
  };
  t.deepEqual(exitSignals(state, 'boom'), [
    { type: 'sig', k: 'exit', from: '#PID<foo.1.0>', to: '#PID<bar.1.0>', reason: 'boom', link: true },
    { type: 'sig', k: 'exit', from: '#PID<foo.1.0>', to: '#PID<foo.2.0>', reason: 'boom', link: true },
    { type: 'sig', k: 'down', to: '#PID<bar.3.0>', ref: '#Ref<bar.1.0>', pid: '#PID<foo.1.0>', reason: 'boom' },
    { type: 'sig', k: 'down', to: '#PID<client.0.0>', ref: '#Ref<client.1.0>', pid: '#PID<foo.1.0>', reason: 'boom' },
    { type: 'sig', k: 'demonitor', from: '#PID<foo.1.0>', to: { name: 'kv', node: 'bar' }, ref: '#Ref<foo.1.0>' },
  ]);
  t.deepEqual(nodeDownSignals(state, 'bar'), {
    signals: [
      { type: 'sig', k: 'exit', from: '#PID<bar.1.0>', to: '#PID<foo.1.0>', reason: 'noconnection', link: true },
      { type: 'sig', k: 'down', to: '#PID<foo.1.0>', ref: '#Ref<foo.1.0>', pid: { name: 'kv', node: 'bar' }, reason: 'noconnection' },
    ],
    watchersGone: ['#Ref<bar.1.0>'],
  });
  t.deepEqual(nodeDownSignals(state, 'baz'), { signals: [], watchersGone: [] });
  t.deepEqual(unreachableAnswer({ type: 'sig', k: 'link', from: '#PID<foo.1.0>', to: '#PID<baz.1.0>' }), { type: 'sig', k: 'exit', from: '#PID<baz.1.0>', to: '#PID<foo.1.0>', reason: 'noconnection', link: true });
  t.deepEqual(unreachableAnswer({ type: 'sig', k: 'monitor', from: '#PID<foo.1.0>', to: '#PID<baz.1.0>', ref: '#Ref<foo.9.0>' }), { type: 'sig', k: 'down', to: '#PID<foo.1.0>', ref: '#Ref<foo.9.0>', pid: '#PID<baz.1.0>', reason: 'noconnection' });
  t.is(unreachableAnswer({ type: 'sig', k: 'send', to: '#PID<baz.1.0>', msg: 1 }), undefined, 'a message to a node that is gone is dropped');
});
