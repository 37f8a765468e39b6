import test from 'ava';
import { Random } from '../../src/sim/random.js';
import { SimNetwork } from '../../src/sim/network.js';
import { SimWorld } from '../../src/sim/world.js';
import { runMesh } from './mesh.js';

// Logs figures only: timing on a shared machine is no assertion.
test('speed: one virtual minute of 5 nodes at 1,000 requests/s with faults on', async (t) => {
  const wall = performance.now();
  const run = await runMesh({ seed: 1, nodes: 5, perMs: 1, durationMs: 60_000 });
  const ms = performance.now() - wall;
  const links = Object.values(run.net.stats());
  const sum = (k: 'delivered' | 'dropped' | 'duplicated') => links.reduce((n, s) => n + s[k], 0);
  t.log(`${run.world.steps} events (${sum('delivered')} deliveries, ${sum('dropped')} drops, ${sum('duplicated')} duplicates) in ${ms.toFixed(0)} ms wall`);
  t.log(`${Math.round(run.world.steps / (ms / 1000)).toLocaleString('en')} events/s wall; ${run.replies} replies, ${run.timeouts} timeouts; trace ${run.world.trace().length} events`);
  t.is(run.replies + run.timeouts, run.sent);
});

test('speed: starting a 3-node world', (t) => {
  const start = performance.now();
  const world = new SimWorld();
  const net = new SimNetwork(world, new Random(1).fork('network'));
  const names = ['n0', 'n1', 'n2'];
  for (const n of names) net.channel('client', n);
  for (let i = 0; i < names.length; i++) for (let j = 0; j < i; j++) net.channel(names[i] as string, names[j] as string);
  for (const n of names) world.scheduler(n).every(100, () => {});
  const ms = performance.now() - start;
  t.log(`world, network, 6 channels and 3 schedulers in ${ms.toFixed(3)} ms`);
  t.is(world.pending(), 3);
});
