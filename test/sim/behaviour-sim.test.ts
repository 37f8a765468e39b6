import { simulate } from '../../src/testing.js';
import { behaviourSuite } from '../harness/behaviour.js';
import { fixtures } from '../helpers.js';

behaviourSuite({
  label: 'simulation',
  capabilities: { supervision: true, faults: true, faultCounters: true, sameClosePromise: true },
  virtualTime: true,
  async start(config, stdout) {
    const sim = await simulate({ config, cwd: fixtures, seed: 1, stdout });
    return {
      cluster: sim,
      now: () => sim.now(),
      // Virtual time moves only while someone waits: step it until the promise settles or `ms` have passed.
      async settle(promise, ms, what) {
        let done = false as boolean; // set by the promise's callback
        const watched = promise.finally(() => (done = true));
        watched.catch(() => undefined);
        for (const end = sim.now() + ms; !done && sim.now() < end;) await sim.sleep(1);
        if (!done) throw new Error(`${what}: nothing within ${ms} virtual ms`);
        return watched;
      },
    };
  },
});
