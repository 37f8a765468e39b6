/**
 * Every node of a config hosted in the test's own thread, wired with real MessageChannels:
 * the same node code as a worker-thread cluster, without the threads and without a supervisor
 * (no restarts, no faults, no tables a node sets itself). The cluster API around it is the
 * facade's, kept as thin: the shared behaviour suite runs against it (design.md, style rule 6).
 */
import { EventEmitter } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { loadConfig } from '../../src/cluster/load-config.js';
import { Task } from '../../src/cluster/task.js';
import { hostNode } from '../../src/node/host.js';
import { wireMesh } from '../../src/transport/mesh.js';
import { Endpoint } from '../../src/transport/endpoint.js';
import { portLink } from '../../src/transport/link.js';
import { systemScheduler } from '../../src/transport/scheduler.js';
import type { KvNode } from '../../src/node/node.js';
import { KvClient, requireMfa, requireOptions, requireString, requireTimeout } from '../../src/client.js';
import { Errors, KvError, fromWire } from '../../src/protocol/errors.js';
import { replaceTable } from '../../src/core/config.js';
import type { KvConfig, RouteEntrySpec, Settings } from '../../src/core/config.js';
import type { RoutingTable } from '../../src/core/routing.js';
import { CLIENT } from '../../src/protocol/messages.js';
import type { NodeStats, Pid, ProcessInfo, Ref, ServerName } from '../../src/protocol/messages.js';
import { ClusterProcesses } from '../../src/cluster/processes.js';
import type { ProcessHandle } from '../../src/cluster/process-handle.js';
import type { ClusterUnderTest } from './host.js';

/** Starts every node of `config` in this thread. */
export async function inlineCluster(config: KvConfig, cwd: string, stdout?: { write(text: string): unknown }): Promise<ClusterUnderTest> {
  const { settings } = await loadConfig(config, cwd);
  const cluster = new InlineCluster(settings, stdout);
  try {
    await cluster.start();
  } catch (e) {
    await cluster.close();
    throw e;
  }
  return cluster;
}

class InlineCluster extends EventEmitter implements ClusterUnderTest {
  readonly nodes: readonly string[];
  readonly #settings: Settings;
  readonly #tables: Map<string, RoutingTable>;
  readonly #endpoint: Endpoint;
  readonly #kvNodes: KvNode[] = [];
  readonly #ports: MessagePort[] = [];
  readonly #procs: ClusterProcesses;
  #closing: Promise<void> | undefined;

