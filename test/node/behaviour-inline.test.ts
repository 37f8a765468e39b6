import { behaviourSuite } from '../harness/behaviour.js';
import { settleOnRealTime } from '../harness/host.js';
import { inlineCluster } from '../harness/inline.js';
import { fixtures } from '../helpers.js';

behaviourSuite({
  label: 'nodes in the test thread',
  capabilities: { supervision: false, faults: false, faultCounters: false, sameClosePromise: true },
  virtualTime: false,
  start: async (config, stdout) => ({ cluster: await inlineCluster(config, fixtures, stdout), now: () => performance.now(), settle: settleOnRealTime }),
});
