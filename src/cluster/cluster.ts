/**
 * The cluster facade: loads the configuration, hands the node threads to the supervisor
 * (`supervisor.ts`: start, watch, restart, stop), and offers the client, calls, tables,
 * status and events to the embedding app.
 */
import { Endpoint } from '../transport/endpoint.js';
import type { MessagePort } from 'node:worker_threads';
import { Errors, fromWire } from '../protocol/errors.js';
import { CLIENT, CLIENT_NAME, PUT_TABLE, RESP_PORTS } from '../protocol/messages.js';
import type { ClientAttachment, NodeStats, Request } from '../protocol/messages.js';
import { MAX_TIMEOUT_MS } from '../core/config.js';
import type { KvConfig, NodeConfig, Settings, TableSpec } from '../core/config.js';

import type { RoutingTable } from '../core/routing.js';
import { KvClient, requireMfa, requireOptions, requireString, requireTimeout } from '../client.js';
import { loadConfig } from './load-config.js';
import type { LoadedConfig } from './load-config.js';
import { Supervisor } from './supervisor.js';
import type { NodeStatus, OutputStream, RoutingTableEvent, TaskErrorEvent } from './events.js';
import { Task } from './task.js';
import { withDeadline } from '../transport/deadline.js';
import { AttachedClients, noClients } from './clients.js';
import type { ClientRegistry } from './clients.js';
import type { ClusterHost } from './host.js';
import { faultControl } from './fault-control.js';
import type { Faults } from './fault-control.js';
import { threadHost } from './threads.js';
import { ClusterProcesses } from './processes.js';
import { ProcessApi } from './process-api.js';
import { TableChanges } from './changes.js';
import { addNode, removeNode } from './membership.js';
import type { MembershipContext } from './membership.js';
import type { Recording } from './recording.js';
import type { ReshardProgress, ReshardResult } from './events.js';
import type { Plan } from '../plan/plan.js';
import type { TrafficLog } from '../protocol/data.js';

export type { Faults } from './fault-control.js';
export type { Recording } from './recording.js';
export type { ReshardProgress, ReshardResult } from './events.js';
export type { Plan, BucketMove, UnitMove } from '../plan/plan.js';
export type { ProcessHandle } from './process-handle.js';
export type { Pid, ProcessInfo, Ref, ServerName } from '../protocol/messages.js';
export type { OutputStream, ExitEvent, ClusterEvents, NodeDownEvent, NodeStatus, NodeUpEvent, NodeState, RoutingTableEvent, TaskErrorEvent, NodeMembershipEvent } from './events.js';

/** Options of `startCluster`. */
export interface StartOptions {
  /** The configuration object, or the path of a config file; searched from `cwd` when absent. */
  readonly config?: KvConfig | string;
  /** Where a relative config path, or the search, starts. Default: `process.cwd()`. */
  readonly cwd?: string;
  /** Where `this.puts` of processes whose group leader is the app is written. Default: `process.stdout`. */
  readonly stdout?: OutputStream;
  /** Prefix each such line with the node that wrote it (`[foo] hello world`), as `kvmesh start` does. Default false. */
  readonly labelOutput?: boolean;
}

/** How the app's output is written (`StartOptions` minus the config). */
export type OutputOptions = Pick<StartOptions, 'stdout' | 'labelOutput'>;

/** How long `close()` lets calls in flight complete by default, ms. */
const DRAIN_MS = 250;

/** Starts a cluster: loads and validates the configuration, starts every node, resolves when all are ready. */
export async function startCluster(options: StartOptions = {}): Promise<Cluster> {
  return Cluster.start(await loadConfig(options.config, options.cwd), undefined, options);
}

/** A running cluster of named nodes; its events are `ClusterEvents` (a misspelled name does not compile). */
export class Cluster extends ProcessApi {
  /** Every node's name by link index, those that left included (indexes are never reused). */
  readonly #names: string[];
  readonly #left = new Set<string>();
  /** Lint warnings of the configuration. */
  readonly warnings: readonly string[];
  /** The config file the cluster was started from, if any. */
  readonly configFile: string | undefined;
  /** Every node's settings by link index (nodes that joined later appended). */
  #settings: Settings;
  readonly #tables: Map<string, RoutingTable>;
  readonly #changes: TableChanges;
  readonly #ports = new Map<string, number>();
  readonly #respPorts = new Map<string, number>();
  readonly #endpoint: Endpoint;
  readonly #supervisor: Supervisor<unknown>;
  readonly #host: ClusterHost<unknown>;
  readonly #clients: ClientRegistry<unknown>;
  /** @internal The process API's runtime (`process-api.ts`). */
  protected readonly procs: ClusterProcesses;
  #closing: Promise<void> | undefined;
  #destroyed: Promise<void> | undefined;
  /** The link index of the next attached client thread (the main thread's client is CLIENT). */
  #nextClient: number;

