/**
 * A node: its registry of buckets, its own routing table, the router that runs a request
 * here or forwards it (hop by hop, the owner replying straight to the originator), and the
 * task runner for module/function/args calls. It gets its links, scheduler, task pool and supervisor link
 * from whoever hosts it, so the same code runs in a worker thread or in a test.
 */
import { Endpoint } from '../transport/endpoint.js';
import type { Scheduler } from '../transport/scheduler.js';
import type { Link } from '../transport/link.js';
import { faultsFrom } from '../transport/faults.js';
import type { FaultSpec, Uniform } from '../transport/faults.js';
import { toBytes } from '../core/bytes.js';
import type { Bytes } from '../core/bytes.js';
import type { Settings } from '../core/config.js';
import { Errors, KvError, fromWire } from '../protocol/errors.js';
import { CLIENT, CLIENT_NAME, PROCESS_MODULE, PUT_TABLE } from '../protocol/messages.js';
import type { BatchRequest, Lifecycle, NodeAnswers, NodeCommand, NodeControl, NodeStats, Op, Request, Tables } from '../protocol/messages.js';
import { isPooled, lookupFunction, taskFailed } from './modules.js';
import type { Module, NodeContext, PooledModule } from './modules.js';
import { envSnapshot } from './pool.js';
import type { TaskPool } from './pool.js';
import { AFTER_PARAMS, CALL_PARAMS, ENV_PARAMS, ROUTE_PARAMS, argumentError, builtins, checkArgs } from './builtins.js';
import type { Param } from './builtins.js';
import { Router } from './router.js';
import { Storage } from './storage.js';
import { routeBatch } from './batch.js';
import { NodeProcesses } from './process/node-processes.js';
import { Recorder } from './recorder.js';
import { Handoff } from './handoff.js';

/** What `KvNode.runHere` answers for an op this node does not keep. */
export const NOT_HERE: unique symbol = Symbol('not here');

/** What the thread hosting a node provides. */
export interface NodeHost {
  readonly scheduler: Scheduler;
  /** Draws the losses and delays of faults (seeded in a simulation). */
  readonly random: Uniform;
  /** Where calls to `cpu: true` modules run (off the node's event loop on threads; inline in a simulation). */
  readonly pool: TaskPool;
  /** Tells the supervisor something (a changed table, a failed spawn). */
  notify(msg: Lifecycle): void;
  /** Which life of the node this is (default 0): the last number of its pids. */
  readonly creation?: number;
}

/** A node, as started from its `NodeInit` (ports attached separately). */
export class KvNode {
  readonly name: string;
  readonly index: number;
  /** `this` of every function the node runs. */
  readonly context: NodeContext;
  readonly #settings: Settings;
  #names: readonly string[];
  #indexOf: ReadonlyMap<string, number>;
  readonly #router: Router;
  readonly #storage: Storage;
  readonly #endpoint: Endpoint;
  readonly #modules: Map<string, Module | PooledModule>;
  readonly #pool: TaskPool;
  readonly #env = new Map<string, unknown>();
  readonly #host: NodeHost;
  readonly #scheduler: Scheduler;
  readonly #counts = { requests: 0, forwarded: 0, tasks: 0 };
  readonly #processes: NodeProcesses;
  #stopping: Promise<void> | undefined;
  /** Records the requests that enter here, while the supervisor asks it to. */
  #recorder: Recorder | undefined;
  /** This node's part in live moves. */
  readonly #handoff: Handoff;
  /** The faults last set, applied again when nodes join. */
  #faults: FaultSpec | undefined;
  /** Run first on stop (the TCP server), so no client is served by a half-stopped node. */
  readonly #onStop: (() => Promise<void> | void)[] = [];
  readonly #linkWatchers: (() => void)[] = [];

