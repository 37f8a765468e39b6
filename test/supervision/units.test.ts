/** The pure parts of supervision, without threads: restart intensity and the heartbeat's clock logic. */
import test from 'ava';
import { decideRestart } from '../../src/core/intensity.js';
import { startHeartbeat } from '../../src/cluster/heartbeat.js';
import type { Scheduler } from '../../src/transport/scheduler.js';

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
function manualClock(): Pick<Scheduler, 'now' | 'every'> & { at: number; tick(at: number): void; cancelled: boolean; interval: number } {
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

test('heartbeat: a node whose counter moves is never reported; one whose counter stops is reported within detectMs', (t) => {
  const clock = manualClock();
  let beats = 0;
  const silent: number[] = [];
  startHeartbeat({ detectMs: 2000, clock, progress: () => beats, onSilent: (ms) => silent.push(ms) });
  t.is(clock.interval, 250);
  for (let at = 250; at <= 5000; at += 250) {
    beats++;
    clock.tick(at);
  }
  t.deepEqual(silent, []);
  // The last move was seen at 5000; from then on the node's counter stays still.
  for (let at = 5250; at <= 8000 && silent.length === 0; at += 250) clock.tick(at);
  t.deepEqual(silent, [1500]);
  t.is(clock.at, 6500);
  t.true(clock.cancelled);
});

test('heartbeat: a stalled supervisor does not blame a node that kept counting', (t) => {
  const clock = manualClock();
  let beats = 0;
  const silent: number[] = [];
  startHeartbeat({ detectMs: 300, clock, progress: () => beats, onSilent: (ms) => silent.push(ms) });
  // The supervisor's thread was busy for 5 s (its ticks came late), while the node went on counting.
  beats += 100;
  clock.tick(5000);
  t.deepEqual(silent, []);
  beats += 1;
  clock.tick(5037);
  t.deepEqual(silent, []);
  // After the stall, 300 ms of stillness are reported as usual: limit 300 - 2 * 37 = 226 ms.
  clock.tick(5300);
  t.deepEqual(silent, [263]);
});

test('heartbeat: a node blocked during a supervisor stall is reported at the first tick after it', (t) => {
  const clock = manualClock();
  const silent: number[] = [];
  startHeartbeat({ detectMs: 2000, clock, progress: () => 7, onSilent: (ms) => silent.push(ms) });
  clock.tick(5000);
  t.deepEqual(silent, [5000]);
});

test('heartbeat: stop is idempotent and ends the timer', (t) => {
  const clock = manualClock();
  const stop = startHeartbeat({ detectMs: 100, clock, progress: () => 0, onSilent: () => t.fail() });
  stop();
  stop();
  t.true(clock.cancelled);
});