  private constructor(loaded: LoadedConfig, host: ClusterHost<unknown>, clients: ClientRegistry<unknown>, output: OutputOptions) {
    super();
    this.#host = host;
    this.#clients = clients;
    this.#settings = loaded.settings;
    this.#names = loaded.settings.nodes.map((n) => n.name);
    // Link indexes: nodes from 0 in the order they joined, the main-thread client CLIENT, attached clients after it.
    this.#nextClient = CLIENT + 1;
    this.warnings = loaded.warnings;
    this.configFile = loaded.filepath;
    this.#changes = new TableChanges({
      settings: () => this.#members(),
      nodes: { names: this.#names, isUp: (i) => this.#supervisor.isUp(i), call: (i, what, fn, ms) => this.#supervisor.call(i, what, fn, ms) },
      clock: host.scheduler,
      clockKind: host.virtual === true ? 'virtual' : 'real',
      push: () => this.#supervisor.pushTables(),
    });
    this.#tables = this.#changes.tables;
    this.#endpoint = new Endpoint({
      self: CLIENT,
      onRequest: (req) => this.#onRequest(req),
      nameOf: (i) => this.#names[i] ?? CLIENT_NAME,
      tables: () => this.#tables,
      scheduler: host.scheduler,
      signals: { arrived: (sig) => this.procs.signals.arrived(sig), lost: (sig, e) => this.procs.signals.lost(sig, e) },
    });
    this.procs = new ClusterProcesses({
      endpoint: this.#endpoint,
      nodes: this.#names,
      timeout: this.#settings.timeout,
      maxMailbox: this.#settings.maxMailbox,
      scheduler: host.scheduler,
      stdout: output.stdout ?? process.stdout,
      labelOutput: output.labelOutput === true,
      indexOf: (node, method) => this.#indexOf(node, method),
      taskError: (event) => this.#taskError(event),
      exit: (event) => this.emit('exit', event),
      warn: (text, code) => host.warn(text, code),
    });
    this.#supervisor = new Supervisor({
      settings: this.#settings,
      host,
      endpoint: this.#endpoint,
      tables: () => this.#tables,
      version: () => this.#changes.version,
      clients: this.#clients,
      onMessage: (msg) => this.#taskError({ node: msg.node, mfa: `${msg.mod}.${msg.fun}/${msg.arity}`, error: fromWire(msg.error) }),
      onNodeDown: (event) => {
        this.procs.nodeDown(event.node);
        this.emit('nodedown', event);
      },
      onNodeUp: (event) => this.emit('nodeup', event),
      // A restarted node configured with port 0 listens on a new port.
      onReady: (node, port, respPort) => {
        if (port === undefined) this.#ports.delete(node);
        else this.#ports.set(node, port);
        if (respPort === undefined) this.#respPorts.delete(node);
        else this.#respPorts.set(node, respPort);
      },
    });
    this.faults = faultControl(this.#names, (spec) => this.#supervisor.setFaults(spec));
  }

  /**
   * @internal Starts the nodes of a loaded configuration, as worker threads (`host`: another host of
   * nodes, as `simulate()` passes its own). Internal, left out of the published types: use `startCluster`.
   */
  static async start(loaded: LoadedConfig, host?: ClusterHost<unknown>, output: OutputOptions = {}): Promise<Cluster> {
    const cluster = host === undefined ? new Cluster(loaded, threadHost, new AttachedClients(), output) : new Cluster(loaded, host, noClients, output);
    try {
      await cluster.#supervisor.start();
    } catch (e) {
      await cluster.close();
      throw e;
    }
    return cluster;
  }

  /**
   * Network faults, one API on every host: on worker threads each node applies them when it
   * sends (a cut or lost frame is lost as a packet is: its request times out); in a simulation
   * they are part of the seeded schedule. Each call resolves once every node applies it.
   */
  readonly faults: Faults;

  /** Stops `node` running (its messages and timers wait) until `resume`; resolves once it has stopped. Past `heartbeatMs` the heartbeat declares it blocked. */
  async pause(node: string): Promise<void> {
    await this.#supervisor.pause(this.#indexOf(node, 'pause'));
  }

  /** Lets a paused node run again: what waited is handled in order. */
  resume(node: string): void {
    this.#supervisor.resume(this.#indexOf(node, 'resume'));
  }

  /** The names of the nodes in the cluster, in the order they joined (config order first). */
  get nodes(): readonly string[] {
    return this.#names.filter((n) => !this.#left.has(n));
  }

  /**
   * Starts node `name` with `settings` (as a config's `nodes.NAME`) in the running cluster, links it
   * to every node and client, then moves it its claim live, as the partitioner decides (a ring or
   * hash slots re-claimed: it takes about 1/N of them, only from the others; byte ranges: nothing,
   * until a reshard gives it ranges). Emits `nodejoin` once it is up. Resolves with the move.
   */
  addNode(name: string, settings: NodeConfig = {}, options: { readonly onProgress?: (progress: ReshardProgress) => void } = {}): Promise<ReshardResult> {
    if (this.#closing !== undefined) return Promise.reject(Errors.closed());
    return addNode(this.#membership(), name, settings, requireOptions(options, 'addNode').onProgress);
  }

  /** Hands everything `node` holds to the nodes the partitioner gives its share to, live, then stops it for good; emits `nodeleave`. Resolves with the move. */
  removeNode(node: string, options: { readonly onProgress?: (progress: ReshardProgress) => void } = {}): Promise<ReshardResult> {
    if (this.#closing !== undefined) return Promise.reject(Errors.closed());
    return removeNode(this.#membership(), requireString(node, 'node', 'removeNode'), requireOptions(options, 'removeNode').onProgress);
  }

  #membership(): MembershipContext {
    return {
      changes: this.#changes,
      supervisor: this.#supervisor,
      all: () => this.#settings,
      members: () => this.nodes,
      joined: (settings) => {
        this.#settings = settings;
        this.#names.push(settings.nodes[settings.nodes.length - 1]?.name ?? '');
      },
      left: (node) => this.#left.add(node),
      announce: (event, node) => this.emit(event, { node }),
    };
  }

  /** The settings of the nodes in the cluster now. */
  #members(): Settings {
    return this.#left.size === 0 ? this.#settings : { ...this.#settings, nodes: this.#settings.nodes.filter((n) => !this.#left.has(n.name)) };
  }

  /** The TCP port each serving node listens on (the actual port when configured as 0), by node name. */
  get ports(): ReadonlyMap<string, number> {
    return this.#ports;
  }

  /** The Redis protocol (RESP) port each node with `resp` settings listens on (the actual port when configured as 0), by node name. */
  get respPorts(): ReadonlyMap<string, number> {
    return this.#respPorts;
  }

  /** A client whose requests enter the cluster at node `via` (default: the first node). */
  client(options: { via?: string } = {}): KvClient {
    const via: string = requireOptions(options, 'client').via ?? (this.nodes[0] as string);
    return KvClient.create(this.#endpoint, this.#indexOf(via, 'client'), via, this.#settings.timeout, undefined, this.#names);
  }

  /**
   * Links a client in another thread (a load generator, a worker of the app): one new data
   * channel per node, wired on the node side now, and a channel from the supervisor. Transfer
   * `ports` and `control` to that thread and build a client there with `connectClient`. It stays
   * linked across restarts: a node that is not up now gets `null`, and is linked when it comes up.
   */
  async attachClient(): Promise<ClientAttachment> {
    if (this.#closing !== undefined) throw Errors.closed();
    const clients = this.#clients;
    if (!(clients instanceof AttachedClients)) throw Errors.badArgument('attachClient: a simulated cluster has no other threads; use cluster.client()');
    const index = this.#nextClient++;
    // Registered first: a node restarted while the others are linked links this client too.
    const control = clients.add(index);
    const ports = await Promise.all(
      this.#names.map(async (node, i) => {
        if (!this.#supervisor.isUp(i)) return null;
        const [mine, theirs] = this.#host.channel(`client${index}`, node) as [MessagePort, MessagePort];
        try {
          await this.#supervisor.call(i, 'link a client', (c) => c.link(index, theirs));
          return mine;
        } catch {
          mine.close();
          return null;
        }
      }),
    );
    return { index, nodes: [...this.#names], ports, timeout: this.#settings.timeout, tables: Object.fromEntries(this.#tables), control };
  }

  /** `:rpc.call`: runs `mod.fun(...args)` on `node` and waits for its result, of type `T` as the caller says (default timeout: the config's). */
  async call<T = unknown>(node: string, mod: string, fun: string, args: readonly unknown[] = [], options: { readonly timeout?: number } = {}): Promise<T> {
    return this.#apply('call', node, mod, fun, args, options) as Promise<T>;
  }

  /**
   * `Task.Supervisor.async({sup, node}, mod, fun, args)`: starts the call now; `task.await(ms)` waits
   * for it. The call itself has a deadline too (`timeout`, default the config's): past it the task fails with KV_ERR_TIMEOUT.
   */
  async<T = unknown>(node: string, mod: string, fun: string, args: readonly unknown[] = [], options: { readonly timeout?: number } = {}): Task<T> {
    const result = this.#apply('async', node, mod, fun, args, options);
    return Task.start<T>(node, `${mod}.${fun}/${args.length}`, result, this.#host.scheduler);
  }

  /** The one way `call` and `async` send a call: arguments checked before anything is sent, a deadline always. */
  #apply(method: string, node: string, mod: string, fun: string, args: readonly unknown[], options: { readonly timeout?: number }): Promise<unknown> {
    requireMfa(mod, fun, args, method);
    const timeout = requireOptions(options, method).timeout === undefined ? this.#settings.timeout : requireTimeout(options.timeout, 'timeout', method);
    // Never mutated: the args are cloned as they are sent.
    return this.#endpoint.request(this.#indexOf(node, method), { op: 'apply', mod, fun, args: args as unknown[] }, timeout);
  }

  /** The version of the tables in force: 0 at start, one more for every change (`setRoutingTable`, a node's own, a reshard). */
  get tableVersion(): number {
    return this.#changes.version;
  }

  /**
   * What changing the cluster to `next` (a whole configuration, an object or a file path, as
   * `startCluster` takes) would do, without touching anything: every bucket that would move with its
   * keys and bytes, from and to; each node's share before and after; new lint findings; and, given
   * recorded `traffic`, the load per node and hops per op before and after. `formatPlan` prints it.
   */
  async plan(next: KvConfig | string, options: { readonly traffic?: TrafficLog } = {}): Promise<Plan> {
    if (this.#closing !== undefined) throw Errors.closed();
    return this.#changes.plan(next, requireOptions(options, 'plan').traffic);
  }

  /** Starts recording every request that enters the cluster (at any node, from any client or TCP connection); `stop()` gives the traffic log. */
  async record(): Promise<Recording> {
    if (this.#closing !== undefined) throw Errors.closed();
    return this.#changes.record();
  }

  /**
   * Moves the running cluster to `next` live (a whole configuration, as `plan` takes it; its tables are
   * what changes): buckets are copied to their new owners while both serve, then the writes that came
   * meanwhile, then a short fence, then the tables' version moves; a request that reaches an old
   * owner is forwarded to the new one. If a node dies before the new owners take over, the move is
   * undone and the old owners keep serving (`committed: false`). Changes run one at a time.
   */
  async reshard(next: KvConfig | string, options: { readonly onProgress?: (progress: ReshardProgress) => void } = {}): Promise<ReshardResult> {
    if (this.#closing !== undefined) throw Errors.closed();
    return this.#changes.reshard(next, requireOptions(options, 'reshard').onProgress);
  }

  /** The table `node` routes with now. */
  routingTable(node: string): RoutingTable {
    return this.#tables.get(requireString(node, 'node', 'routingTable')) ?? throwUnknown(node, this.nodes);
  }

  /**
   * Replaces `node`'s table at run time (the guide's `Application.put_env(:kv, :routing_table, ...)`),
   * validated and linted against every other table first. Resolves with the lint warnings.
   */
  async setRoutingTable(node: string, table: TableSpec | RoutingTable): Promise<{ warnings: readonly string[] }> {
    this.#indexOf(node, 'setRoutingTable');
    const { warnings } = await this.#replaceTable(node, table, `table for node "${node}"`);
    return { warnings };
  }

  /**
   * The one writer of the tables: a change is checked against the latest table of every node and
   * applied in the same synchronous step, so of two changes racing to make a loop the second
   * is refused (naming it) and the old table kept; then every node gets the tables.
   */
  #replaceTable(node: string, spec: unknown, path: string): Promise<{ table: RoutingTable; warnings: readonly string[] }> {
    return this.#changes.replace(node, spec, path);
  }

  /** Requests from the nodes to the supervisor: a node's change of its own table (`Application.put_env`), and where nodes serve RESP. */
  #onRequest(req: Request): void {
    const node = this.#names[req.from];
    if (req.op === 'apply' && req.mod === RESP_PORTS.mod && req.fun === RESP_PORTS.fun && node !== undefined) {
      // Only the nodes up now: one that died since it reported its port serves nothing.
      this.#endpoint.reply(req, Object.fromEntries([...this.#respPorts].filter(([name]) => this.#supervisor.isUp(this.#names.indexOf(name)))));
      return;
    }
    if (req.op !== 'apply' || req.mod !== PUT_TABLE.mod || req.fun !== PUT_TABLE.fun || node === undefined) {
      this.#endpoint.fail(req, Errors.internal('the supervisor runs no requests'));
      return;
    }
    this.#replaceTable(node, req.args[0], `routing_table of node "${node}"`).then(
      ({ table }) => {
        this.emit('routingtable', { node, table } satisfies RoutingTableEvent);
        this.#endpoint.reply(req, table);
      },
      (e: unknown) => this.#endpoint.fail(req, e),
    );
  }

  /** Counters of one node. */
  async stats(node: string): Promise<NodeStats> {
    return this.#supervisor.call(this.#indexOf(node, 'stats'), 'stats', (c) => c.stats());
  }

  /** Each node's state (`up`, `restarting`, `down`) and restart count, in config order; during a reshard, how far it has come (`move`). */
  status(): NodeStatus[] {
    const move = this.#changes.move;
    return this.#supervisor.status().map((s) => (move === undefined ? s : { ...s, move }));
  }

  /**
   * Crashes `node` on purpose (a test API): its thread is terminated and it is handled as any
   * crash (`nodedown`, requests settled, restart within its intensity). Resolves once its thread is gone.
   */
  async kill(node: string): Promise<void> {
    await this.#supervisor.kill(this.#indexOf(node, 'kill'), 'killed by cluster.kill');
  }

  /**
   * Closes the cluster gracefully: new calls are refused with KV_ERR_CLOSED at once, the calls in
   * flight get `drainMs` (default 250) to complete, then it ends as `destroy()` does (what is
   * still in flight rejects with KV_ERR_CLOSED; every node thread and port ends). Idempotent.
   */
  close(options: { drainMs?: number } = {}): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    const { drainMs = DRAIN_MS } = requireOptions(options, 'close');
    if (!Number.isInteger(drainMs) || drainMs < 0 || drainMs > MAX_TIMEOUT_MS) throw new TypeError(`close: drainMs must be a whole number of ms from 0 to ${MAX_TIMEOUT_MS}, received ${String(drainMs)}`);
    this.#closing = (async () => {
      await withDeadline(this.#host.scheduler, this.#endpoint.drain(Errors.closed()), drainMs, 'draining').catch(() => undefined);
      await this.destroy();
    })();
    return this.#closing;
  }

  /**
   * Ends the cluster now: requests in flight reject with KV_ERR_CLOSED, every node thread and port
   * ends (a `close()` under way finishes at once). Idempotent.
   */
  destroy(): Promise<void> {
    this.#destroyed ??= (async () => {
      const reason = Errors.closed();
      this.procs.close(reason);
      this.#endpoint.close(reason);
      await this.#supervisor.close(reason);
    })();
    this.#closing ??= this.#destroyed;
    return this.#destroyed;
  }

  #indexOf(node: string, method: string): number {
    const index = this.#names.indexOf(requireString(node, 'node', method));
    if (index < 0 || this.#left.has(node)) throw Errors.unknownNode(node, this.nodes);
    if (this.#closing !== undefined) throw Errors.closed();
    return index;
  }

  #taskError(event: TaskErrorEvent): void {
    if (this.#closing !== undefined && event.error.code === 'KV_ERR_CLOSED') return;
    if (this.listenerCount('taskerror') > 0) this.emit('taskerror', event);
    else process.emitWarning(`spawned ${event.mfa} on node "${event.node}" failed: ${event.error.message}`, { code: event.error.code });
  }
}

function throwUnknown(node: string, names: readonly string[]): never {
  throw Errors.unknownNode(node, names);
}
