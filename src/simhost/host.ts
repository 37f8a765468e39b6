/**
 * The simulation as a host of the supervisor: nodes are `SimRuntime`s in this one thread, a
 * channel is a link of the simulated network, time is the world's. The supervisor, the cluster
 * facade and the node code are the same as on worker threads.
 */
import { CLIENT_NAME } from '../protocol/messages.js';
import { messageOf } from '../protocol/errors.js';
import type { Link } from '../transport/link.js';
import type { ClusterHost } from '../cluster/host.js';
import type { Module, PooledModule } from '../node/modules.js';
import { SimRuntime } from './runtime.js';
import type { SimWorld } from '../sim/world.js';
import type { SimNetwork } from '../sim/network.js';
import type { Random } from '../sim/random.js';
import type { NodeStats } from '../protocol/messages.js';

/** What the network's faults did to the frames `from` sent, by destination (as a thread's node counts them). */
function faultCounts(net: SimNetwork, from: string): NodeStats['faults'] {
  const out: Record<string, { dropped: number; duplicated: number; delayed: number }> = {};
  for (const [key, s] of Object.entries(net.stats())) {
    const [src, to] = key.split('->') as [string, string];
    if (src === from && s.dropped + s.duplicated + s.delayed > 0) out[to] = { dropped: s.dropped, duplicated: s.duplicated, delayed: s.delayed };
  }
  return out;
}

/** A host whose nodes run in `world`, linked by `net`, with `modules` loaded once beforehand. */
export function simHost(world: SimWorld, net: SimNetwork, random: Random, modules: ReadonlyMap<string, Module | PooledModule>): ClusterHost<Link> & { crash(owner: string, error: unknown): void } {
  const scheduler = world.scheduler(CLIENT_NAME);
  const live = new Map<string, SimRuntime>();
  return {
    scheduler,
    virtual: true,
    random: random.fork(CLIENT_NAME),
    // Faults are part of the seeded schedule: the network applies them (and traces what they do).
    applyFaults: (spec) => net.apply(spec),
    channel: (a, b) => net.channel(a, b),
    link: (end) => end,
    spawn(settings, index, tables, links, hooks, creation = 0) {
      const runtime = new SimRuntime(world, scheduler, random, (from) => faultCounts(net, from), settings, { index, tables, links, creation }, hooks, modules);
      live.set(runtime.name, runtime);
      return runtime;
    },
    warn: (text, code) => world.note('warn', CLIENT_NAME, CLIENT_NAME, `${code}: ${text}`),
    // An error thrown by a node's code in one of its events crashes that node, as an uncaught error crashes its thread.
    crash(owner, error) {
      live.get(owner)?.crash(`its code threw: ${messageOf(error)}`);
    },
  };
}
