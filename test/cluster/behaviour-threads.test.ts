import { startCluster } from '../../src/index.js';
import { behaviourSuite } from '../harness/behaviour.js';
import { fixtures } from '../helpers.js';

behaviourSuite('worker-thread cluster', async (config) => {
  const c = await startCluster({ config, cwd: fixtures });
  return { nodes: c.nodes, client: (via) => c.client(via === undefined ? {} : { via }), close: () => c.close() };
});
