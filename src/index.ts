/** kvmesh: the Elixir Mix & OTP distributed key-value store, as a cluster of worker threads. */
export { startCluster, Cluster } from './cluster/cluster.js';
export type { StartOptions, ClusterEvents, NodeDownEvent, NodeUpEvent, NodeStatus, NodeState, TaskErrorEvent, RoutingTableEvent } from './cluster/cluster.js';
export { Task } from './cluster/task.js';
export { KvClient, connectClient } from './client.js';
export type { BatchItem, BatchResult } from './client.js';
export { loadConfig, SEARCH_PLACES } from './cluster/load-config.js';
export type { LoadedConfig } from './cluster/load-config.js';
export { validateConfig, parseRange, defaults } from './core/config.js';
export type { KvConfig, NodeConfig, ModuleConfig, RouteEntrySpec, SlotEntrySpec, TableSpec, RestartConfig, ResourceLimits } from './core/config.js';
export { trace, lintTables, formatTable, ownerFrom, slotOwner, unitOf } from './core/routing.js';
export type { RouteEntry, RoutingTable, RangeTable, SlotsTable, SlotEntry, RingTable, Partitioner, Trace, Hop, TraceOutcome, LintResult } from './core/routing.js';
export { keySlot } from './core/slots.js';
export { claim, ringPartition } from './core/ring.js';
export { KvError, ErrorCodes } from './protocol/errors.js';
export type { ErrorCode, Issue } from './protocol/errors.js';
export type { NodeContext } from './node/modules.js';
export type { NodeStats, ClientAttachment } from './protocol/messages.js';
