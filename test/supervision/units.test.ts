/** The pure parts of supervision, without threads: restart intensity and the heartbeat's clock logic. */
import test from 'ava';
import { decideRestart } from '../../src/core/intensity.js';
import { startHeartbeat } from '../../src/cluster/heartbeat.js';
import type { Clock } from '../../src/transport/clock.js';

test('restart intensity: 3 restarts within 5 s are allowed, the 4th death gives up', (t) => {
  const spec = { maxRestarts: 3, withinMs: 5000 };
  let history: readonly number[] = [];
  for (const now of [0, 1000, 2000]) {
    const d = decideRestart('foo', spec, history, now);
    t.true(d.restart);
    history = d.history;
  }
  const d = decideRestart('foo', spec, history, 4999);
  t.false(d.restart);
  t.is(d.restart ? '' : d.why, 'node "foo" stays down: it died 4 times within 5000 ms, more than its restart intensity allows (at most 3 restarts in 5000 ms)');
});

test('restart intensity: restarts older than the window no longer count', (t) => {
  const spec = { maxRestarts: 1, withinMs: 1000 };
  const first = decideRestart('bar', spec, [], 0);
  t.deepEqual(first, { restart: true, history: [0] });
  t.false(decideRestart('bar', spec, first.history, 999).restart);
  t.deepEqual(decideRestart('bar', spec, first.history, 1000), { restart: true, history: [1000] });
});

test('restart intensity: "never" and maxRestarts 0 never restart', (t) => {
  t.deepEqual(decideRestart('foo', 'never', [], 0), { restart: false, history: [], why: 'node "foo" stays down: its restart policy is "never"' });
  const d = decideRestart('foo', { maxRestarts: 0, withinMs: 10 }, [], 0);
  t.is(d.restart ? '' : d.why, 'node "foo" stays down: it died 1 time within 10 ms, more than its restart intensity allows (at most 0 restarts in 10 ms)');
});

/** A clock the test moves by hand; `tick` runs the one interval at the time given. */
function manualClock(): Clock & { at: number; tick(at: number): void; cancelled: boolean; interval: number } {
  let fn: (() => void) | undefined;
  const clock = {
    at: 0,
    cancelled: false,
    interval: 0,
    now: () => clock.at,
    every(ms: number, f: () => void) {
      clock.interval = ms;
      fn = f;
      return () => {
        clock.cancelled = true;
      };
    },
    tick(at: number) {
      clock.at = at;
      fn?.();
    },
  };
  return clock;
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

test('heartbeat: a node that answers is never reported; one that stops is reported within detectMs', async (t) => {
  const clock = manualClock();
  let answer = true;
  let pings = 0;
  const silent: number[] = [];
  startHeartbeat({ detectMs: 2000, clock, ping: () => (pings++, answer ? Promise.resolve(1) : new Promise(() => undefined)), onSilent: (ms) => silent.push(ms) });
  t.is(clock.interval, 500);
  for (let at = 500; at <= 5000; at += 500) {
    clock.tick(at);
    await flush();
  }
  t.deepEqual(silent, []);
  t.is(pings, 10);
  answer = false;
  // The last answer came at 5000; from then on nothing answers.
  for (let at = 5500; at <= 7000 && silent.length === 0; at += 500) {
    clock.tick(at);
    await flush();
  }
  t.deepEqual(silent, [1500]);
  t.true(clock.at - 5000 <= 2000);
  t.true(clock.cancelled);
  t.is(pings, 11, 'one ping outstanding at a time');
});

test('heartbeat: a late tick (this thread stalled) does not blame the node', async (t) => {
  const clock = manualClock();
  const silent: number[] = [];
  startHeartbeat({ detectMs: 2000, clock, ping: () => new Promise(() => undefined), onSilent: (ms) => silent.push(ms) });
  clock.tick(5000);
  t.deepEqual(silent, []);
  clock.tick(5500);
  t.deepEqual(silent, []);
  // Silence is counted from just before the late tick: 4500.
  clock.tick(6000);
  t.deepEqual(silent, [1500]);
});

test('heartbeat: stop is idempotent and ends the timer', (t) => {
  const clock = manualClock();
  const stop = startHeartbeat({ detectMs: 100, clock, ping: () => Promise.resolve(1), onSilent: () => t.fail() });
  stop();
  stop();
  t.true(clock.cancelled);
});
