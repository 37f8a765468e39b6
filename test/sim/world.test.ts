import test from 'ava';
import { SimWorld } from '../../src/sim/world.js';

/** A few real turns of the event loop: enough for a runner that wrongly ran on its own to show it. */
async function realTurns(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

test('after(100) fires at exactly t=100, and sleep ends at exactly its target', async (t) => {
  const world = new SimWorld();
  const s = world.scheduler('a');
  const at: number[] = [];
  s.after(100, () => at.push(world.now()));
  t.is(world.now(), 0);
  await world.sleep(150);
  t.deepEqual(at, [100]);
  t.is(world.now(), 150);
  t.deepEqual(world.trace(), [{ t: 100, kind: 'timer', from: 'a', to: 'a', what: 'after 100' }]);
});

test('sleep(250) runs every(100) at 100 and 200; an event due exactly at the end runs before sleep resolves', async (t) => {
  const world = new SimWorld();
  const at: number[] = [];
  const stop = world.scheduler('a').every(100, () => at.push(world.now()));
  await world.sleep(250);
  t.deepEqual(at, [100, 200]);
  await world.sleep(50);
  t.deepEqual(at, [100, 200, 300], 'the run due at t=300 ran within sleep(50) from t=250');
  stop();
  await world.sleep(1000);
  t.deepEqual(at, [100, 200, 300]);
  t.is(world.now(), 1300);
});

test('nothing runs while nobody waits: a periodic timer stays queued', async (t) => {
  const world = new SimWorld();
  let runs = 0;
  world.scheduler('a').every(1, () => runs++);
  await realTurns();
  t.is(runs, 0);
  t.is(world.now(), 0);
  t.is(world.pending(), 1);
  await world.sleep(3);
  t.is(runs, 3);
});

test('drive runs events until the promise settles and settles as it does', async (t) => {
  const world = new SimWorld();
  const s = world.scheduler('client');
  t.is(await world.drive(new Promise((resolve) => s.after(30, () => resolve('done')))), 'done');
  t.is(world.now(), 30);
  await t.throwsAsync(world.drive(new Promise((_, reject) => s.after(5, () => reject(new Error('refused'))))), { message: 'refused' });
  t.is(world.now(), 35);
  t.is(await world.drive(Promise.resolve(7)), 7, 'a settled promise runs nothing');
  t.is(world.now(), 35);
  const [a, b] = await Promise.all([world.drive(new Promise((r) => s.after(10, () => r('a')))), world.drive(new Promise((r) => s.after(20, () => r('b'))))]);
  t.deepEqual([a, b, world.now()], ['a', 'b', 55]);
});

test('drive on an idle world fails with a clear error, and the world still serves', async (t) => {
  const world = new SimWorld();
  await t.throwsAsync(world.drive(new Promise(() => {})), { code: 'KV_ERR_TIMEOUT', message: 'the simulation is idle: nothing can settle this promise (deadlock?) at t=0 ms' });
  const s = world.scheduler('a');
  s.after(5, () => {});
  await t.throwsAsync(world.drive(new Promise(() => {})), { code: 'KV_ERR_TIMEOUT', message: 'the simulation is idle: nothing can settle this promise (deadlock?) at t=5 ms' });
  t.is(await world.drive(new Promise((r) => s.after(1, () => r('ok')))), 'ok');
});

test('the idle error names the paused owners whose events wait', async (t) => {
  const world = new SimWorld();
  const s = world.scheduler('n1');
  const p = new Promise((resolve) => s.after(10, () => resolve('late')));
  world.pause('n1');
  await t.throwsAsync(world.drive(p), { code: 'KV_ERR_TIMEOUT', message: 'the simulation is idle: nothing can settle this promise (deadlock?) at t=10 ms; events wait for paused "n1"' });
  world.resume('n1');
  t.is(await world.drive(p), 'late');
  t.is(world.now(), 10);
});

test('drive withinMs fails at its virtual deadline; an event due exactly then still runs', async (t) => {
  const world = new SimWorld();
  const s = world.scheduler('a');
  s.every(10, () => {});
  await t.throwsAsync(world.drive(new Promise(() => {}), { withinMs: 25 }), { code: 'KV_ERR_TIMEOUT', message: 'drive: the promise did not settle within 25 ms of virtual time (started at t=0 ms)' });
  t.is(world.now(), 25);
  t.is(await world.drive(new Promise((r) => s.after(5, () => r('in time'))), { withinMs: 5 }), 'in time');
  t.is(world.now(), 30);
});

test('a zero-delay loop fails every waiter instead of hanging', async (t) => {
  const world = new SimWorld({ maxStepsAtOneTime: 1000 });
  const s = world.scheduler('a');
  let on = true;
  const loop = (): void => {
    if (on) s.after(0, loop);
  };
  loop();
  await t.throwsAsync(world.sleep(10), { code: 'KV_ERR_TIMEOUT', message: 'the simulation ran 1000 events at t=0 ms without time advancing (maxStepsAtOneTime 1000; a zero-delay loop?)' });
  on = false;
  await world.sleep(10);
  t.is(world.now(), 10);
});

test('a wait that runs more than maxSteps events fails', async (t) => {
  const world = new SimWorld({ maxSteps: 50 });
  world.scheduler('a').every(1, () => {});
  await t.throwsAsync(world.drive(new Promise(() => {})), {
    code: 'KV_ERR_TIMEOUT',
    message: 'the simulation ran 50 events (maxSteps) without settling what it waits for, at t=50 ms (a livelock, or a periodic timer with nothing to end the wait?)',
  });
  await world.sleep(20);
  t.is(world.now(), 70);
});

test('an event that throws rejects the waiters with its error and is traced; with onError the host gets it and the run goes on', async (t) => {
  const world = new SimWorld();
  const s = world.scheduler('n1');
  s.after(1, () => {
    throw new Error('boom');
  });
  await t.throwsAsync(world.sleep(5), { message: 'boom' });
  t.deepEqual(world.trace().at(-1), { t: 1, kind: 'error', from: 'n1', to: 'n1', what: 'Error: boom' });
  await world.sleep(5);
  t.is(world.now(), 6);

  const crashed: string[] = [];
  const hosted = new SimWorld({ onError: (owner, e) => crashed.push(`${owner}: ${(e as Error).message}`) });
  const h = hosted.scheduler('n2');
  h.after(1, () => {
    throw new Error('bad');
  });
  let later = false;
  h.after(2, () => (later = true));
  await hosted.sleep(5);
  t.deepEqual(crashed, ['n2: bad']);
  t.true(later);
});

test('defer runs at the end of the turn, before any timer; an event’s promise chains settle before the next event', async (t) => {
  const world = new SimWorld();
  const s = world.scheduler('a');
  const log: string[] = [];
  s.after(1, () => {
    s.after(0, () => log.push('timer'));
    s.defer(() => log.push('defer'));
    void (async () => {
      await Promise.resolve();
      await Promise.resolve();
      await Promise.resolve();
      log.push(`chain at t=${world.now()}`);
    })();
  });
  s.after(1, () => log.push('next event'));
  s.after(2, () => log.push('t=2'));
  await world.sleep(2);
  t.deepEqual(log, ['defer', 'chain at t=1', 'next event', 'timer', 't=2']);
});

test('a cancelled timer never runs nor is traced; a periodic timer may cancel itself', async (t) => {
  const world = new SimWorld();
  const s = world.scheduler('a');
  const cancel = s.after(5, () => t.fail('cancelled'));
  cancel();
  let runs = 0;
  const stop = s.every(2, () => {
    if (++runs === 3) stop();
  });
  await world.sleep(20);
  t.is(runs, 3);
  t.deepEqual(
    world.trace().map((e) => e.t),
    [2, 4, 6],
  );
  t.is(world.pending(), 0);
});

test('pause holds an owner’s timers as they come due and resume runs them now, in order; later ones run when due', async (t) => {
  const world = new SimWorld();
  const s = world.scheduler('n1');
  const other = world.scheduler('n2');
  const log: string[] = [];
  const at = (name: string) => () => log.push(`${name}@${world.now()}`);
  s.after(10, at('a'));
  s.after(20, at('b'));
  s.after(50, at('late'));
  other.after(15, at('other'));
  world.pause('n1');
  world.pause('n1');
  t.true(world.paused('n1'));
  await world.sleep(30);
  t.deepEqual(log, ['other@15']);
  t.is(world.pending('n1'), 3);
  world.resume('n1');
  world.resume('n1');
  t.false(world.paused('n1'));
  await world.sleep(30);
  t.deepEqual(log, ['other@15', 'a@30', 'b@30', 'late@50']);
  t.deepEqual(
    world.trace().filter((e) => e.kind === 'pause' || e.kind === 'resume'),
    [
      { t: 0, kind: 'pause', from: 'n1', to: 'n1', what: '' },
      { t: 30, kind: 'resume', from: 'n1', to: 'n1', what: '2 held' },
    ],
  );
});

test('a periodic timer paused for several periods fires once on resume, then every period from there', async (t) => {
  const world = new SimWorld();
  const at: number[] = [];
  world.scheduler('n1').every(10, () => at.push(world.now()));
  await world.sleep(15);
  world.pause('n1');
  await world.sleep(30);
  world.resume('n1');
  await world.sleep(25);
  t.deepEqual(at, [10, 45, 55, 65]);
});

test('drop cancels an owner’s timers, held ones too, makes its old scheduler inert; a new scheduler serves the next incarnation', async (t) => {
  const world = new SimWorld();
  const s = world.scheduler('n1');
  const kept = world.scheduler('n2');
  let ran = 0;
  s.after(10, () => ran++);
  s.every(5, () => ran++);
  kept.after(10, () => ran++);
  world.pause('n1');
  await world.sleep(6); // the every(5) run is now held
  world.drop('n1');
  t.false(world.paused('n1'));
  t.is(world.pending('n1'), 0);
  t.is(world.epoch('n1'), 1);
  t.deepEqual(world.trace().at(-1), { t: 6, kind: 'kill', from: 'n1', to: 'n1', what: '2 pending events cancelled' });
  s.after(1, () => ran++);
  s.defer(() => ran++);
  t.is(world.pending('n1'), 0, 'the old view schedules nothing');
  await world.sleep(20);
  t.is(ran, 1, 'only n2 ran');
  const reborn = world.scheduler('n1');
  reborn.after(1, () => ran++);
  await world.sleep(1);
  t.is(ran, 2);
});

test('bad arguments throw KV_ERR_BAD_ARGUMENT naming the call and the value, and the world still serves', async (t) => {
  const world = new SimWorld();
  const s = world.scheduler('n1');
  t.throws(() => s.after(Number.NaN, () => {}), { code: 'KV_ERR_BAD_ARGUMENT', message: 'scheduler("n1").after: ms must be a finite number, got NaN' });
  t.throws(() => s.after(Infinity, () => {}), { code: 'KV_ERR_BAD_ARGUMENT', message: 'scheduler("n1").after: ms must be a finite number, got Infinity' });
  t.throws(() => s.every(0, () => {}), { code: 'KV_ERR_BAD_ARGUMENT', message: 'scheduler("n1").every: ms must be a finite number > 0, got 0' });
  t.throws(() => world.sleep(-1), { code: 'KV_ERR_BAD_ARGUMENT', message: 'sleep: ms must be a finite number ≥ 0, got -1' });
  t.throws(() => world.drive(Promise.resolve(), { withinMs: Number.NaN }), { code: 'KV_ERR_BAD_ARGUMENT', message: 'drive: withinMs must be a finite number ≥ 0, got NaN' });
  t.throws(() => new SimWorld({ maxSteps: 0 }), { code: 'KV_ERR_BAD_ARGUMENT', message: 'SimWorld: maxSteps must be a finite number > 0, got 0' });
  t.throws(() => new SimWorld({ maxStepsAtOneTime: -1 }), { code: 'KV_ERR_BAD_ARGUMENT', message: 'SimWorld: maxStepsAtOneTime must be a finite number > 0, got -1' });
  t.is(world.pending(), 0, 'nothing was scheduled by a refused call');
  const at: number[] = [];
  await world.sleep(3);
  s.after(-5, () => at.push(world.now())); // a past delay runs now, as setTimeout does
  s.after(2, () => at.push(world.now()));
  await world.sleep(2);
  t.deepEqual(at, [3, 5]);
});

test('note adds host events to the trace; keepTrace: false keeps only the hash', async (t) => {
  const full = new SimWorld();
  const lean = new SimWorld({ keepTrace: false });
  for (const w of [full, lean]) {
    w.note('start', 'supervisor', 'n1', 'incarnation 1');
    w.scheduler('n1').after(2, () => {});
    await w.sleep(2);
  }
  t.deepEqual(full.trace(), [
    { t: 0, kind: 'start', from: 'supervisor', to: 'n1', what: 'incarnation 1' },
    { t: 2, kind: 'timer', from: 'n1', to: 'n1', what: 'after 2' },
  ]);
  t.deepEqual(lean.trace(), []);
  t.is(lean.traceHash(), full.traceHash());
  t.is(full.steps, 1);
});
