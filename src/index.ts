/** kvmesh: the Elixir Mix & OTP distributed key-value store, as a cluster of worker threads. */
export { startCluster, Cluster } from './cluster/cluster.js';
export type { StartOptions, OutputOptions, OutputStream, ClusterEvents, NodeDownEvent, NodeUpEvent, NodeStatus, NodeState, TaskErrorEvent, RoutingTableEvent, ExitEvent } from './cluster/cluster.js';
export type { ProcessHandle, Pid, Ref, ServerName, ProcessInfo } from './cluster/cluster.js';
export { Task } from './cluster/task.js';
export { KvClient, connectClient } from './client.js';
export type { BatchItem, BatchResult } from './client.js';
export { loadConfig, SEARCH_PLACES } from './cluster/load-config.js';
export type { LoadedConfig } from './cluster/load-config.js';
export { validateConfig, parseRange, defaults } from './core/config.js';
export type { KvConfig, NodeConfig, ModuleConfig, RouteEntrySpec, RestartConfig, ResourceLimits } from './core/config.js';
export { trace, lintTables, formatTable } from './core/routing.js';
export type { RouteEntry, RoutingTable, Trace, Hop, TraceOutcome, LintResult } from './core/routing.js';
export { KvError, ErrorCodes } from './protocol/errors.js';
export type { ErrorCode, Issue } from './protocol/errors.js';
export type { NodeContext, ProcessContext, CallFrom } from './node/modules.js';
export type { NodeStats, ClientAttachment } from './protocol/messages.js';
