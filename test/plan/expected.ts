/** Configs the plan tests share, and the plan of one to the other as printed. */
import type { KvConfig } from '../../src/core/config.js';
export { slots2 } from '../harness/configs.js';

/** Three nodes on hash slots, thirds each, as redis-cli splits them. */
export const slots3: KvConfig = {
  routingTable: {
    slots: [
      { slots: '0-5460', node: 'foo' },
      { slots: '5461-10922', node: 'bar' },
      { slots: '10923-16383', node: 'baz' },
    ],
  },
  nodes: ['foo', 'bar', 'baz'],
};

/** The first lines of the plan from `slots2` to `slots3`: shares, then the slot runs that move. */
export const slots2to3Head = [
  'plan: slots; joining: baz',
  'ownership (share of the slots each node keeps):',
  '  node    before     after',
  '  foo     50.0 %    33.3 %',
  '  bar     50.0 %    33.3 %',
  '  baz      0.0 %    33.3 %',
  'units that move:',
  '  foo → bar: 2731 slots: 5461-8191',
  '  bar → baz: 5461 slots: 10923-16383',
];