  constructor(settings: Settings, stdout: { write(text: string): unknown } = process.stdout) {
    super();
    this.#settings = settings;
    this.nodes = settings.nodes.map((n) => n.name);
    this.#tables = new Map(settings.nodes.map((s) => [s.name, s.table]));
    this.#endpoint = new Endpoint({
      self: CLIENT,
      // Only a node's `Application.put_env` of its table asks the supervisor anything, and there is none here.
      onRequest: (req) => this.#endpoint.fail(req, new KvError('KV_ERR_INTERNAL', 'the test thread hosts no supervisor')),
      nameOf: (i) => this.nodes[i] ?? 'client',
      tables: () => this.#tables,
      signals: { arrived: (sig) => this.#procs.signals.arrived(sig), lost: (sig, e) => this.#procs.signals.lost(sig, e) },
    });
    // The facade's own process API, as the cluster builds it.
    this.#procs = new ClusterProcesses({
      endpoint: this.#endpoint,
      nodes: this.nodes,
      timeout: settings.timeout,
      maxMailbox: settings.maxMailbox,
      scheduler: systemScheduler,
      stdout,
      labelOutput: false,
      indexOf: (node, method) => this.#indexOf(node, method),
      taskError: (event) => this.#taskError(event.node, event.mfa, event.error),
      exit: (event) => this.emit('exit', event),
      warn: (text, code) => process.emitWarning(text, { code }),
    });
  }

  async start(): Promise<void> {
    const n = this.nodes.length;
    const tables = Object.fromEntries(this.#tables);
    const { nodeLinks, clientPorts } = wireMesh(
      n,
      (): [MessagePort, MessagePort] => {
        const { port1, port2 } = new MessageChannel();
        this.#ports.push(port1, port2);
        return [port1, port2];
      },
      CLIENT,
    );
    clientPorts.forEach((port, i) => this.#endpoint.attach(i, portLink(port)));
    for (const [index, name] of this.nodes.entries()) {
      const control = new MessageChannel();
      this.#ports.push(control.port1, control.port2);
      let failure: KvError | undefined;
      const node = await hostNode({ name, index, settings: this.#settings, tables, links: nodeLinks[index] ?? [], control: control.port2 }, (msg) => {
        if (msg.type === 'failed') failure = fromWire(msg.error);
        if (msg.type === 'spawn-failed') this.#taskError(msg.node, `${msg.mod}.${msg.fun}/${msg.arity}`, fromWire(msg.error));
      });
      if (node === undefined) throw failure ?? new KvError('KV_ERR_INTERNAL', `node ${name} did not start`);
      this.#kvNodes.push(node);
    }
  }

  client(options: { via?: string } = {}): KvClient {
    const via: string = requireOptions(options, 'client').via ?? (this.nodes[0] as string);
    return KvClient.create(this.#endpoint, this.#indexOf(via, 'client'), via, this.#settings.timeout, undefined, this.nodes);
  }

  async call<T = unknown>(node: string, mod: string, fun: string, args: readonly unknown[] = [], options: { timeout?: number } = {}): Promise<T> {
    requireMfa(mod, fun, args, 'call');
    const timeout = requireOptions(options, 'call').timeout === undefined ? this.#settings.timeout : requireTimeout(options.timeout, 'timeout', 'call');
    return this.#endpoint.request(this.#indexOf(node, 'call'), { op: 'apply', mod, fun, args: [...args] }, timeout) as Promise<T>;
  }

  async<T = unknown>(node: string, mod: string, fun: string, args: readonly unknown[] = []): Task<T> {
    requireMfa(mod, fun, args, 'async');
    const result = this.#endpoint.request(this.#indexOf(node, 'async'), { op: 'apply', mod, fun, args: [...args] }, undefined);
    return Task.start<T>(node, `${mod}.${fun}/${args.length}`, result, systemScheduler);
  }

  spawn(node: string, mod: string, fun: string, args: readonly unknown[] = [], options: { timeout?: number } = {}): Promise<Pid> {
    return this.#procs.spawn('spawn', 'spawn', node, [mod, fun, args], options) as Promise<Pid>;
  }

  spawnLink(node: string, mod: string, fun: string, args: readonly unknown[] = [], options: { timeout?: number } = {}): Promise<Pid> {
    return this.#procs.spawn('link', 'spawnLink', node, [mod, fun, args], options) as Promise<Pid>;
  }

  spawnMonitor(node: string, mod: string, fun: string, args: readonly unknown[] = [], options: { timeout?: number } = {}): Promise<{ pid: Pid; ref: Ref }> {
    return this.#procs.spawn('monitor', 'spawnMonitor', node, [mod, fun, args], options) as Promise<{ pid: Pid; ref: Ref }>;
  }

  self(): ProcessHandle {
    return this.#procs.self();
  }

  send(dest: Pid | ServerName, msg: unknown): void {
    this.#procs.send(dest, msg);
  }

  exit(pid: Pid, reason: unknown): void {
    this.#procs.exit(pid, reason);
  }

  callServer<T = unknown>(dest: Pid | ServerName, msg: unknown, options: { timeout?: number } = {}): Promise<T> {
    return this.#procs.callServer(dest, msg, options) as Promise<T>;
  }

  whereis(name: string, node: string): Promise<Pid | null> {
    return this.#procs.whereis(name, node);
  }

  processes(node: string): Promise<ProcessInfo[]> {
    return this.#procs.processes(node);
  }

  routingTable(node: string): RoutingTable {
    const table = this.#tables.get(requireString(node, 'node', 'routingTable'));
    if (table === undefined) throw Errors.unknownNode(node, this.nodes);
    return table;
  }

  async setRoutingTable(node: string, table: RouteEntrySpec[] | RoutingTable): Promise<{ warnings: readonly string[] }> {
    this.#indexOf(node, 'setRoutingTable');
    const replaced = replaceTable(this.#settings, this.#tables, node, table, `table for node "${node}"`);
    this.#tables.set(node, replaced.table);
    const tables = Object.fromEntries(this.#tables);
    for (const kvNode of this.#kvNodes) kvNode.control().setTables(tables);
    return { warnings: replaced.warnings };
  }

  async stats(node: string): Promise<NodeStats> {
    return (this.#kvNodes[this.#indexOf(node, 'stats')] as KvNode).control().stats();
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      const reason = new KvError('KV_ERR_CLOSED', 'the cluster is closed');
      this.#procs.close(reason);
      this.#endpoint.close(reason);
      await Promise.all(this.#kvNodes.map((node) => node.stop(reason)));
      for (const port of this.#ports) port.close();
    })();
    return this.#closing;
  }

  #indexOf(node: string, method: string): number {
    const index = this.nodes.indexOf(requireString(node, 'node', method));
    if (index < 0) throw Errors.unknownNode(node, this.nodes);
    if (this.#closing !== undefined) throw new KvError('KV_ERR_CLOSED', 'the cluster is closed');
    return index;
  }

  #taskError(node: string, mfa: string, error: KvError): void {
    if (this.#closing !== undefined && error.code === 'KV_ERR_CLOSED') return;
    this.emit('taskerror', { node, mfa, error });
  }
}