  constructor(name: string, index: number, settings: Settings, tables: Tables, modules: ReadonlyMap<string, Module | PooledModule>, host: NodeHost) {
    this.name = name;
    this.index = index;
    this.#settings = settings;
    this.#names = settings.nodes.map((n) => n.name);
    this.#indexOf = new Map(this.#names.map((n, i) => [n, i]));
    this.#router = new Router(name, this.#names, settings.hopLimit, tables);
    this.#storage = new Storage(name, settings.nodes[index]?.storage !== false);
    this.#host = host;
    this.#pool = host.pool;
    this.#scheduler = host.scheduler;
    this.#endpoint = new Endpoint({
      self: index,
      onRequest: (req) => this.#handle(req),
      onBatch: (req) => this.#batch(req, false),
      nameOf: (i) => this.#names[i] ?? CLIENT_NAME,
      forwardRetainMs: settings.timeout,
      tables: () => this.#router.tables,
      scheduler: host.scheduler,
      signals: { arrived: (sig) => this.#processes.signal(sig), lost: (sig, error) => this.#processes.lost(sig, error) },
      // A request to forward is passed on as it came, with one more hop: not rebuilt and re-packed.
      relay: {
        to: (what, hops) => {
          // A recording notes the requests that enter here: those take the full path.
          if (hops === 0 && this.#recorder !== undefined) return -1;
          const route = this.#router.decide(what, hops, 1);
          if (route.kind !== 'forward') return -1;
          this.#counts.requests++;
          this.#counts.forwarded++;
          return route.to;
        },
        pathFrom: (path) => this.#router.pathFrom(path),
      },
    });
    // Filled once the context exists (the built-ins close over it), built-ins first as the errors list them.
    this.#modules = new Map();
    this.#processes = new NodeProcesses({
      name,
      creation: host.creation ?? 0,
      names: () => this.#names,
      timeout: settings.timeout,
      maxProcesses: settings.maxProcesses,
      maxMailbox: settings.maxMailbox,
      scheduler: host.scheduler,
      endpoint: this.#endpoint,
      modules: this.#modules,
      context: () => this.context,
      notify: (msg) => host.notify(msg),
    });
    this.#handoff = new Handoff({ self: index, name, router: this.#router, storage: this.#storage, rerun: (req) => (req.type === 'req' ? this.#route(req) : this.#batch(req, true)) });
    this.context = this.#makeContext();
    for (const [mod, exports] of this.#builtins()) this.#modules.set(mod, exports);
    // A node has the user modules its settings name (the guide's nodes run different code), else all.
    const mine = settings.nodes[index]?.modules;
    for (const [mod, exports] of modules) if (mine === undefined || mine.includes(mod)) this.#modules.set(mod, exports);
  }

  /** Processes alive on this node now. */
  get processCount(): number {
    return this.#processes.table.size;
  }

  /** Attaches link `index` (another node, or a client). */
  attach(index: number, link: Link): void {
    this.#endpoint.attach(index, link);
  }

  /** The index of the node this node's table sends `bucket` to, or -1 (the RESP front end's slot map). */
  ownerOf(bucket: Bytes): number {
    return this.#router.ownerOf(bucket);
  }

  /** Asks the supervisor (`PUT_TABLE`, `RESP_PORTS`), the main thread's endpoint; rejects as any request does (timeout, closed). */
  askSupervisor(call: { readonly mod: string; readonly fun: string }, args: unknown[] = []): Promise<unknown> {
    return this.#endpoint.request(CLIENT, { op: 'apply', mod: call.mod, fun: call.fun, args }, this.#settings.timeout);
  }

  /** Calls `fn` whenever a link to another node is attached or lost (a node restarted or died): what was learnt of the others may be stale. */
  onLinkChange(fn: () => void): void {
    this.#linkWatchers.push(fn);
  }

  /**
   * Runs `op` now when this node's own table keeps its bucket here (the router's local decision,
   * without the round through the endpoint: a front end's request for a bucket it owns): its value,
   * or a promise for a function that answers later; `NOT_HERE` when it is not kept here (send it
   * with `submit`). Throws what the op throws (KV_ERR_NO_BUCKET…).
   */
  runHere(op: Op): unknown {
    const bucket = op.bucket;
    if (bucket === undefined || this.#router.decide(bucket, 0).kind !== 'local') return NOT_HERE;
    if (op.op === 'apply') {
      const found = this.#modules.get(op.mod);
      // A pooled function runs in the pool: the endpoint's path does that.
      if (found !== undefined && isPooled(found)) return NOT_HERE;
      this.#counts.requests++;
      this.#counts.tasks++;
      return lookupFunction(this.#modules, op.mod, op.fun, op.args.length, this.name).apply(this.context, op.args);
    }
    this.#counts.requests++;
    return this.#storage.run(op.op, bucket, op.op === 'create' ? '' : op.key, op.op === 'put' ? op.value : '');
  }

  /** Sends `op` into the cluster from this node (the TCP server's path): routed by this node's own table, answered here. */
  submit(op: Op, timeoutMs: number = this.#settings.timeout): Promise<unknown> {
    return this.#endpoint.request(this.index, op, timeoutMs);
  }

  /** The control API the supervisor calls over comlink. */
  control(): NodeControl<Link> {
    return {
      ping: () => this.#scheduler.now(),
      setTables: (tables, version) => this.#router.setTables(tables, version),
      link: (index, port) => {
        this.#endpoint.attach(index, port);
        for (const fn of this.#linkWatchers) fn();
      },
      unlink: (index) => {
        this.#endpoint.linkLost(index);
        this.#processes.nodeDown(index);
        for (const fn of this.#linkWatchers) fn();
      },
      setFaults: (spec) => this.#setFaults(spec),
      stats: () => this.#stats(),
      command: (cmd) => this.#command(cmd),
      stop: (reason) => this.stop(fromWire(reason)),
    };
  }

  /** Registers `fn` to run first when the node stops (the host's TCP server closes this way). */
  onStop(fn: () => Promise<void> | void): void {
    this.#onStop.push(fn);
  }

  /** Stops the node: pending requests reject with `reason`, ports close, buckets are gone. Idempotent. */
  stop(reason: KvError): Promise<void> {
    this.#stopping ??= (async () => {
      await Promise.all(this.#onStop.map(async (fn) => fn()));
      this.#processes.table.stopAll();
      this.#endpoint.close(reason);
      this.#storage.registry.clear();
      await this.#pool.close();
    })();
    return this.#stopping;
  }

  /** Runs a command of the supervisor. */
  #command<C extends NodeCommand>(cmd: C): NodeAnswers[C['type']] {
    const c = cmd;
    switch (c.type) {
      case 'inventory':
        return this.#storage.inventory(c.bytes) as NodeAnswers[C['type']];
      case 'record': {
        const taken = this.#recorder?.take() ?? { records: [], dropped: 0 };
        this.#recorder = c.on ? (this.#recorder ?? new Recorder(this.index, () => this.#scheduler.now())) : undefined;
        return taken as NodeAnswers[C['type']];
      }
      case 'nodes':
        this.#names = [...c.names];
        this.#indexOf = new Map(this.#names.map((n, i) => [n, i]));
        this.#router.setNodes(this.#names);
        if (this.#faults !== undefined) this.#setFaults(this.#faults);
        return null as NodeAnswers[C['type']];
      default:
        return this.#handoff.run(c) as NodeAnswers[C['type']];
    }
  }

  /** Routes a batch (`again`: one held at a move's fence, already counted). */
  #batch(req: BatchRequest, again: boolean): void {
    const node = { router: this.#router, storage: this.#storage, endpoint: this.#endpoint, counts: this.#counts, recorder: this.#recorder, hold: (r: BatchRequest) => this.#handoff.hold(r) };
    routeBatch(node, req, again);
  }

  /** The router: run here if this node's table names it, else forward to the node it names. */
  #handle(req: Request): void {
    this.#counts.requests++;
    if (this.#recorder !== undefined && req.hops === 0) this.#recorder.request(req);
    this.#route(req);
  }

  /** Runs `req` here, forwards it, refuses it, or holds it at a move's fence. */
  #route(req: Request): void {
    const bucket = req.bucket;
    if (bucket !== undefined) {
      const route = this.#router.decide(bucket, req.hops);
      if (route.kind === 'forward') {
        this.#forward(req, route.to);
        return;
      }
      if (route.kind === 'refuse') {
        this.#endpoint.fail(req, this.#router.refusal(bucket, route.owner, req.path));
        return;
      }
      if (route.kind === 'hold') {
        this.#handoff.hold(req);
        return;
      }
    }
    try {
      this.#run(req);
    } catch (e) {
      this.#endpoint.fail(req, e);
    }
  }

  /** Sends `req` on to `owner`; the owner will reply straight to the originator. */
  #forward(req: Request, owner: number): void {
    req.hops++;
    req.path = this.#router.pathFrom(req.path);
    this.#counts.forwarded++;
    // A link that is gone makes the endpoint answer the originator with KV_ERR_NODE_DOWN.
    this.#endpoint.forward(owner, req);
  }

  #run(req: Request): void {
    switch (req.op) {
      case 'create':
      case 'get':
      case 'delete':
        this.#endpoint.reply(req, this.#storage.run(req.op, req.bucket, req.op === 'create' ? '' : req.key, ''));
        return;
      case 'put':
        this.#endpoint.reply(req, this.#storage.run('put', req.bucket, req.key, req.value));
        return;
      case 'apply':
        this.#apply(req);
        return;
      default: {
        const never: never = req;
        throw Errors.internal(`unknown op ${JSON.stringify(never)}`);
      }
    }
  }

  /** Runs `mod.fun(...args)` as a supervised task: whatever it throws or rejects with fails this call only. */
  #apply(req: Request & { op: 'apply' }): void {
    if (req.mod === PROCESS_MODULE) return this.#processes.request(req);
    const { mod, fun, args } = req;
    this.#counts.tasks++;
    const found = this.#modules.get(mod);
    const fn = lookupFunction(this.#modules, mod, fun, args.length, this.name);
    const failed = (e: unknown): void => this.#endpoint.fail(req, taskFailed(mod, fun, args.length, this.name, e));
    try {
      const result = found !== undefined && isPooled(found) ? this.#pool.run({ mod, path: found.path, fun, args }, this.context, envSnapshot(this.#env, this.#router.table)) : fn.apply(this.context, args);
      // Inside the try: a user's Promise subclass may throw from then().
      if (result instanceof Promise) result.then((value) => this.#endpoint.reply(req, value), failed);
      else this.#endpoint.reply(req, result);
    } catch (e) {
      failed(e);
    }
  }

  /** Sends `op` from this node to `node` (or routes it from here when `node` is this one). */
  #request(node: string, op: Op, timeoutMs: number | undefined): Promise<unknown> {
    const index = this.#indexOf.get(node);
    if (index === undefined) return Promise.reject(Errors.unknownNode(node, this.#names));
    return this.#endpoint.request(index, op, timeoutMs);
  }

  /** `this` of the functions run here; every function checks its arguments, and route and call reject (never throw) on bad ones. */
  #makeContext(): NodeContext {
    const timeout = this.#settings.timeout;
    const rejected = (where: string, params: readonly Param[], args: unknown[]): Promise<never> | undefined => {
      const error = argumentError(where, params, args);
      return error === undefined ? undefined : Promise.reject(error);
    };
    return {
      node: () => this.name,
      now: () => this.#scheduler.now(),
      after: (ms, fn) => {
        checkArgs('this.after', AFTER_PARAMS, [ms, fn]);
        return this.#scheduler.after(ms, fn);
      },
      nodes: () => this.#names.filter((n) => n !== this.name && this.#endpoint.reaches(this.#indexOf.get(n) as number)),
      route: (bucket, mod, fun, args = []) => rejected('this.route', ROUTE_PARAMS, [bucket, mod, fun, args]) ?? this.#request(this.name, { op: 'apply', bucket: toBytes(bucket), mod, fun, args }, timeout),
      call: (node, mod, fun, args = [], timeoutMs = timeout) => rejected('this.call', CALL_PARAMS, [node, mod, fun, args, timeoutMs]) ?? this.#request(node, { op: 'apply', mod, fun, args }, timeoutMs),
      ...this.#processes.callFunctions(),
      getEnv: (key) => {
        checkArgs('this.getEnv', ENV_PARAMS, [key]);
        return key === 'routing_table' ? this.#router.table : this.#env.get(key);
      },
      putEnv: async (key, value) => {
        checkArgs('this.putEnv', ENV_PARAMS, [key]);
        if (key !== 'routing_table') this.#env.set(key, value);
        // The supervisor is the one writer of the tables: it checks the change against every
        // node's latest table, and pushes the result to every node (this one too) before answering.
        else await this.askSupervisor(PUT_TABLE, [value]);
      },
    };
  }

  #builtins(): [string, Module][] {
    return builtins(this.name, this.context, this.#storage);
  }

  /** The faults of the directions from this node (to every node and the client), applied by its endpoint when it sends. */
  #setFaults(spec: FaultSpec): void {
    this.#faults = spec;
    // By link index: the nodes, then the main thread's client at CLIENT (client threads get none).
    const to: string[] = [...this.#names];
    to[CLIENT] = CLIENT_NAME;
    this.#endpoint.setFaults(faultsFrom(spec, this.name, to), this.#host.random);
  }

  #stats(): NodeStats {
    const faults: Record<string, { dropped: number; duplicated: number; delayed: number }> = {};
    this.#endpoint.faultCounts.forEach((c, i) => {
      if (c !== undefined) faults[this.#names[i] ?? CLIENT_NAME] = { ...c };
    });
    return { name: this.name, ...this.#storage.counts(), ...this.#counts, processes: this.#processes.table.size, tableVersion: this.#router.version, ...this.#endpoint.counters, faults };
  }
}
