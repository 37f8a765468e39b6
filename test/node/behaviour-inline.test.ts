import { behaviourSuite } from '../harness/behaviour.js';
import { inlineCluster } from '../harness/inline.js';
import { fixtures } from '../helpers.js';

behaviourSuite('nodes in the test thread', (config) => inlineCluster(config, fixtures));
