/**
 * A node: its registry of buckets, its own routing table, the router that runs a request
 * here or forwards it (hop by hop, the owner replying straight to the originator), and the
 * task runner for module/function/args calls. It gets its ports, clock and supervisor link
 * from whoever hosts it, so the same code runs in a worker thread or in a test.
 */
import type { MessagePort } from 'node:worker_threads';
import { Endpoint } from '../transport/endpoint.js';
import type { Clock } from '../transport/endpoint.js';
import { Registry, noBucket } from '../core/registry.js';
import type { Bytes } from '../core/bytes.js';
import { toBytes } from '../core/bytes.js';
import { entryFor, lintTables, noRouteMessage, passesThrough, tooManyHopsMessage } from '../core/routing.js';
import type { RoutingTable } from '../core/routing.js';
import { badConfig, validateTable } from '../core/config.js';
import type { NodeSettings, Settings } from '../core/config.js';
import { KvError, fromWire, toWire } from '../protocol/errors.js';
import type { WireError } from '../protocol/errors.js';
import type { Lifecycle, NodeControl, NodeStats, Op, Request, Tables } from '../protocol/messages.js';
import { isPooled, lookupFunction, taskFailed } from './modules.js';
import type { Module, NodeContext, PooledModule } from './modules.js';
import { CpuPool } from './pool.js';

/** What the thread hosting a node provides. */
export interface NodeHost {
  readonly clock?: Clock;
  /** Tells the supervisor something (a changed table, a failed spawn). */
  notify(msg: Lifecycle): void;
}

/** A node, as started from its `NodeInit` (ports attached separately). */
export class KvNode {
  readonly name: string;
  readonly index: number;
  /** `this` of every function the node runs. */
  readonly context: NodeContext;
  readonly #settings: Settings;
  readonly #self: NodeSettings;
  readonly #names: readonly string[];
  readonly #indexOf: ReadonlyMap<string, number>;
  #tables = new Map<string, RoutingTable>();
  /** Byte → index of the node that this node's table sends it to; -1 for no entry. */
  readonly #owners = new Int16Array(256);
  readonly #registry = new Registry();
  readonly #endpoint: Endpoint;
  readonly #modules: Map<string, Module | PooledModule>;
  readonly #pool: CpuPool;
  readonly #env = new Map<string, unknown>();
  readonly #host: NodeHost;
  readonly #counts = { requests: 0, forwarded: 0, tasks: 0 };
  #stopping: Promise<void> | undefined;
  /** Run first on stop (the TCP server), so no client is served by a half-stopped node. */
  readonly #onStop: (() => Promise<void> | void)[] = [];

