/**
 * The supervisor: starts one worker thread per configured node, wires the data-plane mesh
 * and each node's control channel, watches the nodes, and closes everything.
 */
import { EventEmitter } from 'node:events';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { Endpoint } from '../transport/endpoint.js';
import { transferPort, wrapControl } from '../transport/control.js';
import { withDeadline } from '../transport/deadline.js';
import type { ControlProxy } from '../transport/control.js';
import { KvError, fromWire, toWire } from '../protocol/errors.js';
import type { ClientAttachment, Lifecycle, NodeInit, NodeStats, Tables } from '../protocol/messages.js';
import { badConfig, validateTable } from '../core/config.js';
import type { KvConfig, RouteEntrySpec, Settings } from '../core/config.js';
import { lintTables, passesThrough } from '../core/routing.js';
import type { RoutingTable } from '../core/routing.js';
import { unknownNode } from '../node/node.js';
import { KvClient, requireMfa, requireString } from '../client.js';
import { loadConfig } from './load-config.js';
import type { LoadedConfig } from './load-config.js';
import { Task } from './task.js';

const NODE_WORKER = new URL('../../workers/node.js', import.meta.url);
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 2_000;

/** Options of `startCluster`. */
export interface StartOptions {
  /** The configuration object, or the path of a config file; searched from `cwd` when absent. */
  readonly config?: KvConfig | string;
  /** Where a relative config path, or the search, starts. Default: `process.cwd()`. */
  readonly cwd?: string;
}

/** Emitted as `nodedown`. */
export interface NodeDownEvent {
  readonly node: string;
  readonly reason: KvError;
}

/** Emitted as `routingtable` when a node changed its own table (`Application.put_env`). */
export interface RoutingTableEvent {
  readonly node: string;
  readonly table: RoutingTable;
}

/** Emitted as `taskerror` when a spawned call fails. */
export interface TaskErrorEvent {
  readonly node: string;
  readonly mfa: string;
  readonly error: KvError;
}

interface NodeHandle {
  readonly name: string;
  readonly index: number;
  readonly worker: Worker;
  readonly control: ControlProxy;
  readonly controlPort: MessagePort;
  up: boolean;
}

/** Starts a cluster: loads and validates the configuration, starts every node, resolves when all are ready. */
export async function startCluster(options: StartOptions = {}): Promise<Cluster> {
  return Cluster.start(await loadConfig(options.config, options.cwd));
}

/** A running cluster of named nodes. */
export class Cluster extends EventEmitter {
  /** The node names, in config order. */
  readonly nodes: readonly string[];
  /** Lint warnings of the configuration. */
  readonly warnings: readonly string[];
  /** The config file the cluster was started from, if any. */
  readonly configFile: string | undefined;
  readonly #settings: Settings;
  readonly #tables: Map<string, RoutingTable>;
  readonly #handles: NodeHandle[] = [];
  readonly #ports = new Map<string, number>();
  readonly #endpoint: Endpoint;
  #closing: Promise<void> | undefined;
  /** The link index of the next attached client thread (the main thread's client is nodes.length). */
  #nextClient = 0;

