/** The simulation host's building blocks: a seeded PRNG, virtual time with one event queue, a faulty network. */
export { Random } from './random.js';
export { EventQueue } from './queue.js';
export type { Keyed } from './queue.js';
export { Trace, firstDifference, traceLine } from './trace.js';
export type { TraceEvent } from './trace.js';
export { SimWorld } from './world.js';
export type { SimEvent, SimWorldOptions } from './world.js';
export { SimNetwork, DEFAULT_LATENCY_MS, describeFrame } from './network.js';
export type { LinkSettings, LinkStats, SimNetworkOptions } from './network.js';