  constructor(name: string, index: number, settings: Settings, tables: Tables, modules: ReadonlyMap<string, Module | PooledModule>, host: NodeHost) {
    this.name = name;
    this.index = index;
    this.#settings = settings;
    this.#self = settings.nodes[index] as NodeSettings;
    this.#names = settings.nodes.map((n) => n.name);
    this.#indexOf = new Map(this.#names.map((n, i) => [n, i]));
    this.#host = host;
    this.#pool = new CpuPool(name);
    this.#endpoint = new Endpoint({
      self: index,
      onRequest: (req) => this.#handle(req),
      nameOf: (i) => this.#names[i] ?? 'client',
      ...(host.clock === undefined ? {} : { clock: host.clock }),
    });
    this.context = this.#makeContext();
    this.#modules = new Map([...this.#builtins(), ...modules]);
    this.#setTables(tables);
  }

  /** Attaches the data-plane port of link `index` (another node, or a client). */
  attach(index: number, port: MessagePort): void {
    this.#endpoint.attach(index, port);
  }

  /** Sends `op` into the cluster from this node (the TCP server's path): routed by this node's own table, answered here. */
  submit(op: Op, timeoutMs: number = this.#settings.timeout): Promise<unknown> {
    return this.#endpoint.request(this.index, op, timeoutMs);
  }

  /** The control API the supervisor calls over comlink. */
  control(): NodeControl {
    return {
      ping: () => Date.now(),
      setTables: (tables) => this.#setTables(tables),
      link: (index, port) => this.#endpoint.attach(index, port),
      unlink: (index, reason) => this.#unlink(index, reason),
      stats: () => this.#stats(),
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
      this.#endpoint.close(reason);
      this.#registry.clear();
      await this.#pool.close();
    })();
    return this.#stopping;
  }

  /** The router: run here if this node's table names it, else forward to the node it names. */
  #handle(req: Request): void {
    this.#counts.requests++;
    const bucket = req.bucket;
    if (bucket !== undefined) {
      const owner = bucket.length === 0 ? -1 : (this.#owners[bucket.charCodeAt(0)] as number);
      if (owner !== this.index) {
        if (owner < 0) this.#endpoint.fail(req, new KvError('KV_ERR_NO_ROUTE', noRouteMessage(bucket, this.name, this.#tables.get(this.name) ?? [])));
        else this.#forward(req, bucket, owner);
        return;
      }
    }
    try {
      this.#run(req);
    } catch (e) {
      this.#endpoint.fail(req, e);
    }
  }

  #forward(req: Request, bucket: Bytes, owner: number): void {
    const path = req.path === undefined ? this.name : `${req.path} → ${this.name}`;
    if (req.hops >= this.#settings.hopLimit) {
      this.#endpoint.fail(req, new KvError('KV_ERR_TOO_MANY_HOPS', tooManyHopsMessage(bucket, [...path.split(' → '), this.#names[owner] ?? '?'], this.#settings.hopLimit)));
      return;
    }
    req.hops++;
    req.path = path;
    this.#counts.forwarded++;
    // A link that is gone makes the endpoint answer the originator with KV_ERR_NODE_DOWN.
    this.#endpoint.send(owner, req);
  }

  #run(req: Request): void {
    switch (req.op) {
      case 'create':
        if (!this.#self.storage) throw new KvError('KV_ERR_NO_ROUTE', `node "${this.name}" has storage: false and holds no buckets`);
        this.#registry.create(req.bucket);
        this.#endpoint.reply(req, undefined);
        return;
      case 'get':
        this.#endpoint.reply(req, this.#bucket(req.bucket).get(req.key));
        return;
      case 'put':
        this.#bucket(req.bucket).put(req.key, req.value);
        this.#endpoint.reply(req, undefined);
        return;
      case 'delete':
        this.#endpoint.reply(req, this.#bucket(req.bucket).delete(req.key));
        return;
      case 'apply':
        this.#apply(req);
        return;
      default: {
        const never: never = req;
        throw new KvError('KV_ERR_INTERNAL', `unknown op ${JSON.stringify(never)}`);
      }
    }
  }

  #bucket(name: Bytes) {
    const bucket = this.#registry.lookup(name);
    if (bucket === undefined) throw noBucket(name, this.name);
    return bucket;
  }

  /** Runs `mod.fun(...args)` as a supervised task: a throw fails this call only. */
  #apply(req: Request & { op: 'apply' }): void {
    const { mod, fun, args } = req;
    this.#counts.tasks++;
    const found = this.#modules.get(mod);
    const fn = lookupFunction(this.#modules, mod, fun, args.length, this.name);
    let result: unknown;
    try {
      result = found !== undefined && isPooled(found) ? this.#pool.run(mod, found.path, fun, args) : fn.apply(this.context, args);
    } catch (e) {
      throw taskFailed(mod, fun, args.length, this.name, e);
    }
    if (result instanceof Promise) {
      result.then(
        (value) => this.#endpoint.reply(req, value),
        (e: unknown) => this.#endpoint.fail(req, taskFailed(mod, fun, args.length, this.name, e)),
      );
    } else this.#endpoint.reply(req, result);
  }

  /** Sends `op` from this node to `node` (or routes it from here when `node` is this one). */
  #request(node: string, op: Op, timeoutMs: number | undefined): Promise<unknown> {
    const index = this.#indexOf.get(node);
    if (index === undefined) return Promise.reject(unknownNode(node, this.#names));
    return this.#endpoint.request(index, op, timeoutMs);
  }

  #makeContext(): NodeContext {
    const timeout = this.#settings.timeout;
    return {
      node: () => this.name,
      nodes: () => this.#names.filter((n) => n !== this.name && this.#endpoint.reaches(this.#indexOf.get(n) as number)),
      route: (bucket, mod, fun, args) => this.#request(this.name, { op: 'apply', bucket: toBytes(bucket), mod, fun, args }, timeout),
      call: (node, mod, fun, args, timeoutMs = timeout) => this.#request(node, { op: 'apply', mod, fun, args }, timeoutMs),
      spawn: (node, mod, fun, args) => {
        this.#request(node, { op: 'apply', mod, fun, args }, undefined).catch((e: unknown) => {
          this.#host.notify({ type: 'spawn-failed', node, mod, fun, arity: args.length, error: toWire(e) });
        });
      },
      getEnv: (key) => (key === 'routing_table' ? this.#tables.get(this.name) : this.#env.get(key)),
      putEnv: (key, value) => {
        if (key === 'routing_table') this.#putTable(value);
        else this.#env.set(key, value);
      },
    };
  }

  #builtins(): [string, Module][] {
    const ctx = this.context;
    const registry = this.#registry;
    return [
      ['Kernel', { node: ctx.node, nodes: ctx.nodes }],
      [
        'KV.Registry',
        {
          create: (bucket: Bytes) => (registry.create(bucket), this.name),
          lookup: (bucket: Bytes) => (registry.lookup(bucket) === undefined ? null : this.name),
        },
      ],
      [
        'KV.Bucket',
        {
          get: (bucket: Bytes, key: Bytes) => this.#bucket(bucket).get(key),
          put: (bucket: Bytes, key: Bytes, value: Bytes) => (this.#bucket(bucket).put(key, value), 'ok'),
          delete: (bucket: Bytes, key: Bytes) => this.#bucket(bucket).delete(key),
          stop: (bucket: Bytes) => (registry.stop(bucket) ? 'ok' : null),
        },
      ],
      ['KV.Router', { route: ctx.route }],
      [
        'Application',
        {
          get_env: (key: string) => ctx.getEnv(key),
          fetch_env: (key: string) => {
            const value = ctx.getEnv(key);
            if (value === undefined) throw new KvError('KV_ERR_BAD_ARGUMENT', `the application environment of node "${this.name}" has no key "${key}"`);
            return value;
          },
          put_env: (key: string, value: unknown) => (ctx.putEnv(key, value), 'ok'),
        },
      ],
    ];
  }

  #setTables(tables: Tables): void {
    this.#tables = new Map(Object.entries(tables));
    const own = this.#tables.get(this.name) ?? [];
    this.#owners.fill(-1);
    for (let byte = 0; byte < 256; byte++) {
      const entry = entryFor(own, byte);
      if (entry !== undefined) this.#owners[byte] = this.#indexOf.get(entry.node) ?? -1;
    }
  }

  /** `Application.put_env(:kv, :routing_table, ...)` on this node: validated and linted against the other tables first. */
  #putTable(spec: unknown): void {
    const table = validateTable(spec, this.#names, `routing_table of node "${this.name}"`);
    const next = new Map(this.#tables).set(this.name, table);
    const lint = lintTables(next, this.#settings.hopLimit);
    if (lint.errors.length > 0) throw badConfig(lint.errors.map((message) => ({ path: 'routing_table', message })));
    this.#setTables(Object.fromEntries(next));
    this.#host.notify({ type: 'table', node: this.name, table });
  }

  #unlink(index: number, reason: WireError): void {
    this.#endpoint.detach(index);
    const dead = this.#names[index];
    if (dead === undefined) return;
    this.#endpoint.failPending(
      (to, req) => passesThrough(this.#tables, this.#names[to] ?? '', req.bucket, dead),
      () => fromWire(reason),
    );
  }

  #stats(): NodeStats {
    let keys = 0;
    for (const name of this.#registry.names()) keys += this.#registry.lookup(name)?.size ?? 0;
    return { name: this.name, buckets: this.#registry.names().length, keys, ...this.#counts };
  }
}

/** KV_ERR_UNKNOWN_NODE naming the node and the ones that exist. */
export function unknownNode(node: string, names: readonly string[]): KvError {
  return new KvError('KV_ERR_UNKNOWN_NODE', `unknown node ${JSON.stringify(node)} (nodes: ${names.join(', ')})`);
}