  private constructor(loaded: LoadedConfig) {
    super();
    this.#settings = loaded.settings;
    this.nodes = loaded.settings.nodes.map((n) => n.name);
    this.warnings = loaded.warnings;
    this.configFile = loaded.filepath;
    this.#tables = new Map(loaded.settings.nodes.map((n) => [n.name, n.table]));
    this.#endpoint = new Endpoint({
      self: this.nodes.length,
      onRequest: (req) => this.#endpoint.fail(req, new KvError('KV_ERR_INTERNAL', 'the supervisor runs no requests')),
      nameOf: (i) => this.nodes[i] ?? 'client',
    });
  }

  /** Starts the nodes of a loaded configuration. */
  static async start(loaded: LoadedConfig): Promise<Cluster> {
    const cluster = new Cluster(loaded);
    try {
      await cluster.#startNodes();
    } catch (e) {
      await cluster.close();
      throw e;
    }
    return cluster;
  }

  /** The TCP port each serving node listens on (the actual port when configured as 0), by node name. */
  get ports(): ReadonlyMap<string, number> {
    return this.#ports;
  }

  /** A client whose requests enter the cluster at node `via` (default: the first node). */
  client(options: { via?: string } = {}): KvClient {
    const via = options.via ?? (this.nodes[0] as string);
    return new KvClient(this.#endpoint, this.#indexOf(via, 'client'), via, this.#settings.timeout, false, this.nodes);
  }

  /**
   * Links a client in another thread (a load generator, a worker of the app): one new data
   * channel per node, wired on the node side now. Transfer `ports` to that thread and build a
   * client there with `connectClient`. A node that is down gets `null`.
   */
  async attachClient(): Promise<ClientAttachment> {
    if (this.#closing !== undefined) throw new KvError('KV_ERR_CLOSED', 'the cluster is closed');
    this.#nextClient = Math.max(this.#nextClient, this.nodes.length + 1);
    const index = this.#nextClient++;
    const ports = await Promise.all(
      this.#handles.map(async (h) => {
        if (!h.up) return null;
        const { port1, port2 } = new MessageChannel();
        await withDeadline(h.control.link(index, transferPort(port2)), STOP_TIMEOUT_MS, `link a client to node "${h.name}"`);
        return port1;
      }),
    );
    return { index, nodes: this.nodes, ports, timeout: this.#settings.timeout };
  }

  /** `:rpc.call`: runs `mod.fun(...args)` on `node` and waits for the result (default timeout: the config's). */
  async call(node: string, mod: string, fun: string, args: unknown[] = [], options: { timeout?: number } = {}): Promise<unknown> {
    requireMfa(mod, fun, args, 'call');
    const timeout = options.timeout ?? this.#settings.timeout;
    if (!Number.isFinite(timeout) || timeout <= 0) throw new TypeError(`call: timeout must be a positive number of ms, received ${String(timeout)}`);
    return this.#endpoint.request(this.#indexOf(node, 'call'), { op: 'apply', mod, fun, args }, timeout);
  }

  /** `Task.Supervisor.async({sup, node}, mod, fun, args)`: starts the call now; `task.await(ms)` waits for it. */
  async(node: string, mod: string, fun: string, args: unknown[] = []): Task {
    requireMfa(mod, fun, args, 'async');
    const index = this.#indexOf(node, 'async');
    return new Task(node, `${mod}.${fun}/${args.length}`, this.#endpoint.request(index, { op: 'apply', mod, fun, args }, undefined));
  }

  /** Fire and forget: runs `mod.fun(...args)` on `node`; a failure is emitted as `taskerror` (or a process warning if nobody listens). */
  spawn(node: string, mod: string, fun: string, args: unknown[] = []): void {
    requireMfa(mod, fun, args, 'spawn');
    const index = this.#indexOf(node, 'spawn');
    this.#endpoint.request(index, { op: 'apply', mod, fun, args }, undefined).catch((e: unknown) => {
      this.#taskError({ node, mfa: `${mod}.${fun}/${args.length}`, error: e as KvError });
    });
  }

  /** The table `node` routes with now. */
  routingTable(node: string): RoutingTable {
    return this.#tables.get(requireString(node, 'node', 'routingTable')) ?? throwUnknown(node, this.nodes);
  }

  /**
   * Replaces `node`'s table at run time (the guide's `Application.put_env(:kv, :routing_table, ...)`),
   * validated and linted against every other table first. Resolves with the lint warnings.
   */
  async setRoutingTable(node: string, table: RouteEntrySpec[] | RoutingTable): Promise<{ warnings: readonly string[] }> {
    this.#indexOf(node, 'setRoutingTable');
    const checked = validateTable(table, this.nodes, `table for node "${node}"`);
    const next = new Map(this.#tables).set(node, checked);
    const lint = lintTables(next, this.#settings.hopLimit);
    if (lint.errors.length > 0) throw badConfig(lint.errors.map((message) => ({ path: `table for node "${node}"`, message })));
    this.#tables.set(node, checked);
    await this.#pushTables();
    return { warnings: lint.warnings };
  }

  /** Counters of one node. */
  async stats(node: string): Promise<NodeStats> {
    const h = this.#handles[this.#indexOf(node, 'stats')] as NodeHandle;
    return withDeadline(h.control.stats(), STOP_TIMEOUT_MS, `stats of node "${node}"`);
  }

  /** Closes the cluster: requests in flight reject with KV_ERR_CLOSED, every node thread and port ends. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const reason = new KvError('KV_ERR_CLOSED', 'the cluster is closed');
      this.#endpoint.close(reason);
      await Promise.all(
        this.#handles.map(async (h) => {
          if (h.up) await withDeadline(h.control.stop(toWire(reason)), STOP_TIMEOUT_MS, `stop node "${h.name}"`).catch(() => undefined);
          h.up = false;
          h.controlPort.close();
          await h.worker.terminate();
        }),
      );
    })();
    return this.#closing;
  }

  #indexOf(node: string, method: string): number {
    const index = this.nodes.indexOf(requireString(node, 'node', method));
    if (index < 0) throw unknownNode(node, this.nodes);
    if (this.#closing !== undefined) throw new KvError('KV_ERR_CLOSED', 'the cluster is closed');
    return index;
  }

  async #startNodes(): Promise<void> {
    const n = this.nodes.length;
    const links: { index: number; port: MessagePort }[][] = this.nodes.map(() => []);
    for (let i = 0; i < n; i++) {
      const toClient = new MessageChannel();
      this.#endpoint.attach(i, toClient.port1);
      links[i]?.push({ index: n, port: toClient.port2 });
      for (let j = i + 1; j < n; j++) {
        const mesh = new MessageChannel();
        links[i]?.push({ index: j, port: mesh.port1 });
        links[j]?.push({ index: i, port: mesh.port2 });
      }
    }
    const tables = this.#tablesRecord();
    const ready = this.nodes.map((name, index) => {
      const control = new MessageChannel();
      const nodeLinks = links[index] ?? [];
      const init: NodeInit = { name, index, settings: this.#settings, tables, links: nodeLinks, control: control.port2 };
      const limits = this.#settings.nodes[index]?.resourceLimits;
      const worker = new Worker(NODE_WORKER, {
        workerData: init,
        transferList: [control.port2, ...nodeLinks.map((l) => l.port)],
        ...(limits === undefined ? {} : { resourceLimits: limits }),
      });
      const handle: NodeHandle = { name, index, worker, control: wrapControl(control.port1), controlPort: control.port1, up: false };
      this.#handles.push(handle);
      return this.#watch(handle);
    });
    await withDeadline(Promise.all(ready), START_TIMEOUT_MS, 'starting the nodes');
  }

  /** Resolves when the node reports ready; afterwards turns its messages and its exit into cluster events. */
  #watch(h: NodeHandle): Promise<void> {
    return new Promise((resolve, reject) => {
      let lastError: Error | undefined;
      h.worker.on('message', (msg: Lifecycle) => {
        switch (msg.type) {
          case 'ready':
            if (msg.port !== undefined) this.#ports.set(h.name, msg.port);
            h.up = true;
            resolve();
            break;
          case 'failed':
            reject(fromWire(msg.error));
            break;
          case 'table':
            this.#tables.set(msg.node, msg.table);
            this.#pushTables().catch(() => undefined);
            this.emit('routingtable', { node: msg.node, table: msg.table } satisfies RoutingTableEvent);
            break;
          case 'spawn-failed':
            this.#taskError({ node: msg.node, mfa: `${msg.mod}.${msg.fun}/${msg.arity}`, error: fromWire(msg.error) });
            break;
          default: {
            const never: never = msg;
            throw new Error(`unknown lifecycle message ${JSON.stringify(never)}`);
          }
        }
      });
      h.worker.on('error', (e) => {
        lastError = e;
      });
      h.worker.on('exit', (code) => {
        const why = lastError === undefined ? `its thread exited with code ${code}` : `its thread crashed: ${lastError.message}`;
        const reason = new KvError('KV_ERR_NODE_DOWN', `node "${h.name}" is down: ${why}`);
        reject(reason);
        if (h.up && this.#closing === undefined) this.#nodeDown(h, reason);
        h.up = false;
      });
    });
  }

  /** Every request waiting on the dead node, or routed through it, settles now; the other nodes do the same. */
  #nodeDown(h: NodeHandle, reason: KvError): void {
    h.up = false;
    h.controlPort.close();
    this.#endpoint.detach(h.index);
    this.#endpoint.failPending((to, req) => passesThrough(this.#tables, this.nodes[to] ?? '', req.bucket, h.name), () => reason);
    for (const other of this.#handles) {
      if (other.up) withDeadline(other.control.unlink(h.index, toWire(reason)), STOP_TIMEOUT_MS, 'unlink').catch(() => undefined);
    }
    this.emit('nodedown', { node: h.name, reason } satisfies NodeDownEvent);
  }

  #taskError(event: TaskErrorEvent): void {
    if (this.#closing !== undefined && event.error.code === 'KV_ERR_CLOSED') return;
    if (this.listenerCount('taskerror') > 0) this.emit('taskerror', event);
    else process.emitWarning(`spawned ${event.mfa} on node "${event.node}" failed: ${event.error.message}`, { code: event.error.code });
  }

  #tablesRecord(): Tables {
    return Object.fromEntries(this.#tables);
  }

  async #pushTables(): Promise<void> {
    const tables = this.#tablesRecord();
    await Promise.all(this.#handles.filter((h) => h.up).map((h) => withDeadline(h.control.setTables(tables), STOP_TIMEOUT_MS, `push tables to node "${h.name}"`)));
  }
}

function throwUnknown(node: string, names: readonly string[]): never {
  throw unknownNode(node, names);
}
