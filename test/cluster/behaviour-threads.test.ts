import { startCluster } from '../../src/index.js';
import { behaviourSuite } from '../harness/behaviour.js';
import { settleOnRealTime } from '../harness/host.js';
import { fixtures } from '../helpers.js';

behaviourSuite({
  label: 'worker-thread cluster',
  capabilities: { supervision: true, faults: true, faultCounters: true, sameClosePromise: true },
  virtualTime: false,
  concurrency: 3,
  start: async (config, stdout) => ({ cluster: await startCluster({ config, cwd: fixtures, stdout }), now: () => performance.now(), settle: settleOnRealTime }),
});
